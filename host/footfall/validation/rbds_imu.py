"""A virtual shoe IMU built from the rbds-running-mocap shoe markers, plus the force-plate contact reference.

The RBDS dataset (Fukuchi, Fukuchi & Duarte 2017, PeerJ 5:e3298, CC BY 4.0) has no IMU: it has five markers
on each shoe (Heel.Top, Heel.Bottom, Heel.Lateral, MT1, MT5) at 150 Hz and treadmill forces at 300 Hz. This
tool turns one shoe into the signals our sensor would record on the laces:

1. markers: mm -> m, lab axes (+X forward, +Y up, +Z right) -> ours (x forward, y left, z up); low-pass
   (4th-order Butterworth, zero lag, `cutoff_hz`) and resampled to `rate_hz` with a cubic spline;
2. a rigid segment frame per sample: x from Heel.Bottom to the MT1/MT5 midpoint, z from the heel's
   bottom-to-top line made orthogonal, y = z x x (left);
3. the sensor frame is that segment frame rotated by the constant offset that makes it level (x forward and
   horizontal, z up) in the standing (static) trial, so "foot flat" reads like a well-aligned sensor;
4. the sensor point is fixed in the segment halfway between Heel.Top and the MT midpoint (the laces); its
   position is differentiated twice (central differences of the smooth spline samples), gravity is added
   and the result is rotated into the sensor frame: the accelerometer's specific force;
5. the gyroscope is the sensor frame's angular velocity in its own axes, from the relative rotation of
   neighbouring samples, log(R[k-1]^T R[k+1]) / (2 dt).

The treadmill belt moves at constant speed, an inertial frame, so accelerations and rotations are the same as
over ground; displacements relative to the belt equal belt speed x time (the stride-length reference).

Known limits: 150 Hz markers low-passed at 15-20 Hz carry no impact transient (no impact_g reference); the
foot is one rigid segment (no toe bending); marker skin/shoe wobble becomes sensor noise.

Reference contacts: vertical force (Fy) low-passed at 50 Hz, contact while above 50 N; each contact belongs to
the foot whose Heel.Bottom/MT markers are lowest at mid-contact. Reference strike angle: the sagittal angle of
the Heel.Bottom -> MT-midpoint line at the force IC minus the same angle in the static trial.

Run it: `python -m footfall.validation.rbds_imu DATA_DIR OUT.npz` writes both feet's signals and references.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.signal import butter, filtfilt
from scipy.spatial.transform import Rotation

from footfall.errors import InputError
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray

MARKER_RATE_HZ = 150.0
FORCE_RATE_HZ = 300.0
SHOE = ("Heel.Top", "Heel.Bottom", "Heel.Lateral", "MT1", "MT5")


@dataclass(frozen=True)
class VirtualImu:
    side: str
    rate_hz: float
    acc_mps2: FloatArray  # (n, 3) sensor frame: x toe, y left, z up; +9.81 on z when level and still
    gyr_radps: FloatArray  # (n, 3)
    pos_m: FloatArray  # (n, 3) sensor point, treadmill-lab frame (x forward, y left, z up)
    foot_angle_deg: FloatArray  # (n,) sagittal Heel.Bottom->MT line angle minus static: + toe up
    sole_height_m: FloatArray  # (n,) lowest of Heel.Bottom and the MT midpoint (to assign contacts)


@dataclass(frozen=True)
class ForceContact:
    ic_s: float
    to_s: float


def read_table(path: Path) -> dict[str, FloatArray]:
    """A tab-separated file with one header row -> column name to values."""
    if not path.is_file():
        raise InputError(f"missing RBDS file {path}")
    with path.open() as f:
        names = f.readline().rstrip("\n").split("\t")
    data = np.loadtxt(path, skiprows=1, ndmin=2)
    return {name: data[:, i] for i, name in enumerate(names)}


MAX_GAP_S = 0.1  # a shoe marker lost for longer is not filled (a swing's worth of motion would be invented)


def shoe_markers(table: dict[str, FloatArray], side: str) -> dict[str, FloatArray]:
    """The five shoe markers of one foot, (n, 3) in m, in our axes (x forward, y left, z up); samples the
    cameras lost (NaN) filled by `fill_gaps`."""
    out = {}
    for m in SHOE:
        x, y, z = (table[f"{side}.{m}{axis}"] for axis in "XYZ")
        out[m] = fill_gaps(np.stack((x, -z, y), axis=1) / 1000.0, f"{side}.{m}")
    return out


def fill_gaps(xyz: FloatArray, name: str) -> FloatArray:
    """Lost samples (NaN rows) bridged by a cubic spline through the seen ones, the usual mocap gap fill: the
    low-pass and the spline after it would spread one NaN over the whole trial. A gap longer than `MAX_GAP_S`
    or at either end of the trial is refused (InputError), as its motion would be invented."""
    seen = np.asarray(np.isfinite(xyz).all(axis=1), dtype=bool)
    if seen.all():
        return xyz
    if not (seen[0] and seen[-1]):
        raise InputError(f"marker {name} is lost at the trial's start or end", hint=_GAP_HINT)
    start_n, length_n = _longest_gap(seen)
    if length_n / MARKER_RATE_HZ > MAX_GAP_S:
        raise InputError(f"marker {name} is lost for {length_n / MARKER_RATE_HZ:.2f} s from "
                         f"{start_n / MARKER_RATE_HZ:.2f} s", hint=_GAP_HINT)
    filled = xyz.copy()
    filled[~seen] = CubicSpline(np.flatnonzero(seen), xyz[seen], axis=0)(np.flatnonzero(~seen))
    return filled


_GAP_HINT = f"gaps up to {MAX_GAP_S} s inside a trial are filled"


def _longest_gap(seen: np.ndarray) -> tuple[int, int]:
    """First sample and length (samples) of the longest run of lost samples."""
    lost = np.flatnonzero(~seen)
    starts = lost[np.r_[True, np.diff(lost) > 1]]
    ends = lost[np.r_[np.diff(lost) > 1, True]]
    k = int(np.argmax(ends - starts))
    return int(starts[k]), int(ends[k] - starts[k] + 1)


def lowpass(x: FloatArray, rate_hz: float, cutoff_hz: float) -> FloatArray:
    b, a = butter(4, cutoff_hz / (rate_hz / 2))
    return filtfilt(b, a, x, axis=0)


def segment_frames(m: dict[str, FloatArray]) -> tuple[FloatArray, FloatArray]:
    """Origin (Heel.Bottom) and world-from-segment rotations (n, 3, 3) of the rigid shoe."""
    origin = m["Heel.Bottom"]
    x = 0.5 * (m["MT1"] + m["MT5"]) - origin
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    up = m["Heel.Top"] - origin
    y = np.cross(up, x)
    y /= np.linalg.norm(y, axis=1, keepdims=True)
    z = np.cross(x, y)
    return origin, np.stack((x, y, z), axis=2)


def sagittal_angle_deg(m: dict[str, FloatArray]) -> FloatArray:
    """Angle of the Heel.Bottom -> MT-midpoint line above the horizontal (+ toe up)."""
    d = 0.5 * (m["MT1"] + m["MT5"]) - m["Heel.Bottom"]
    return np.degrees(np.arctan2(d[:, 2], np.hypot(d[:, 0], d[:, 1])))


def _static_offset(static: dict[str, FloatArray]) -> tuple[FloatArray, FloatArray, float]:
    """Segment-to-sensor rotation that levels the standing foot, the laces point in segment coordinates, and
    the standing sagittal angle."""
    origin, rot = segment_frames(static)
    u, _, vt = np.linalg.svd(rot.mean(axis=0))
    r_static = u @ vt
    fwd = np.array([r_static[0, 0], r_static[1, 0], 0.0])
    fwd /= np.linalg.norm(fwd)
    level = np.stack((fwd, np.cross([0.0, 0.0, 1.0], fwd), [0.0, 0.0, 1.0]), axis=1)
    laces = 0.5 * (static["Heel.Top"] + 0.5 * (static["MT1"] + static["MT5"])) - origin
    local = (np.einsum("nji,nj->ni", rot, laces)).mean(axis=0)
    return r_static.T @ level, local, float(sagittal_angle_deg(static).mean())


def _resample(m: dict[str, FloatArray], cutoff_hz: float, rate_hz: float) -> dict[str, FloatArray]:
    n = len(next(iter(m.values())))
    t_in = np.arange(n) / MARKER_RATE_HZ
    t_out = np.arange(0.0, t_in[-1], 1.0 / rate_hz)
    return {k: CubicSpline(t_in, lowpass(v, MARKER_RATE_HZ, cutoff_hz), axis=0)(t_out) for k, v in m.items()}


def build_virtual_imu(
    run: dict[str, FloatArray], static: dict[str, FloatArray], side: str, rate_hz: float = 416.0,
    cutoff_hz: float = 20.0,
) -> VirtualImu:  # fmt: skip
    """The virtual laces IMU of one foot (see the module docstring for each step)."""
    offset, local, static_angle = _static_offset(static)
    m = _resample(run, cutoff_hz, rate_hz)
    origin, seg = segment_frames(m)
    rot = seg @ offset  # world-from-sensor
    pos = origin + np.einsum("nij,j->ni", seg, local)
    dt = 1.0 / rate_hz
    acc_world = np.gradient(np.gradient(pos, dt, axis=0), dt, axis=0)
    acc_world[:, 2] += STANDARD_GRAVITY_MPS2
    acc = np.einsum("nji,nj->ni", rot, acc_world)
    rel = np.einsum("nji,njk->nik", rot[:-2], rot[2:])  # R[k-1]^T R[k+1]
    gyr = np.empty_like(acc)
    gyr[1:-1] = Rotation.from_matrix(rel).as_rotvec() / (2 * dt)
    gyr[0], gyr[-1] = gyr[1], gyr[-2]
    sole = np.minimum(m["Heel.Bottom"][:, 2], 0.5 * (m["MT1"][:, 2] + m["MT5"][:, 2]))
    return VirtualImu(side, rate_hz, acc, gyr, pos, sagittal_angle_deg(m) - static_angle, sole)


def force_contacts(forces: dict[str, FloatArray], threshold_n: float = 50.0, cutoff_hz: float = 50.0) -> list[ForceContact]:
    """Contacts from the vertical force: above `threshold_n` after a zero-lag low-pass; crossings interpolated."""
    fy = lowpass(forces["Fy"], FORCE_RATE_HZ, cutoff_hz) - threshold_n
    up = np.flatnonzero((fy[:-1] < 0) & (fy[1:] >= 0))
    down = np.flatnonzero((fy[:-1] >= 0) & (fy[1:] < 0))
    cross = lambda i: (i + fy[i] / (fy[i] - fy[i + 1])) / FORCE_RATE_HZ  # noqa: E731
    out = []
    for i in up:
        later = down[down > i]
        if len(later):
            out.append(ForceContact(float(cross(i)), float(cross(later[0]))))
    return out


def assign_contacts(contacts: list[ForceContact], feet: dict[str, VirtualImu]) -> dict[str, list[ForceContact]]:
    """Each treadmill contact belongs to the foot whose sole is lowest at mid-contact."""
    out: dict[str, list[ForceContact]] = {side: [] for side in feet}
    for c in contacts:
        heights = {s: float(np.interp(0.5 * (c.ic_s + c.to_s), np.arange(len(v.sole_height_m)) / v.rate_hz,
                                      v.sole_height_m)) for s, v in feet.items()}  # fmt: skip
        out[min(heights, key=heights.__getitem__)].append(c)
    return out


@dataclass(frozen=True)
class Trial:
    """One RBDS running trial: `RBDSnnnrunTvvmarkers.txt` with its forces and the subject's static trial."""

    folder: Path
    subject: str  # "RBDS001"
    speed_code: str  # "25" = 2.5 m/s

    @property
    def name(self) -> str:
        return f"{self.subject}runT{self.speed_code}"

    @property
    def speed_mps(self) -> float:
        return int(self.speed_code) / 10.0

    def labels(self) -> dict[str, str]:
        """The authors' strike pattern per foot at this speed ("Rearfoot", "Midfoot", "Forefoot") from
        RBDSinfo.txt (columns RFSIvv / LFSIvv); {} when the file or the row is missing."""
        info = self.folder / "RBDSinfo.txt"
        if not info.is_file():
            return {}
        with info.open() as f:
            names = f.readline().rstrip("\n").split("\t")
            rows = [dict(zip(names, line.rstrip("\n").split("\t"))) for line in f]
        row = next((r for r in rows if r.get("FileName") == f"{self.name}markers.txt"), None)
        if row is None:
            return {}
        return {s: row[f"{s}FSI{self.speed_code}"] for s in "LR" if row.get(f"{s}FSI{self.speed_code}")}


