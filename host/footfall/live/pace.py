"""The pace a watch reads from the sensor alone: the runner's own factor on the sensor's cadence-based speed.

A watch paired with the sensor as a footpod reads speed from its Running Speed and Cadence service. The sensor
has no stride length of its own: it estimates speed from cadence (`cadence_speed_mps`, the same formula as
firmware/rsc.py), which fits no runner exactly (the virtual overstrider: 2.44 m/s for 3.2). A footfall
session measures the real speed of every stride (zero-velocity integration); the median ratio of that to the
cadence estimate is the runner's factor. The live session writes it to the sensor when it ends (CMD_SET_PACE,
kept in the sensor's settings), so the watch reads this runner's pace afterwards. Watches call the same number
a footpod's calibration factor. Only running strides count: a watch's footpod pace is for running, and a
walking session (whose cadence-to-speed relation differs) leaves a factor learnt from running alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from footfall.analysis.step import Step
from footfall.protocol.frames import PACE_MAX_PERMILLE, PACE_MIN_PERMILLE

MIN_STRIDES = 20  # fewer measured running strides: the factor is left as it was


def cadence_speed_mps(cadence_spm: float) -> float:
    """The sensor's speed from cadence alone (firmware/rsc.py `cadence_speed_mps`, which rounds the cadence)."""
    if cadence_spm <= 0:
        return 0.0
    return cadence_spm / 60 * max(0.3, 0.0065 * cadence_spm - 0.1)


def pace_permille(steps: Sequence[Step]) -> int | None:
    """The runner's factor in 1/1000 from one sensor's running steps, or None with fewer than MIN_STRIDES.

    The cadence is the sensor's own (120 / its stride time), as the firmware counts it, not the step's
    `cadence_spm`, which with two sensors times each step from the other foot's contact: there, a few ms of
    offset between the two sensors' clocks moved the demo's factors to 1.281 / 1.330 for one runner."""
    ratios = [s.speed_mps / cadence_speed_mps(round(120 / s.stride_time_s)) for s in steps
              if s.activity == "running" and math.isfinite(s.speed_mps) and math.isfinite(s.stride_time_s)
              and 0 < s.stride_time_s <= 2]
    if len(ratios) < MIN_STRIDES:
        return None
    return int(np.clip(round(1000 * float(np.median(ratios))), PACE_MIN_PERMILLE, PACE_MAX_PERMILLE))
