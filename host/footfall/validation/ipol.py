"""ipol-walking: step counts and cadence against the labelled footsteps of 13 subjects (Voisard et al. 2023).

Every trial in GaitData counts: `S-T.json` with its `S-T_lf.txt` and `S-T_rf.txt` (S = subject, T = trial, the
dataset's own naming); a trial missing a foot file is skipped and said in the notes; more subjects count too.

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
from footfall.errors import InputError
from footfall.validation.matching import match_pairs
from footfall.validation.result import DatasetResult, Metric, Row

NAME = "ipol-walking"
MATCH_S = 0.25  # a detection this close to a labelled IC of the same foot is that contact


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


def count_steps(
    labels_s: np.ndarray, detected_s: np.ndarray, lo_s: float, hi_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The labelled and the detected ICs of one foot that count for the trial [lo_s, hi_s].

    `TrialBoundaries` run from the first labelled toe-off to the last labelled IC, so the last labelled IC
    sits exactly on the upper bound and a detection of that same contact a few samples later would fall
    outside a plain time window. Detections are therefore matched one-to-one to the labels (within
    `MATCH_S`, the same contact of the same foot: its next contact is >= 0.8 s away in walking): a matched
    detection counts when its label is inside the trial, an unmatched one when it lies inside the trial
    itself. Returns (labelled ICs in the trial, the counted detections' own times, the times that place
    them in the trial: the label's for a matched detection, its own otherwise)."""
    labels_s, detected_s = np.sort(labels_s), np.sort(detected_s)
    where = detected_s.copy()
    for r, d in match_pairs(labels_s, detected_s, MATCH_S):
        where[d] = labels_s[r]
    inside = lambda t: (t >= lo_s) & (t <= hi_s)  # noqa: E731
    return labels_s[inside(labels_s)], detected_s[inside(where)], where[inside(where)]


FEET = (("lf", "LeftFootEvents"), ("rf", "RightFootEvents"))


def foot_file(json_path: Path, foot: str) -> Path:
    """A trial's foot file, named after its JSON (`S-T.json` -> `S-T_lf.txt`)."""
    return json_path.with_name(f"{json_path.stem}_{foot}.txt")


def subject_of(json_path: Path) -> int:
    """The subject number from the file name `S-T.json` (in this copy the JSON's Subject field always agrees)."""
    return int(json_path.stem.split("-")[0])


def _jsons(data_dir: Path) -> list[Path]:
    """Every `S-T.json` (numbers, the dataset's naming) in GaitData, sorted."""
    return sorted(p for p in (Path(data_dir) / NAME / "GaitData").glob("*-*.json")
                  if all(part.isdigit() for part in p.stem.split("-", 1)))


def find_trials(data_dir: Path) -> tuple[list[Path], list[str]]:
    """The JSON of every trial whose two foot files are there, and a note for each trial left out."""
    folder = Path(data_dir) / NAME / "GaitData"
    found, skipped = [], []
    for path in _jsons(data_dir):
        missing = [foot_file(path, foot).name for foot, _ in FEET if not foot_file(path, foot).is_file()]
        if missing:
            skipped.append(f"{path.stem} skipped: no {', '.join(missing)}")
        else:
            found.append(path)
    if not found:
        raise InputError(f"no complete ipol trial in {folder}", hint="a trial is S-T.json with S-T_lf.txt and S-T_rf.txt")
    return found, skipped


def subjects_in(data_dir: Path) -> int:
    """How many subjects the folder has a trial JSON of, complete or not."""
    return len({subject_of(p) for p in _jsons(data_dir)})


def _trial(json_path: Path, gyro: bool = True) -> Row:
    meta = json.loads(json_path.read_text())
    ref: list[np.ndarray] = []
    det: list[np.ndarray] = []
    det_placed: list[np.ndarray] = []
    rate = 100.0
    for foot, key in FEET:
        rate, counter, acc, gyr = load_foot(foot_file(json_path, foot))
        gyr = gyr if gyro else np.full_like(gyr, np.nan)  # the accelerometer-only path on the same data
        blocks = blocks_from_arrays(acc, gyr, rate, foot, foot[0].upper(), 128, counter)
        steps, _ = analyse_blocks(blocks, AnalysisParams())
        labels = np.array([e[1] for e in meta[key]], float) / rate
        lo, hi = (b / rate for b in meta["TrialBoundaries"])
        r, d, placed = count_steps(labels, np.array([s.ic_time_s for s in steps]), lo, hi)
        ref.append(r)
        det.append(d)
        det_placed.append(placed)
    turn_lo, turn_hi = (b / rate for b in meta["UTurnBoundaries"])
    straight = [int(np.sum((x < turn_lo) | (x > turn_hi))) for x in ref + det_placed]
    return {
        "steps_ref_straight": straight[0] + straight[1],
        "steps_detected_straight": straight[2] + straight[3],
        "trial": json_path.stem,
        "subject": subject_of(json_path),
        "steps_ref": sum(len(r) for r in ref),
        "steps_detected": sum(len(d) for d in det),
        "cadence_ref_spm": _cadence_spm(ref),
        "cadence_detected_spm": _cadence_spm(det),
    }


