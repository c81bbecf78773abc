"""gaitmap-walking: IC, TO, contact time and stride length against mocap for 57 walking strides of both feet
(Küderle et al. 2019 data).

Input: `imu_sample_not_rotated.csv` (the raw, mirrored lateral mounts: the analyser must find the foot frame
itself), 204.8 Hz, acc m/s^2, gyr deg/s. Reference: `stride_events_sample.csv` ic/tc columns, mocap-derived, in
IMU samples (about +-5 ms quantisation from the 100 Hz mocap). Each reference event is matched to the nearest
detected event of the same foot within 100 ms; unmatched references lower recall, unmatched detections inside
the labelled walk (from the first to the last reference stride, +-0.5 s) lower precision, except inside a gap
the labels leave (the turn: one stride per foot is not labelled); those are counted as "unlabelled".
Contact time against each mocap stance (pre_ic..tc) and stride length against the heel marker's horizontal
displacement over the mocap stride (`position_sample.csv`, mid-stance to mid-stance, as ours).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.analysis.step import Step
from footfall.errors import InputError
from footfall.validation.matching import abs_median, match_events
from footfall.validation.result import DatasetResult, Metric

NAME = "gaitmap-walking"
RATE_HZ = 204.8
FILES = ("imu_sample_not_rotated.csv", "stride_events_sample.csv", "position_sample.csv")  # what validate reads
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


def _steps(acc: np.ndarray, gyr: np.ndarray, side: str, gyro: bool = True) -> list[Step]:
    """The steps of one foot; `gyro=False`: the same recording with the gyroscope removed."""
    gyr = gyr if gyro else np.full_like(gyr, np.nan)
    return analyse_blocks(blocks_from_arrays(acc, gyr, RATE_HZ, side, side[0].upper(), 256), AnalysisParams())[0]


def _ics(steps: list[Step]) -> np.ndarray:
    return np.array([s.ic_time_s for s in steps])


def load_strides(folder: Path) -> list[dict[str, float | str]]:
    """One row per mocap stride (mid-stance to mid-stance): foot, pre_ic / tc / ic in seconds (the stance
    before the swing runs pre_ic..tc, the swing ends at ic), and the heel's horizontal displacement in m."""
    length: dict[tuple[str, int], list[tuple[float, float]]] = {}
    with (folder / "position_sample.csv").open() as f:
        for r in csv.DictReader(f):
            length.setdefault((r[""].removesuffix("_sensor"), int(r["s_id"])), []).append(
                (float(r["pos_x"]), float(r["pos_y"])))
    rows: list[dict[str, float | str]] = []
    with (folder / "stride_events_sample.csv").open() as f:
        for r in csv.DictReader(f):
            xy = length.get((r["foot"], int(r["s_id"])))
            rows.append({"foot": r["foot"], **{k: float(r[k]) / RATE_HZ for k in ("pre_ic", "tc", "ic")},
                         "length_m": float(np.hypot(*np.subtract(xy[-1], xy[0]))) if xy else float("nan")})
    return rows


def _durations_and_lengths(strides: list[dict[str, float | str]], steps: dict[str, list[Step]]) -> dict[str, float]:
    """Against mocap: contact time (the step at pre_ic against tc - pre_ic), median |error| in ms; stride length
    (the step at ic: our stride from the previous mid-stance to this one), median |error| per stride and the
    worst foot's median stride, in %."""
    contact, length, medians = [], [], []
    for foot, mine in steps.items():
        ours, theirs = [], []
        for r in (r for r in strides if r["foot"] == foot):
            before, after = _nearest(mine, float(r["pre_ic"])), _nearest(mine, float(r["ic"]))
            if before is not None:
                contact.append(before.contact_time_ms - 1000 * (float(r["tc"]) - float(r["pre_ic"])))
            if after is not None:
                ours.append(after.stride_length_m)
                theirs.append(float(r["length_m"]))
        length += list(100 * (np.array(ours) / np.array(theirs) - 1))
        medians.append(100 * (np.nanmedian(ours) / np.nanmedian(theirs) - 1))
    return {"contact": abs_median(contact), "length": abs_median(length), "median": float(np.max(np.abs(medians)))}


def _nearest(steps: list[Step], ic_s: float) -> Step | None:
    s = min(steps, key=lambda x: abs(x.ic_time_s - ic_s), default=None)
    return s if s is not None and abs(s.ic_time_s - ic_s) <= _MATCH_S else None


