"""Synthetic RBDS-format trials with known truth, from the virtual runner's foot kinematics.

The rbds validation (rbds.py, rbds_imu.py) has one real runner: RBDS001, a forefoot runner at 2.5 m/s. Most of
the dataset's other 27 runners land heel first, at 2.5 / 3.5 / 4.5 m/s (Fukuchi et al. 2017, PeerJ 5:e3298).
This tool writes files in the same format as theirs, so that the validator can be run on a rearfoot runner at
3.5 or 4.5 m/s before anyone has those recordings:

- `RBDSnnnrunTvvmarkers.txt`: the shoe markers (Heel.Top, Heel.Bottom, Heel.Lateral, MT1, MT5) and the four
  pelvis markers, 150 Hz, mm, lab axes (+X forward, +Y up, +Z right), with white marker noise. The markers are
  points fixed on the virtual runner's rigid foot (footfall.virtual.runner_kinematics: the same pitch, roll and
  sensor-point path the virtual IMU is made of), moved back by the belt (x - belt speed x time). The markers
  carry no impact transient: the runner's impact is ringing of the sensor, not motion of the foot.
- `RBDSnnnrunTvvforces.txt`: vertical (Fy) and AP (Fx) force, 300 Hz, N, for the simulator's contacts: a
  half-sine active peak, plus an impact peak ~25 ms after IC whose size grows with the strike angle (rearfoot),
  plus white noise. Fz, COP and Ty are zero (the validator does not read them).
- `RBDSnnnstatic.txt`: 2 s of standing, foot flat (pitch 0: the static zero is the simulator's foot-flat).
- `RBDSinfo.txt`: one row per file, with Mass and the strike label per foot and speed (RFSIvv / LFSIvv) from
  the true strike angle through the Altman & Davis thresholds, as the authors labelled theirs.

The truth: the simulator's IC / TO (`truth`; the force contacts the validator derives from the Fy written here
lie within 6 ms of it) and its strike angle (the marker line's pitch, as the reference). Run it: `python -m footfall.validation.rbds_synth OUT_DIR` writes the four default cases and
prints each foot's figures from the rbds validation (docs/validation.md, "Other RBDS runners: a synthetic check").
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from footfall.analysis.params import AnalysisParams
from footfall.analysis.strike import classify
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray
from footfall.validation.rbds import evaluate
from footfall.validation.rbds_imu import FORCE_RATE_HZ, MARKER_RATE_HZ, find_trials, load
from footfall.validation.result import Row
from footfall.virtual.runner_kinematics import build_swings, foot_state
from footfall.virtual.runner_params import RunnerParams
from footfall.virtual.runner_timeline import Contacts, build_contacts, plan_steps

PELVIS = ("R.ASIS", "L.ASIS", "R.PSIS", "L.PSIS")
STATIC_S = 2.0
FOOT_HALF_WIDTH_M = 0.09  # each foot's line from the body's midline (+ left)
# Shoe markers in the foot frame (x toe, y to the foot's lateral side, z up; m from the sole under the heel,
# the virtual runner's heel pivot): back of the heel counter, its top and side, and the metatarsal heads.
SHOE_GEOMETRY_M = {"Heel.Top": (-0.03, 0.0, 0.08), "Heel.Bottom": (-0.03, 0.0, 0.03),
                   "Heel.Lateral": (0.0, 0.04, 0.04), "MT1": (0.19, -0.045, 0.03), "MT5": (0.17, 0.045, 0.025)}
PELVIS_GEOMETRY_M = {"R.ASIS": (0.08, -0.12), "L.ASIS": (0.08, 0.12), "R.PSIS": (-0.08, -0.05),
                     "L.PSIS": (-0.08, 0.05)}  # forward, left of the pelvis centre


@dataclass(frozen=True)
class SynthTrial:
    """One synthetic runner at one belt speed. cadence_spm None: a typical cadence for the speed."""

    subject: str = "RBDS901"
    speed_mps: float = 3.5
    strike_angle_deg: float = 15.0  # pitch at IC vs foot-flat, + toe up (the marker reference's angle)
    cadence_spm: float | None = None
    duration_s: float = 30.0
    marker_noise_mm: float = 0.5  # white, per coordinate; RBDS001's own is ~0.17 mm (its residual above 40 Hz)
    force_noise_n: float = 5.0
    mass_kg: float = 70.0
    seed: int = 0
    # the foot's pitch rate at IC (+ toe up), to see how IC depends on the landing; None: the simulator's own
    # (-0.15 x strike / time to foot-flat: -0.7 rad/s at +15 deg, 3.5 m/s); RBDS001's markers: ~-4 rad/s
    landing_rate_radps: float | None = None

    @property
    def name(self) -> str:
        return f"{self.subject}runT{round(10 * self.speed_mps):02d}"

    @property
    def label(self) -> str:
        return classify(self.strike_angle_deg).value.capitalize()  # "Rearfoot", as RBDSinfo.txt spells it

    def runner(self) -> RunnerParams:
        cadence = self.cadence_spm or 156.0 + 8.0 * (self.speed_mps - 2.5)  # ~156 at 2.5 m/s (RBDS001)
        return RunnerParams(cadence_spm=cadence, speed_mps=self.speed_mps, strike_angle_deg=self.strike_angle_deg,
                            duration_s=self.duration_s, seed=self.seed)  # fmt: skip


DEFAULT_CASES = (
    SynthTrial("RBDS901", 2.5, -3.0),  # the forefoot control (RBDS001's speed, cadence and pattern)
    SynthTrial("RBDS902", 3.5, 15.0),
    SynthTrial("RBDS903", 4.5, 8.0 + 1.5),  # just rearfoot: the stride-to-stride SD (1 deg) crosses 8 deg rarely
    SynthTrial("RBDS904", 4.5, 20.0),
)


def foot_contacts(trial: SynthTrial) -> dict[str, Contacts]:
    """The simulator's contacts per foot (same seeds as footfall.virtual.runner.simulate)."""
    p = trial.runner()
    steps = plan_steps(p, np.random.default_rng(p.seed))
    feet = {s: build_contacts(p, s, steps[s], np.random.default_rng([p.seed, ord(s)])) for s in "LR"}
    if trial.landing_rate_radps is not None:  # the swing is fitted to it afterwards (build_swings): still C2
        for c in feet.values():
            c.rate_ic_radps[:] = trial.landing_rate_radps
    return feet


