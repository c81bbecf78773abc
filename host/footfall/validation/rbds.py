"""Validation on rbds-running-mocap: a virtual laces IMU (rbds_imu.py) through the product's analyser,
against the treadmill force plate (IC, TO), the shoe markers (strike angle) and the belt (stride length).

Every running trial in the folder (rbds_imu.find_trials: here RBDS001, labelled Forefoot on both feet, at
2.5 m/s for 30 s; other subjects and speeds of the dataset are picked up the same way) (Fukuchi et al. 2017,
PeerJ 5:e3298, CC BY 4.0). Each detected step is paired with the same foot's force contact whose IC is nearest
(within 100 ms); unpaired steps are false steps, unpaired contacts are misses.

- IC / TO error: step time minus force time (ms); median of the absolute error is the headline figure;
- contact time and flight time: ours against the force plate's (flight: this contact's IC minus the other
  foot's last TO before it, 0 in double support), both feet analysed as one two-sensor session, as live;
- strike angle: ours at our IC minus the marker angle (Heel.Bottom -> MT midpoint) at the force IC, taken
  two ways: minus the static standing angle (Altman & Davis 2012, whose pattern thresholds assume it) and
  minus the marker angle at the contact's foot-flat (the least angular rate: our own definition, the pitch
  at IC relative to mid-stance). They differ by this runner's running foot-flat, ~1 deg below standing;
- pattern: share of steps whose rearfoot / not-rearfoot call matches the authors' label for that foot and
  speed (RBDSinfo.txt; RBDS001's Forefoot angles sit near the -1.6 deg forefoot/midfoot threshold, so
  forefoot vs midfoot is reported, not bounded), and agreement with the marker angle's own pattern;
- stride length: ours against belt speed x the force plate's stride time (this foot's IC to its previous IC;
  treadmill: the belt is the ground). Not x our own rest-to-rest time: a foot flat for 100 ms or more lets our
  rest fall anywhere in it, which changes that time, not the distance between the flat foot's two places
  (synthetic forefoot runner, rbds_synth: 6 % against 0.3 %); speed: the median of ours against the belt's.

The virtual sensor is level at foot-flat by construction, so the primary run uses the known mounting
(auto_align=False); the run with auto-alignment is reported as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import blocks_from_arrays
from footfall.analysis.session import analyse_session
from footfall.analysis.step import Pattern, Step
from footfall.analysis.strike import classify
from footfall.analysis.summary import symmetry_index_pct
from footfall.errors import InputError
from footfall.validation.matching import abs_median
from footfall.validation.rbds_imu import (ForceContact, Trial, VirtualImu, assign_contacts, incomplete_trials, load,
                                          require_scored, require_trials)
from footfall.validation.result import DatasetResult, Metric, Row, finite_column

MAX_PAIR_S = 0.1
MAX_STRIDE_S = 1.5  # longer between one foot's force ICs: a contact was not seen (running strides are 0.6-0.9 s)


@dataclass(frozen=True)
class Pair:
    step: Step
    ref: ForceContact
    ref_angle_deg: float  # marker angle at the force IC, relative to standing
    ref_flat_deg: float  # marker angle at that contact's foot-flat, relative to standing
    ref_flight_ms: float = float("nan")  # the force plate's flight time before this contact
    ref_stride_s: float = float("nan")  # force IC minus the same foot's previous force IC


def session_steps(feet: dict[str, VirtualImu], params: AnalysisParams) -> dict[str, list[Step]]:
    """Both feet through one two-sensor session (flight time needs the other foot), steps per foot."""
    streams = {side: blocks_from_arrays(imu.acc_mps2, imu.gyr_radps, imu.rate_hz, sensor=side, side=side)
               for side, imu in feet.items()}
    steps = analyse_session(streams, params)[0]
    return {side: [s for s in steps if s.sensor == side] for side in feet}


def pair_steps(steps: list[Step], refs: list[ForceContact], imu: VirtualImu,
               other: Sequence[ForceContact] = ()) -> list[Pair]:  # fmt: skip
    ic = np.array([c.ic_s for c in refs])
    t = np.arange(len(imu.foot_angle_deg)) / imu.rate_hz
    out = []
    for s in steps:
        j = int(np.argmin(np.abs(ic - s.ic_time_s)))
        if abs(ic[j] - s.ic_time_s) <= MAX_PAIR_S:
            out.append(Pair(s, refs[j], float(np.interp(ic[j], t, imu.foot_angle_deg)), _flat_deg(imu, refs[j]),
                            _flight_ms(refs[j], other), _stride_s(ic, j)))
    return out


def _stride_s(ic: np.ndarray, j: int) -> float:
    """The force plate's stride time ending at contact j of one foot; NaN for its first or after a missed one."""
    stride_s = float(ic[j] - ic[j - 1]) if j > 0 else float("nan")
    return stride_s if stride_s < MAX_STRIDE_S else float("nan")


