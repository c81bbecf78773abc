"""Cadence in steps per minute: per step, one foot or both, and a session's. (The rolling cadence of the live
view is the median over a foot's last steps: footfall.live.state.)

One sensor sees every second step: its cadence is 2 x 60 / stride time (steps = 2 x strides). With a sensor on
each foot the step time (this foot's IC minus the other foot's previous IC) gives 60 / step time directly, and
the two feet's steps are counted together.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from footfall.samples import FloatArray

STRIDE_BAND_FRAC = 0.25  # a session's cadence counts the strides this close to the median (a missed step doubles one)


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
    return session_cadence(stride_time_s)[0]


def session_cadence(stride_time_s: FloatArray) -> tuple[float, int]:
    """`session_cadence_spm` and how many strides it averages (the finite ones within the band): the one rule
    the summary's figure, its count and its "left out" reason follow (summary.py)."""
    stride = np.asarray(stride_time_s, float)
    stride = stride[np.isfinite(stride)]
    if not stride.size:
        return math.nan, 0
    spm, used = session_cadence_band_rows(stride[None, :])
    return float(spm[0]), int(used[0])


def session_cadence_rows_spm(stride_time_s: FloatArray) -> FloatArray:
    """`session_cadence_spm` of each row of finite stride times at once (the bootstrap's resamples: report/change.py),
    NaN for a row with no stride within the band."""
    return session_cadence_band_rows(stride_time_s)[0]


def session_cadence_band_rows(stride_time_s: FloatArray) -> tuple[FloatArray, NDArray[np.int64]]:
    """Per row of finite stride times: (120 / the mean of the strides within STRIDE_BAND_FRAC of the row's median,
    how many those are); NaN for a row with none."""
    mid = np.median(stride_time_s, axis=1, keepdims=True)
    ok = np.abs(stride_time_s / mid - 1.0) < STRIDE_BAND_FRAC
    count = ok.sum(axis=1)
    mean = np.where(count > 0, (stride_time_s * ok).sum(axis=1) / np.maximum(count, 1), np.nan)
    return np.asarray(120.0 / mean, float), np.asarray(count, np.int64)