def _rotations(pitch: FloatArray, roll: FloatArray) -> FloatArray:
    """World-from-foot rotations (n, 3, 3): pitch turns x toward z (toe up), then roll about x (as the
    simulator's foot_frame_signals)."""
    cp, sp, cr, sr = np.cos(pitch), np.sin(pitch), np.cos(roll), np.sin(roll)
    one, zero = np.ones_like(pitch), np.zeros_like(pitch)
    r_pitch = np.stack([np.stack([cp, zero, -sp], -1), np.stack([zero, one, zero], -1),
                        np.stack([sp, zero, cp], -1)], -2)  # fmt: skip
    r_roll = np.stack([np.stack([one, zero, zero], -1), np.stack([zero, cr, -sr], -1),
                       np.stack([zero, sr, cr], -1)], -2)  # fmt: skip
    return np.asarray(r_pitch @ r_roll)


def shoe_world_m(c: Contacts, side: str, time_s: FloatArray, sensor_m: tuple[float, float]) -> dict[str, FloatArray]:
    """Each shoe marker's path (n, 3) over the ground (x forward, y left, z up), from the simulator's state."""
    state, _ = foot_state(c, build_swings(c, sensor_m), time_s, sensor_m)
    rot = _rotations(state.pitch, state.roll)  # the roll is already signed per foot
    lateral = 1.0 if side == "L" else -1.0  # the left foot's lateral side is +y
    out = {}
    for name, (x, y, z) in SHOE_GEOMETRY_M.items():
        local = np.array([x - sensor_m[0], lateral * y, z - sensor_m[1]])
        out[name] = state.pos + rot @ local + np.array([0.0, lateral * FOOT_HALF_WIDTH_M, 0.0])
    return out


