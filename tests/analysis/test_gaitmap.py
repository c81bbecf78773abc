"""gaitmap-walking: IC / TO against mocap for 57 strides, from the raw (unaligned) sensor frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.validation import gaitmap

pytestmark = pytest.mark.realdata


def test_gaitmap_ic_to_against_mocap(shared_data: Path) -> None:
    result = gaitmap.validate(shared_data)
    m = {x.name: x.value for x in result.metrics}
    print({k: round(v, 2) for k, v in m.items()})
    assert m["strides_found"] == 57  # every mocap stride found
    assert m["recall"] == 1.0 and m["precision"] == 1.0  # and no false steps
    assert m["ic_error_median_ms"] <= 10.0
    assert m["ic_error_p95_ms"] <= 20.0
    assert m["to_error_median_ms"] <= 10.0  # the push-off release; the fastest plantar flexion alone: 12 ms early
    assert abs(m["to_bias_ms"]) <= 10.0
    assert m["acc_only_recall"] == 1.0 and m["acc_only_ic_error_median_ms"] <= 25.0  # gyroscope removed
    assert result.passed


def test_loader_reads_both_feet(shared_data: Path) -> None:
    imu = gaitmap.load_imu(shared_data / gaitmap.NAME / "imu_sample.csv")
    ev = gaitmap.load_events(shared_data / gaitmap.NAME / "stride_events_sample.csv")
    assert set(imu) == {"left", "right"} and imu["left"][0].shape[1] == 3
    assert len(ev["left"]["ic"]) + len(ev["right"]["ic"]) == 57
