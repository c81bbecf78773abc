"""Calibration from standing: the gyroscope offset removed before anything is integrated, the accelerometer checked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.calib import calibrate
from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import Analyser, analyse_blocks, blocks_from_arrays
from footfall.analysis.summary import summarise
from footfall.virtual.runner import preset, simulate

OFFSET_RADPS = np.array([0.05, -0.08, 0.03])  # 2.9, -4.6, 1.7 deg/s: an uncalibrated consumer gyroscope


def _strides(acc: np.ndarray, gyr: np.ndarray, rate_hz: float) -> np.ndarray:
    steps, _ = analyse_blocks(blocks_from_arrays(acc, gyr, rate_hz, "L", "L", 200), AnalysisParams())
    return np.array([s.stride_length_m for s in steps])


def test_an_offset_is_measured_while_standing_and_removed() -> None:
    """The virtual walker stands 3 s, then walks: with 2.9-4.6 deg/s more offset than the simulator's own,
    the estimate finds the sum and the stride lengths come out as without it."""
    foot = simulate(preset("walk", duration_s=40.0, seed=5)).feet["L"]
    n = int(12 * foot.rate_hz)
    est = calibrate(foot.acc_mps2[:n], foot.gyr_radps[:n] + OFFSET_RADPS, foot.rate_hz)
    truth = OFFSET_RADPS + np.array(preset("walk").gyro_bias_radps)
    clean = _strides(foot.acc_mps2, foot.gyr_radps, foot.rate_hz)
    offset = _strides(foot.acc_mps2, foot.gyr_radps + OFFSET_RADPS, foot.rate_hz)
    err = np.nanmax(np.abs(offset / clean - 1)) * 100
    print(f"offset {np.round(est.gyro_offset_radps, 4)} rad/s from {est.still_s:.1f} s (truth {truth}); "
          f"stride lengths within {err:.2f} % of the run without it")
    assert est.measured and np.abs(est.gyro_offset_radps - truth).max() < 0.002 and abs(est.standing_g - 1) < 0.002
    assert len(clean) > 20 and err < 0.5


def test_walking_foot_flats_are_not_standing() -> None:
    """A stream that starts walking has no second-long still stretch: no estimate, and the summary says so."""
    foot = simulate(preset("walk", duration_s=30.0, seed=5)).feet["L"]
    start = int(4 * foot.rate_hz)  # after the standing
    acc, gyr = foot.acc_mps2[start:], foot.gyr_radps[start:] + OFFSET_RADPS
    assert not calibrate(acc[: int(12 * foot.rate_hz)], gyr[: int(12 * foot.rate_hz)], foot.rate_hz).measured
    a = Analyser(AnalysisParams(), "L", "L", foot.rate_hz)
    steps = [s for b in blocks_from_arrays(acc, gyr, foot.rate_hz, "L", "L", 500) for s in a.feed(b)] + a.finish()
    notes = summarise(steps, {"L": a.report}).notes
    print(notes)
    assert any("not calibrated" in n for n in notes)


@pytest.mark.realdata
def test_real_walks_with_an_offset_keep_their_stride_lengths(shared_data: Path) -> None:
    """pyshoe walking trials that start with a second of standing, with 2.9-4.6 deg/s added to their
    calibrated gyroscope: each trial's median stride length stays within 0.3 % of the original (without the
    estimate: up to 35 %, and 5.8 % on the virtual walker)."""
    from footfall.validation import pyshoe

    moved = []
    for path in sorted((shared_data / "pyshoe-vicon" / "processed").glob("2017-11-22-11-2*.mat")):
        trial = pyshoe.load_trial(path)
        n = int(AnalysisParams().align_window_s * trial.rate_hz)
        if not calibrate(trial.acc_mps2[:n], trial.gyr_radps[:n], trial.rate_hz).measured:
            continue
        shifted = dataclasses.replace(trial, gyr_radps=trial.gyr_radps + OFFSET_RADPS)
        a, b = (pyshoe.trial_row(t, AnalysisParams()) for t in (trial, shifted))
        if a and b:
            moved.append(abs(float(b["stride_len_m"]) / float(a["stride_len_m"]) - 1) * 100)  # type: ignore[arg-type]
    print(f"{len(moved)} trials, median stride length moved by at most {max(moved):.3f} %")
    assert len(moved) >= 4 and max(moved) < 0.3


def test_an_accelerometer_reading_off_is_noted_not_corrected() -> None:
    """4 % high while standing: the note says so. The samples are not rescaled, because a zero-g offset reads
    the same at one orientation and rescaling it makes strides worse (docs/algorithms.md)."""
    foot = simulate(preset("walk", duration_s=30.0, seed=5)).feet["L"]
    a = Analyser(AnalysisParams(), "L", "L", foot.rate_hz)
    blocks = blocks_from_arrays(foot.acc_mps2 * 1.04, foot.gyr_radps, foot.rate_hz, "L", "L", 500)
    steps = [s for b in blocks for s in a.feed(b)] + a.finish()
    notes = [n for n in summarise(steps, {"L": a.report}).notes if "calibrated" in n]
    print(notes)
    assert a.report.calibration.standing_g == pytest.approx(1.04, abs=0.002)
    assert len(notes) == 1 and "1.040 g standing, 4 % off" in notes[0]
