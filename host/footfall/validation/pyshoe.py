"""Validation on pyshoe-vicon: cadence and stride length from the shoe IMU against Vicon foot position.

Data: ../shared/data/pyshoe-vicon (Wagstaff, Peretroukhin & Kelly 2020, IEEE Sensors J. 20(2); see its
PROVENANCE.md). A MicroStrain IMU on top of the right shoe at ~200 Hz, Vicon position of the same sensor.

Reference (independent of the IMU): Vicon stance = median-filtered foot speed below 0.4 m/s for >= 40 ms;
a stride runs from one stance mid-point to the next; its length is the horizontal distance between them.

Ours: the product's path. The streaming `Analyser` (footfall.analysis.pipeline: auto-alignment, contacts,
mid-stance) cuts the windows from one mid-stance to the next and calls `analyse_stride` on each.

Turns: the trials are short curving walks/jogs in a small room. Both the reference and our stride length are
the horizontal *chord* between consecutive mid-stance positions, so a turn shortens neither; the heading
change per stride is integrated (gyro yaw) and reported, not removed. Per-trial figures are medians, so the
few strides at the room's ends (sharp turns, stops) do not dominate.

Cadence: one foot only, so steps/min = 2 x strides/min (120 / median stride time), for both; ours from the
IC-to-IC stride times, the reference from stance mid-point to mid-point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.ndimage import median_filter, uniform_filter1d

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.analysis.step import Step
from footfall.analysis.stride import StrideParams
from footfall.samples import FloatArray
from footfall.validation.result import DatasetResult, Metric

JOG_DATE = "2017-11-27"  # PROVENANCE.md: the trials of this day are jogging, the others walking
MIN_VICON_STRIDES = 5  # trials with fewer strides contain little or no walking


@dataclass(frozen=True)
class Trial:
    name: str
    rate_hz: float
    acc_mps2: FloatArray  # foot frame: x toe, y left, z up
    gyr_radps: FloatArray
    pos_m: FloatArray  # Vicon, lab frame z up

    @property
    def jogging(self) -> bool:
        return self.name.startswith(JOG_DATE)


def load_trial(path: Path) -> Trial:
    from scipy.io import loadmat

    d = loadmat(str(path), squeeze_me=True)
    imu = np.asarray(d["imu"], dtype=float)
    flip = np.array([1.0, -1.0, -1.0])  # sensor frame x toe, y right, z down -> x toe, y left, z up
    rate = 1.0 / float(np.median(np.diff(d["ts"])))
    return Trial(path.stem, rate, imu[:, :3] * flip, imu[:, 3:] * flip, np.asarray(d["gt"], dtype=float))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end-exclusive) of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def vicon_strides(trial: Trial) -> tuple[FloatArray, FloatArray]:
    """Reference stance mid-point times (s) and the horizontal stride lengths (m) between consecutive ones,
    from the Vicon foot position."""
    pos = median_filter(trial.pos_m, size=(9, 1), mode="nearest")
    speed = np.linalg.norm(np.gradient(pos, axis=0), axis=1) * trial.rate_hz
    speed = uniform_filter1d(speed, 5)
    still = speed < 0.4
    # stance runs are broken by brief speed blips (marker noise, foot roll): fill gaps shorter than 150 ms
    for a, b in _runs(~still):
        if 0 < a and b < len(still) and b - a < 0.15 * trial.rate_hz:
            still[a:b] = True
    min_n = int(round(0.04 * trial.rate_hz))
    mids = np.array([(a + b - 1) / 2 for a, b in _runs(still) if b - a >= min_n])
    if len(mids) < 2:
        return np.empty(0), np.empty(0)
    idx = np.round(mids).astype(int)
    lengths = np.hypot(*(pos[idx[1:], :2] - pos[idx[:-1], :2]).T)
    return mids / trial.rate_hz, lengths


def analyse_trial(trial: Trial, params: AnalysisParams, stride_params: StrideParams | None = None) -> list[Step]:
    """The product's path: the streaming Analyser (alignment, contacts, analyse_stride per stride)."""
    blocks = blocks_from_arrays(trial.acc_mps2, trial.gyr_radps, trial.rate_hz, sensor="R", side="R")
    steps, _ = analyse_blocks(blocks, params, stride_params)
    return steps


