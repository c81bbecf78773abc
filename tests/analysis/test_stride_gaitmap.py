"""gaitmap-walking: stride length through the product's analyser against the mocap heel trajectory
(real data; a sensor on the lateral side of the shoe, walking; gaitmap example data from Küderle et al.'s
SensorPositionComparison 2019 study, MIT part of mad-lab-fau/gaitmap, see its PROVENANCE.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.validation import gaitmap

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def data(gaitmap_data: Path) -> Path:
    return gaitmap_data


def _mocap_strides(folder: Path) -> dict[str, dict[int, float]]:
    """{side: {s_id: horizontal heel displacement from the first to the last sample of the stride (m)}}."""
    first: dict[tuple[str, int], np.ndarray] = {}
    last: dict[tuple[str, int], np.ndarray] = {}
    with (folder / "position_sample.csv").open() as f:
        for row in csv.DictReader(f):
            key = (row[""].split("_")[0], int(row["s_id"]))
            xy = np.array([float(row["pos_x"]), float(row["pos_y"])])
            first.setdefault(key, xy)
            last[key] = xy
    out: dict[str, dict[int, float]] = {"left": {}, "right": {}}
    for (side, sid), xy in last.items():
        out[side][sid] = float(np.hypot(*(xy - first[(side, sid)])))
    return out


def test_walking_stride_length_against_the_heel_trajectory(data: Path) -> None:
    folder = data / "gaitmap-walking"
    imu = gaitmap.load_imu(folder / "imu_sample_not_rotated.csv")  # as mounted: the product auto-aligns
    ref = _mocap_strides(folder)
    events = list(csv.DictReader((folder / "stride_events_sample.csv").open()))
    errors = []
    for side, (acc, gyr) in imu.items():
        steps, _ = analyse_blocks(blocks_from_arrays(acc, gyr, gaitmap.RATE_HZ, side, side[0].upper()), AnalysisParams())
        for e in (e for e in events if e["foot"] == side):
            ic_s = float(e["ic"]) / gaitmap.RATE_HZ
            near = [s for s in steps if abs(s.ic_time_s - ic_s) < 0.05 and np.isfinite(s.stride_length_m)]
            if near:
                errors.append(100.0 * (near[0].stride_length_m / ref[side][int(e["s_id"])] - 1.0))
    err = np.array(errors)
    print(f"{len(err)} of {len(events)} strides: stride length error median {np.median(err):+.2f} %, median "
          f"|error| {np.median(np.abs(err)):.2f} %, p95 |error| {np.quantile(np.abs(err), 0.95):.2f} %")
    assert len(err) >= len(events) - 7  # 50 of the 57 here
    figure = gaitmap.validate(data)["stride_length_error_median_pct"]  # the same figure, and its bound
    print(figure.row())
    assert figure.passed and abs(figure.value - np.median(np.abs(err))) < 0.01
    assert abs(np.median(err)) <= 3.0  # the signed median (not a `footfall validate` figure)
