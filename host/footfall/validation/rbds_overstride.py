"""The overstride index and its components against an outside reference: rbds-running-mocap (n = 1 runner).

The index (analysis/overstride.py) was validated only on the virtual runner, whose overstride is our own model.
RBDS (Fukuchi et al. 2017, PeerJ 5:e3298, CC BY 4.0) also holds the pelvis markers and the treadmill's
anterior-posterior force, so per force contact we take what the cited papers measure:

- how far the foot lands ahead of the body: the horizontal (forward, lab +X) distance of the Heel.Bottom marker
  ahead of the pelvis centre (the mean of the two ASIS and two PSIS markers) at the force IC, the quantity
  Lieberman et al. (2015) relate to the braking force (PROVENANCE.md: "heel position relative to the pelvis
  markers"); the MT midpoint's distance is kept too (this runner lands on the forefoot);
- the braking impulse: the integral of the negative AP force over the contact, and the peak braking force.
  Fx is the force on the runner, + forward (as Fy, + up, is): negative in the first part of every contact,
  positive in push-off. Low-passed at 50 Hz, as the contacts are. Normalised by the body mass of RBDSinfo.txt
  (N s/kg, i.e. the forward speed the body loses; peak in body weights); the ranks need no mass.

The laces point's own forward velocity relative to the belt (from the same markers as the virtual IMU) gives
foot_velocity_at_ic_mps and braking_mps2 a direct reference at the force IC, and the same at our own IC: the
difference between the two is what our IC's timing costs, the rest is our integration.

Ours: the same steps as footfall.validation.rbds runs them (the virtual laces IMU, both feet as one session,
the known mounting; each step paired with its force contact within 100 ms): overstride_index,
foot_velocity_at_ic_mps, braking_mps2 (the foot's own deceleration over the 40 ms after our IC),
strike_angle_deg and cadence_spm (the cadence deficit's input: a higher cadence lowers the deficit). Per foot:
Spearman's rho between each of ours and each reference quantity, with n.

One runner at one speed: this tests whether the components follow the reference from step to step within a
runner, not whether the index ranks runners. Nothing here is a target; docs/validation.md reads the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from footfall.analysis.params import AnalysisParams
from footfall.analysis.stride import StrideParams
from footfall.errors import InputError
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray
from footfall.validation import rbds
from footfall.validation.matching import abs_median
from footfall.validation.rbds_imu import (FORCE_RATE_HZ, MARKER_RATE_HZ, ForceContact, Trial, VirtualImu,
                                          assign_contacts, incomplete_trials, load, lowpass, read_table,
                                          require_scored, require_trials)
from footfall.validation.result import DatasetResult, Metric, Row, finite_column

OURS = ("overstride_index", "foot_velocity_at_ic_mps", "braking_mps2", "strike_angle_deg", "cadence_spm")
REFERENCE = ("heel_ahead_m", "braking_impulse_ns", "peak_braking_n")
PELVIS = ("R.ASIS", "L.ASIS", "R.PSIS", "L.PSIS")
MARKER_CUTOFF_HZ = 20.0  # as the virtual IMU's markers
FORCE_CUTOFF_HZ = 50.0  # as the force contacts


@dataclass(frozen=True)
class Recording:
    """What the reference needs of one trial: forward marker positions and the AP force."""

    marker_time_s: FloatArray
    pelvis_x_m: FloatArray  # centre of ASIS/PSIS, forward
    heel_x_m: dict[str, FloatArray]  # per foot: Heel.Bottom, forward
    forefoot_x_m: dict[str, FloatArray]  # per foot: the MT1/MT5 midpoint, forward
    force_time_s: FloatArray
    fx_n: FloatArray  # AP force on the runner, + forward
    body_mass_kg: float  # NaN when RBDSinfo.txt does not give it


@dataclass(frozen=True)
class Landing:
    """The reference at one force contact."""

    heel_ahead_m: float
    forefoot_ahead_m: float
    braking_impulse_ns: float  # integral of min(Fx, 0) over the contact, as a positive number
    peak_braking_n: float  # the largest backward force, positive


def _forward_m(table: dict[str, FloatArray], marker: str) -> FloatArray:
    """One marker's forward position (m), low-passed; samples the camera lost (RBDS001's L.ASIS misses one) are
    interpolated first, as the filter would spread a NaN over the whole trial."""
    x = np.asarray(table[f"{marker}X"], float)
    seen = np.isfinite(x)
    if not seen.all():
        x = np.interp(np.arange(len(x)), np.flatnonzero(seen), x[seen])
    return lowpass(x, MARKER_RATE_HZ, MARKER_CUTOFF_HZ) / 1000.0


def body_mass_kg(trial: Trial) -> float:
    """The subject's mass from RBDSinfo.txt (column Mass, kg); NaN without it."""
    info = trial.folder / "RBDSinfo.txt"
    if not info.is_file():
        return float("nan")
    with info.open() as f:
        names = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(names, line.rstrip("\n").split("\t"))) for line in f]
    row = next((r for r in rows if r.get("FileName") == f"{trial.name}markers.txt"), {})
    try:
        return float(row.get("Mass", "nan"))
    except ValueError:
        return float("nan")


