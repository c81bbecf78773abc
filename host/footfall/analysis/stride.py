"""Per-stride measures: strike angle and pattern, stride length, speed, landing velocity, braking, impact,
overstride. Thin glue over zupt.py (integration), strike.py (angle, pattern) and overstride.py (index).

`analyse_stride` handles one window of one foot, from a mid-stance rest (index 0 = `ms_start`) to the next
(`ms_end`), in the foot frame (x toe, y left, z up; specific force, +9.81 m/s^2 on z at rest; rad/s).
`to` is the toe-off after ms_start and `ic` the initial contact before ms_end, both indices into the window.
`analyse_strides` takes many windows of one recording at once (absolute rows) and gives bit-identical
results (each window is a row of a padded grid, zupt.integrate_grid) at a fraction of the cost per stride:
the per-call overhead of numpy is shared (see docs/algorithms.md). The pipeline measures all strides of one
detection pass this way (measures.measure_strides).

Turns: the stride length is the horizontal *distance* between the two rests (the chord), whatever the
heading; the heading change over the stride is reported separately. Forward means along that chord.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from footfall.analysis import strike
from footfall.analysis.cadence import stride_cadence_spm
from footfall.analysis.overstride import Overstride, OverstrideWeights, check_leg_length_m, overstride
from footfall.analysis.step import Pattern
from footfall.analysis.zupt import Grid, integrate_grid
from footfall.errors import AnalysisError
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray, n_samples

Window = tuple[int, int, int, int]  # ms_start, to, ic, ms_end


@dataclass(frozen=True)
class StrideParams:
    rest_window_s: float = 0.02  # samples averaged at each rest for the gravity direction
    sensor_height_m: float = 0.07  # sensor above the sole (laces): the rolling foot moves it at omega x r
    braking_window_s: float = 0.04  # braking = mean forward deceleration over this long after IC
    impact_before_s: float = 0.01  # impact peak searched from IC - this ...
    impact_after_s: float = 0.05  # ... to IC + this
    strike_sigma_deg: float = 2.0  # assumed strike-angle error (gyro) for the pattern confidence
    leg_length_m: float | None = None  # optional, for the overstride cadence norm
    min_travel_m: float = 0.2  # below this stride length "forward" is where the toe points, not the travel
    max_rest_rate_radps: float = 3.0  # mean angular rate at a window end above this: not a rest
    max_end_velocity_mps: float = 1.5  # velocity drift at the closing rest above this -> "poor_zupt"
    overstride_weights: OverstrideWeights = OverstrideWeights()

    def __post_init__(self) -> None:
        """InputError for a leg length no runner has (NaN, 0, negative, cm: overstride.check_leg_length_m): it
        used to count silently as none given. None: not known."""
        if self.leg_length_m is not None:
            check_leg_length_m(self.leg_length_m)


@dataclass(frozen=True)
class StrideMetrics:
    """One stride of one foot. NaN = not measurable (see flags)."""

    strike_angle_deg: float  # + toe up (heel first), - toe down
    pattern: Pattern
    pattern_confidence: float  # 0..1, about 0.5 on a threshold
    stride_length_m: float  # horizontal distance between the two rests
    stride_time_s: float  # rest to rest
    speed_mps: float  # stride length / stride time
    foot_velocity_at_ic_mps: float  # forward (along the stride) foot velocity at IC
    braking_mps2: float  # mean forward deceleration in braking_window_s after IC (positive = slowing)
    impact_g: float  # peak |specific force| near IC, in g (a lower bound when "saturated")
    heading_change_deg: float  # yaw between the two rests (+ = turning left)
    overstride: Overstride
    flags: tuple[str, ...] = ()

    @property
    def overstride_index(self) -> float:
        return self.overstride.index


def _check_window(n: int, w: Window) -> None:
    ms_start, to, ic, ms_end = w
    if not 0 <= ms_start < to < ic < ms_end < n:
        raise AnalysisError(f"need ms_start ({ms_start}) < to ({to}) < ic ({ic}) < ms_end ({ms_end}) < {n} samples")


def _impact_g(acc_norm: FloatArray, ic: np.ndarray, lo: np.ndarray, hi: np.ndarray, rate_hz: float,
              p: StrideParams) -> np.ndarray:  # fmt: skip
    """Peak |specific force| from impact_before_s before to impact_after_s after each IC, within its window."""
    offs = np.arange(-int(round(p.impact_before_s * rate_hz)), int(round(p.impact_after_s * rate_hz)) + 1)
    rows = np.clip(ic[:, None] + offs, lo[:, None], hi[:, None])
    return acc_norm[rows].max(axis=1) / STANDARD_GRAVITY_MPS2


def _forward(g: Grid, ic: np.ndarray, rate_hz: float, p: StrideParams) -> tuple[np.ndarray, ...]:
    """Stride length, forward velocity at IC and braking (forward deceleration just after IC) per window.
    Forward is along the stride, or where the toe points at the closing rest when the foot barely moved."""
    last = g.n - 1
    d = g.at(g.pos_m[:2], last)
    length = np.hypot(d[0], d[1])
    d = np.where(length < p.min_travel_m, g.toe(last)[:2], d)
    fwd = d / np.maximum(np.hypot(d[0], d[1]), 1e-9)
    w = np.maximum(1, np.minimum(int(round(p.braking_window_s * rate_hz)), last - ic))
    v_ic = (g.at(g.vel_mps[:2], ic) * fwd).sum(axis=0)
    v_after = (g.at(g.vel_mps[:2], ic + w) * fwd).sum(axis=0)
    return length, v_ic, (v_ic - v_after) * rate_hz / w


def _acc_only(n: int, rate_hz: float, impact: float, p: StrideParams) -> StrideMetrics:
    """Without a gyroscope: the impact and the stride time; the strike angle is not observable (strike.py)."""
    stride_time, nan = (n - 1) / rate_hz, math.nan
    os = overstride(nan, nan, nan, stride_cadence_spm(stride_time), nan, p.leg_length_m, p.overstride_weights)
    flags = ("acc_only", "strike_not_measured")
    return StrideMetrics(nan, Pattern.UNKNOWN, nan, nan, stride_time, nan, nan, nan, impact, nan, os, flags)


def _not_measured(stride_time: float, why: str) -> StrideMetrics:
    nan = math.nan
    none = Overstride(nan, nan, nan, nan, nan, nan)
    return StrideMetrics(nan, Pattern.UNKNOWN, nan, nan, stride_time, nan, nan, nan, nan, nan, none, (why,))


def _metrics(angle: float, length: float, stride_time: float, v_ic: float, braking: float, impact: float,
             heading_deg: float, flags: list[str], p: StrideParams) -> StrideMetrics:  # fmt: skip
    pattern, conf = strike.classify(angle), strike.confidence(angle, p.strike_sigma_deg)
    speed = length / stride_time
    os = overstride(angle, v_ic, braking, stride_cadence_spm(stride_time), speed, p.leg_length_m,
                    p.overstride_weights)
    return StrideMetrics(angle, pattern, conf, length, stride_time, speed, v_ic, braking, impact, heading_deg,
                         os, tuple(flags))  # fmt: skip


def _norm(x: FloatArray) -> FloatArray:
    return np.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2])


def _gyro_batch(acc: FloatArray, gyr: FloatArray, rate_hz: float, windows: list[Window], rest_n: int,
                p: StrideParams) -> list[StrideMetrics]:  # fmt: skip
    """The windows laid out as rows of a padded grid (zupt.integrate_grid): every window's results are
    bit-identical whatever other windows share the batch."""
    w = np.array(windows, dtype=np.intp).reshape(-1, 4)
    n = w[:, 3] - w[:, 0] + 1
    rows = np.minimum(w[:, :1] + np.arange(n.max()), w[:, 3:])  # (K, L): the last sample repeated as padding
    a, g = acc.T[:, rows], gyr.T[:, rows]
    grid = integrate_grid(a, g, n, rate_hz, rest_n, p.sensor_height_m)
    ic, last, k = w[:, 2] - w[:, 0], n - 1, np.arange(len(n))[:, None]
    off = k[:, 0] * a.shape[2]  # each window's first sample in the flattened grid
    impact = _impact_g(_norm(a).ravel(), ic + off, off, last + off, rate_hz, p).tolist()
    gn = _norm(g)
    no_rest = np.stack((gn[:, :rest_n].mean(axis=1), gn[k, last[:, None] - np.arange(rest_n)].mean(axis=1)),
                       axis=1) > p.max_rest_rate_radps  # fmt: skip  # the ends turn too fast to be rests
    trajectory = ~no_rest.any(axis=1)  # the zero-velocity anchors exist at both ends
    length, v_ic, braking = (np.where(trajectory, x, math.nan).tolist() for x in _forward(grid, ic, rate_hz, p))
    lift = np.concatenate((grid.lift(ic), grid.lift(last)))  # at IC, at the closing rest
    elevation = np.degrees(np.arcsin(np.clip(lift, -1.0, 1.0)))
    angle = np.where(no_rest[:, 1], math.nan, strike.gyro_strike_angle_deg(elevation, k[:, 0], k[:, 0] + len(n)))
    heading = np.degrees(grid.heading_change_rad).tolist()
    poor = (grid.end_velocity_mps > p.max_end_velocity_mps).tolist()
    stride_time, angle_l = (last / rate_hz).tolist(), angle.tolist()
    out = []
    for j, (bad_start, bad_end) in enumerate(no_rest.tolist()):
        flags = ["no_rest_start"] if bad_start else []
        flags += ["no_rest_end"] if bad_end else []
        flags += ["poor_zupt"] if poor[j] else []
        out.append(_metrics(angle_l[j], length[j], stride_time[j], v_ic[j], braking[j], impact[j], heading[j],
                            flags, p))  # fmt: skip
    return out


def _finite_windows(x: FloatArray, windows: list[Window]) -> list[bool]:
    """Whether each window's rows of x are all finite (one pass over x, not one per window)."""
    bad = np.concatenate(([0], np.cumsum(~np.isfinite(x).all(axis=1))))
    w = np.array(windows, dtype=np.intp).reshape(-1, 4)
    return (bad[w[:, 3] + 1] == bad[w[:, 0]]).tolist()


