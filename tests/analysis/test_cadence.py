"""Cadence helpers: one foot (2 x strides), two feet (60 / step time), rolling."""

from __future__ import annotations

import math

import numpy as np

from footfall.analysis.cadence import median_cadence_spm, rolling_cadence_spm, step_cadence_spm, stride_cadence_spm


def test_stride_and_step_cadence() -> None:
    assert stride_cadence_spm(0.75) == 160.0
    assert math.isnan(stride_cadence_spm(0.0))
    assert step_cadence_spm(0.375, 0.75) == 160.0
    assert math.isnan(step_cadence_spm(0.1, 0.75))  # not a plausible half of the stride


def test_rolling_cadence_one_foot_and_two_feet() -> None:
    stride = 0.7
    one_foot = np.arange(0, 60, stride)
    r1 = rolling_cadence_spm(one_foot, steps_per_ic=2, window_s=10.0)
    assert np.isnan(r1[:2]).all()
    np.testing.assert_allclose(r1[20:], 120 / stride)
    both = np.sort(np.r_[one_foot, one_foot + stride / 2])
    np.testing.assert_allclose(rolling_cadence_spm(both, steps_per_ic=1, window_s=10.0)[40:], 120 / stride)


def test_rolling_cadence_follows_a_change() -> None:
    t = np.r_[np.arange(0, 30, 0.75), np.arange(30, 60, 0.65)]
    r = rolling_cadence_spm(t, 2, window_s=8.0)
    assert abs(r[30] - 160) < 0.5 and abs(r[-1] - 120 / 0.65) < 0.5  # t = 22.5 s: before the change


def test_median_cadence_ignores_nan() -> None:
    assert abs(median_cadence_spm(np.array([0.7, np.nan, 0.7, 0.71])) - 120 / 0.7) < 1e-9
    assert math.isnan(median_cadence_spm(np.array([np.nan])))
