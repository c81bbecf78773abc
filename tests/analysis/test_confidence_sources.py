"""An unknown pattern has no confidence: every place the analysis makes one gives NaN, not 0.0 (qa18b diff,
repetition: they wrote 0.0 and Step patched it). Step still reads a 0.0 of an older file as NaN, so the analysis
runs here with that patch switched off, or it would hide a source that writes 0.0."""

from __future__ import annotations

import math

import numpy as np
import pytest

from footfall.analysis.clipping import GYR_BIT, ClipParams, withhold_clipped
from footfall.analysis.landing import LandingEvent
from footfall.analysis.measures import NOT_MEASURED, Measures
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.analysis.step import Pattern, Step
from footfall.virtual.runner import RunnerParams, simulate

FOOT = simulate(RunnerParams(duration_s=12.0, seed=3)).feet["L"]


@pytest.fixture
def raw_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Step, "__post_init__", lambda self: None)


def _unknown_confidences(acc: np.ndarray, gyr: np.ndarray, index: np.ndarray | None = None) -> list[float]:
    steps, _ = analyse_blocks(blocks_from_arrays(acc, gyr, FOOT.rate_hz, "L", "L", 500, index))
    return [s.pattern_confidence for s in steps if s.pattern is Pattern.UNKNOWN]


@pytest.mark.usefixtures("raw_steps")
def test_an_accelerometer_only_run_gives_no_confidence() -> None:
    got = _unknown_confidences(FOOT.acc_mps2, np.full_like(FOOT.gyr_radps, np.nan))
    assert len(got) > 10 and all(math.isnan(c) for c in got)


@pytest.mark.usefixtures("raw_steps")
def test_a_run_with_gaps_gives_no_confidence_where_they_spoilt_the_strike() -> None:
    n = len(FOOT.acc_mps2)
    index = np.arange(n) + 4 * (np.arange(n) // 97)  # 4 samples lost every 97: some land on a strike
    got = _unknown_confidences(FOOT.acc_mps2, FOOT.gyr_radps, index)
    assert got and all(math.isnan(c) for c in got)


def test_a_stride_whose_gyroscope_clipped_gives_no_confidence() -> None:
    m = Measures(dict(NOT_MEASURED.values), Pattern.REARFOOT, 0.9)
    flags = np.full(400, GYR_BIT, np.uint8)
    out, timing_lost = withhold_clipped(m, flags, 416.0, ClipParams())
    assert timing_lost and out.pattern is Pattern.UNKNOWN and math.isnan(out.pattern_confidence)


def test_a_landing_without_an_angle_and_the_defaults_give_no_confidence() -> None:
    landing = LandingEvent(100.0, 3.0, math.nan).landing("L", "L", 416.0, 0.7)
    assert landing.pattern is Pattern.UNKNOWN and math.isnan(landing.pattern_confidence)
    assert math.isnan(Measures({}).pattern_confidence) and math.isnan(NOT_MEASURED.pattern_confidence)
    assert LandingEvent(100.0, 3.0, 12.0).landing("L", "L", 416.0, 0.7).pattern_confidence > 0.5
