"""Sensor clipping: which raw samples sat on a full-scale rail, and which figures of a stride that costs.

A sample is clipped when a raw sensor axis reads a standard full scale twice in a row, as a sensor on its rail
does (a signal merely passing that value does not repeat it). It is judged in the sensor frame, before the
alignment mixes the axes, and against every standard range, so a CSV stored at a wider range than the sensor
that made it is judged too.

Near IC an accelerometer rail only caps the impact (flag "saturated": a lower bound). Over a stride the rails
cut area out of what is integrated: clipping real and virtual recordings moved the stride length by 14 % (median)
when a +-4 g accelerometer clipped 80 ms or more per stride, and a gyroscope clipped 40-80 ms moved the contact
time by 10 ms (docs/algorithms.md, "Clipping", has the table). So a stride with `acc_stride_ms` of accelerometer
clipping or more measures no integrated figure (flag "saturated_stride"), and one with `gyr_stride_ms` of
gyroscope clipping or more no integrated figure, strike angle, contact or swing time either ("gyro_saturated").
Declipping (a parabola through the samples around each rail) was tried: it mended the virtual runner but moved
the worst pyshoe trial only from -9.5 to -8.8 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from footfall.analysis.measures import Measures
from footfall.analysis.step import Pattern
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray

ACC_FULL_SCALES_G = (2.0, 4.0, 8.0, 16.0, 32.0)  # accelerometer ranges of common IMUs
GYR_FULL_SCALES_DPS = (125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0)
ACC_BIT, GYR_BIT = 1, 2  # a sample's clipping flags
INTEGRATED = ("stride_length_m", "speed_mps", "foot_velocity_at_ic_mps", "braking_mps2", "overstride_index")
TIMING = ("strike_angle_deg", "contact_time_ms", "swing_time_ms")  # also lost to a gyroscope on its rail (summary)


@dataclass(frozen=True)
class ClipParams:
    acc_stride_ms: float = 20.0  # accelerometer clipping per stride from which its integration is withheld
    gyr_stride_ms: float = 40.0  # gyroscope clipping per stride from which its orientation and timing are too


class ClipDetector:
    """Per-sample clipping flags (ACC_BIT | GYR_BIT) of one sensor's raw samples, across block borders. A device
    stream's own rails (int16 full scale x its scales per count) count too: an ST gyroscope set to 2000 dps
    has 70 mdps per count, so its rail is 2294 dps."""

    def __init__(self, acc_per_count: object = None, gyr_per_count: object = None) -> None:
        self._last = np.full((1, 6), np.nan)  # the previous block's last sample
        own = [32768 * x if isinstance(x, float | int) and x > 0 else None for x in (acc_per_count, gyr_per_count)]
        self._acc_g = ACC_FULL_SCALES_G + ((own[0] / STANDARD_GRAVITY_MPS2,) if own[0] else ())
        self._gyr_dps = GYR_FULL_SCALES_DPS + ((math.degrees(own[1]),) if own[1] else ())

    def flags(self, acc_mps2: FloatArray, gyr_radps: FloatArray) -> NDArray[np.uint8]:
        raw = np.hstack((acc_mps2, gyr_radps))
        out = np.zeros(len(raw), np.uint8)
        if not len(raw):
            return out
        rows, cols = np.nonzero(raw == np.vstack((self._last, raw[:-1])))  # few: only a rail or rest repeats
        self._last = raw[-1:]
        is_acc = cols < 3
        value = np.abs(raw[rows, cols]) * np.where(is_acc, 1.0 / STANDARD_GRAVITY_MPS2, 180.0 / math.pi)
        hit = (is_acc & _on_rail(value, self._acc_g)) | (~is_acc & _on_rail(value, self._gyr_dps))
        np.bitwise_or.at(out, rows[hit], np.where(is_acc[hit], ACC_BIT, GYR_BIT).astype(np.uint8))
        return out


def _on_rail(x: FloatArray, scales: tuple[float, ...]) -> NDArray[np.bool_]:
    """|x| at one of the full scales (within 0.1 %)."""
    near = np.zeros(x.shape, bool)
    for full_scale in scales:
        near |= np.abs(x - full_scale) <= 1e-3 * full_scale
    return near


def withhold_clipped(m: Measures, flags: NDArray[np.uint8], rate_hz: float, p: ClipParams) -> tuple[Measures, bool]:
    """The stride's measures without what the clipping in `flags` (its samples) spoilt, flagged; and whether
    its timing (contact and swing time, from the pitch rate) is spoilt too."""
    acc_ms, gyr_ms = (1000.0 * np.count_nonzero(flags & bit) / rate_hz for bit in (ACC_BIT, GYR_BIT))
    acc_bad, gyr_bad = bool(acc_ms >= p.acc_stride_ms), bool(gyr_ms >= p.gyr_stride_ms)
    if not (acc_bad or gyr_bad):
        return m, False
    lost = INTEGRATED + (("strike_angle_deg",) if gyr_bad else ())  # contact and swing time: the caller's
    values = m.values | {k: math.nan for k in lost}
    pattern = (Pattern.UNKNOWN, math.nan) if gyr_bad else (m.pattern, m.pattern_confidence)
    flagged = m.flags + (("saturated_stride",) if acc_bad else ()) + (("gyro_saturated",) if gyr_bad else ())
    return Measures(values, *pattern, flagged), gyr_bad