def _flight_ms(ref: ForceContact, other: Sequence[ForceContact]) -> float:
    """The force plate's flight time before `ref`: its IC minus the other foot's last TO of a contact that began
    before it (0 when they overlap); NaN without one in the second before."""
    before = [c.to_s for c in other if c.ic_s < ref.ic_s and ref.ic_s - c.to_s < 1.0]
    return 1000 * max(0.0, ref.ic_s - max(before)) if before else float("nan")


def _flat_deg(imu: VirtualImu, ref: ForceContact) -> float:
    """The marker angle at the contact's foot-flat: its least angular rate between the force IC and TO."""
    lo, hi = int(ref.ic_s * imu.rate_hz), int(ref.to_s * imu.rate_hz)
    k = lo + int(np.argmin(np.linalg.norm(imu.gyr_radps[lo:hi], axis=1)))
    return float(imu.foot_angle_deg[k])


def _label_agree_pct(called: Sequence[Pattern], label: str | None) -> float:
    """Share of calls whose rearfoot / not-rearfoot side matches the authors' label; NaN without a label."""
    if not label or not called:
        return float("nan")
    rear = label.strip().lower() == "rearfoot"
    return 100.0 * sum((c is Pattern.REARFOOT) == rear for c in called) / len(called)


def foot_row(side: str, pairs: list[Pair], n_steps: int, n_refs: int, belt_mps: float,
             label: str | None = None) -> Row:  # fmt: skip
    ic = [1000 * (p.step.ic_time_s - p.ref.ic_s) for p in pairs]
    to = [1000 * (p.step.to_time_s - p.ref.to_s) for p in pairs]
    contact = [p.step.contact_time_ms - 1000 * (p.ref.to_s - p.ref.ic_s) for p in pairs]
    flight = [p.step.flight_time_ms - p.ref_flight_ms for p in pairs]
    angle = [p.step.strike_angle_deg - p.ref_angle_deg for p in pairs]
    vs_flat = [p.step.strike_angle_deg - (p.ref_angle_deg - p.ref_flat_deg) for p in pairs]
    called = [p.step.pattern for p in pairs if p.step.pattern is not Pattern.UNKNOWN]
    agree = [p.step.pattern is classify(p.ref_angle_deg) for p in pairs if p.step.pattern is not Pattern.UNKNOWN]
    length = [p.step.stride_length_m / (belt_mps * p.ref_stride_s) - 1 for p in pairs]
    speed_mps = float(np.nanmedian([p.step.speed_mps for p in pairs]))
    return {
        "foot": side, "label": label or "", "belt_mps": belt_mps,  # "": no label for this foot
        "contacts_ref": n_refs, "steps": n_steps, "paired": len(pairs),
        "ic_err_median_ms": float(np.median(ic)), "ic_abs_err_median_ms": abs_median(ic),
        "to_err_median_ms": float(np.nanmedian(to)), "to_abs_err_median_ms": abs_median(to),
        "contact_time_err_median_ms": float(np.nanmedian(contact)),
        "contact_time_abs_err_median_ms": abs_median(contact),
        "flight_time_err_median_ms": float(np.nanmedian(flight)), "flight_time_abs_err_median_ms": abs_median(flight),
        "contact_time_ours_median_ms": float(np.nanmedian([p.step.contact_time_ms for p in pairs])),
        "contact_time_ref_median_ms": float(np.median([1000 * (p.ref.to_s - p.ref.ic_s) for p in pairs])),
        "flight_time_ours_median_ms": float(np.nanmedian([p.step.flight_time_ms for p in pairs])),
        "flight_time_ref_median_ms": float(np.nanmedian([p.ref_flight_ms for p in pairs])),
        "strike_ours_median_deg": float(np.nanmedian([p.step.strike_angle_deg for p in pairs])),
        "strike_ref_median_deg": float(np.median([p.ref_angle_deg for p in pairs])),
        "strike_abs_err_median_deg": abs_median(angle),
        "strike_vs_flat_abs_err_median_deg": abs_median(vs_flat),
        "label_agree_pct": _label_agree_pct(called, label),
        "not_rearfoot_pct": 100.0 * sum(c is not Pattern.REARFOOT for c in called) / max(1, len(called)),
        "forefoot_pct": 100.0 * sum(c is Pattern.FOREFOOT for c in called) / max(1, len(called)),
        "pattern_agree_pct": 100.0 * sum(agree) / max(1, len(agree)),
        "stride_len_abs_err_median_pct": 100 * abs_median(length),
        "speed_median_mps": speed_mps, "speed_err_pct": 100.0 * (speed_mps / belt_mps - 1),
    }  # fmt: skip