def _in_unlabelled_gap(detected: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Detections inside a gap of the reference list longer than 1.6 strides: a stride the labels leave out
    (the turn of the 2 x 20 m walk), neither a hit nor a false step."""
    ref = np.sort(reference)
    stride = np.median(np.diff(ref))
    gap_lo = ref[:-1][np.diff(ref) > 1.6 * stride]
    gap_hi = ref[1:][np.diff(ref) > 1.6 * stride]
    inside = [(detected > a + _MATCH_S) & (detected < b - _MATCH_S) for a, b in zip(gap_lo, gap_hi)]
    return np.any(inside, axis=0) if inside else np.zeros(detected.shape, bool)


def missing_files(folder: Path) -> list[str]:
    """The example files validate needs that `folder` lacks (their names are gaitmap's own: any copy keeps them)."""
    return [name for name in FILES if not (folder / name).is_file()]


def validate(data_dir: Path) -> DatasetResult:
    folder = Path(data_dir) / NAME
    if missing := missing_files(folder):
        raise InputError(f"gaitmap-walking lacks {', '.join(missing)}", hint=f"in {folder}: gaitmap's example_data")
    imu = load_imu(folder / "imu_sample_not_rotated.csv")
    ref = load_events(folder / "stride_events_sample.csv")
    ic_err, to_err, n_ref, n_hit, n_det, n_true = [], [], 0, 0, 0, 0
    steps = {side: _steps(*imu[side], side) for side in ("left", "right")}
    for side in ("left", "right"):
        ic, to = _ics(steps[side]), np.array([s.to_time_s for s in steps[side]])
        lo, hi = ref[side]["ic"].min() - 0.5, ref[side]["ic"].max() + 0.5
        m = match_events(ref[side]["ic"], ic, _MATCH_S)
        ic_err.extend(m.errors_s)
        n_ref, n_hit = n_ref + len(ref[side]["ic"]), n_hit + m.matched
        inside = (ic >= lo) & (ic <= hi) & ~_in_unlabelled_gap(ic, ref[side]["ic"])
        n_det, n_true = n_det + int(inside.sum()), n_true + m.matched
        to_err.extend(match_events(ref[side]["tc"], to[np.isfinite(to)], _MATCH_S).errors_s)
    ic_ms, to_ms = np.abs(np.array(ic_err)) * 1000, np.abs(np.array(to_err)) * 1000
    acc_only = [match_events(ref[s]["ic"], _ics(_steps(*imu[s], s, gyro=False)), _MATCH_S) for s in ("left", "right")]
    mocap = _durations_and_lengths(load_strides(folder), steps)
    acc_ms = np.abs(np.concatenate([m.errors_s for m in acc_only])) * 1000
    metrics = (
        Metric("ic_error_median_ms", float(np.median(ic_ms)), "ms", 10.0),
        Metric("ic_error_p95_ms", float(np.percentile(ic_ms, 95)), "ms", guard=20.0),
        Metric("ic_bias_ms", float(np.median(ic_err)) * 1000, "ms"),
        Metric("to_error_median_ms", float(np.median(to_ms)), "ms", 10.0),
        Metric("to_error_p95_ms", float(np.percentile(to_ms, 95)), "ms"),
        Metric("to_bias_ms", float(np.median(to_err)) * 1000, "ms", 10.0, magnitude=True),
        # against the mocap stances and heel trajectories: reported, guarded; the worst foot's median stride
        # has pyshoe's 5 % target, and is guarded at 3 %
        Metric("contact_time_error_median_ms", mocap["contact"], "ms", guard=15.0),
        Metric("stride_length_error_median_pct", mocap["length"], "%", guard=3.0),
        Metric("median_stride_length_error_pct", mocap["median"], "%", 5.0, guard=3.0),
        Metric("recall", n_hit / n_ref, "ratio", 1.0, higher_is_better=True),
        Metric("precision", n_true / max(n_det, 1), "ratio", 1.0, higher_is_better=True),
        Metric("strides_found", float(n_hit), "count", float(n_ref), higher_is_better=True),
        Metric("acc_only_ic_error_median_ms", float(np.median(acc_ms)), "ms", guard=25.0),
        Metric("acc_only_recall", sum(m.matched for m in acc_only) / n_ref, "ratio", higher_is_better=True, guard=1.0),
    )
    notes = ("raw sensor frame (imu_sample_not_rotated.csv): alignment found by the analyser",
             "acc_only_*: the same recording with the gyroscope removed (accelerometer-only path)")
    return DatasetResult(NAME, metrics, notes)