def folder_of(data_dir: Path) -> Path:
    return data_dir / "rbds-running-mocap" if (data_dir / "rbds-running-mocap").is_dir() else data_dir


def _marker_trials(data_dir: Path) -> list[Trial]:
    folder = folder_of(data_dir)
    out = []
    for markers in sorted(folder.glob("RBDS*runT*markers.txt")):
        subject, _, rest = markers.name.partition("runT")
        out.append(Trial(folder, subject, rest.removesuffix("markers.txt")))
    return out


def _missing(trial: Trial) -> list[str]:
    """The files a trial needs beside its markers that the folder lacks."""
    need = (f"{trial.name}forces.txt", f"{trial.subject}static.txt")
    return [name for name in need if not (trial.folder / name).is_file()]


def find_trials(data_dir: Path) -> list[Trial]:
    """Every running trial in the folder whose forces and static trial are there too, sorted by name (RBDS001 T25
    first when it is there)."""
    return [t for t in _marker_trials(data_dir) if not _missing(t)]


def incomplete_trials(data_dir: Path) -> list[str]:
    """What find_trials leaves out and why, one line per trial: "RBDS002runT35 skipped: no RBDS002static.txt"."""
    return [f"{t.name} skipped: no {', '.join(_missing(t))}" for t in _marker_trials(data_dir) if _missing(t)]


