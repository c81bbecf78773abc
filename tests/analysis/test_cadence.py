"""Cadence helpers: one foot (2 x strides), two feet (60 / step time), a session's."""

from __future__ import annotations

import math

import numpy as np

from footfall.analysis.cadence import session_cadence_spm, step_cadence_spm, stride_cadence_spm


def test_stride_and_step_cadence() -> None:
    assert stride_cadence_spm(0.75) == 160.0
    assert math.isnan(stride_cadence_spm(0.0))
    assert step_cadence_spm(0.375, 0.75) == 160.0
    assert math.isnan(step_cadence_spm(0.1, 0.75))  # not a plausible half of the stride


def test_session_cadence_ignores_nan_and_a_missed_step() -> None:
    strides = np.array([0.7, np.nan, 0.7, 0.71, 1.4])  # 1.4 s: a step the detector missed doubles one stride
    assert session_cadence_spm(strides) == 120 / np.mean([0.7, 0.7, 0.71])
    assert math.isnan(session_cadence_spm(np.array([np.nan])))