def read_recording(trial: Trial) -> Recording:
    markers = read_table(trial.folder / f"{trial.name}markers.txt")
    forces = read_table(trial.folder / f"{trial.name}forces.txt")
    pelvis = np.mean([_forward_m(markers, m) for m in PELVIS], axis=0)
    heel = {s: _forward_m(markers, f"{s}.Heel.Bottom") for s in "LR"}
    forefoot = {s: 0.5 * (_forward_m(markers, f"{s}.MT1") + _forward_m(markers, f"{s}.MT5")) for s in "LR"}
    return Recording(np.arange(len(pelvis)) / MARKER_RATE_HZ, pelvis, heel, forefoot,
                     np.arange(len(forces["Fx"])) / FORCE_RATE_HZ,
                     lowpass(forces["Fx"], FORCE_RATE_HZ, FORCE_CUTOFF_HZ), body_mass_kg(trial))


def landing(rec: Recording, side: str, contact: ForceContact) -> Landing:
    """Foot ahead of the pelvis at the force IC; braking impulse and peak over [IC, TO]."""
    ahead = lambda x: float(np.interp(contact.ic_s, rec.marker_time_s, x - rec.pelvis_x_m))  # noqa: E731
    inside = (rec.force_time_s >= contact.ic_s) & (rec.force_time_s <= contact.to_s)
    backward = np.minimum(rec.fx_n[inside], 0.0)
    impulse = -float(np.trapezoid(backward, rec.force_time_s[inside])) if inside.sum() > 1 else float("nan")
    peak = -float(backward.min()) if inside.any() else float("nan")
    return Landing(ahead(rec.heel_x_m[side]), ahead(rec.forefoot_x_m[side]), impulse, peak)


def foot_forward_mps(imu: VirtualImu, belt_mps: float) -> FloatArray:
    """The laces point's forward velocity over the ground: the lab's plus the belt's (the belt is the ground)."""
    return np.gradient(imu.pos_m[:, 0], 1.0 / imu.rate_hz) + belt_mps


def foot_at(forward_mps: FloatArray, rate_hz: float, time_s: float) -> tuple[float, float]:
    """The foot's forward velocity at `time_s` and its mean deceleration over the analyser's braking window after
    it, as stride.py defines braking_mps2: (v(t) - v(t + window)) / window."""
    window_s = StrideParams().braking_window_s
    t = np.arange(len(forward_mps)) / rate_hz
    v0, v1 = (float(np.interp(x, t, forward_mps)) for x in (time_s, time_s + window_s))
    return v0, (v0 - v1) / window_s


def rho(ours: list[float], ref: list[float]) -> tuple[float, int]:
    """Spearman's rho over the steps where both are finite, and that n (NaN below 5 steps)."""
    a, b = np.asarray(ours, float), np.asarray(ref, float)
    ok = np.isfinite(a) & np.isfinite(b)
    n = int(ok.sum())
    if n < 5 or np.ptp(a[ok]) == 0 or np.ptp(b[ok]) == 0:
        return float("nan"), n
    return float(spearmanr(a[ok], b[ok])[0]), n


def _medians(ours: dict[str, list[float]], refs: dict[str, list[float]], mass_kg: float) -> Row:
    med = lambda v: float(np.nanmedian(v)) if np.isfinite(v).any() else float("nan")  # noqa: E731
    row: Row = {f"{k}_median": med(np.asarray(v, float)) for k, v in ours.items()}
    row.update({"heel_ahead_median_m": med(np.asarray(refs["heel_ahead_m"])),
                "forefoot_ahead_median_m": med(np.asarray(refs["forefoot_ahead_m"])),
                "braking_impulse_median_nskg": med(np.asarray(refs["braking_impulse_ns"])) / mass_kg,
                "peak_braking_median_bw": med(np.asarray(refs["peak_braking_n"])) / (mass_kg * STANDARD_GRAVITY_MPS2)})
    return row


