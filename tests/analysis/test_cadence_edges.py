"""The edges of the cadence helpers: a step counts when it is 25-75 % of its foot's stride, and a session's
cadence uses the strides within 25 % of the median. tests/analysis/test_cadence.py sits far from both edges."""

from __future__ import annotations

import math

import numpy as np
import pytest

from footfall.analysis.cadence import session_cadence_spm, step_cadence_spm


@pytest.mark.parametrize(("step_time_s", "plausible"),
                         [(0.17, False), (0.2, True), (0.375, True), (0.55, True), (0.58, False)])
def test_step_is_plausible_between_25_and_75_percent_of_the_stride(step_time_s: float, plausible: bool) -> None:
    spm = step_cadence_spm(step_time_s, 0.75)  # shares 23 %, 27 %, 50 %, 73 %, 77 %
    assert (spm == pytest.approx(60.0 / step_time_s)) if plausible else math.isnan(spm)


@pytest.mark.parametrize(("odd_stride_s", "counted"), [(0.91, False), (0.84, True), (0.56, True), (0.5, False)])
def test_session_band_is_25_percent_of_the_median(odd_stride_s: float, counted: bool) -> None:
    strides = [0.7, 0.7, 0.7, odd_stride_s]  # +30 %, +20 %, -20 %, -29 % of the median 0.7 s
    kept = strides if counted else strides[:3]
    assert session_cadence_spm(np.array(strides)) == pytest.approx(120.0 * len(kept) / sum(kept))
