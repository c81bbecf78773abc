"""Validation on footnet-example: contact timing in treadmill running against force-plate events, from a crude
sagittal virtual IMU built from three foot points.

Data: ../shared/data/footnet-example (Rivadulla et al. 2021, PLoS ONE 16(8):e0248608; LGPL-3.0; see its
PROVENANCE.md): one runner, 27 right and 27 left gait cycles at 200 Hz (about 180 steps/min), foot segment
points `*foot_prox/com/dist` in m as [medio-lateral, antero-posterior, vertical], and the vertical GRF at
~2000 Hz with foot-strike / toe-off events (`*grfevents`, first pair used).

The cycles are contiguous (the last frame of one and the first of the next are one frame apart: ~15 mm at
~19 mm per frame), so they are joined into one recording per foot. The virtual IMU is sagittal only: pitch of
the proximal -> distal line (relative to its median at mid-contact, so foot-flat is level), the sensor at the
segment's centre of mass, positions low-passed at 20 Hz (as for RBDS) and differentiated twice, gravity added
and rotated into the pitched frame; the gyroscope is the pitch rate about the left axis. Forward is the
direction the foot points (-AP in this lab).

What is scored: IC and TO of the product's analyser (known mounting) against the GRF events, reported only
(the three-point foot gives no impact signature, and joining the cycles leaves a small position step in each
mid-swing); the cadence against the cycle durations, bounded; the strike angle is reported (no labels).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.analysis.step import Step
from footfall.errors import InputError
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray
from footfall.validation.rbds_imu import lowpass
from footfall.validation.result import DatasetResult, Metric, Row

RATE_HZ = 200.0
CUTOFF_HZ = 20.0


@dataclass(frozen=True)
class Foot:
    side: str
    acc_mps2: FloatArray
    gyr_radps: FloatArray
    ic_s: FloatArray  # force-plate foot strikes
    to_s: FloatArray  # force-plate toe-offs
    cycle_s: FloatArray  # duration of each gait cycle


def _events(d: dict[str, np.ndarray], side: str) -> tuple[FloatArray, FloatArray, FloatArray]:
    frames = [len(c) for c in d[f"{side}foot_com"]]
    start = np.concatenate(([0], np.cumsum(frames)[:-1])) / RATE_HZ
    grf_rate = np.array([len(g) for g in d[f"{side}grf"]]) / np.array(frames) * RATE_HZ
    ev = np.array([e for e in d[f"{side}grfevents"]], dtype=float)
    return start + ev[:, 0] / grf_rate, start + ev[:, 1] / grf_rate, np.array(frames) / RATE_HZ


def virtual_foot(d: dict[str, np.ndarray], side: str) -> Foot:
    """The joined cycles of one foot as a sagittal virtual IMU (see the module docstring)."""
    prox, com, dist = (np.concatenate(list(d[f"{side}foot_{p}"])) for p in ("prox", "com", "dist"))
    fwd = np.sign(np.median((dist - prox)[:, 1]))  # the foot points along +AP or -AP
    x, z = fwd * lowpass(com[:, 1], RATE_HZ, CUTOFF_HZ), lowpass(com[:, 2], RATE_HZ, CUTOFF_HZ)
    seg = lowpass(dist - prox, RATE_HZ, CUTOFF_HZ)
    pitch = np.arctan2(seg[:, 2], fwd * seg[:, 1])
    ic, to, cycle = _events(d, side)
    t = np.arange(len(pitch)) / RATE_HZ
    mid = np.interp(0.5 * (ic + to), t, pitch)
    pitch -= np.median(mid)  # foot-flat (mid-contact) is level
    ax = np.gradient(np.gradient(x, t), t)
    az = np.gradient(np.gradient(z, t), t) + STANDARD_GRAVITY_MPS2
    c, s = np.cos(pitch), np.sin(pitch)
    acc = np.stack((ax * c + az * s, np.zeros_like(ax), -ax * s + az * c), axis=1)
    gyr = np.stack((np.zeros_like(ax), -np.gradient(pitch, t), np.zeros_like(ax)), axis=1)
    return Foot(side, acc, gyr, ic, to, cycle)


def _pair(steps: list[Step], foot: Foot) -> tuple[list[float], list[float], list[float]]:
    ic_err, to_err, strike = [], [], []
    for s in steps:
        j = int(np.argmin(np.abs(foot.ic_s - s.ic_time_s)))
        if abs(foot.ic_s[j] - s.ic_time_s) <= 0.1:
            ic_err.append(1000 * (s.ic_time_s - foot.ic_s[j]))
            to_err.append(1000 * (s.to_time_s - foot.to_s[j]))
            strike.append(s.strike_angle_deg)
    return ic_err, to_err, strike


def foot_row(foot: Foot) -> Row:
    blocks = blocks_from_arrays(foot.acc_mps2, foot.gyr_radps, RATE_HZ, foot.side, foot.side.upper())
    steps, _ = analyse_blocks(blocks, AnalysisParams(auto_align=False))
    ic_err, to_err, strike = _pair(steps, foot)
    cadence = [s.cadence_spm for s in steps if np.isfinite(s.cadence_spm)]
    return {
        "foot": foot.side, "contacts_ref": len(foot.ic_s), "steps": len(steps), "paired": len(ic_err),
        "ic_err_median_ms": float(np.median(ic_err)), "ic_abs_err_median_ms": float(np.median(np.abs(ic_err))),
        "to_err_median_ms": float(np.nanmedian(to_err)), "to_abs_err_median_ms": float(np.nanmedian(np.abs(to_err))),
        "strike_median_deg": float(np.nanmedian(strike)),
        "cadence_spm": float(np.median(cadence)), "cadence_ref_spm": float(120.0 / np.median(foot.cycle_s)),
    }  # fmt: skip


def validate(data_dir: Path) -> DatasetResult:
    from scipy.io import loadmat

    folder = data_dir / "footnet-example" if (data_dir / "footnet-example").is_dir() else data_dir
    rows = []
    for path in sorted(folder.glob("*.mat")):  # Data_example.mat here; more runners in the same layout count too
        d = loadmat(str(path), squeeze_me=True)
        if all(f"{side}labels" in d for side in "rl"):
            rows += [{"file": path.name, **foot_row(virtual_foot(d, side))} for side in "rl"]
    if not rows:
        raise InputError(f"no FootNet .mat file (with rlabels / llabels) in {folder}")
    worst = lambda key: max(abs(float(r[key])) for r in rows)  # noqa: E731
    refs = sum(int(r["contacts_ref"]) for r in rows)
    paired = sum(int(r["paired"]) for r in rows)
    metrics = (  # contact timing is reported, not bounded: the virtual IMU is too crude (see the docstring);
        # pairing within 100 ms is guarded (98 % pair: the guard allows ~2.5x the 2 % that do not)
        Metric("ic_abs_err_median_ms", worst("ic_abs_err_median_ms"), "ms"),
        Metric("to_abs_err_median_ms", worst("to_abs_err_median_ms"), "ms"),
        Metric("contacts_within_100ms_pct", 100.0 * paired / refs, "%", higher_is_better=True, guard=95.0),
        Metric("cadence_err_pct", max(100 * abs(float(r["cadence_spm"]) / float(r["cadence_ref_spm"]) - 1)
                                      for r in rows), "%", 2.0),  # fmt: skip
    )
    notes = ("crude sagittal virtual IMU from 3 foot points (prox/com/dist), 20 Hz low-pass, 200 Hz; cycles joined",)
    return DatasetResult("footnet-example", metrics, notes, tuple(rows))
