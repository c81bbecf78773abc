"""The cue engine on scripted step sequences: right cue, right target, praise, hysteresis, cooldown, fading."""

from __future__ import annotations

import io

import pytest

from footfall.coaching.cues import CueEngine, CueKind, CueParams
from footfall.coaching.outputs import ConsoleOutput, CueOutput, ListOutput, LiveCoach
from footfall.coaching.scripted import Gait, ResponsiveRunner, planned_run
from footfall.errors import InputError

OVERSTRIDER = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)
GOOD = Gait(cadence_spm=176, strike_angle_deg=4, overstride_index=0.15)


def test_good_runner_gets_no_cue() -> None:
    cues = CueEngine().feed_many(planned_run([(300, GOOD)]))
    assert cues == []


def test_heel_striker_with_low_cadence_gets_quicker_steps_and_target_5_to_10_percent() -> None:
    steps = planned_run([(60, OVERSTRIDER)])
    cues = CueEngine().feed_many(steps)
    assert cues and cues[0].kind is CueKind.QUICKER_STEPS
    assert cues[0].time_s < 15
    target = cues[0].metronome_spm
    assert target is not None
    print(f"cadence {cues[0].cadence_spm:.1f} spm -> target {target:.0f} spm")
    assert 1.05 * cues[0].cadence_spm - 1 <= target <= 1.10 * cues[0].cadence_spm + 1


def test_overstride_alone_triggers_overstride_cue() -> None:
    forefoot_overstrider = Gait(cadence_spm=175, strike_angle_deg=-5, overstride_index=0.7)
    cues = CueEngine().feed_many(planned_run([(60, forefoot_overstrider)]))
    assert [c.kind for c in cues][:1] == [CueKind.OVERSTRIDE]


def test_cooldown_and_repeat_interval_limit_cue_rate() -> None:
    params = CueParams()
    cues = CueEngine(params).feed_many(planned_run([(600, OVERSTRIDER)]))
    times = [c.time_s for c in cues]
    assert all(b - a >= params.cooldown_s for a, b in zip(times, times[1:]))
    # An unchanged runner is reminded at most every repeat_s, less and less often; never every few steps.
    print("unchanged runner, 10 min:", [round(t) for t in times])
    assert 4 <= len(cues) <= 600 / params.repeat_s + 1
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps[-1] > gaps[0]


def test_hysteresis_no_flapping_near_threshold() -> None:
    # Overstride index oscillating around the 'on' threshold, never below 'off': one correction, no praise.
    phases = [(20, Gait(cadence_spm=175, strike_angle_deg=-5, overstride_index=v)) for v in [0.52, 0.45] * 10]
    cues = CueEngine(CueParams(repeat_s=900)).feed_many(planned_run(phases))
    assert [c.kind for c in cues] == [CueKind.OVERSTRIDE]


def test_target_reached_brings_praise_and_stops_metronome() -> None:
    steps = planned_run([(60, OVERSTRIDER), (60, Gait(cadence_spm=171, strike_angle_deg=8, overstride_index=0.3))])
    engine = CueEngine()
    cues = engine.feed_many(steps)
    kinds = [c.kind for c in cues]
    assert kinds[0] is CueKind.QUICKER_STEPS and CueKind.PRAISE in kinds
    praise = cues[kinds.index(CueKind.PRAISE)]
    assert praise.time_s > 60 and praise.metronome_spm is None
    assert engine.metronome_spm is None


def test_fixed_target_from_runner_profile() -> None:
    cues = CueEngine(CueParams(fixed_target_spm=172)).feed_many(planned_run([(60, OVERSTRIDER)]))
    assert cues[0].metronome_spm == 172


def test_bad_increase_fraction_rejected() -> None:
    with pytest.raises(InputError, match="target_increase_frac must be 0.05..0.10"):
        CueParams(target_increase_frac=0.2)


def _responsive_session(duration_s: float) -> tuple[list, ListOutput]:
    runner = ResponsiveRunner(OVERSTRIDER, seed=3)
    sink = ListOutput()
    coach = LiveCoach(CueEngine(), [sink])
    while runner.t < duration_s:
        for cue in coach.feed(runner.next_step()):
            runner.hear(cue)
    return sink.cues, sink


def test_overstrider_who_improves_gets_cue_then_praise_then_fewer_cues() -> None:
    cues, sink = _responsive_session(1800)
    kinds = [c.kind for c in cues]
    print("cues:", [(round(c.time_s), c.kind.value) for c in cues])
    assert kinds[0] in (CueKind.QUICKER_STEPS, CueKind.OVERSTRIDE)
    assert CueKind.PRAISE in kinds and kinds.index(CueKind.PRAISE) > 0
    corrections = [c.time_s for c in cues if c.kind is not CueKind.PRAISE]
    gaps = [b - a for a, b in zip(corrections, corrections[1:])]
    first_half = sum(t < 900 for t in [c.time_s for c in cues])
    second_half = len(cues) - first_half
    assert second_half < first_half
    assert gaps == sorted(gaps)  # the faded schedule: each repeat of a correction comes later than the last
    # The metronome went on at the first correction and off at the praise.
    assert sink.metronome_changes[0][1] == cues[0].metronome_spm
    assert None in [spm for _, spm in sink.metronome_changes]


def test_outputs_follow_the_protocol_and_console_prints() -> None:
    buf = io.StringIO()
    console = ConsoleOutput(buf)
    assert isinstance(console, CueOutput) and isinstance(ListOutput(), CueOutput)
    coach = LiveCoach(CueEngine(), [console])
    for step in planned_run([(30, OVERSTRIDER)]):
        coach.feed(step)
    coach.close()
    assert "Shorter, quicker steps" in buf.getvalue() and "metronome" in buf.getvalue()


def test_every_metronome_change_is_announced_by_a_cue() -> None:
    # The history stores cues only, so the metronome state must be recoverable from them.
    cues, sink = _responsive_session(1800)
    from_cues, state = [], None
    for c in cues:
        if c.metronome_spm != state:
            state = c.metronome_spm
            from_cues.append((c.time_s, state))
    assert from_cues == sink.metronome_changes
