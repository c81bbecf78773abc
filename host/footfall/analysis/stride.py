"""Per-stride measures: strike angle and pattern, stride length, speed, landing velocity, braking, impact,
overstride. Thin glue over zupt.py (integration), strike.py (angle, pattern) and overstride.py (index).

One call handles one window of one foot, from a mid-stance rest (index 0 = `ms_start`) to the next
(`ms_end`), in the foot frame (x toe, y left, z up; specific force, +9.81 m/s^2 on z at rest; rad/s).
`to` is the toe-off after ms_start and `ic` the initial contact before ms_end, both indices into the window.

Turns: the stride length is the horizontal *distance* between the two rests (the chord), whatever the
heading; the heading change over the stride is reported separately. Forward means along that chord.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from footfall.analysis import strike
from footfall.analysis.overstride import Overstride, OverstrideWeights, overstride
from footfall.analysis.step import Pattern
from footfall.analysis.zupt import Trajectory, integrate_stride
from footfall.errors import AnalysisError
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray


@dataclass(frozen=True)
class StrideParams:
    rest_window_s: float = 0.02  # samples averaged at each rest for the gravity direction
    sensor_height_m: float = 0.07  # sensor above the sole (laces): the rolling foot moves it at omega x r
    braking_window_s: float = 0.04  # braking = mean forward deceleration over this long after IC
    impact_before_s: float = 0.01  # impact peak searched from IC - this ...
    impact_after_s: float = 0.05  # ... to IC + this
    acc_only_window_s: float = 0.03  # accelerometer-only strike tilt: averaged over this long before IC ...
    acc_only_max_dev_g: float = 0.1  # ... and only if |a| stayed this close to 1 g there (else NaN)
    strike_sigma_deg: float = 2.0  # assumed strike-angle error (gyro) for the pattern confidence
    acc_only_sigma_deg: float = 6.0  # same, accelerometer-only
    leg_length_m: float | None = None  # optional, for the overstride cadence norm
    acc_range_g: float | None = None  # accelerometer full scale; None = detect clipping from flat tops
    min_travel_m: float = 0.2  # below this stride length "forward" is where the toe points, not the travel
    max_rest_rate_radps: float = 3.0  # mean angular rate at a window end above this: not a rest
    max_end_velocity_mps: float = 1.5  # velocity drift at the closing rest above this -> "poor_zupt"
    overstride_weights: OverstrideWeights = OverstrideWeights()


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


_NAN_OVERSTRIDE = Overstride(math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)


def _check(acc: FloatArray, gyr: FloatArray, to: int, ic: int, ms_end: int) -> None:
    n = len(acc)
    if acc.shape != gyr.shape or acc.ndim != 2 or acc.shape[1] != 3:
        raise AnalysisError(f"acc {acc.shape} and gyr {gyr.shape} must both be (n, 3)")
    if not 0 < to < ic < ms_end == n - 1:
        raise AnalysisError(f"need 0 < to ({to}) < ic ({ic}) < ms_end ({ms_end}) = window length - 1 ({n - 1})")


def _saturated(acc: FloatArray, range_g: float | None) -> bool:
    """Clipping: at the known full scale, or else a flat top (two equal samples at the extreme, above 4 g)."""
    top = np.maximum(acc.max(axis=0), -acc.min(axis=0))
    if range_g is not None:
        return bool((top >= 0.99 * range_g * STANDARD_GRAVITY_MPS2).any())
    for axis in np.flatnonzero(top > 4 * STANDARD_GRAVITY_MPS2):  # at most 3 axes
        at_top = np.abs(acc[:, axis]) == top[axis]
        if (at_top[1:] & at_top[:-1]).any():
            return True
    return False


def _impact_g(acc: FloatArray, ic: int, rate_hz: float, p: StrideParams) -> float:
    a = max(0, ic - int(round(p.impact_before_s * rate_hz)))
    b = ic + int(round(p.impact_after_s * rate_hz)) + 1
    seg = acc[a:b]
    return float(np.sqrt((seg * seg).sum(axis=1)).max() / STANDARD_GRAVITY_MPS2)


def _forward_measures(
    tr: Trajectory, ic: int, rate_hz: float, p: StrideParams
) -> tuple[float, float, float]:
    """Stride length, forward velocity at IC, braking (forward deceleration just after IC). Forward is along
    the stride, or where the toe points at the closing rest when the foot barely moved."""
    d = tr.pos_m[-1, :2]
    length = float(np.hypot(d[0], d[1]))
    if length < p.min_travel_m:
        d = tr.toe_axis[-1, :2]
    fwd = d / max(float(np.hypot(d[0], d[1])), 1e-9)
    v_fwd = tr.vel_mps[:, :2] @ fwd
    w = max(1, min(int(round(p.braking_window_s * rate_hz)), len(v_fwd) - 1 - ic))
    braking = float((v_fwd[ic] - v_fwd[ic + w]) * rate_hz / w)
    return length, float(v_fwd[ic]), braking


def _heading_change_deg(tr: Trajectory) -> float:
    return float(np.degrees(tr.heading_change_rad))


def _pattern(angle: float, sigma: float) -> tuple[Pattern, float]:
    return strike.classify(angle), strike.confidence(angle, sigma)


def _rest_flags(gyr: FloatArray, rest_n: int, p: StrideParams) -> list[str]:
    """A window end whose angular rate is far from rest was not cut at mid-stance: nothing anchored there."""
    limit = p.max_rest_rate_radps * rest_n
    flags = []
    if np.sqrt((gyr[:rest_n] ** 2).sum(axis=1)).sum() > limit:
        flags.append("no_rest_start")
    if np.sqrt((gyr[-rest_n:] ** 2).sum(axis=1)).sum() > limit:
        flags.append("no_rest_end")
    return flags


def _acc_only_metrics(
    acc: FloatArray, rate_hz: float, ic: int, rest_n: int, impact: float, flags: list[str], p: StrideParams
) -> StrideMetrics:
    angle = strike.acc_strike_angle_deg(acc, ic, rate_hz, p.acc_only_window_s, rest_n, p.acc_only_max_dev_g)
    pattern, conf = _pattern(angle, p.acc_only_sigma_deg)
    stride_time, nan = (len(acc) - 1) / rate_hz, math.nan
    os = overstride(angle, nan, nan, 120.0 / stride_time, nan, p.leg_length_m, p.overstride_weights)
    flags = flags + ["acc_only"] + ([] if math.isfinite(angle) else ["strike_not_measured"])
    return StrideMetrics(angle, pattern, conf, nan, stride_time, nan, nan, nan, impact, nan, os, tuple(flags))


def _gyro_metrics(
    acc: FloatArray, gyr: FloatArray, rate_hz: float, ic: int, rest_n: int, impact: float, flags: list[str],
    p: StrideParams,
) -> StrideMetrics:  # fmt: skip
    tr = integrate_stride(acc, gyr, rate_hz, rest_n, p.sensor_height_m)
    flags = flags + _rest_flags(gyr, rest_n, p)
    if tr.end_velocity_mps > p.max_end_velocity_mps:
        flags.append("poor_zupt")
    length, v_ic, braking = _forward_measures(tr, ic, rate_hz, p)
    if "no_rest_start" in flags or "no_rest_end" in flags:
        length = v_ic = braking = math.nan  # the zero-velocity anchors are missing: no trajectory
    angle = strike.gyro_strike_angle_deg(tr.toe_elevation_deg, ic) if "no_rest_end" not in flags else math.nan
    pattern, conf = _pattern(angle, p.strike_sigma_deg)
    stride_time = (len(acc) - 1) / rate_hz
    speed = length / stride_time
    os = overstride(angle, v_ic, braking, 120.0 / stride_time, speed, p.leg_length_m, p.overstride_weights)
    return StrideMetrics(angle, pattern, conf, length, stride_time, speed, v_ic, braking, impact,
                         _heading_change_deg(tr), os, tuple(flags))  # fmt: skip


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
    if ms_start != 0:
        raise AnalysisError(f"the window must start at ms_start (got ms_start={ms_start})")
    _check(acc_mps2, gyr_radps, to, ic, ms_end)
    rest_n = max(1, int(round(params.rest_window_s * rate_hz)))
    flags = ["saturated"] if _saturated(acc_mps2, params.acc_range_g) else []
    impact = _impact_g(acc_mps2, ic, rate_hz, params)
    if not np.isfinite(gyr_radps).all():
        return _acc_only_metrics(acc_mps2, rate_hz, ic, rest_n, impact, flags, params)
    return _gyro_metrics(acc_mps2, gyr_radps, rate_hz, ic, rest_n, impact, flags, params)
