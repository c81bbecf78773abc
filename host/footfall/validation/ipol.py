"""ipol-walking: step counts and cadence against the labelled footsteps of 13 subjects (Voisard et al. 2023).

Xsens sensors on both feet in an unknown sensor frame (the analyser aligns them itself), 100 Hz; protocol:
stand, walk 10 m, U-turn, walk back, stop. Labels: one [toe-off, initial-contact] pair per footstep (`end` =
IC). Only events inside `TrialBoundaries` count. Per trial: the number of ICs of both feet, and the cadence
120 / median IC-to-IC stride time of each foot, averaged over the feet (the same formula on both sides, so
the figure compares the detected events, not two cadence definitions). Per subject the counts are summed
over trials and the cadences averaged; the bound applies per subject.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.validation.result import DatasetResult, Metric

NAME = "ipol-walking"


def load_foot(path: Path) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """(rate_hz, packet counter, acc_mps2 (n,3), gyr_radps (n,3)) from one ipol foot file.

    The wireless sensors lose packets: the counter jumps (up to ~10 samples); the labels count samples on
    the counter's time base, so the counter is the sample index."""
    with path.open() as f:
        rate_hz = float(f.readline().split(":")[1].split("Hz")[0])
    data = np.loadtxt(path, skiprows=2)
    return rate_hz, data[:, 0].astype(np.int64), data[:, 1:4], data[:, 4:7]


def _cadence_spm(ics_by_foot: list[np.ndarray]) -> float:
    per_foot = [120.0 / float(np.median(np.diff(ic))) for ic in ics_by_foot if len(ic) >= 3]
    return float(np.mean(per_foot)) if per_foot else float("nan")


def _trial(json_path: Path) -> dict[str, object]:
    meta = json.loads(json_path.read_text())
    lo, hi = meta["TrialBoundaries"]
    turn_lo, turn_hi = meta["UTurnBoundaries"]
    ref, det = [], []
    for foot, key in (("lf", "LeftFootEvents"), ("rf", "RightFootEvents")):
        rate, counter, acc, gyr = load_foot(json_path.with_name(f"{meta['Filename']}_{foot}.txt"))
        blocks = blocks_from_arrays(acc, gyr, rate, foot, foot[0].upper(), 128, counter)
        steps, _ = analyse_blocks(blocks, AnalysisParams())
        ic = np.array([s.ic_time_s * rate for s in steps])
        det.append(ic[(ic >= lo) & (ic <= hi)] / rate)
        labels = np.array([e[1] for e in meta[key]], float)
        ref.append(labels[(labels >= lo) & (labels <= hi)] / rate)
    straight = [np.sum((x * rate < turn_lo) | (x * rate > turn_hi)) for x in ref + det]
    return {
        "steps_ref_straight": int(straight[0] + straight[1]),
        "steps_detected_straight": int(straight[2] + straight[3]),
        "trial": meta["Filename"],
        "subject": int(meta["Subject"]),
        "steps_ref": sum(len(r) for r in ref),
        "steps_detected": sum(len(d) for d in det),
        "cadence_ref_spm": _cadence_spm(ref),
        "cadence_detected_spm": _cadence_spm(det),
    }


def _per_subject(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    out = []
    for subject in sorted({int(r["subject"]) for r in rows}):  # type: ignore[call-overload]
        mine = [r for r in rows if r["subject"] == subject]
        ref = sum(int(r["steps_ref"]) for r in mine)  # type: ignore[call-overload]
        det = sum(int(r["steps_detected"]) for r in mine)  # type: ignore[call-overload]
        cad_err = [100 * (float(r["cadence_detected_spm"]) / float(r["cadence_ref_spm"]) - 1) for r in mine]  # type: ignore[arg-type]
        out.append({"subject": subject, "step_error_pct": 100.0 * (det - ref) / ref, "cadence_error_pct": float(np.nanmean(cad_err))})
    return out


def validate(data_dir: Path) -> DatasetResult:
    folder = Path(data_dir) / NAME / "GaitData"
    rows = [_trial(p) for p in sorted(folder.glob("*.json"))]
    subjects = _per_subject(rows)
    step_err = np.abs(np.array([s["step_error_pct"] for s in subjects], float))
    cad_err = np.abs(np.array([s["cadence_error_pct"] for s in subjects], float))
    trial_cad = np.array([abs(float(r["cadence_detected_spm"]) / float(r["cadence_ref_spm"]) - 1) * 100 for r in rows])  # type: ignore[arg-type]
    total_ref = sum(int(r["steps_ref"]) for r in rows)  # type: ignore[call-overload]
    total_det = sum(int(r["steps_detected"]) for r in rows)  # type: ignore[call-overload]
    straight_ref = sum(int(r["steps_ref_straight"]) for r in rows)  # type: ignore[call-overload]
    straight_det = sum(int(r["steps_detected_straight"]) for r in rows)  # type: ignore[call-overload]
    metrics = (
        # 2 % is the target; the differences are U-turn pivot steps (foot yaws, hardly pitches): validation.md
        Metric("subject_step_count_error_max_pct", float(step_err.max()), "%", 5.0),
        Metric("subject_cadence_error_max_pct", float(np.nanmax(cad_err)), "%", 2.0),
        Metric("trial_cadence_error_median_pct", float(np.nanmedian(trial_cad)), "%"),
        Metric("trial_cadence_error_max_pct", float(np.nanmax(trial_cad)), "%"),
        Metric("straight_walking_step_error_pct", 100.0 * (straight_det - straight_ref) / straight_ref, "%"),
        Metric("steps_detected_total", float(total_det), "count"),
        Metric("steps_labelled_total", float(total_ref), "count"),
        Metric("subjects", float(len(subjects)), "count"),
        Metric("trials", float(len(rows)), "count"),
    )
    notes = ("labels are algorithmic and hand-checked; sensor frame unknown: alignment found by the analyser",)
    return DatasetResult(NAME, metrics, notes, tuple(subjects))
