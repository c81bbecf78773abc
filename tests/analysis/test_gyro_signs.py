"""Gyroscope axis signs that disagree with the accelerometer's are found and put right (analysis/gyro_signs.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.gyro_signs import SIGN_PATTERNS, gyro_signs
from footfall.analysis.pipeline import AnalyserReport, analyse_blocks, blocks_from_arrays
from footfall.analysis.step import Step
from footfall.validation import gaitmap, pyshoe
from footfall.virtual.runner import RunnerParams, simulate

FOOT = simulate(RunnerParams(duration_s=20.0, seed=4)).feet["L"]


def _analyse(acc: np.ndarray, gyr: np.ndarray, rate_hz: float) -> tuple[list[Step], AnalyserReport]:
    return analyse_blocks(blocks_from_arrays(acc, gyr, rate_hz, "L", "L", 500))


def _stride_lengths(steps: list[Step]) -> np.ndarray:
    return np.array([s.stride_length_m for s in steps])


CLEAN_STEPS, CLEAN_REPORT = _analyse(FOOT.acc_mps2, FOOT.gyr_radps, FOOT.rate_hz)


@pytest.mark.parametrize("slip", [*[tuple(s.tolist()) for s in SIGN_PATTERNS[1:]], "mirrored"])
def test_a_sign_slip_is_undone_and_said(slip: tuple[float, ...] | str) -> None:
    """Every wrong gyroscope sign pattern, and a mirrored frame (all six axes negated), gives back the clean
    run's steps and strides, with a warning; before, strides of 2.38 m read 0.48 m without one."""
    if slip == "mirrored":
        acc, gyr = -FOOT.acc_mps2, -FOOT.gyr_radps
    else:
        acc, gyr = FOOT.acc_mps2, FOOT.gyr_radps * np.array(slip)
    steps, report = _analyse(acc, gyr, FOOT.rate_hz)
    print(f"{slip}: {report.warnings[-1][:70]}...; stride {np.nanmedian(_stride_lengths(steps)):.3f} m")
    assert any("opposite way to what the accelerometer shows" in w for w in report.warnings)
    assert [s.ic_time_s for s in steps] == pytest.approx([s.ic_time_s for s in CLEAN_STEPS], abs=1e-9)
    np.testing.assert_allclose(_stride_lengths(steps), _stride_lengths(CLEAN_STEPS), rtol=1e-6)


def test_a_clean_run_is_left_alone() -> None:
    assert CLEAN_REPORT.calibration.gyro_sign.tolist() == [1.0, 1.0, 1.0]
    assert not any("opposite way" in w for w in CLEAN_REPORT.warnings)
    assert gyro_signs(FOOT.acc_mps2[:500], FOOT.gyr_radps[:500] * -1, FOOT.rate_hz) is None  # 1.2 s: too few strides


@pytest.mark.realdata
def test_real_recordings_are_never_changed_and_a_pitch_slip_is_undone(shared_data: Path) -> None:
    """All 44 pyshoe trials and both gaitmap feet as they came: no sign is changed (the first 12 s, as the
    pipeline reads). With the pitch axis (the one gait turns about most) negated, the slip is found wherever
    the recording shows five strides in that window."""
    recordings = [(t.name, t.acc_mps2, t.gyr_radps, t.rate_hz)
                  for t in map(pyshoe.load_trial, sorted((shared_data / "pyshoe-vicon" / "processed").glob("*.mat")))]
    imu = gaitmap.load_imu(shared_data / "gaitmap-walking" / "imu_sample_not_rotated.csv")
    recordings += [(f"gaitmap {side}", acc, gyr, 204.8) for side, (acc, gyr) in imu.items()]
    found = 0
    for name, acc, gyr, rate_hz in recordings:
        n = int(12 * rate_hz)
        assert gyro_signs(acc[:n], gyr[:n], rate_hz) is None, name
        slip = gyro_signs(acc[:n], gyr[:n] * np.array([1.0, -1.0, 1.0]), rate_hz)
        assert slip is None or slip.tolist() == [1.0, -1.0, 1.0], name
        found += slip is not None
    print(f"{len(recordings)} real recordings: none changed; pitch-axis slip found in {found}")
    assert len(recordings) == 46 and found >= 36
