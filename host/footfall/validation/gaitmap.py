"""gaitmap-walking: IC and TO against mocap for 57 walking strides of both feet (Küderle et al. 2019 data).

Input: `imu_sample_not_rotated.csv` (the raw, mirrored lateral mounts: the analyser must find the foot frame
itself), 204.8 Hz, acc m/s^2, gyr deg/s. Reference: `stride_events_sample.csv` ic/tc columns, mocap-derived, in
IMU samples (about +-5 ms quantisation from the 100 Hz mocap). Each reference event is matched to the nearest
detected event of the same foot within 100 ms; unmatched references lower recall, unmatched detections inside
the labelled walk (from the first to the last reference stride, +-0.5 s) lower precision, except inside a gap
the labels leave (the turn: one stride per foot is not labelled); those are counted as "unlabelled".
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.validation.matching import match_events
from footfall.validation.result import DatasetResult, Metric

NAME = "gaitmap-walking"
RATE_HZ = 204.8
_MATCH_S = 0.1


def load_imu(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{'left'|'right': (acc_mps2 (n,3), gyr_radps (n,3))} from a gaitmap two-header-row CSV."""
    with path.open() as f:
        sensors = next(csv.reader(f))[1:]
        axes = next(csv.reader(f))[1:]
    data = np.loadtxt(path, delimiter=",", skiprows=2)[:, 1:]
    out = {}
    for side in ("left", "right"):
        col = {a: i for i, (s, a) in enumerate(zip(sensors, axes)) if s == f"{side}_sensor"}
        acc = data[:, [col[f"acc_{c}"] for c in "xyz"]]
        gyr = np.radians(data[:, [col[f"gyr_{c}"] for c in "xyz"]])
        out[side] = (acc, gyr)
    return out


def load_events(path: Path) -> dict[str, dict[str, np.ndarray]]:
    """{'left'|'right': {'ic': seconds, 'tc': seconds}} from stride_events_sample.csv."""
    rows = list(csv.DictReader(path.open()))
    return {
        side: {k: np.array([float(r[k]) for r in rows if r["foot"] == side]) / RATE_HZ for k in ("ic", "tc")}
        for side in ("left", "right")
    }


def _detect(acc: np.ndarray, gyr: np.ndarray, side: str, gyro: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """IC and TO times of one foot; `gyro=False`: the same recording with the gyroscope removed."""
    gyr = gyr if gyro else np.full_like(gyr, np.nan)
    steps, _ = analyse_blocks(blocks_from_arrays(acc, gyr, RATE_HZ, side, side[0].upper(), 256), AnalysisParams())
    return np.array([s.ic_time_s for s in steps]), np.array([s.to_time_s for s in steps])


def _in_unlabelled_gap(detected: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Detections inside a gap of the reference list longer than 1.6 strides: a stride the labels leave out
    (the turn of the 2 x 20 m walk), neither a hit nor a false step."""
    ref = np.sort(reference)
    stride = np.median(np.diff(ref))
    gap_lo = ref[:-1][np.diff(ref) > 1.6 * stride]
    gap_hi = ref[1:][np.diff(ref) > 1.6 * stride]
    inside = [(detected > a + _MATCH_S) & (detected < b - _MATCH_S) for a, b in zip(gap_lo, gap_hi)]
    return np.any(inside, axis=0) if inside else np.zeros(detected.shape, bool)


def validate(data_dir: Path) -> DatasetResult:
    folder = Path(data_dir) / NAME
    imu = load_imu(folder / "imu_sample_not_rotated.csv")
    ref = load_events(folder / "stride_events_sample.csv")
    ic_err, to_err, n_ref, n_hit, n_det, n_true = [], [], 0, 0, 0, 0
    for side in ("left", "right"):
        ic, to = _detect(*imu[side], side)
        lo, hi = ref[side]["ic"].min() - 0.5, ref[side]["ic"].max() + 0.5
        m = match_events(ref[side]["ic"], ic, _MATCH_S)
        ic_err.extend(m.errors_s)
        n_ref, n_hit = n_ref + len(ref[side]["ic"]), n_hit + m.matched
        inside = (ic >= lo) & (ic <= hi) & ~_in_unlabelled_gap(ic, ref[side]["ic"])
        n_det, n_true = n_det + int(inside.sum()), n_true + m.matched
        to_err.extend(match_events(ref[side]["tc"], to[np.isfinite(to)], _MATCH_S).errors_s)
    ic_ms, to_ms = np.abs(np.array(ic_err)) * 1000, np.abs(np.array(to_err)) * 1000
    acc_only = [match_events(ref[s]["ic"], _detect(*imu[s], s, gyro=False)[0], _MATCH_S) for s in ("left", "right")]
    acc_ms = np.abs(np.concatenate([m.errors_s for m in acc_only])) * 1000
    metrics = (
        Metric("ic_error_median_ms", float(np.median(ic_ms)), "ms", 10.0),
        Metric("ic_error_p95_ms", float(np.percentile(ic_ms, 95)), "ms"),
        Metric("ic_bias_ms", float(np.median(ic_err)) * 1000, "ms"),
        Metric("to_error_median_ms", float(np.median(to_ms)), "ms", 10.0),
        Metric("to_error_p95_ms", float(np.percentile(to_ms, 95)), "ms"),
        Metric("to_bias_ms", float(np.median(to_err)) * 1000, "ms"),
        Metric("recall", n_hit / n_ref, "ratio", 1.0, higher_is_better=True),
        Metric("precision", n_true / max(n_det, 1), "ratio", 1.0, higher_is_better=True),
        Metric("strides_found", float(n_hit), "count", float(n_ref), higher_is_better=True),
        Metric("acc_only_ic_error_median_ms", float(np.median(acc_ms)), "ms"),
        Metric("acc_only_recall", sum(m.matched for m in acc_only) / n_ref, "ratio"),
    )
    notes = ("raw sensor frame (imu_sample_not_rotated.csv): alignment found by the analyser",
             "acc_only_*: the same recording with the gyroscope removed (accelerometer-only path)")
    return DatasetResult(NAME, metrics, notes)
