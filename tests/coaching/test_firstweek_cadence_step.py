"""impl19 runner: in a first week without a target of one's own, each run's aim was 5% above that run's cadence,
so a runner who went 158 -> 163 was asked for 166 and then for 170 two days later (+8% in a week, while the
advice says "over several weeks"). footfall's own step is measured from the recent typical cadence, as the step
towards a runner's own target is (test_typical_cadence_step.py), live and after the run alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.cadence import target_spm
from footfall.coaching.cues import CueEngine, CueKind, CueParams
from footfall.coaching.knowledge import Category
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session, typical_cadence_spm
from footfall.store import Store

T0 = datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)
HEEL = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)  # 3.0 m/s: the norm is 170


def _week(tmp_path: Path, past_spm: list[float], today_spm: float) -> tuple[Store, int]:
    """A runner without a target of their own, earlier heel-first runs at `past_spm`, and one today."""
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("kai")
    for i, spm in enumerate(past_spm):
        store.add_session("kai", planned_run([(600, replace(HEEL, cadence_spm=spm))], seed=i),
                          T0 - timedelta(days=2 * (len(past_spm) - i)))
    today = planned_run([(600, replace(HEEL, cadence_spm=today_spm))], seed=99)
    return store, store.add_session("kai", today, T0).id


def _technique(store: Store, sid: int) -> str:
    [tech, *_] = [a for a in advice_for_session(store, sid, limit=None).advice if a.category is Category.TECHNIQUE]
    return f"{tech.title}: {tech.message}"


def test_the_second_run_aims_at_the_same_step_not_another_five_percent(tmp_path: Path) -> None:
    store, sid = _week(tmp_path, [158], 163)
    with store:
        typical = typical_cadence_spm(store, store.session(sid))
        msg = _technique(store, sid)
    print(typical, msg)
    assert typical is not None and abs(typical - 158) < 1.5
    step = round(typical * 1.05)
    assert msg.startswith("Shorter, quicker steps")
    assert f"Aim for about {step} steps/min (+5% on your recent typical {typical:.0f}) at the same speed" in msg
    assert step < round(163 * 1.05)  # the old aim, from this run's own cadence


def test_a_run_that_reached_the_step_asks_for_no_quicker_steps(tmp_path: Path) -> None:
    store, sid = _week(tmp_path, [150, 151], 158)
    with store:
        msg = _technique(store, sid)
    print(msg)
    assert not msg.startswith("Shorter, quicker steps")
    assert target_spm(158, 3.0, typical_cadence_spm=150.5) is None
    assert target_spm(158, 3.0) == 166  # without recent runs: from this run, as before


def test_the_live_metronome_clicks_the_step_the_advice_says(tmp_path: Path) -> None:
    store, sid = _week(tmp_path, [158], 163)
    with store:
        typical = typical_cadence_spm(store, store.session(sid))
        msg = _technique(store, sid)
    cues = CueEngine(CueParams(grace_s=0, typical_cadence_spm=typical)).feed_many(
        planned_run([(600, replace(HEEL, cadence_spm=163))], seed=99))
    first = cues[0]
    assert first.kind is CueKind.QUICKER_STEPS and first.metronome_spm is not None
    assert typical is not None and first.metronome_spm == round(typical * 1.05)
    assert f"Aim for about {first.metronome_spm:.0f} steps/min" in msg


def test_live_no_metronome_once_this_weeks_step_is_reached() -> None:
    cues = CueEngine(CueParams(grace_s=0, typical_cadence_spm=150)).feed_many(planned_run([(600, HEEL)], seed=3))
    assert not [c for c in cues if c.kind is CueKind.QUICKER_STEPS or c.metronome_spm]
    without = CueEngine(CueParams(grace_s=0)).feed_many(planned_run([(600, HEEL)], seed=3))
    assert without[0].kind is CueKind.QUICKER_STEPS and without[0].metronome_spm == 166


def test_a_heel_first_run_at_this_weeks_step_is_told_so_not_looks_good(tmp_path: Path) -> None:
    """The step measured from the typical cadence left a runner who went 158 -> 167, still heel-first, with
    "Technique: looks good: Nothing to change in your stride today"."""
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("kai")
    store.add_session("kai", planned_run([(600, HEEL)], seed=1), T0 - timedelta(days=2))
    quick = replace(HEEL, cadence_spm=167, overstride_index=0.3)
    sid = store.add_session("kai", planned_run([(600, quick)], seed=2), T0).id
    with store:
        sa = advice_for_session(store, sid, limit=None)
    [tech] = [a for a in sa.advice if a.category is Category.TECHNIQUE]
    print(tech.title, tech.message)
    assert sa.aim is None  # no new aim: the step is reached
    assert tech.title == "Quicker steps: this week's step reached"
    assert "quicker step rate than your recent typical 158 steps/min" in tech.message
    assert tech.citations() and tech.own_values


def test_a_first_run_at_the_same_cadence_still_looks_good_when_not_heel_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("kai")
    store.add_session("kai", planned_run([(600, HEEL)], seed=1), T0 - timedelta(days=2))
    mid = replace(HEEL, cadence_spm=167, strike_angle_deg=3, overstride_index=0.3)
    sid = store.add_session("kai", planned_run([(600, mid)], seed=2), T0).id
    with store:
        titles = [a.title for a in advice_for_session(store, sid, limit=None).advice]
    assert "Technique: looks good" in titles


def test_demos_are_no_typical_runs(tmp_path: Path) -> None:
    """A first week with `footfall demo --runner` several times: six 20 s demos at 150 outvoted the real runs."""
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("kai")
    store.add_session("kai", planned_run([(600, replace(HEEL, cadence_spm=163))], seed=1), T0 - timedelta(days=2))
    for i in range(3):
        store.add_session("kai", planned_run([(20, replace(HEEL, cadence_spm=150))], seed=10 + i),
                          T0 - timedelta(days=1, hours=i))
    sid = store.add_session("kai", planned_run([(600, HEEL)], seed=2), T0).id
    with store:
        typical = typical_cadence_spm(store, store.session(sid))
    assert typical is not None and abs(typical - 163) < 1.5


def test_runner_set_compares_a_target_with_real_runs_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from footfall.cli import main

    db = tmp_path / "h.sqlite"
    with Store(db) as store:
        store.add_runner("kai")
        store.add_session("kai", planned_run([(600, replace(HEEL, cadence_spm=163))], seed=1), T0 - timedelta(days=2))
        for i in range(3):
            store.add_session("kai", planned_run([(20, replace(HEEL, cadence_spm=150))], seed=10 + i),
                              T0 - timedelta(days=1, hours=i))
    assert main(["runner", "set", "kai", "--target-cadence-spm", "190", "--db", str(db)]) == 0
    err = capsys.readouterr().err
    print(err)
    assert "above kai's recent cadence (163)" in err


def test_after_a_live_run_the_step_is_said_from_the_typical_cadence(tmp_path: Path) -> None:
    """A target of 200 and runs at about 165: the metronome clicked at 173 (+5% on 165) in a run at 158, and the
    advice said "this run aim for about 173 (+10%)", a step twice the one footfall promises."""
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("kai", target_cadence_spm=200)
    for i, spm in enumerate((163, 167)):
        store.add_session("kai", planned_run([(600, replace(HEEL, cadence_spm=spm))], seed=i),
                          T0 - timedelta(days=2 - i))
    run = planned_run([(600, HEEL)], seed=9)
    sid = store.add_session("kai", run, T0).id
    with store:
        typical = typical_cadence_spm(store, store.session(sid))
        engine = CueEngine(CueParams(grace_s=0, fixed_target_spm=200, typical_cadence_spm=typical))
        store.add_cues(sid, engine.feed_many(run))
        msg = _technique(store, sid)
    print(typical, msg)
    assert typical is not None and abs(typical - 165) < 1.5
    assert f"this run aim for about {round(typical * 1.05)} (+5% on your recent typical {typical:.0f})" in msg
    assert "(+10%)" not in msg


def test_a_slow_day_steps_from_its_own_cadence_not_from_the_quicker_typical(tmp_path: Path) -> None:
    """qa19 review: typical 165, a slow run at 150 asked for 168: +12% on the day, printed "+2% on your recent
    typical 165". footfall's own step is never more than +5% on the run (a runner's own target keeps its step from
    the typical cadence: test_typical_cadence_step.py)."""
    store, sid = _week(tmp_path, [165, 165], 150)
    with store:
        msg = _technique(store, sid)
    print(msg)
    aim = int(msg.split("Aim for about ")[1].split(" steps/min at the same speed")[0])  # no "(+N% on ...)" between
    assert 156 <= aim <= 158 and "recent typical" not in msg  # 5% above the run's ~150, not 168
    assert target_spm(150, 3.0, typical_cadence_spm=165) == 158
