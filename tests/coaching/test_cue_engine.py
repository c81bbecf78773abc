"""The cue engine on scripted step sequences: right cue, right target, praise, hysteresis, cooldown, fading."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from footfall.analysis.step import Step
from footfall.coaching.cues import BLOCK_OFF, LAST_REMINDER, LANDING_PRAISE, CueEngine, CueKind, CueParams
from footfall.coaching.outputs import ConsoleOutput, CueOutput, ListOutput, LiveCoach
from footfall.coaching.scripted import Gait, ResponsiveRunner, planned_run
from footfall.errors import InputError

OVERSTRIDER = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)
GOOD = Gait(cadence_spm=176, strike_angle_deg=4, overstride_index=0.15)
NO_GRACE = CueParams(grace_s=0)  # the rules from the first window on (a real run waits CueParams.grace_s)


def _engine(**kw: object) -> CueEngine:
    return CueEngine(replace(NO_GRACE, **kw))  # type: ignore[arg-type]


def test_good_runner_gets_no_cue() -> None:
    cues = CueEngine().feed_many(planned_run([(300, GOOD)]))
    assert cues == []


def test_heel_striker_with_low_cadence_gets_quicker_steps_and_target_5_to_10_percent() -> None:
    steps = planned_run([(60, OVERSTRIDER)])
    cues = _engine().feed_many(steps)
    assert cues and cues[0].kind is CueKind.QUICKER_STEPS
    assert cues[0].time_s < 15
    target = cues[0].metronome_spm
    assert target is not None
    print(f"cadence {cues[0].cadence_spm:.1f} spm -> target {target:.0f} spm")
    assert 1.05 * cues[0].cadence_spm - 1 <= target <= 1.10 * cues[0].cadence_spm + 1


def test_overstride_alone_triggers_overstride_cue() -> None:
    forefoot_overstrider = Gait(cadence_spm=175, strike_angle_deg=-5, overstride_index=0.7)
    cues = _engine().feed_many(planned_run([(60, forefoot_overstrider)]))
    assert [c.kind for c in cues][:1] == [CueKind.OVERSTRIDE]


def test_cooldown_and_repeat_interval_limit_cue_rate() -> None:
    params = NO_GRACE
    cues = CueEngine(params).feed_many(planned_run([(600, OVERSTRIDER)]))
    times = [c.time_s for c in cues]
    assert all(b - a >= params.cooldown_s for a, b in zip(times, times[1:]))
    # An unchanged runner is reminded at most every repeat_s, less and less often; never every few steps.
    print("unchanged runner, 10 min:", [round(t) for t in times])
    corrections = [c.time_s for c in cues if c.text != BLOCK_OFF]  # and the metronome block ends once
    assert len(corrections) == params.max_unanswered and len(cues) == len(corrections) + 1
    gaps = [b - a for a, b in zip(corrections, corrections[1:])]
    assert gaps[-1] > gaps[0] >= params.repeat_s


def test_unchanged_runner_hears_three_reminders_then_it_waits_for_the_advice() -> None:
    """Review: an unchanged heel runner heard "Shorter, quicker steps" 12 times in 20 min. Now 3 corrections in
    all (after the warm-up grace), the last saying the rest comes after the run (and the metronome block ends)."""
    cues = CueEngine().feed_many(planned_run([(1200, OVERSTRIDER)]))
    print("unchanged heel runner, 20 min:", [(round(c.time_s), c.text) for c in cues])
    assert [c.text for c in cues].count(BLOCK_OFF) == 1
    cues = [c for c in cues if c.text != BLOCK_OFF]
    assert len(cues) == 3 and CueKind.PRAISE not in [c.kind for c in cues]
    assert cues[-1].text.endswith(LAST_REMINDER) and not cues[0].text.endswith(LAST_REMINDER)


def test_no_cue_in_the_warm_up_and_the_target_comes_from_settled_running() -> None:
    """Review: a warm-up jog (150 spm for 3 min, then 172) got 4 cues in the warm-up, a target from the warm-up
    cadence and praise for just reaching its normal pace. Now no cue in the first 5 min of running."""
    jog = Gait(cadence_spm=150, strike_angle_deg=17, overstride_index=0.35, speed_mps=2.3)
    settled = Gait(cadence_spm=172, strike_angle_deg=10, overstride_index=0.25, speed_mps=3.4)
    assert CueEngine().feed_many(planned_run([(180, jog), (600, settled)])) == []
    heel = CueEngine().feed_many(planned_run([(240, jog), (300, OVERSTRIDER)]))
    assert heel and heel[0].time_s >= CueParams.grace_s
    assert heel[0].metronome_spm == 166  # 158 x 1.05 from the settled window, not 158 from the jog's 150


def test_overstride_cue_starts_no_metronome_at_or_above_the_speed_norm() -> None:
    """Review: 186 spm at 5.5 m/s (norm 155 + 5 x 5.5 = 182.5) got "Land under your hips" with the metronome at
    200. The cadence is not what to change there: no metronome."""
    fast = Gait(cadence_spm=186, strike_angle_deg=5, overstride_index=0.6, speed_mps=5.5)
    cues = _engine().feed_many(planned_run([(300, fast)]))
    assert cues and {c.kind for c in cues} == {CueKind.OVERSTRIDE}
    assert all(c.metronome_spm is None for c in cues)


def test_overstride_band_is_narrow_and_the_metronome_stays_off_once_the_target_is_reached() -> None:
    """Review: the overstride cue switched off only at 0.35, so an index of 0.38-0.42 (which would never switch
    it on) kept it repeating, each time restarting the metronome the runner had already reached."""
    better = Gait(cadence_spm=171, strike_angle_deg=8, overstride_index=0.40)
    cues = _engine().feed_many(planned_run([(30, OVERSTRIDER), (600, better)]))
    assert [c.kind for c in cues] == [CueKind.QUICKER_STEPS, CueKind.PRAISE]
    still_over = Gait(cadence_spm=171, strike_angle_deg=-5, overstride_index=0.6)
    cues = _engine().feed_many(planned_run([(60, OVERSTRIDER), (600, still_over)]))
    late = [c for c in cues if c.kind is CueKind.OVERSTRIDE]
    assert late and all(c.metronome_spm is None for c in late)


def test_landing_praise_when_the_overstride_clears() -> None:
    over = Gait(cadence_spm=178, strike_angle_deg=-5, overstride_index=0.7, speed_mps=3.5)
    cues = _engine().feed_many(planned_run([(60, over), (60, replace(over, overstride_index=0.2))]))
    assert [c.text for c in cues][-1] == LANDING_PRAISE


def test_hysteresis_no_flapping_near_threshold() -> None:
    # Overstride index oscillating around the 'on' threshold, never below 'off': one correction, no praise.
    phases = [(20, Gait(cadence_spm=175, strike_angle_deg=-5, overstride_index=v)) for v in [0.52, 0.47] * 10]
    cues = _engine(repeat_s=900).feed_many(planned_run(phases))
    assert [c.kind for c in cues] == [CueKind.OVERSTRIDE]


def test_target_reached_brings_praise_and_stops_metronome() -> None:
    steps = planned_run([(60, OVERSTRIDER), (60, Gait(cadence_spm=171, strike_angle_deg=8, overstride_index=0.3))])
    engine = _engine()
    cues = engine.feed_many(steps)
    kinds = [c.kind for c in cues]
    assert kinds[0] is CueKind.QUICKER_STEPS and CueKind.PRAISE in kinds
    praise = cues[kinds.index(CueKind.PRAISE)]
    assert praise.time_s > 60 and praise.metronome_spm is None
    assert engine.metronome_spm is None


def test_fixed_target_from_runner_profile() -> None:
    cues = _engine(fixed_target_spm=164).feed_many(planned_run([(60, OVERSTRIDER)]))
    assert cues[0].metronome_spm == 164  # within the first +5% step from 158


def test_bad_increase_fraction_rejected() -> None:
    with pytest.raises(InputError, match="target_increase_frac must be 0.05..0.10"):
        CueParams(target_increase_frac=0.2)


def _responsive_session(duration_s: float, params: CueParams = NO_GRACE) -> tuple[list, ListOutput]:
    runner = ResponsiveRunner(OVERSTRIDER, seed=3)
    sink = ListOutput()
    coach = LiveCoach(CueEngine(params), [sink])
    while runner.t < duration_s:
        for cue in coach.feed(runner.next_step()):
            runner.hear(cue)
    return sink.cues, sink


def test_overstrider_who_improves_gets_cue_then_praise_then_fewer_cues() -> None:
    # a target of +7.5% clears this scripted runner's overstride with the cadence: the faded schedule is under
    # test here, not the size of the first step (+5% by default)
    cues, sink = _responsive_session(1800, replace(NO_GRACE, target_increase_frac=0.075))
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
    coach = LiveCoach(CueEngine(NO_GRACE), [console])
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


def _walk(steps: list, start_s: float, end_s: float) -> list:
    return [replace(s, activity="walking") if start_s <= s.ic_time_s < end_s else s for s in steps]


def _metronome_changes(steps: list[Step]) -> list[tuple[int, float | None]]:
    """(second, metronome steps/min or None) each time a live coach without warm-up grace changes it."""
    sink = ListOutput()
    coach = LiveCoach(CueEngine(NO_GRACE), [sink])
    for step in steps:
        coach.feed(step)
    return [(round(t), spm) for t, spm in sink.metronome_changes]


def test_metronome_is_off_while_walking_and_standing_and_back_when_running() -> None:
    """Review: the metronome kept clicking through 3 minutes of walking (on at 4 s, unchanged to 240 s)."""
    walk = Gait(cadence_spm=110, strike_angle_deg=22, overstride_index=0.5, speed_mps=1.4, contact_time_ms=600)
    steps = _walk(planned_run([(60, OVERSTRIDER), (180, walk), (60, OVERSTRIDER)]), 60, 240)
    changes = _metronome_changes(steps)
    print("walking break, metronome:", changes)
    target = changes[0][1]
    assert target is not None and [spm for _, spm in changes] == [target, None, target]
    assert 59 <= changes[1][0] <= 61 and 239 <= changes[2][0] <= 241
    stand = planned_run([(60, OVERSTRIDER)]) + planned_run([(60, OVERSTRIDER)], seed=1, start_s=180)
    changes = _metronome_changes(stand)
    print("standing break, metronome:", changes)
    assert [spm for _, spm in changes] == [target, None, target] and 63 <= changes[1][0] <= 65 and changes[2][0] == 180
