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
    assert "(1.1 km) is no longer than your longest run of the previous 30 days (5.0 km)" in load_advice(shorter).message
    assert "(0.12 km)" in load_advice(check_load(PastRun(T0, 123.0, 400.0), [week])).message  # short: 2 decimals


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
    assert not [a for a in advice[1:] if a.category not in (Category.PROFESSIONAL, Category.SELF_CARE)]


def test_no_red_flag_no_professional_entry_and_pain_changes_the_list() -> None:
    ctx = RunContext(PastRun(T0, 5000, 1800))
    calm = post_run_advice(SHORT_STEPS, ctx, limit=None)
    assert all(a.category is not Category.PROFESSIONAL for a in calm)
    sore = post_run_advice(SHORT_STEPS, RunContext(PastRun(T0, 5000, 1800), checkin=CheckIn(1, 5)), limit=None)
    assert sore[0].title == "Pain: ease off" and "1/10 before the run, 5/10 after" in sore[0].message
    assert all(a.category is not Category.PROFESSIONAL for a in sore)
    routine = next(a for a in sore if a.category is Category.ROUTINE)
    assert "softer_surfaces" in [i.key for i in routine.items]


def test_pain_score_range_checked() -> None:
    with pytest.raises(InputError):
        CheckIn(pain_after=11)


def test_every_advice_entry_shows_a_source() -> None:
    ctx = RunContext(PastRun(T0, 5000, 1800), checkin=CheckIn(0, 6, twist_or_fall=True),
                     shoe=ShoeStatus("Pegasus", 100))  # "no shoe recorded" is a note, not advice: it cites nothing
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
    from footfall.coaching.trend import trend_advice

    runs = [PastRun(T0 - timedelta(days=d), 5000, 1800) for d in (26, 24, 19, 17, 12, 10)]  # 10 km a week
    start = T0 - timedelta(days=28)
    calm = trend_advice([*runs, PastRun(T0 - timedelta(days=3), 5000, 1800), PastRun(T0, 5000, 1800)],
                        PastRun(T0, 5000, 1800), start)
    quick = trend_advice([*runs, *(PastRun(T0 - timedelta(days=d), 5000, 1800) for d in (5, 3, 1, 0))],
                         PastRun(T0, 5000, 1800), start)
    assert calm is not None and quick is not None
    print(quick.message)
    assert "10.0, 10.0, 10.0, and 20.0 in the last 7 days: +100% against your usual 10.0 km" in quick.message
    assert "a quick rise" in quick.message and "quick rise" not in calm.message
    assert quick.priority < calm.priority


def _pain_advice(before: int, after: int) -> list:
    return post_run_advice(SHORT_STEPS, RunContext(PastRun(T0, 5000, 1800), checkin=CheckIn(before, after)),
                           limit=None)


def test_severe_pain_without_a_red_flag_sends_to_a_professional_and_holds_training_back() -> None:
    """Review: 0 -> 8 got the same "ease off" as 0 -> 2, then "Warm-up: started fast", and no training entry
    waited for a check. Article 004: "If you're having pain, then go see a doctor and start to take it easy"."""
    for before, after in ((0, 8), (1, 6)):  # severe pain; a big rise
        advice = _pain_advice(before, after)
        assert advice[0].category is Category.PROFESSIONAL and "Stop running" in advice[0].message
        assert advice[1].title == "Pain: rest until checked" and "price" in [i.key for i in advice[1].items]
        training = [a for a in advice if a.category not in (Category.PROFESSIONAL, Category.SELF_CARE)]
        assert not training and "Training advice on hold" in [a.title for a in advice]
        assert "footfall's own" in advice[0].own_values_note() and "7/10" in advice[0].own_values


