"""The whole chain: virtual runner IMU signals -> streaming analyser -> cue engine.

An overstrider gets "shorter, quicker steps" with a metronome 5-10% above their cadence; when they take the
advice (the virtual runner continues at the target cadence with a flatter, closer landing) they are praised
and then left alone, while a runner who does not change gets three (ever rarer) reminders, then none.
"""

from __future__ import annotations

from dataclasses import replace

from footfall.analysis.step import Step
from footfall.coaching.cues import BLOCK_OFF, CueEngine, CueKind, CueParams
from footfall.virtual.runner import preset, simulate
from joined_runs import analyse_joined

PHASE_A_S = 60.0


def _coach(steps: list[Step]) -> list:
    return CueEngine(CueParams(grace_s=0)).feed_many(steps)  # minutes-long virtual runs cost too much here


def test_overstrider_who_improves_gets_cue_then_praise_then_quiet() -> None:
    before = simulate(preset("heel-overstrider", duration_s=PHASE_A_S, seed=1))
    cues_a = _coach(analyse_joined([before]))
    assert cues_a and cues_a[0].kind is CueKind.QUICKER_STEPS
    first = cues_a[0]
    target = first.metronome_spm
    assert target is not None
    print(f"virtual overstrider: cadence {first.cadence_spm:.1f} spm, rearfoot {first.rearfoot_share:.2f}, "
          f"overstride {first.overstride_index:.2f} -> cue at {first.time_s:.1f} s, target {target:.0f} spm")
    assert 1.05 * first.cadence_spm - 1 <= target <= 1.10 * first.cadence_spm + 1

    after = simulate(replace(before.params, cadence_spm=target + 1, strike_angle_deg=6.0, overstride=0.2,
                             duration_s=180.0, seed=2))
    cues = _coach(analyse_joined([before, after]))
    kinds = [(round(c.time_s), c.kind.value) for c in cues]
    print("improving runner cues:", kinds)
    praise = [c for c in cues if c.kind is CueKind.PRAISE]
    assert praise and PHASE_A_S < praise[0].time_s < PHASE_A_S + 40
    late_corrections = [c for c in cues if c.kind is not CueKind.PRAISE and c.time_s > praise[0].time_s]
    assert late_corrections == []

    unchanged = simulate(replace(before.params, duration_s=PHASE_A_S + 180.0))
    nagged = [c for c in _coach(analyse_joined([unchanged])) if c.kind is not CueKind.PRAISE and c.text != BLOCK_OFF]
    print(f"unchanged runner: {len(nagged)} corrections in {PHASE_A_S + 180:.0f} s at",
          [round(c.time_s) for c in nagged])
    assert len(nagged) == 3 and len(late_corrections) < len(nagged)  # then it waits for the post-run advice
