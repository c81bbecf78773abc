"""Post-run advice: load rule on a real SQLite history, red flags first, pain changes the list, shoes, warm-up."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.coaching.advice import RunContext, post_run_advice
from footfall.coaching.checkin import RED_FLAG_LABELS, RED_FLAG_QUESTIONS, CheckIn
from footfall.coaching.knowledge import Category
from footfall.coaching.load import PastRun, check_load
from footfall.coaching.routine import ShoeStatus, check_warmup
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.errors import InputError
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)
EASY = Gait(cadence_spm=172, strike_angle_deg=5, overstride_index=0.2, speed_mps=3.0)
SHORT_STEPS = planned_run([(120, EASY)])


def _history(tmp_path: Path, minutes: list[tuple[int, int]]) -> Store:
    """A runner with earlier runs [(days_ago, minutes)] at 3 m/s, stored in a real SQLite file."""
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("ana", target_cadence_spm=None)
    for days_ago, mins in minutes:
        store.add_session("ana", planned_run([(mins * 60, EASY)], seed=days_ago), T0 - timedelta(days=days_ago))
    return store


@pytest.mark.parametrize(("this_min", "level"), [(10.5, "ok"), (12, "warn"), (14, "strong")])
def test_load_rule_fires_on_history_in_sqlite(tmp_path: Path, this_min: float, level: str) -> None:
    store = _history(tmp_path, [(45, 20), (20, 10), (9, 8), (2, 9)])  # the 45-day-old run is out of window
    s = store.add_session("ana", planned_run([(this_min * 60, EASY)], seed=99), T0)
    result = advice_for_session(store, s.id, limit=None)
    load = next(a for a in result.advice if a.title.startswith("Load"))
    print(f"{this_min} min run vs longest 10 min: {load.message}")
    check = check_load(*_runs(store, s.id))
    assert check.level == level and check.basis == "distance"
    assert check.longest_run is not None and check.longest_run.distance_m == pytest.approx(10 * 60 * 3.0, rel=0.02)
    if level != "ok":
        assert "longer than your longest run" in load.message
        assert any("Frandsen" in c for c in load.citations())


def test_load_ignores_clips_too_short_to_be_a_reference_and_says_shorter_runs_are_fine() -> None:
    """A 40 s demo before a 6 min run is no 818 % load spike (review: "keep the next runs at or below
    0.1 km"); a run shorter than the longest is "no longer than" it, not "within 10 %" of it."""
    from footfall.coaching.load import load_advice

    demo = PastRun(T0 - timedelta(days=1), 123.0, 40.0)
    assert check_load(PastRun(T0, 1130.0, 360.0), [demo]).level == "no_history"
    week = PastRun(T0 - timedelta(days=2), 5000.0, 1800.0)
    shorter = check_load(PastRun(T0, 1130.0, 360.0), [demo, week])
    assert shorter.level == "ok" and shorter.longest_run is not None and shorter.longest_run.distance_m == 5000.0
    assert "(1.13 km) is no longer than your longest run of the previous 30 days (5.00 km)" in load_advice(shorter).message


def _runs(store: Store, sid: int) -> tuple[PastRun, list[PastRun]]:
    from footfall.coaching.session_advice import past_run

    s = store.session(sid)
    return past_run(s), [past_run(p) for p in store.previous_sessions(s, 60)]


def test_strong_spike_ranks_above_technique(tmp_path: Path) -> None:
    store = _history(tmp_path, [(10, 20)])
    s = store.add_session("ana", planned_run([(40 * 60, EASY)]), T0)
    titles = [a.title for a in advice_for_session(store, s.id).advice]
    assert titles[0].startswith("Load")


red_flag_sets = st.sets(st.sampled_from(sorted(RED_FLAG_QUESTIONS)), min_size=1)


@settings(max_examples=40, deadline=None)
@given(flags=red_flag_sets, before=st.integers(0, 10), after=st.integers(0, 10),
       spike=st.floats(0.5, 3.0), shoe_km=st.floats(0, 1200))
def test_red_flags_always_put_professional_care_first(flags: set[str], before: int, after: int, spike: float,
                                                       shoe_km: float) -> None:
    ci = CheckIn(before, after, **{f: True for f in flags})
    ctx = RunContext(PastRun(T0, 5000 * spike, 1800 * spike), [PastRun(T0 - timedelta(days=3), 5000, 1800)],
                     ShoeStatus("old", shoe_km), ci)
    advice = post_run_advice(SHORT_STEPS, ctx, limit=3)
    first = advice[0]
    assert first.category is Category.PROFESSIONAL and first.items[0].key == "red_flags"
    assert all(RED_FLAG_LABELS[f] in first.message for f in flags)
    assert "doctor, physiotherapist or podiatrist" in first.message
    assert all(a.message.startswith("Once you have been checked") for a in advice[1:]
               if a.category not in (Category.PROFESSIONAL, Category.SELF_CARE))


def test_no_red_flag_no_professional_entry_and_pain_changes_the_list() -> None:
    ctx = RunContext(PastRun(T0, 5000, 1800))
    calm = post_run_advice(SHORT_STEPS, ctx, limit=None)
    assert all(a.category is not Category.PROFESSIONAL for a in calm)
    sore = post_run_advice(SHORT_STEPS, RunContext(PastRun(T0, 5000, 1800), checkin=CheckIn(1, 5)), limit=None)
    assert sore[0].title == "Pain: ease off" and "1/10 before, 5/10 after" in sore[0].message
    routine = next(a for a in sore if a.category is Category.ROUTINE)
    assert "softer_surfaces" in [i.key for i in routine.items]


def test_pain_score_range_checked() -> None:
    with pytest.raises(InputError):
        CheckIn(pain_after=11)


def test_every_advice_entry_shows_a_source() -> None:
    ctx = RunContext(PastRun(T0, 5000, 1800), checkin=CheckIn(0, 6, twist_or_fall=True))
    for a in post_run_advice(planned_run([(900, Gait())]), ctx, limit=None):
        assert a.citations() and all("`0" in c or "20" in c for c in a.citations()), a.title


@pytest.mark.parametrize(("km", "title"), [(100, "Shoes"), (500, "Shoes: nearly worn"), (650, "Shoes: past your limit")])
def test_shoe_rule(km: float, title: str) -> None:
    ctx = RunContext(PastRun(T0, 5000, 1800), shoe=ShoeStatus("Pegasus", km))
    shoes = next(a for a in post_run_advice(SHORT_STEPS, ctx, limit=None) if a.category is Category.SHOES)
    assert shoes.title == title and f"{km:.0f} km of your 600 km" in shoes.message


def test_warmup_gentle_vs_fast_start() -> None:
    gentle = planned_run([(180, Gait(speed_mps=2.4, cadence_spm=160)), (240, Gait(speed_mps=2.8)),
                          (900, Gait(speed_mps=3.2, cadence_spm=170))])
    fast = planned_run([(1320, Gait(speed_mps=3.2, cadence_spm=170))])
    g, f = check_warmup(gentle), check_warmup(fast)
    print(f"gentle start {g.start_speed_mps:.2f} -> {g.settled_speed_mps:.2f} m/s; fast {f.start_speed_mps:.2f} -> {f.settled_speed_mps:.2f}")
    assert g.gentle is True and f.gentle is False and g.measure == "speed_mps"
    assert g.start_cadence_spm == pytest.approx(160, abs=2) and g.settled_cadence_spm == pytest.approx(170, abs=2)
    assert check_warmup(SHORT_STEPS).gentle is None


def test_overstrider_gets_technique_advice_with_target() -> None:
    steps = planned_run([(300, Gait(cadence_spm=156, strike_angle_deg=21, overstride_index=0.7))])
    advice = post_run_advice(steps, RunContext(PastRun(T0, 900, 300)), limit=None)
    tech = next(a for a in advice if a.category is Category.TECHNIQUE)
    assert tech.title == "Shorter, quicker steps"
    target = float(tech.message.split("Aim for about ")[1].split()[0])
    assert 156 * 1.05 - 1 <= target <= 156 * 1.10 + 1


def test_weekly_trend_flags_a_quick_rise() -> None:
    from footfall.coaching.load import trend_advice, weekly_totals

    runs = [PastRun(T0 - timedelta(days=d), 5000, 1800) for d in (26, 24, 19, 17, 12, 10)]  # 10 km a week
    steady = weekly_totals([*runs, PastRun(T0 - timedelta(days=3), 5000, 1800), PastRun(T0, 5000, 1800)], T0)
    rising = weekly_totals([*runs, *(PastRun(T0 - timedelta(days=d), 5000, 1800) for d in (5, 3, 1, 0))], T0)
    assert steady == pytest.approx([10, 10, 10, 10]) and rising == pytest.approx([10, 10, 10, 20])
    calm, quick = trend_advice(steady), trend_advice(rising)
    assert calm is not None and quick is not None
    print(quick.message)
    assert "quick rise" in quick.message and "quick rise" not in calm.message and "+100%" in quick.message
    assert quick.priority < calm.priority