def run_markers(trial: SynthTrial, rng: np.random.Generator) -> dict[str, FloatArray]:
    """Every marker of the running trial in the lab (belt-moved, mm, RBDS axes), noise added."""
    p = trial.runner()
    t = np.arange(int(trial.duration_s * MARKER_RATE_HZ)) / MARKER_RATE_HZ
    feet = foot_contacts(trial)
    world = {f"{s}.{m}": v for s in "LR" for m, v in shoe_world_m(feet[s], s, t, p.sensor_offset_m).items()}
    belt = np.stack([trial.speed_mps * t, np.zeros_like(t), np.zeros_like(t)], axis=1)
    lab = {k: v - belt for k, v in world.items()}
    centre_x = float(np.median(np.concatenate([lab[f"{s}.Heel.Bottom"][:, 0] for s in "LR"])))
    bounce_m = 0.04 * np.cos(2 * np.pi * p.cadence_spm / 60.0 * t)
    for name, (dx, dy) in PELVIS_GEOMETRY_M.items():
        lab[name] = np.stack([np.full_like(t, centre_x + 0.1 + dx), np.full_like(t, dy), 1.0 + bounce_m], axis=1)
    return {k: _rbds_axes_mm(v, trial.marker_noise_mm, rng) for k, v in lab.items()}


def static_markers(trial: SynthTrial, rng: np.random.Generator) -> dict[str, FloatArray]:
    """Standing, both feet flat side by side (the zero of the strike-angle reference)."""
    n = int(STATIC_S * MARKER_RATE_HZ)
    out = {}
    for s in "LR":
        lateral = 1.0 if s == "L" else -1.0
        for name, (x, y, z) in SHOE_GEOMETRY_M.items():
            point = np.array([x, lateral * (y + FOOT_HALF_WIDTH_M), z])
            out[f"{s}.{name}"] = _rbds_axes_mm(np.tile(point, (n, 1)), trial.marker_noise_mm, rng)
    for name, (dx, dy) in PELVIS_GEOMETRY_M.items():
        out[name] = _rbds_axes_mm(np.tile([0.1 + dx, dy, 1.0], (n, 1)), trial.marker_noise_mm, rng)
    return out


def _rbds_axes_mm(xyz_m: FloatArray, noise_mm: float, rng: np.random.Generator) -> FloatArray:
    """Ours (x forward, y left, z up; m) -> RBDS lab (X forward, Y up, Z right; mm), with white noise."""
    lab = np.stack([xyz_m[:, 0], xyz_m[:, 2], -xyz_m[:, 1]], axis=1) * 1000.0
    return lab + noise_mm * rng.standard_normal(lab.shape)


def forces(trial: SynthTrial, rng: np.random.Generator) -> dict[str, FloatArray]:
    """Treadmill Fy (up) and Fx (forward) on the runner, N, both feet summed, for the simulator's contacts."""
    t = np.arange(int(trial.duration_s * FORCE_RATE_HZ)) / FORCE_RATE_HZ
    fy, fx = np.zeros_like(t), np.zeros_like(t)
    for c in foot_contacts(trial).values():
        for ic, to in zip(c.ic_s, c.to_s):
            up, forward = contact_force_bw(t - ic, to - ic, trial.speed_mps, trial.strike_angle_deg)
            fy += trial.mass_kg * STANDARD_GRAVITY_MPS2 * up
            fx += trial.mass_kg * STANDARD_GRAVITY_MPS2 * forward
    noise = trial.force_noise_n * rng.standard_normal((2, t.size))
    zero = np.zeros_like(t)
    return {"Fx": fx + noise[0], "Fy": fy + noise[1], "Fz": zero, "COPx": zero, "COPy": zero, "COPz": zero,
            "Ty": zero}


def contact_force_bw(tau_s: FloatArray, contact_s: float, speed_mps: float,
                     strike_deg: float) -> tuple[FloatArray, FloatArray]:  # fmt: skip
    """One contact's vertical and AP force in body weights at times tau_s after IC: a half-sine active peak
    (~2.6 BW at 2.5 m/s, ~2.9 at 4.5), an impact peak at 25 ms of up to 0.9 BW for a heel strike (none for a
    forefoot one), and braking then propulsion (+-0.35 BW)."""
    inside = (tau_s >= 0) & (tau_s <= contact_s)
    tau = np.where(inside, tau_s, 0.0)
    rear = float(np.clip(strike_deg / 20.0, 0.0, 1.0))
    impact = rear * 0.9 * (tau / 0.025) ** 2 * np.exp(2.0 * (1.0 - tau / 0.025))
    up = (2.2 + 0.15 * speed_mps) * np.sin(np.pi * tau / contact_s) + impact
    forward = -0.35 * np.sin(2 * np.pi * tau / contact_s)
    return np.where(inside, up, 0.0), np.where(inside, forward, 0.0)