def evaluate(feet: dict[str, VirtualImu], contacts: list[ForceContact], params: AnalysisParams,
             trial: Trial) -> list[Row]:  # fmt: skip
    """One row per foot of one trial, against its own belt speed and labels."""
    belt_mps, labels = trial.speed_mps, trial.labels()
    by_foot = assign_contacts(contacts, feet)
    steps_by_foot = session_steps(feet, params)
    rows = []
    for side, imu in feet.items():
        steps = steps_by_foot[side]
        other = [c for foot, refs in by_foot.items() if foot != side for c in refs]
        pairs = pair_steps(steps, by_foot[side], imu, other)
        row = foot_row(side, pairs, len(steps), len(by_foot[side]), belt_mps, labels.get(side))
        rows.append({"trial": trial.name, **row})
    return _with_asymmetry(rows)


def _with_asymmetry(rows: list[Row]) -> list[Row]:
    """Each row of a two-foot trial gets the trial's left/right asymmetry error (the summary's symmetry index,
    ours minus the force plate's, percentage points) for contact and flight time."""
    by_side = {r["foot"]: r for r in rows}
    if set(by_side) != {"L", "R"}:
        return rows
    left, right = by_side["L"], by_side["R"]
    errors = {}
    for name in ("contact_time", "flight_time"):
        ours = [float(r[f"{name}_ours_median_ms"]) for r in (left, right)]
        ref = [float(r[f"{name}_ref_median_ms"]) for r in (left, right)]
        errors[f"{name}_asymmetry_err_pp"] = symmetry_index_pct(*ours) - symmetry_index_pct(*ref)
    return [{**r, **errors} for r in rows]


def _worst(rows: list[Row], key: str, lowest: bool = False) -> float:
    values = finite_column(rows, key)
    return (min(values) if lowest else max(map(abs, values))) if values else float("nan")


def cutoff_sensitivity(
    data_dir: Path, cutoffs_hz: tuple[float, ...] = (15.0, 20.0, 25.0, 30.0), trial: Trial | None = None
) -> list[Row]:
    """Signed median IC / TO errors (ms, per foot) of one trial (default: the first found, RBDS001 at 2.5 m/s in
    the shared folder) with the virtual IMU rebuilt at each marker low-pass cutoff.

    How far a contact can be timed on this reference at all: the markers (150 Hz) carry no landing impact,
    and the cutoff decides where the smoothed landing's largest jerk and the pitch-rate extremes fall. If the
    IC error swings by more than the 10 ms target between equally defensible cutoffs, the target is below
    this reference's resolution (docs/validation.md)."""
    trial = trial or require_trials(data_dir)[0]
    rows: list[Row] = []
    for cutoff in cutoffs_hz:
        feet, contacts = load(data_dir, cutoff_hz=cutoff, trial=trial)
        for r in evaluate(feet, contacts, AnalysisParams(auto_align=False), trial):
            rows.append({"trial": trial.name, "cutoff_hz": cutoff, "foot": r["foot"],
                         "ic_err_median_ms": r["ic_err_median_ms"], "to_err_median_ms": r["to_err_median_ms"]})
    return rows