def foot_row(side: str, pairs: list[rbds.Pair], n_refs: int, rec: Recording) -> Row:
    """One foot's medians (ours and the reference's) and every rho of ours against the reference, with n."""
    landings = [landing(rec, side, p.ref) for p in pairs]
    ours = {k: [float(getattr(p.step, k)) for p in pairs] for k in OURS}
    refs = {k: [float(getattr(x, k)) for x in landings] for k in (*REFERENCE, "forefoot_ahead_m")}
    row: Row = {"foot": side, "contacts_ref": n_refs, "paired": len(pairs), **_medians(ours, refs, rec.body_mass_kg)}
    for k in OURS:
        for r in REFERENCE:
            row[f"rho_{k}_vs_{r}"], row[f"n_{k}_vs_{r}"] = rho(ours[k], refs[r])
    row["rho_ref_heel_ahead_vs_braking_impulse"] = rho(refs["heel_ahead_m"], refs["braking_impulse_ns"])[0]
    return row


def kinematics_row(pairs: list[rbds.Pair], imu: VirtualImu, belt_mps: float) -> Row:
    """Our foot velocity at IC and braking against the laces point's own, at the force IC and at our IC."""
    forward = foot_forward_mps(imu, belt_mps)
    at_force = np.array([foot_at(forward, imu.rate_hz, p.ref.ic_s) for p in pairs]).reshape(-1, 2)
    at_ours = np.array([foot_at(forward, imu.rate_hz, p.step.ic_time_s) for p in pairs]).reshape(-1, 2)
    row: Row = {}
    for i, k in enumerate(("foot_velocity_at_ic_mps", "braking_mps2")):
        ours = np.array([float(getattr(p.step, k)) for p in pairs])
        row[f"marker_{k}_at_force_ic_median"] = float(np.median(at_force[:, i])) if len(pairs) else float("nan")
        row[f"{k}_err_vs_force_ic_median"] = float(np.nanmedian(ours - at_force[:, i])) if len(pairs) else float("nan")
        row[f"{k}_abs_err_at_our_ic_median"] = abs_median(list(ours - at_ours[:, i]))
        row[f"rho_{k}_vs_marker_at_force_ic"] = rho(list(ours), list(at_force[:, i]))[0]
    return row


def evaluate(feet: dict[str, VirtualImu], contacts: list[ForceContact], rec: Recording, params: AnalysisParams,
             trial_name: str, belt_mps: float) -> list[Row]:  # fmt: skip
    """One row per foot: our steps (rbds.session_steps / pair_steps, as the rbds validation) against `rec`."""
    by_foot = assign_contacts(contacts, feet)
    steps = rbds.session_steps(feet, params)
    rows = []
    for side, imu in feet.items():
        other = [c for foot, refs in by_foot.items() if foot != side for c in refs]
        pairs = rbds.pair_steps(steps[side], by_foot[side], imu, other)
        rows.append({"trial": trial_name, **foot_row(side, pairs, len(by_foot[side]), rec),
                     **kinematics_row(pairs, imu, belt_mps)})
    return rows


def cutoff_sensitivity(data_dir: Path, cutoffs_hz: tuple[float, ...] = (15.0, 20.0, 25.0, 30.0),
                       trial: Trial | None = None) -> list[Row]:  # fmt: skip
    """The same rows of one trial (default: the first found, RBDS001 at 2.5 m/s in the shared folder) with the
    virtual IMU rebuilt at each marker low-pass cutoff (the reference stays): how much of our figures rests on
    where our IC falls in the landing (rbds.cutoff_sensitivity moves it by ~20 ms)."""
    trial = trial or require_trials(data_dir)[0]
    rec = read_recording(trial)
    rows = []
    for cutoff in cutoffs_hz:
        feet, contacts = load(data_dir, cutoff_hz=cutoff, trial=trial)
        rows += [{"cutoff_hz": cutoff, **r}
                 for r in evaluate(feet, contacts, rec, AnalysisParams(auto_align=False), trial.name, trial.speed_mps)]
    return rows


def _lowest(rows: list[Row], key: str) -> float:
    values = finite_column(rows, key)
    return min(values) if values else float("nan")


def _largest(rows: list[Row], key: str) -> float:
    """The value of largest magnitude (its sign kept): the worst foot."""
    values = finite_column(rows, key)
    return max(values, key=abs) if values else float("nan")