def pair_strides(steps: list[Step], mids_s: FloatArray) -> list[tuple[Step, int]]:
    """Pair each step with the reference stride (mid-stance k to k+1) whose interval holds its IC: that
    stride ends at the mid-stance right after the IC, as our stride window does."""
    ic = np.array([s.ic_time_s for s in steps])
    k = np.searchsorted(mids_s, ic) - 1
    ok = (k >= 0) & (k < len(mids_s) - 1)
    return [(s, int(j)) for s, j, good in zip(steps, k, ok) if good]


def trial_row(trial: Trial, params: AnalysisParams) -> dict[str, object] | None:
    """Per-trial medians over paired strides; None when the trial has too few strides to compare."""
    mids, ref_len = vicon_strides(trial)
    pairs = pair_strides(analyse_trial(trial, params), mids)
    timed = [(s.stride_time_s, mids[k + 1] - mids[k]) for s, k in pairs if np.isfinite(s.stride_time_s)]
    sized = [(s.stride_length_m, ref_len[k]) for s, k in pairs if np.isfinite(s.stride_length_m)]
    if min(len(timed), len(sized), len(mids) - 1) < MIN_VICON_STRIDES:
        return None
    t, ref_t = np.median(timed, axis=0)
    length, ref_l = np.median(sized, axis=0)
    per_stride = np.abs([a / b - 1 for a, b in sized]) * 100
    return {
        "trial": trial.name, "gait": "jog" if trial.jogging else "walk",
        "strides_ref": len(mids) - 1, "strides_paired": len(sized),
        "cadence_ref_spm": 120 / ref_t, "cadence_spm": 120 / t, "cadence_err_pct": 100 * (ref_t / t - 1),
        "stride_len_ref_m": ref_l, "stride_len_m": length, "stride_len_err_pct": 100 * (length / ref_l - 1),
        "stride_len_err_per_stride_median_pct": float(np.median(per_stride)),
        "turn_strides_pct": 100.0 * sum("turn" in s.flags for s, _ in pairs) / len(pairs),
    }  # fmt: skip


def _metrics(rows: list[dict[str, object]], gait: str) -> list[Metric]:
    sel = [r for r in rows if r["gait"] == gait]
    cad = np.abs([float(r["cadence_err_pct"]) for r in sel])  # type: ignore[arg-type]
    sl = np.abs([float(r["stride_len_err_pct"]) for r in sel])  # type: ignore[arg-type]
    return [
        Metric(f"{gait}_trials", float(len(sel)), "count"),
        Metric(f"{gait}_cadence_err_max_pct", float(cad.max()), "%", 2.0),
        Metric(f"{gait}_stride_len_err_median_pct", float(np.median(sl)), "%", 3.0),
        Metric(f"{gait}_stride_len_err_max_pct", float(sl.max()), "%", 5.0),
    ]


def validate(data_dir: Path) -> DatasetResult:
    """Per-trial cadence and median stride length against Vicon, on jogging and walking trials."""
    folder = data_dir / "pyshoe-vicon" if (data_dir / "pyshoe-vicon").is_dir() else data_dir
    known = AnalysisParams(auto_align=False)  # the axes are documented: the mounting is known
    rows = [r for p in sorted((folder / "processed").glob("*.mat")) if (r := trial_row(load_trial(p), known))]
    metrics = _metrics(rows, "jog") + _metrics(rows, "walk")
    notes = (
        "stride length = horizontal chord between consecutive mid-stance positions (reference and ours), so "
        "turns are handled by measuring distance, not along-heading progress; heading change per stride is "
        "reported",
        "cadence from one foot: steps/min = 120 / median stride time",
    )
    return DatasetResult("pyshoe-vicon", tuple(metrics), notes, tuple(rows))
