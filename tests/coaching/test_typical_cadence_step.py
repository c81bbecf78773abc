"""qa16 F11, second half: the step towards a runner's own target is measured from the runner's recent typical
cadence (the median of the last week's runs), not from each run's own, so one slow run does not lower it; the
live metronome's first target and the after-run advice say the same figure."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from footfall.coaching.cadence import CadenceParams, step_towards, typical_spm
from footfall.coaching.cues import CueEngine, CueKind, CueParams
from footfall.coaching.knowledge import Category
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session, typical_cadence_spm
from footfall.store import Store

T0 = datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)
HEEL = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)


def _store(tmp_path: Path, past_spm: list[float], days_back: float = 1.0) -> tuple[Store, int]:
    """A runner with a target of 185, earlier runs at `past_spm` in the days before, and a heel-first run at 158."""
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("tia", target_cadence_spm=185)
    for i, spm in enumerate(past_spm):
        store.add_session("tia", planned_run([(600, replace(HEEL, cadence_spm=spm))], seed=i),
                          T0 - timedelta(days=days_back + i * 0.5))
    return store, store.add_session("tia", planned_run([(600, HEEL)], seed=99), T0).id


def _technique(store: Store, sid: int) -> str:
    [tech, *_] = [a for a in advice_for_session(store, sid, limit=None).advice if a.category is Category.TECHNIQUE]
    return f"{tech.title}: {tech.message}"


def test_a_dip_does_not_lower_the_step(tmp_path: Path) -> None:
    """Usually 163, 158 today: the step is 5% above 163, not above 158."""
    store, sid = _store(tmp_path, [162, 163, 164])
    with store:
        typical = typical_cadence_spm(store, store.session(sid))
        msg = _technique(store, sid)
    print(typical, msg)
    assert typical is not None and abs(typical - 163) < 1.5
    step = round(typical * 1.05)
    assert f"Your own target is 185 steps/min; this run aim for about {step} (+5% on your recent typical " \
           f"{typical:.0f})" in msg


def test_without_runs_in_the_last_week_the_step_is_from_this_run(tmp_path: Path) -> None:
    store, sid = _store(tmp_path, [170, 171], days_back=8)  # too long ago
    with store:
        assert typical_cadence_spm(store, store.session(sid)) is None
        msg = _technique(store, sid)
    print(msg)
    assert "this run aim for about 166 (+5%)" in msg and "typical" not in msg


def test_a_clinic_test_is_not_a_typical_run(tmp_path: Path) -> None:
    store, sid = _store(tmp_path, [175])
    with store:
        clinic = store.sessions("tia")[0]
        store.add_segment(clinic.id, "cue", 0, 300)
        assert typical_cadence_spm(store, store.session(sid)) is None


def test_a_run_already_past_this_weeks_step_asks_for_no_quicker_steps(tmp_path: Path) -> None:
    """Usually 150, 158 today: this week's step (158) is reached; the target (185) is for later weeks."""
    store, sid = _store(tmp_path, [150, 150, 151])
    with store:
        msg = _technique(store, sid)
    print(msg)
    assert not msg.startswith("Shorter, quicker steps")
    assert step_towards(158, 185, CadenceParams(), typical_cadence_spm=150) is None
    assert step_towards(158, 185) == 166  # measured from this run, as without recent runs


def test_the_live_metronome_says_the_same_figure(tmp_path: Path) -> None:
    store, sid = _store(tmp_path, [162, 163, 164])
    with store:
        typical = typical_cadence_spm(store, store.session(sid))
        msg = _technique(store, sid)
    cues = CueEngine(CueParams(grace_s=0, fixed_target_spm=185, typical_cadence_spm=typical)).feed_many(
        planned_run([(600, HEEL)], seed=99))
    first = cues[0]
    assert first.kind is CueKind.QUICKER_STEPS and first.metronome_spm is not None
    assert f"this run aim for about {first.metronome_spm:.0f} (" in msg
    assert first.metronome_spm == round(typical * 1.05) != round(first.cadence_spm * 1.05)


def test_live_no_quicker_steps_once_this_weeks_step_is_reached() -> None:
    cues = CueEngine(CueParams(grace_s=0, fixed_target_spm=185, typical_cadence_spm=150)).feed_many(
        planned_run([(600, HEEL)], seed=3))
    assert not [c for c in cues if c.kind is CueKind.QUICKER_STEPS or c.metronome_spm]


def test_typical_is_the_median_of_what_was_measured() -> None:
    assert typical_spm([160, 170, float("nan"), 171]) == 170
    assert typical_spm([float("nan")]) is None and typical_spm([]) is None


def test_the_session_aim_is_the_figure_the_advice_says(tmp_path: Path) -> None:
    """The report draws `SessionAdvice.aim`: the same step from the typical cadence as the advice."""
    store, sid = _store(tmp_path, [162, 163, 164])
    with store:
        sa = advice_for_session(store, sid, limit=None)
        typical = typical_cadence_spm(store, store.session(sid))
    assert sa.aim is not None and typical is not None
    assert sa.aim.aim_spm == round(typical * 1.05) and sa.aim.typical_spm == typical
    assert any(f"this run aim for about {sa.aim.aim_spm:.0f} (" in a.message for a in sa.advice)


def test_the_live_coach_steps_from_the_typical_cadence_too(tmp_path: Path) -> None:
    """`footfall live --runner`: the metronome's step comes from the same typical cadence as the advice after."""
    from footfall.live.coach import CoachOptions, SessionCoach

    now = datetime.now(timezone.utc)
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("tia", target_cadence_spm=185)
        for i, spm in enumerate([169, 170, 172]):
            store.add_session("tia", planned_run([(600, replace(HEEL, cadence_spm=spm))], seed=i),
                              now - timedelta(days=1 + i * 0.5))
    coach = SessionCoach(CoachOptions(runner="tia", db=tmp_path / "h.sqlite"))
    try:
        typical = coach.coach.engine.params.typical_cadence_spm
    finally:
        coach.close()
    assert typical is not None and abs(typical - 170) < 1.5
    assert SessionCoach(CoachOptions()).coach.engine.params.typical_cadence_spm is None  # no runner, no history


def test_a_slow_day_is_asked_for_at_most_ten_percent_more(tmp_path: Path) -> None:
    """qa19b review: usually 170, 158 today asked for 179 (+13% on the run; 150 today: +19%). The step still comes
    from the typical cadence, but no aim is more than 10% above the run (Heiderscheit's larger step), said so."""
    store, sid = _store(tmp_path, [169, 170, 172])
    with store:
        msg = _technique(store, sid)
        cadence = store.session(sid).summary["cadence_spm"]
    print(msg)
    most = round(cadence * 1.10)
    assert most < 178 and f"Your own target is 185 steps/min; this run aim for about {most} (+10%)" in msg