def require_trials(data_dir: Path) -> list[Trial]:
    """find_trials, refusing a folder without one complete trial (InputError)."""
    trials = find_trials(data_dir)
    if not trials:
        raise InputError(f"no complete RBDS running trial in {folder_of(data_dir)}", hint="a trial is "
                         "RBDSnnnrunTvvmarkers.txt with its RBDSnnnrunTvvforces.txt and RBDSnnnstatic.txt")
    return trials


def require_scored(scored: list[str], skipped: list[str]) -> None:
    """A folder whose every trial was refused has nothing to report (no NaN table): InputError with the reasons."""
    if not scored:
        raise InputError(f"no RBDS trial could be scored: {'; '.join(skipped)}", hint=_GAP_HINT)


def load(data_dir: Path, rate_hz: float = 416.0, cutoff_hz: float = 20.0,
         trial: Trial | None = None) -> tuple[dict[str, VirtualImu], list[ForceContact]]:  # fmt: skip
    """Both feet's virtual IMUs and the force contacts of one trial (default: the first found, RBDS001 at 2.5 m/s
    in the shared folder)."""
    folder = folder_of(data_dir)
    trial = trial or require_trials(data_dir)[0]
    run = read_table(folder / f"{trial.name}markers.txt")
    static = read_table(folder / f"{trial.subject}static.txt")
    feet = {s: build_virtual_imu(shoe_markers(run, s), shoe_markers(static, s), s, rate_hz, cutoff_hz) for s in "LR"}
    return feet, force_contacts(read_table(folder / f"{trial.name}forces.txt"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m footfall.validation.rbds_imu DATA_DIR OUT.npz", file=sys.stderr)
        return 2
    feet, contacts = load(Path(argv[0]))
    arrays = {f"{s}_{k}": getattr(v, k) for s, v in feet.items() for k in ("acc_mps2", "gyr_radps", "foot_angle_deg")}
    ic_to = np.array([(c.ic_s, c.to_s) for c in contacts])
    np.savez_compressed(argv[1], rate_hz=next(iter(feet.values())).rate_hz, force_ic_to_s=ic_to, **arrays)
    print(f"wrote {argv[1]}: {len(contacts)} force contacts, {len(feet['L'].acc_mps2)} samples per foot")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