def test_mild_pain_gets_ease_off_without_price_or_stop_until_checked() -> None:
    """Review: 0 -> 2 got full PRICE ("Protect the ankle (a brace or splint)") and "stop running until you have
    seen a doctor", next to "Load: Good". Mild pain: keep an eye on it, ease off."""
    advice = _pain_advice(0, 2)
    pain = advice[0]
    assert pain.title == "Pain: ease off" and "Keep an eye on it" in pain.message
    keys = [i.key for i in pain.items]
    assert "price" not in keys and "dont_ignore" not in keys
    assert "4/10" in pain.own_values and all(a.category is not Category.PROFESSIONAL for a in advice)
    assert all(a.category is not Category.SELF_CARE for a in _pain_advice(1, 2))  # a little pain: no entry


def test_load_entry_credits_the_10_percent_rule_to_the_study_and_drops_the_beginner_schedule() -> None:
    from footfall.coaching.load import load_advice

    established = PastRun(T0 - timedelta(days=40), 5000, 1800)  # a runner with weeks of history, not a beginner
    check = check_load(PastRun(T0, 7500, 2700), [established, PastRun(T0 - timedelta(days=3), 5000, 1800)])
    a = load_advice(check)
    keys = [i.key for i in a.items]
    assert check.level == "strong" and "gradual_progression" not in keys and "session_spike" in keys
    assert "30%" in a.own_values and "footfall's own" in a.own_values_note()


def test_an_even_paced_run_is_not_told_it_started_too_fast_and_walking_first_is_a_warm_up() -> None:
    """Review: every even-paced run of 10 min or more got "You started at nearly full pace" at urgency 1, the top
    entry for good runners; a run-walker who walked 4 minutes first got it too."""
    from dataclasses import replace

    from footfall.coaching.routine import warmup_advice

    even = planned_run([(1320, Gait(speed_mps=3.5, cadence_spm=176, strike_angle_deg=4, overstride_index=0.2))])
    advice = post_run_advice(even, RunContext(PastRun(T0, 4600, 1320)), limit=None)
    warm = next(a for a in advice if a.category is Category.WARMUP)
    assert "full pace" not in warm.message and "10-20 minutes" in warm.message and warm.urgency < 0
    assert advice[-1] is warm or advice.index(warm) > 2
    walk = Gait(cadence_spm=110, speed_mps=1.4, strike_angle_deg=20, overstride_index=0.4)
    steps = planned_run([(240, walk), (900, Gait(speed_mps=3.2, cadence_spm=170))])
    steps = [replace(s, activity="walking") if s.ic_time_s < 240 else s for s in steps]
    walked = warmup_advice(check_warmup(steps))
    assert walked.title == "Warm-up: walked in" and "You walked 4 min" in walked.message


def test_looks_good_carries_no_correction_and_a_left_right_difference_is_not_hidden() -> None:
    """Review: "Technique: looks good" had "Take shorter, quicker steps" attached; a heel-striking left foot and
    a midfoot right foot (51% rearfoot both feet) got "Nothing to change"."""
    from dataclasses import replace

    good = planned_run([(600, Gait(cadence_spm=176, strike_angle_deg=4, overstride_index=0.2, speed_mps=3.4))])
    tech = [a for a in post_run_advice(good, RunContext(PastRun(T0, 2000, 600)), limit=None)
            if a.category is Category.TECHNIQUE]
    assert [a.title for a in tech] == ["Technique: looks good"] and tech[0].items == ()
    left = planned_run([(600, Gait(cadence_spm=170, strike_angle_deg=14, overstride_index=0.2, contact_time_ms=268))])
    right = planned_run([(600, Gait(cadence_spm=170, strike_angle_deg=5, overstride_index=0.2, contact_time_ms=241))])
    mixed = [replace(s, side="L", sensor="L") for s in left[::2]] + [replace(s, side="R", sensor="R") for s in right[1::2]]
    mixed.sort(key=lambda s: s.ic_time_s)
    tech = [a for a in post_run_advice(mixed, RunContext(PastRun(T0, 2000, 600)), limit=None)
            if a.category is Category.TECHNIQUE]
    titles = [a.title for a in tech]
    print([a.message for a in tech])
    assert "Left/right difference" in titles and "Technique: looks good" not in titles
    diff = tech[titles.index("Left/right difference")]
    assert "mostly rearfoot" in diff.message and "mostly midfoot" in diff.message and "footfall's own" in \
        diff.own_values_note()
    assert all("Sore Ankles" not in c for c in diff.citations())  # no article discusses asymmetry


