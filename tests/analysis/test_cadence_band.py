"""One rule counts a session's cadence strides (qa18b diff, repetition): cadence.session_cadence gives the figure
and the strides it averages, and the summary's figure, its count and its "left out" reason all follow it."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from footfall.analysis.cadence import session_cadence, session_cadence_band_rows, session_cadence_rows_spm
from footfall.analysis.summary import summarise
from footfall.coaching.scripted import Gait, planned_run


def test_the_cadence_and_the_strides_it_averages() -> None:
    spm, n = session_cadence(np.array([0.7, 0.7, 0.71, 1.4, np.nan, 0.3]))  # a missed step, a split one
    assert (spm, n) == (120 / np.mean([0.7, 0.7, 0.71]), 3)
    assert math.isnan(session_cadence(np.array([np.nan]))[0]) and session_cadence(np.array([]))[1] == 0


def test_the_rows_follow_the_same_rule() -> None:
    rows = np.array([[0.7, 0.7, 0.71, 1.4], [0.6, 0.6, 0.6, 0.6]])
    spm, n = session_cadence_band_rows(rows)
    assert list(n) == [3, 4] and list(spm) == [session_cadence(r)[0] for r in rows]
    assert list(session_cadence_rows_spm(rows)) == list(spm)


def test_the_summary_counts_and_explains_what_the_cadence_left_out() -> None:
    steps = planned_run([(4.0, Gait(cadence_spm=170))], seed=1)[:10]
    odd = {3: 2.0, 4: math.nan}  # a stride of a missed step, one not measured
    steps = [replace(s, stride_time_s=odd.get(k, s.stride_time_s)) if k in odd else s for k, s in enumerate(steps)]
    spm, n = session_cadence(np.array([s.stride_time_s for s in steps]))
    summary = summarise(steps)
    assert summary.combined.figures["cadence_spm"] == pytest.approx(spm) and summary.combined.counts["cadence_spm"] == n
    short = summarise(steps[1:5])  # 2 strides in the band, 1 off it, 1 not measured
    assert short.combined.counts["cadence_spm"] == 2 and "2 of 4 strides used" in short.not_measured["cadence_spm"]
    assert "left out: " in short.not_measured["cadence_spm"] and "over 25% off the median stride 1" in \
        short.not_measured["cadence_spm"] and "not measured 1" in short.not_measured["cadence_spm"]