def validate(data_dir: Path) -> DatasetResult:
    rows, auto, trials, skipped = [], [], [], incomplete_trials(data_dir)  # an incomplete trial is said, not hidden
    for trial in require_trials(data_dir):
        try:  # a trial the loader refuses (a shoe marker lost too long) is said, and the others are scored
            feet, contacts = load(data_dir, trial=trial)
        except InputError as exc:
            skipped.append(f"{trial.name} skipped: {exc}")
            continue
        trials.append(trial)
        rows += evaluate(feet, contacts, AnalysisParams(auto_align=False), trial)
        auto += evaluate(feet, contacts, AnalysisParams(), trial)
    require_scored([t.name for t in trials], skipped)
    metrics = (
        # IC: the 10 ms target is below this reference's resolution (cutoff_sensitivity, docs/validation.md) and
        # unmet (~11.7 ms late); guarded at the state reached. Durations and asymmetry: reported, guarded
        Metric("ic_abs_err_median_ms", _worst(rows, "ic_abs_err_median_ms"), "ms", 10.0, guard=15.0),
        Metric("to_abs_err_median_ms", _worst(rows, "to_abs_err_median_ms"), "ms", 10.0),
        Metric("contact_time_abs_err_median_ms", _worst(rows, "contact_time_abs_err_median_ms"), "ms", guard=15.0),
        Metric("flight_time_abs_err_median_ms", _worst(rows, "flight_time_abs_err_median_ms"), "ms", guard=15.0),
        Metric("contact_time_asymmetry_err_pp", _worst(rows, "contact_time_asymmetry_err_pp"), "pp", guard=3.0),
        Metric("flight_time_asymmetry_err_pp", _worst(rows, "flight_time_asymmetry_err_pp"), "pp", guard=7.0),
        Metric("strike_abs_err_median_deg", _worst(rows, "strike_abs_err_median_deg"), "deg", 3.0),
        Metric("strike_vs_flat_abs_err_median_deg", _worst(rows, "strike_vs_flat_abs_err_median_deg"), "deg", 3.0),
        Metric("label_agree_pct", _worst(rows, "label_agree_pct", lowest=True), "%", 95.0, higher_is_better=True),
        Metric("not_rearfoot_pct", _worst(rows, "not_rearfoot_pct", lowest=True), "%"),
        Metric("forefoot_pct", _worst(rows, "forefoot_pct", lowest=True), "%"),
        Metric("pattern_agree_pct", _worst(rows, "pattern_agree_pct", lowest=True), "%"),
        Metric("stride_len_abs_err_median_pct", _worst(rows, "stride_len_abs_err_median_pct"), "%", 5.0),
        Metric("speed_err_pct", _worst(rows, "speed_err_pct"), "%", 5.0),
        Metric("auto_align_strike_abs_err_median_deg", _worst(auto, "strike_abs_err_median_deg"), "deg"),
        Metric("auto_align_ic_abs_err_median_ms", _worst(auto, "ic_abs_err_median_ms"), "ms"),
    )
    notes = (
        "virtual IMU from the shoe markers (footfall.validation.rbds_imu): 20 Hz low-pass, 416 Hz, laces point",
        "worst foot reported; per-foot rows hold both; auto_align_* = same run with mounting auto-alignment",
        f"trials: {', '.join(t.name for t in trials)}; label = the authors' pattern per foot (RBDSinfo.txt)",
        *skipped,
    )
    return DatasetResult("rbds-running-mocap", metrics, notes, tuple(rows + [{**r, "auto_align": True} for r in auto]))
