"""gaitmap-walking: IC / TO against mocap for 57 strides, from the raw (unaligned) sensor frame."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.validation import gaitmap

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def data(gaitmap_data: Path) -> Path:
    return gaitmap_data


def _strides(data: Path) -> int:
    """The mocap strides of the example (57: 28 left, 29 right), counted here from the events file's rows."""
    with (data / gaitmap.NAME / "stride_events_sample.csv").open(newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def test_gaitmap_ic_to_against_mocap(data: Path) -> None:
    """Every mocap stride found with no false step, IC / TO (the push-off release; the fastest plantar flexion
    alone: 12 ms early), the gyroscope-free path, and against the mocap stances (pre_ic..tc) and heel
    trajectories: contact time 5.1 ms (IC late and TO early by a few ms), stride length 2.7 % per stride
    (consecutive strides trade a little length where our mid-stance and mocap's minimum velocity differ), 1.7 %
    on the worst foot's median stride. The bounds are the metrics' own (footfall.validation.gaitmap)."""
    result = gaitmap.validate(data)
    print(result.table())
    assert not result.failures()
    assert result.passed


def test_loader_reads_both_feet(data: Path, data_with: Callable[[str], Path]) -> None:
    data_with(f"{gaitmap.NAME}/imu_sample.csv")  # the rotated sample, which validate does not read
    imu = gaitmap.load_imu(data / gaitmap.NAME / "imu_sample.csv")
    ev = gaitmap.load_events(data / gaitmap.NAME / "stride_events_sample.csv")
    assert set(imu) == {"left", "right"} and imu["left"][0].shape[1] == 3
    assert len(ev["left"]["ic"]) + len(ev["right"]["ic"]) == _strides(data)


@pytest.mark.parametrize("up, down", [(1, 2), (4, 1)], ids=["102Hz", "819Hz"])
def test_contacts_hold_at_other_sample_rates(data: Path, up: int, down: int) -> None:
    """The same recording resampled to half and four times its 204.8 Hz: every stride found, IC and TO
    median |error| within 10 ms of mocap."""
    import numpy as np
    from scipy.signal import resample_poly

    from footfall.analysis.params import AnalysisParams
    from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
    from footfall.validation.matching import match_events

    imu = gaitmap.load_imu(data / gaitmap.NAME / "imu_sample_not_rotated.csv")
    ref = gaitmap.load_events(data / gaitmap.NAME / "stride_events_sample.csv")
    rate_hz, ic_err, to_err, found = gaitmap.RATE_HZ * up / down, [], [], 0
    for side in ("left", "right"):
        acc, gyr = (resample_poly(x, up, down, axis=0) for x in imu[side])
        steps, _ = analyse_blocks(blocks_from_arrays(acc, gyr, rate_hz, side, side[0].upper(), 256), AnalysisParams())
        m = match_events(ref[side]["ic"], np.array([s.ic_time_s for s in steps]), 0.1)
        to = np.array([s.to_time_s for s in steps])
        ic_err += m.errors_s
        to_err += match_events(ref[side]["tc"], to[np.isfinite(to)], 0.1).errors_s
        found += m.matched
    ic_ms, to_ms = (float(np.median(np.abs(e))) * 1000 for e in (ic_err, to_err))
    print(f"{rate_hz:.0f} Hz: {found} strides, IC {ic_ms:.1f} ms, TO {to_ms:.1f} ms")
    assert found == _strides(data) and ic_ms <= 10.0 and to_ms <= 10.0
