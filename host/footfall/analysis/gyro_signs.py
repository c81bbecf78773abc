"""Gyroscope axis signs checked against the accelerometer's, from the strides themselves.

A CSV whose columns were mapped with a sign slip (gyroscope y negated, or every axis of one sensor: a mirrored
frame) still shows gait, but the stride integration turns the foot the wrong way: gravity leaks into the
horizontal, and before this check the virtual runner's 2.38 m strides read 0.48 m, pyshoe walking strides
0.97 m read 2.33 m, with no warning. A slip of accelerometer signs is the same slip relative to the
gyroscope (the pair stops being a proper rotation), so checking the gyroscope's eight sign patterns covers both.

The test: integrate each stride of the alignment window (foot-flat to foot-flat, zupt.integrate_stride) under
every sign pattern. Only the right one brings the foot to rest again: the velocity left at the closing rest,
median over the strides, is 0.02-0.5 m/s with the right signs on nearly every moving recording here (0.7 on
the poorest pyshoe trial) and 3-30 times that with a wrong one. A pattern is adopted only when it is clearly
the one: at least `min_strides` strides, its median drift at most `max_drift_mps`, and every other pattern at
least `min_ratio` times worse.

Measured by applying all seven wrong patterns to 75 recordings (44 pyshoe, 2 gaitmap, 26 ipol, 3 virtual
runner; the first 12 s, as the pipeline does): no recording with the right signs was changed; 364 of 525
slips were found and undone, none was undone wrongly. The rest were left as they came: some recordings show
too few strides in that window, and a slip on an axis the foot hardly turns about ties with the right pattern
(and then matters little). With a drift limit of 0.5 m/s 287 were found, with a ratio of 3 273, again with
no wrong one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from footfall.analysis.orient import stride_rests
from footfall.analysis.zupt import integrate_stride
from footfall.samples import FloatArray, n_samples

SIGN_PATTERNS = [np.array(s, float) for s in itertools.product((1.0, -1.0), repeat=3)]  # the identity first


@dataclass(frozen=True)
class SignParams:
    min_strides: int = 5
    max_drift_mps: float = 1.0  # median velocity left at the closing rest with the adopted signs
    min_ratio: float = 2.0  # every other sign pattern leaves at least this many times more
    min_stride_s: float = 0.25  # foot-flats closer than this are one stance
    max_stride_s: float = 2.5
    min_swing_radps: float = 2.0  # the foot turned faster than this in between: a stride, not standing
    rest_s: float = 0.02  # samples averaged at each rest (stride.StrideParams.rest_window_s)


def gyro_signs(acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float,
               p: SignParams = SignParams()) -> FloatArray | None:  # fmt: skip
    """The per-axis signs (+-1) the gyroscope needs to agree with the accelerometer, or None when they agree
    or the samples cannot tell (sensor frame, gyroscope offset removed)."""
    flat = np.flatnonzero(stride_rests(acc_mps2, gyr_radps, rate_hz))
    lo, hi = p.min_stride_s * rate_hz, p.max_stride_s * rate_hz
    strides = [(a, b) for a, b in zip(flat[:-1], flat[1:])
               if lo <= b - a <= hi and np.abs(gyr_radps[a:b]).max() > p.min_swing_radps]
    if len(strides) < p.min_strides:
        return None
    rest_n = n_samples(p.rest_s, rate_hz)
    drift = np.array([np.median([integrate_stride(acc_mps2[a : b + 1], gyr_radps[a : b + 1] * s, rate_hz,
                                                  rest_n).end_velocity_mps for a, b in strides])
                      for s in SIGN_PATTERNS])  # fmt: skip
    best = int(np.argmin(drift))
    others = np.delete(drift, best)
    if best == 0 or drift[best] > p.max_drift_mps or (others < p.min_ratio * drift[best]).any():
        return None
    return SIGN_PATTERNS[best]


def describe(signs: FloatArray) -> str:
    """The warning for a sign pattern gyro_signs adopted."""
    axes = [a for a, s in zip("xyz", signs) if s < 0]
    named = axes[0] if len(axes) == 1 else ", ".join(axes[:-1]) + " and " + axes[-1]
    return (f"the gyroscope's {named} turned the opposite way to what the accelerometer shows (a sign slip in the "
            f"data or the import's axis map?): read negated (docs/algorithms.md, 'Axis signs')")