def _total(rows: list[Row], key: str) -> int:
    return sum(int(r[key]) for r in rows)


def _per_subject(rows: list[Row]) -> list[Row]:
    out: list[Row] = []
    for subject in sorted({int(r["subject"]) for r in rows}):
        mine = [r for r in rows if r["subject"] == subject]
        ref, det = _total(mine, "steps_ref"), _total(mine, "steps_detected")
        ref_s, det_s = _total(mine, "steps_ref_straight"), _total(mine, "steps_detected_straight")
        cad_err = [100 * (float(r["cadence_detected_spm"]) / float(r["cadence_ref_spm"]) - 1) for r in mine]
        out.append({
            "subject": subject, "step_error_pct": 100.0 * (det - ref) / ref,
            "straight_step_error_pct": 100.0 * (det_s - ref_s) / ref_s,
            "uturn_steps_labelled": ref - ref_s, "uturn_steps_detected": det - det_s,
            "cadence_error_pct": float(np.nanmean(cad_err)),
        })  # fmt: skip
    return out


def validate(data_dir: Path) -> DatasetResult:
    paths, skipped = find_trials(data_dir)
    rows = [_trial(p) for p in paths]
    subjects = _per_subject(rows)
    acc_rows = [_trial(p, gyro=False) for p in paths]
    acc_ref, acc_det = _total(acc_rows, "steps_ref"), _total(acc_rows, "steps_detected")
    acc_subjects = _per_subject(acc_rows)
    acc_worst = lambda key: max(abs(float(s[key])) for s in acc_subjects)  # noqa: E731
    worst = lambda key: float(np.nanmax(np.abs(np.array([s[key] for s in subjects], float))))  # noqa: E731
    trial_cad = np.array([abs(float(r["cadence_detected_spm"]) / float(r["cadence_ref_spm"]) - 1) * 100 for r in rows])
    total_ref, total_det = _total(rows, "steps_ref"), _total(rows, "steps_detected")
    straight_ref, straight_det = _total(rows, "steps_ref_straight"), _total(rows, "steps_detected_straight")
    metrics = (
        # the 2 % count target is bounded where a step is unambiguous (straight walking) and on the total;
        # inside the U-turn the labels count pivots of the same kind for some subjects and not for others
        # (docs/validation.md), so the whole-trial figure per subject is reported, not bounded
        Metric("subject_straight_step_count_error_max_pct", worst("straight_step_error_pct"), "%", 2.0),
        Metric("step_count_error_total_pct", 100.0 * (total_det - total_ref) / total_ref, "%", 2.0, magnitude=True),
        Metric("subject_step_count_error_max_pct", worst("step_error_pct"), "%", guard=6.0),
        Metric("subject_cadence_error_max_pct", worst("cadence_error_pct"), "%", 2.0),
        Metric("trial_cadence_error_median_pct", float(np.nanmedian(trial_cad)), "%"),
        Metric("trial_cadence_error_max_pct", float(np.nanmax(trial_cad)), "%"),
        Metric("straight_walking_step_error_pct", 100.0 * (straight_det - straight_ref) / straight_ref, "%"),
        Metric("steps_detected_total", float(total_det), "count"),
        Metric("steps_labelled_total", float(total_ref), "count"),
        Metric("uturn_steps_detected", float(total_det - straight_det), "count"),
        Metric("uturn_steps_labelled", float(total_ref - straight_ref), "count"),
        # every subject with a JSON in the folder read (13 here): fails when one's every trial lacks a foot file
        Metric("subjects", float(len(subjects)), "count", higher_is_better=True, guard=float(subjects_in(data_dir))),
        Metric("trials", float(len(rows)), "count"),
        # the accelerometer-only path misses some steps (the last ones of a walk above all), said so in the
        # analyser's warning: reported, guarded where it stands
        Metric("acc_only_step_count_error_total_pct", 100.0 * (acc_det - acc_ref) / acc_ref, "%",
               guard=2.0, guard_low=-8.0),
        Metric("acc_only_subject_step_count_error_max_pct", acc_worst("step_error_pct"), "%", guard=12.0),
        Metric("acc_only_subject_cadence_error_max_pct", acc_worst("cadence_error_pct"), "%", guard=3.0),
    )
    notes = (
        "labels are algorithmic and hand-checked; sensor frame unknown: alignment found by the analyser",
        f"detections matched to labelled ICs within {MATCH_S} s; straight = outside UTurnBoundaries",
        "acc_only_*: the same recordings with the gyroscope removed (accelerometer-only path)",
        *skipped,
    )
    return DatasetResult(NAME, metrics, notes, tuple(subjects))