def analyse_strides(
    acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float, windows: list[Window],
    params: StrideParams = StrideParams(),
) -> list[StrideMetrics]:  # fmt: skip
    """Per-stride measures of many windows (ms_start, to, ic, ms_end as rows of acc/gyr), in order.

    Windows with a gyroscope are integrated together (zupt.integrate_strides); accelerometer-only ones (NaN
    rates) go through the fallback one by one. Each result equals analyse_stride on that window alone.
    """
    if acc_mps2.shape != gyr_radps.shape or acc_mps2.ndim != 2 or acc_mps2.shape[1] != 3:
        raise AnalysisError(f"acc {acc_mps2.shape} and gyr {gyr_radps.shape} must both be (n, 3)")
    for w in windows:
        _check_window(len(acc_mps2), w)
    rest_n = n_samples(params.rest_window_s, rate_hz)
    long_enough = [w[3] - w[0] + 1 >= 4 * rest_n for w in windows]
    good_acc = [long and ok for long, ok in zip(long_enough, _finite_windows(acc_mps2, windows))]
    has_gyro = [good and ok for good, ok in zip(good_acc, _finite_windows(gyr_radps, windows))]
    with_gyro = [w for w, ok in zip(windows, has_gyro) if ok]
    batch = iter(_gyro_batch(acc_mps2, gyr_radps, rate_hz, with_gyro, rest_n, params) if with_gyro else [])
    out = []
    for w, ok, acc_ok, long in zip(windows, has_gyro, good_acc, long_enough):
        if ok:
            out.append(next(batch))
            continue
        if not acc_ok:  # too short for two rests, or NaN/inf accelerations: nothing can be measured
            out.append(_not_measured((w[3] - w[0]) / rate_hz, "bad_samples" if long else "too_short"))
            continue
        acc = acc_mps2[w[0] : w[3] + 1]
        norm = np.sqrt((acc * acc).sum(axis=1))
        ic = np.array([w[2] - w[0]])
        impact = float(_impact_g(norm, ic, np.array([0]), np.array([len(acc) - 1]), rate_hz, params)[0])
        out.append(_acc_only(len(acc), rate_hz, impact, params))
    return out


def analyse_stride(
    acc_mps2: FloatArray,
    gyr_radps: FloatArray,
    rate_hz: float,
    ms_start: int,
    to: int,
    ic: int,
    ms_end: int,
    params: StrideParams = StrideParams(),
) -> StrideMetrics:
    """All per-stride measures of one window (see the module docstring for the window contract).

    `ms_start` must be 0 and `ms_end` the last index (the arrays are the window); they are passed so the
    call reads like the contract and is checked.
    """
    if ms_start != 0 or ms_end != len(acc_mps2) - 1:
        raise AnalysisError(f"the window must run from ms_start = 0 to ms_end = {len(acc_mps2) - 1}, "
                            f"got {ms_start}..{ms_end}")  # fmt: skip
    return analyse_strides(acc_mps2, gyr_radps, rate_hz, [(ms_start, to, ic, ms_end)], params)[0]
