"""Cadence in steps per minute: per step, one foot or both, and a session's. (The rolling cadence of the live
view is the median over a foot's last steps: footfall.live.state.)

One sensor sees every second step: its cadence is 2 x 60 / stride time (steps = 2 x strides). With a sensor on
each foot the step time (this foot's IC minus the other foot's previous IC) gives 60 / step time directly, and
the two feet's steps are counted together.
"""

from __future__ import annotations

import math

import numpy as np

from footfall.samples import FloatArray


def stride_cadence_spm(stride_time_s: float) -> float:
    """One foot: two steps per stride."""
    return 120.0 / stride_time_s if stride_time_s > 0 else math.nan


def step_cadence_spm(step_time_s: float, stride_time_s: float) -> float:
    """Two feet: 60 / step time, when the step is a plausible share (25-75 %) of this foot's stride."""
    if math.isfinite(stride_time_s) and 0.25 * stride_time_s <= step_time_s <= 0.75 * stride_time_s:
        return 60.0 / step_time_s
    return math.nan


def session_cadence_spm(stride_time_s: FloatArray) -> float:
    """Steps per minute of a session = 120 / mean stride time (every foot's strides; one stride = two steps), over
    the strides within 25 % of the median (a missed step would double one stride)."""
    stride = np.asarray(stride_time_s, float)
    stride = stride[np.isfinite(stride)]
    if not stride.size:
        return math.nan
    ok = np.abs(stride / np.median(stride) - 1.0) < 0.25
    return float(120.0 / np.mean(stride[ok]))