def test_wording_says_what_the_sensor_measures() -> None:
    heel = planned_run([(300, Gait(cadence_spm=156, strike_angle_deg=21, overstride_index=0.7))])
    tech = next(a for a in post_run_advice(heel, RunContext(PastRun(T0, 900, 300)), limit=None)
                if a.category is Category.TECHNIQUE)
    assert tech.message.startswith("Mostly heel-first landings with a steep toe-up angle at a low step rate")
    assert "heavy" not in tech.message and "footfall's own" in tech.own_values_note()
    fore = planned_run([(300, Gait(cadence_spm=178, strike_angle_deg=-6, overstride_index=0.6, speed_mps=3.0))])
    over = next(a for a in post_run_advice(fore, RunContext(PastRun(T0, 900, 300)), limit=None)
                if a.category is Category.TECHNIQUE)
    assert over.message.startswith("Signs of overstriding") and "well ahead" not in over.message


def test_one_speed_aware_cadence_norm_for_live_cues_and_advice() -> None:
    """Review: a slow jogger (2.0 m/s, 150 spm) got "Aim for about 161" live while the advice used a fixed
    166 spm; a 168 spm heel-striker at 3.4 m/s (norm 172) was "low" live only."""
    from footfall.coaching.cues import CueEngine, CueParams

    for gait in (Gait(cadence_spm=150, speed_mps=2.0, strike_angle_deg=18, overstride_index=0.3),
                 Gait(cadence_spm=168, speed_mps=3.4, strike_angle_deg=18, overstride_index=0.3)):
        steps = planned_run([(300, gait)])
        live = CueEngine(CueParams(grace_s=0)).feed_many(steps)[0].metronome_spm
        tech = next(a for a in post_run_advice(steps, RunContext(PastRun(T0, 900, 300)), limit=None)
                    if a.category is Category.TECHNIQUE)
        assert tech.title == "Shorter, quicker steps"
        advised = float(tech.message.split("Aim for about ")[1].split()[0])
        print(f"{gait.cadence_spm} spm at {gait.speed_mps} m/s: live {live}, advice {advised}")
        assert live is not None and abs(live - advised) <= 1


def test_figures_print_no_signed_zero_and_no_trend_from_one_week() -> None:
    from footfall.coaching.technique import figure
    from footfall.coaching.trend import trend_advice

    assert figure(-0.3, "{:.0f}", " deg") == "0 deg" and figure(-0.6, "{:.0f}") == "-1"
    weekly = [PastRun(T0 - timedelta(days=7 * w + 3), 10_000, 3600) for w in (1, 2, 3)]
    this = PastRun(T0, 9990, 3600)
    assert trend_advice([*weekly[:1], this], this, T0 - timedelta(days=14)) is None  # one earlier week is no trend
    flat = trend_advice([*weekly, this], this, T0 - timedelta(days=28))
    assert flat is not None and "0% against your usual 10.0 km" in flat.message and "30%" in flat.own_values


def test_a_walk_is_not_called_a_run() -> None:
    from dataclasses import replace

    walk = [replace(s, activity="walking") for s in planned_run([(600, Gait(cadence_spm=110, speed_mps=1.4))])]
    load = next(a for a in post_run_advice(walk, RunContext(PastRun(T0, 840, 600)), limit=None)
                if a.category is Category.LOAD)
    assert load.message.startswith("No load check for walks")