def write_table(path: Path, columns: dict[str, FloatArray]) -> None:
    """Tab-separated with a header row and a 1-based Time column, as the RBDS text files."""
    n = len(next(iter(columns.values())))
    names, data = ["Time"], [np.arange(1, n + 1, dtype=float)]
    for name, v in columns.items():
        if v.ndim == 2:
            names += [f"{name}{a}" for a in "XYZ"]
            data += [v[:, 0], v[:, 1], v[:, 2]]
        else:
            names.append(name)
            data.append(v)
    np.savetxt(path, np.stack(data, axis=1), fmt="%.3f", delimiter="\t", header="\t".join(names), comments="")


def info_rows(trial: SynthTrial) -> list[str]:
    """Its RBDSinfo.txt rows (static, markers, forces), with this speed's label on both feet."""
    code = trial.name[-2:]
    cells = lambda file: {"Subject": trial.subject[4:], "FileName": file, "Mass": f"{trial.mass_kg:g}",  # noqa: E731
                          f"RFSI{code}": trial.label, f"LFSI{code}": trial.label}
    files = (f"{trial.subject}static.txt", f"{trial.name}markers.txt", f"{trial.name}forces.txt")
    return ["\t".join(cells(f).get(col, "") for col in INFO_COLUMNS) for f in files]


INFO_COLUMNS = ("Subject", "FileName", "Mass", "RFSI25", "RFSI35", "RFSI45", "LFSI25", "LFSI35", "LFSI45")


def write_trials(folder: Path, trials: tuple[SynthTrial, ...] = DEFAULT_CASES) -> list[Path]:
    """Write every trial's files and one RBDSinfo.txt into `folder`; the marker files written."""
    folder.mkdir(parents=True, exist_ok=True)
    rows, out = [], []
    for trial in trials:
        rng = np.random.default_rng([trial.seed, 19])
        write_table(folder / f"{trial.name}markers.txt", run_markers(trial, rng))
        write_table(folder / f"{trial.name}forces.txt", forces(trial, rng))
        write_table(folder / f"{trial.subject}static.txt", static_markers(trial, rng))
        rows += info_rows(trial)
        out.append(folder / f"{trial.name}markers.txt")
    (folder / "RBDSinfo.txt").write_text("\t".join(INFO_COLUMNS) + "\n" + "\n".join(rows) + "\n")
    return out


def truth(trial: SynthTrial) -> dict[str, tuple[FloatArray, FloatArray, FloatArray]]:
    """Per foot: the simulator's IC and TO times (s) and strike angles (deg) inside the trial."""
    out = {}
    for s, c in foot_contacts(trial).items():
        keep = (c.ic_s >= 0) & (c.to_s < trial.duration_s)
        out[s] = (c.ic_s[keep], c.to_s[keep], np.degrees(c.strike_rad[keep]))
    return out


SCORED = ("ic_err_median_ms", "to_err_median_ms", "strike_abs_err_median_deg", "label_agree_pct",
          "pattern_agree_pct", "stride_len_abs_err_median_pct")


def score(folder: Path) -> list[Row]:
    """Every trial in `folder` through the rbds validation (known mounting), one row per foot."""
    rows = []
    for trial in find_trials(folder):
        feet, contacts = load(folder, trial=trial)
        rows += evaluate(feet, contacts, AnalysisParams(auto_align=False), trial)
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m footfall.validation.rbds_synth OUT_DIR", file=sys.stderr)
        return 2
    write_trials(Path(argv[0]))
    print("trial foot " + " ".join(SCORED))
    for row in score(Path(argv[0])):
        print(row["trial"], row["foot"], " ".join(f"{float(row[k]):.1f}" for k in SCORED))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