def _median(rows: list[Row], key: str) -> float:
    values = finite_column(rows, key)
    return float(np.median(values)) if values else float("nan")


def metrics(rows: list[Row]) -> tuple[Metric, ...]:
    """The table's rows: the reference's and our medians (over the feet), the fewest steps a rho uses, and each rho
    at the foot where it is lowest. Reported, not targets; two guards where the figure held on both feet and
    both alignments (the foot's velocity and deceleration at IC rise with the plate's peak braking force)."""
    n_keys = [k for k in (rows[0] if rows else {}) if k.startswith("n_")]
    out = [Metric("overstride_steps_n", min((_lowest(rows, k) for k in n_keys), default=float("nan")), "count"),
           Metric("ref_heel_ahead_of_pelvis_median_m", _median(rows, "heel_ahead_median_m"), "m"),
           Metric("ref_braking_impulse_median_nskg", _median(rows, "braking_impulse_median_nskg"), "N s/kg"),
           Metric("ref_peak_braking_median_bw", _median(rows, "peak_braking_median_bw"), "BW"),
           Metric("ref_rho_heel_ahead_vs_braking_impulse", _lowest(rows, "rho_ref_heel_ahead_vs_braking_impulse"),
                  "rho"),
           Metric("overstride_index_median", _median(rows, "overstride_index_median"), "0..1")]
    guarded = {"foot_velocity_at_ic_mps_vs_peak_braking_n": 0.1, "braking_mps2_vs_peak_braking_n": 0.1}
    for k in OURS:
        for r in REFERENCE:
            name = f"{k}_vs_{r}"
            out.append(Metric(f"rho_{name}", _lowest(rows, f"rho_{name}"), "rho", guard=guarded.get(name),
                              higher_is_better=True))
    return tuple(out) + kinematics_metrics(rows)


def kinematics_metrics(rows: list[Row]) -> tuple[Metric, ...]:
    """Foot velocity at IC and braking against the laces point's own: the signed error against its value at the
    force IC (worst foot; mostly our IC's ~11 ms lateness), the median |error| against its value at our own IC
    (worst foot; our integration alone) and rho against the value at the force IC (the lower foot)."""
    out = []  # guards: our integration given our IC (0.05 m/s, 1.0 m/s2 when written), not the IC's timing
    for k, unit, guard in (("foot_velocity_at_ic_mps", "m/s", 0.1), ("braking_mps2", "m/s2", 2.0)):
        out += [Metric(f"{k}_err_vs_force_ic_median", _largest(rows, f"{k}_err_vs_force_ic_median"), unit),
                Metric(f"{k}_abs_err_at_our_ic_median", _largest(rows, f"{k}_abs_err_at_our_ic_median"), unit,
                       guard=guard),
                Metric(f"rho_{k}_vs_marker_at_force_ic", _lowest(rows, f"rho_{k}_vs_marker_at_force_ic"), "rho")]
    return tuple(out)


def validate(data_dir: Path) -> DatasetResult:
    """Every trial in the folder (here RBDS001 at 2.5 m/s), each foot of each its own row: the rhos are within a
    trial, never pooled over runners (that would rank runners, which n = 1 runner here cannot test)."""
    rows, names, skipped = [], [], [f"overstride: {line}" for line in incomplete_trials(data_dir)]
    for trial in require_trials(data_dir):
        try:
            feet, contacts = load(data_dir, trial=trial)
        except InputError as exc:  # as rbds.validate: said, and the other trials scored
            skipped.append(f"overstride: {trial.name} skipped: {exc}")
            continue
        rows += evaluate(feet, contacts, read_recording(trial), AnalysisParams(auto_align=False), trial.name,
                         trial.speed_mps)
        names.append(trial.name)
    require_scored(names, skipped)
    one = len(names) == 1
    scope = "one runner at one speed (n = 1)" if one else f"{len(names)} trials ({', '.join(names)})"
    notes = (f"overstride: {scope}: per-step agreement of the components, not the index's validity between "
             f"runners; rho_* = Spearman per foot{'' if one else ' and trial'} over overstride_steps_n or more steps, "
             f"the {'lower foot' if one else 'lowest'} shown; errors: the worst foot",
             "overstride: ref = Heel.Bottom ahead of the ASIS/PSIS centre at the force IC; braking from the AP force",
             *skipped)
    return DatasetResult("rbds-running-mocap", metrics(rows), notes, tuple(rows))
