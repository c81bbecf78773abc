"""Cadence in steps per minute: per step, rolling, one foot or both.

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


def rolling_cadence_spm(ic_time_s: FloatArray, steps_per_ic: float, window_s: float = 30.0) -> FloatArray:
    """Cadence over the `window_s` ending at each IC: steps counted in the window / time they span.

    `steps_per_ic` is 2 for one foot's ICs (each stride = two steps) and 1 for both feet's ICs merged.
    Vectorised with searchsorted; NaN until the window holds at least three ICs.
    """
    t = np.sort(np.asarray(ic_time_s, float))
    first = np.searchsorted(t, t - window_s, side="left")
    count = np.arange(len(t)) - first
    span = t - t[first]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(count >= 2, 60.0 * steps_per_ic * count / span, np.nan)
    return out


def median_cadence_spm(stride_time_s: FloatArray) -> float:
    """Session cadence of one foot from its strides (median: robust to a missed step)."""
    s = np.asarray(stride_time_s, float)
    s = s[np.isfinite(s)]
    return float(120.0 / np.median(s)) if s.size else math.nan
