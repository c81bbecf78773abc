"""The overstride index of a step file's steps for a runner's leg length.

The index (footfall.analysis.overstride) is the weighted mean of four scores; only the cadence score depends on
the leg length, through the cadence norm. A step record holds every input: the strike angle, the foot velocity
at contact, the braking, the speed, and the stride time the stride module used (stride_length_m / speed_mps,
its mid-stance-to-mid-stance window). So `history add` of a step file recomputes the index for the runner's leg
length and stores what `history add` of the recording gives. Each step is recomputed only when its record
reproduces its own index (with the leg length the file says it used, or none): a step whose index was withheld
(NaN), or made with other weights, keeps the file's value and is counted.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import NamedTuple

from footfall.analysis.cadence import stride_cadence_spm
from footfall.analysis.overstride import overstride
from footfall.analysis.step import Step

SAME_INDEX = 1e-9  # a recomputed index this close to the stored one reproduces it


class Recomputed(NamedTuple):
    steps: list[Step]
    kept: int  # steps with an index the record does not reproduce: kept as the file has it


def overstride_for(step: Step, leg_length_m: float | None) -> float:
    """The step's overstride index recomputed from its record, for `leg_length_m` (None: none given)."""
    window_s = step.stride_length_m / step.speed_mps if step.speed_mps > 0 else math.nan
    return overstride(step.strike_angle_deg, step.foot_velocity_at_ic_mps, step.braking_mps2,
                      stride_cadence_spm(window_s), step.speed_mps, leg_length_m).index


def _reproduced(step: Step, leg_lengths_m: Sequence[float | None]) -> bool:
    return any(abs(overstride_for(step, leg) - step.overstride_index) <= SAME_INDEX for leg in leg_lengths_m)


def with_leg_length(steps: Sequence[Step], leg_length_m: float | None, file_leg_length_m: float | None
                    ) -> Recomputed:
    """`steps` with the overstride index for `leg_length_m`; `file_leg_length_m` is the one the file says its
    index used (None: none, or the file does not say)."""
    if leg_length_m == file_leg_length_m:
        return Recomputed(list(steps), 0)  # made for this leg length (or none, for a runner without one)
    candidates = (leg_length_m, file_leg_length_m, None)
    out, kept = [], 0
    for step in steps:
        if not math.isfinite(step.overstride_index):
            out.append(step)
        elif _reproduced(step, candidates):
            out.append(dataclasses.replace(step, overstride_index=overstride_for(step, leg_length_m)))
        else:
            out.append(step)
            kept += 1
    return Recomputed(out, kept)
