"""Library use, units: a gyroscope given in deg/s where rad/s are expected is said and not used (QA16 #1)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.analysis.summary import summarise
from footfall.samples import MAX_PLAUSIBLE_GYR_RADPS
from footfall.virtual.runner import preset, simulate


def _analyse(acc: np.ndarray, gyr: np.ndarray, rate_hz: float):  # type: ignore[no-untyped-def]
    steps, report = analyse_blocks(blocks_from_arrays(acc, gyr, rate_hz, "L", "L", 512))
    return steps, report, summarise(steps, {"L": report}, len(acc) / rate_hz)


def _said_deg_per_s(warnings: list[str]) -> bool:
    return any("in deg/s? multiply by pi/180" in w for w in warnings)


@pytest.mark.realdata
def test_gaitmap_gyro_in_degrees_is_said_and_not_used(shared_data: Path) -> None:
    """gaitmap walking with the gyroscope in deg/s gave 34 steps for 32, a -2 deg strike for +28 and no word."""
    from footfall.validation import gaitmap

    acc, gyr = gaitmap.load_imu(shared_data / gaitmap.NAME / "imu_sample.csv")["left"]
    good, good_report, _ = _analyse(acc, gyr, gaitmap.RATE_HZ)
    assert good_report.has_gyro and not _said_deg_per_s(good_report.warnings)
    steps, report, summary = _analyse(acc, np.degrees(gyr), gaitmap.RATE_HZ)
    assert not report.has_gyro and _said_deg_per_s(report.warnings)
    assert abs(len(steps) - len(good)) <= 2 and all("acc_only" in s.flags for s in steps)
    assert all(math.isnan(s.strike_angle_deg) and math.isnan(s.stride_length_m) for s in steps)
    assert any("deg/s" in n for n in summary.notes)


@pytest.mark.parametrize("name", ["walk", "forefoot"])
def test_virtual_runner_gyro_in_degrees_is_said_and_not_used(name: str) -> None:
    foot = simulate(preset(name, duration_s=30.0, seed=11)).feet["L"]
    assert np.percentile(np.abs(foot.gyr_radps), 99) < MAX_PLAUSIBLE_GYR_RADPS  # the threshold splits the two
    _, good, _ = _analyse(foot.acc_mps2, foot.gyr_radps, foot.rate_hz)
    assert good.has_gyro and not _said_deg_per_s(good.warnings)
    steps, report, summary = _analyse(foot.acc_mps2, np.degrees(foot.gyr_radps), foot.rate_hz)
    truth = [c for c in foot.truth.contacts if 0.3 < c.ic_s < 29.5]
    assert not report.has_gyro and _said_deg_per_s(report.warnings)
    assert abs(len(steps) - len(truth)) <= 2
    assert math.isnan(summary.combined.figures["strike_angle_deg"])


def test_step_to_dict_is_strict_json() -> None:
    """Before: json.dumps(step.to_dict()) wrote a bare NaN (not JSON: JavaScript and jq refuse it)."""
    import json

    foot = simulate(preset("forefoot", duration_s=15.0, seed=2)).feet["L"]
    steps, _, _ = _analyse(foot.acc_mps2, foot.gyr_radps, foot.rate_hz)
    first = steps[0]
    assert math.isnan(first.flight_time_ms)  # one foot: not measured, NaN on the Step itself
    d = first.to_dict()
    assert d["flight_time_ms"] is None and d["ic_time_s"] == first.ic_time_s and d["index"] == first.index
    json.dumps([s.to_dict() for s in steps], allow_nan=False)
