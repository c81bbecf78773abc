"""The live metronome runs in blocks, as the after-run advice prescribes ("a few minutes at a time at first (3-4
blocks per run)"): on for `metronome_block_s` of running, then "Metronome off" and a rest of `metronome_rest_s`
without cadence cues, then the next block while the cadence is still low; at most `metronome_blocks` a run
(review qa16 F11: the metronome, once on, clicked for the rest of the run)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from footfall.analysis.step import Step
from footfall.coaching.cues import BLOCK_OFF, PHRASES, CueEngine, CueKind, CueParams
from footfall.coaching.outputs import ListOutput, LiveCoach
from footfall.coaching.scripted import Gait, ResponsiveRunner, planned_run
from footfall.errors import InputError

HEEL = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)  # never takes the cue up
NO_GRACE = CueParams(grace_s=0)
# Corrections not taken up rest after 3 (max_unanswered): to see every block, this runner is reminded on.
PATIENT = replace(NO_GRACE, max_unanswered=100)


def _coach(steps: list[Step], params: CueParams) -> ListOutput:
    sink = ListOutput()
    coach = LiveCoach(CueEngine(params), [sink])
    for step in steps:
        coach.feed(step)
    return sink


def _on_off(sink: ListOutput) -> list[tuple[float, float]]:
    """(on, off) seconds of each metronome block."""
    changes = sink.metronome_changes
    assert all(spm is not None for _, spm in changes[0::2]) and all(spm is None for _, spm in changes[1::2])
    return [(on, off) for (on, _), (off, _) in zip(changes[0::2], changes[1::2])]


def test_the_metronome_stops_after_a_block_and_says_so() -> None:
    """Default values: on at the first cue, off after 3 min with a cue of its own (the old metronome ran on)."""
    p = NO_GRACE
    sink = _coach(planned_run([(600, HEEL)]), p)
    print("metronome:", [(round(t), spm) for t, spm in sink.metronome_changes])
    print("cues:", [(round(c.time_s), c.text) for c in sink.cues])
    [(on, off)] = _on_off(sink)
    assert p.metronome_block_s <= off - on <= p.metronome_block_s + p.cooldown_s + 1
    [block_off] = [c for c in sink.cues if c.text == BLOCK_OFF]
    assert block_off.time_s == off and block_off.metronome_spm is None
    assert block_off.kind is CueKind.METRONOME_OFF and block_off.advice_key == "cadence"
    assert sink.metronome_changes[-1][1] is None  # and it stays off: this runner's 3 reminders are used up


def test_blocks_rest_between_and_stop_after_the_last() -> None:
    p = PATIENT
    sink = _coach(planned_run([(3000, HEEL)]), p)
    blocks = _on_off(sink)
    print("blocks:", [(round(a), round(b)) for a, b in blocks])
    assert len(blocks) == p.metronome_blocks
    assert all(p.metronome_block_s <= off - on <= p.metronome_block_s + p.cooldown_s + 1 for on, off in blocks)
    rests = [b[0] - a[1] for a, b in zip(blocks, blocks[1:])]
    assert all(p.metronome_rest_s <= r <= p.metronome_rest_s + p.repeat_s * 2 for r in rests), rests
    # each block starts with the cadence cue at the same target, and no cadence cue comes while resting
    targets = {spm for _, spm in sink.metronome_changes if spm is not None}
    assert len(targets) == 1
    quick = [c for c in sink.cues if c.text.startswith(PHRASES[CueKind.QUICKER_STEPS])]
    assert all(any(on <= c.time_s < off for on, off in blocks) for c in quick)
    assert {on for on, _ in blocks} <= {c.time_s for c in quick}
    assert [c.text for c in sink.cues].count(BLOCK_OFF) == p.metronome_blocks
    assert all(c.time_s < blocks[-1][1] + 1 for c in quick)  # after the last block the cadence cue rests


def test_an_overstride_cue_while_resting_brings_no_metronome() -> None:
    sink = _coach(planned_run([(1200, HEEL)]), PATIENT)
    blocks = _on_off(sink)
    resting = [c for c in sink.cues if c.kind is CueKind.OVERSTRIDE
               and not any(on <= c.time_s <= off for on, off in blocks)]
    print("cues while resting:", [(round(c.time_s), c.text, c.metronome_spm) for c in resting])
    assert resting and all(c.metronome_spm is None for c in resting)


def test_a_walking_break_does_not_use_up_the_block() -> None:
    walk = Gait(cadence_spm=110, strike_angle_deg=22, overstride_index=0.5, speed_mps=1.4, contact_time_ms=600)
    steps = [replace(s, activity="walking") if 100 <= s.ic_time_s < 400 else s
             for s in planned_run([(100, HEEL), (300, walk), (300, HEEL)])]
    sink = _coach(steps, NO_GRACE)
    print("metronome:", [(round(t), spm) for t, spm in sink.metronome_changes])
    [block_off] = [c for c in sink.cues if c.text == BLOCK_OFF]
    # on at ~4 s: 96 s of running before the walk, the rest of the 180 s after it (from 400 s)
    assert 400 + 180 - 100 <= block_off.time_s <= 400 + 180 - 100 + NO_GRACE.cooldown_s + 5


def test_praise_still_stops_the_metronome_before_the_block_ends() -> None:
    runner = ResponsiveRunner(HEEL, seed=3)
    sink = ListOutput()
    coach = LiveCoach(CueEngine(NO_GRACE), [sink])
    while runner.t < 120:
        for cue in coach.feed(runner.next_step()):
            runner.hear(cue)
    print("cues:", [(round(c.time_s), c.text) for c in sink.cues])
    praise = [c for c in sink.cues if c.kind is CueKind.PRAISE]
    assert praise and praise[0].metronome_spm is None and praise[0].time_s < NO_GRACE.metronome_block_s
    assert BLOCK_OFF not in [c.text for c in sink.cues]


@pytest.mark.parametrize("bad", [{"metronome_block_s": 0}, {"metronome_rest_s": -1}, {"metronome_blocks": 0}])
def test_bad_block_values_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(InputError, match="metronome_block_s"):
        replace(NO_GRACE, **bad)  # type: ignore[arg-type]
