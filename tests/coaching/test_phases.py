"""A physiotherapist's timed phases: the plan, cues only in `cue` phases, each phase marked as it ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.coaching.cues import CueEngine, CueParams
from footfall.coaching.outputs import ListOutput, LiveCoach
from footfall.coaching.phases import PhasePlan
from footfall.coaching.scripted import Gait, planned_run
from footfall.errors import InputError
from footfall.live.coach import CoachOptions, SessionCoach
from footfall.store import Store

HEEL = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)


def test_plan_parses_seconds_and_minutes_one_after_another() -> None:
    plan = PhasePlan.parse("baseline:2m, cue:90s,retest:30")
    assert [(p.label, p.start_s, p.end_s, p.cues) for p in plan.phases] == [
        ("baseline", 0.0, 120.0, False), ("cue", 120.0, 210.0, True), ("retest", 210.0, 240.0, False)]
    assert plan.total_s == 240.0
    assert plan.at(119.9).label == "baseline" and plan.at(120.0).label == "cue" and plan.at(240.0) is None
    assert plan.spans(200.0) == [("baseline", 0.0, 120.0), ("cue", 120.0, 200.0)]  # stopped during the cue


@pytest.mark.parametrize(("spec", "says"), [
    ("baseline", "not LABEL:DURATION"), ("baseline:2m,,cue:1m", "not LABEL:DURATION"), (":30", "not LABEL:DURATION"),
    ("baseline:two", "not a duration"), ("baseline:0", "more than 0 s"), ("cue:-5", "more than 0 s"),
    ("cue:inf", "more than 0 s"), ("cue:1m,cue:1m", "twice"), ("warm;up:20s,cue:20s", "contains ';'"),
])
def test_bad_plans_are_one_clear_error(spec: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        PhasePlan.parse(spec)


def test_no_cue_outside_the_cue_phase_and_the_metronome_stops_with_it() -> None:
    """The baseline fills the engine's window uncued, so the cue comes as the cue phase starts; the retest is
    uncued again and the metronome stops at its first step."""
    plan = PhasePlan.parse("baseline:60,cue:60,retest:60")
    out = ListOutput()
    coach = LiveCoach(CueEngine(CueParams(grace_s=0)), [out])  # as SessionCoach makes it for a phase plan
    for step in planned_run([(180, HEEL)], seed=3):
        phase = plan.at(step.ic_time_s)
        coach.feed(step, cueing=phase is not None and phase.cues)
    times = [c.time_s for c in out.cues]
    print(f"cues at {[round(t, 1) for t in times]} s; metronome {out.metronome_changes}")
    assert times and all(60 <= t < 120 for t in times) and times[0] < 61
    (on_s, on_spm), (off_s, off_spm) = out.metronome_changes
    assert 60 <= on_s < 61 and on_spm and 120 <= off_s < 121 and off_spm is None


def test_each_phase_is_marked_as_it_ends_and_the_last_one_where_the_session_stopped(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    with Store(db) as store:
        store.add_runner("ana", 1.68, 0.86)
    coach = SessionCoach(CoachOptions(runner="ana", db=db, phases=PhasePlan.parse("baseline:30,cue:30,retest:30")))
    steps = planned_run([(75, HEEL)], seed=4)
    coach([s for s in steps if s.ic_time_s < 40], coach.state)
    with Store(db) as reader:  # while the session runs: what a crash would leave
        marked = [(g.label, g.start_s, g.end_s) for g in reader.segments(1)]
    assert marked == [("baseline", 0.0, 30.0)]
    coach([s for s in steps if s.ic_time_s >= 40], coach.state)
    coach.state.elapsed_s = 75.0  # stopped (Ctrl-C) halfway through the retest
    session_id = coach.close()
    with Store(db) as reader:
        marked = [(g.label, g.start_s, g.end_s) for g in reader.segments(session_id)]
        cues = reader.cues(session_id)
    assert marked == [("baseline", 0.0, 30.0), ("cue", 30.0, 60.0), ("retest", 60.0, 75.0)]
    assert cues and all(30 <= c.time_s < 60 for c in cues)
    assert list(coach.state.cues)[:2] == ["   0.0s  phase baseline, no cues", "  30.0s  phase cue"]


def test_the_last_phase_is_marked_though_the_runner_stood_still_before_the_stop(tmp_path: Path) -> None:
    """The session ran 12 s past the last step (the runner stopped, then Ctrl-C): the retest still runs to the
    stop (a segment must end by the session's end, which is the stop here, not the last step)."""
    db = tmp_path / "h.sqlite"
    with Store(db) as store:
        store.add_runner("ana", 1.68, 0.86)
    coach = SessionCoach(CoachOptions(runner="ana", db=db, phases=PhasePlan.parse("baseline:30,retest:60")))
    coach(planned_run([(75, HEEL)], seed=4), coach.state)
    coach.state.elapsed_s = 87.0
    session_id = coach.close()
    with Store(db) as reader:
        assert [(g.label, g.end_s) for g in reader.segments(session_id)] == [("baseline", 30.0), ("retest", 87.0)]
    assert not any("not marked" in note for note in coach.state.notes)


def test_a_phase_plan_cues_from_the_cue_phase_start_and_a_plain_run_waits_for_the_warm_up() -> None:
    """The baseline is the warm-up of a physiotherapist's plan; a plain live run waits CueParams.grace_s."""
    plain = SessionCoach(CoachOptions()).coach.engine.params
    phased = SessionCoach(CoachOptions(phases=PhasePlan.parse("baseline:2m,cue:2m"))).coach.engine.params
    demo = SessionCoach(CoachOptions(cue_grace_s=0.0)).coach.engine.params
    assert plain.grace_s == CueParams.grace_s == 300.0 and phased.grace_s == 0.0 and demo.grace_s == 0.0
