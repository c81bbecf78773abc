"""Sample blocks in SI units: what every source yields and the analyser consumes.

Axes are the foot frame: x toward the toe, y to the left, z up (right-handed); at rest the accelerometer
reads +9.81 m/s^2 on z. Sources that do not know the mounting hand over the sensor frame and let the
analyser auto-align (see analysis/orient.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from numbers import Integral, Real

import numpy as np
from numpy.typing import NDArray

from footfall.errors import InputError

STANDARD_GRAVITY_MPS2 = 9.80665

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SampleBlock:
    """Consecutive samples of one sensor, starting at sample index `first_index`.

    `first_index` counts samples since the stream started (unwrapped, so it never goes back). A gap in the
    stream shows as the next block's first_index being larger than this block's end_index; samples are never
    invented to fill it.
    """

    sensor: str  # stable id of the sensor within a session, e.g. "L" or "R" or a BLE address
    side: str  # "L", "R" or "?"
    rate_hz: float
    first_index: int
    acc_mps2: FloatArray  # shape (n, 3)
    gyr_radps: FloatArray  # shape (n, 3); NaN when the sensor has no gyroscope
    meta: dict[str, object] = field(default_factory=dict, compare=False)
    # the part of this sensor's shift onto a session's time base that is less than a sample (footfall.live.align):
    # on that time base, sample i was taken at i / rate_hz + time_offset_s seconds
    time_offset_s: float = 0.0

    def __post_init__(self) -> None:
        """Checked once per block (not per sample): InputError for what the analyser would misread."""
        object.__setattr__(self, "acc_mps2", np.asarray(self.acc_mps2))  # lists too; an array is kept as it is
        object.__setattr__(self, "gyr_radps", np.asarray(self.gyr_radps))
        if self.acc_mps2.shape != self.gyr_radps.shape or self.acc_mps2.ndim != 2 or self.acc_mps2.shape[1] != 3:
            raise InputError(f"acc {self.acc_mps2.shape} and gyr {self.gyr_radps.shape} must both be (n, 3)")
        if self.side not in SIDES:
            raise InputError(f"sensor {self.sensor}: side {self.side!r} must be one of {', '.join(SIDES)}")
        if not _whole(self.first_index):  # negative is fine: on a session's time base (shifted) a sensor that
            # started before the session's time 0 has negative indices (footfall.live.align)
            raise InputError(f"sensor {self.sensor}: first_index {self.first_index!r} must be a whole number")
        if not _real(self.rate_hz) or not 0 < self.rate_hz < math.inf:
            raise InputError(f"sensor {self.sensor}: rate_hz {self.rate_hz!r} must be a finite number above 0")

    @property
    def n(self) -> int:
        return int(self.acc_mps2.shape[0])

    @property
    def end_index(self) -> int:
        """Index one past the last sample of this block."""
        return self.first_index + self.n

    def shifted(self, offset_samples: float) -> SampleBlock:
        """This block on a session's time base: its indices moved by the whole samples of `offset_samples`, the
        rest (at most half a sample) in `time_offset_s`."""
        if not offset_samples:
            return self
        whole = round(offset_samples)
        return replace(self, first_index=self.first_index + whole,
                       time_offset_s=(offset_samples - whole) / self.rate_hz)

    @property
    def time_s(self) -> FloatArray:
        """Sample times in seconds since stream start (sample index / rate, + time_offset_s)."""
        return (self.first_index + np.arange(self.n)) / self.rate_hz + self.time_offset_s


SIDES = ("L", "R", "?")  # left, right, not known


def _whole(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _real(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def n_samples(seconds: float, rate_hz: float) -> int:
    """A duration as a whole number of samples, at least one."""
    return max(1, int(round(seconds * rate_hz)))


# A foot in gait turns: its gyro's 99th percentile |rate| is 4-10 rad/s walking and 8-11 rad/s jogging in the
# real recordings of ../shared/data (pyshoe, gaitmap, ipol: lowest 1.33 rad/s, a shuffle on the spot whose
# accelerometer magnitude spans only 1.2 g), 11 rad/s in the simulated run. Rad/s read as deg/s shrinks that
# 57x (0.15-0.2 rad/s; even a 28 rad/s sprint gives 0.49), a dead gyro gives 0. 0.5 rad/s (29 deg/s) splits
# the two with a factor of 2.5 either side; it is only judged when the accelerometer shows gait: a magnitude
# spanning more than 1 g (1st to 99th percentile; 1.2-6.5 g in those recordings, ~0 at rest).
MIN_GAIT_GYR_RADPS = 0.5
GAIT_ACC_SPAN_MPS2 = 1.0 * STANDARD_GRAVITY_MPS2


MAX_PLAUSIBLE_GYR_RADPS = 45.0  # ~2600 deg/s: beyond any foot and any +-2000 dps sensor


def too_fast_gyro_radps(gyr_radps: FloatArray) -> float | None:
    """The gyroscope's rate (99th percentile of |rate| per axis) when it is above `MAX_PLAUSIBLE_GYR_RADPS`, else
    None: no foot turns that fast, so it is deg/s read as rad/s. Used by the CSV import (refused) and the analyser
    (the gyroscope not used, with a note), as `silent_gyro_radps` for the opposite slip."""
    rate = float(np.percentile(np.abs(gyr_radps), 99)) if np.size(gyr_radps) else 0.0
    return rate if rate > MAX_PLAUSIBLE_GYR_RADPS else None


def silent_gyro_radps(acc_mps2: FloatArray, gyr_radps: FloatArray) -> float | None:
    """The gyroscope's rate (99th percentile of |rate - its median|) when it stays below `MIN_GAIT_GYR_RADPS`
    while the accelerometer shows gait (|specific force| spanning more than `GAIT_ACC_SPAN_MPS2`), else None:
    a dead gyroscope (stuck at zero or at a constant), or one read in the wrong unit. Used by the CSV import
    (refused) and the analyser (steps from the accelerometer alone, with a note)."""
    if len(acc_mps2) < 2 or len(gyr_radps) < 2:
        return None
    magnitude = np.linalg.norm(acc_mps2, axis=1)
    span_mps2 = float(np.percentile(magnitude, 99) - np.percentile(magnitude, 1))
    rate = float(np.percentile(np.linalg.norm(gyr_radps - np.median(gyr_radps, axis=0), axis=1), 99))
    return rate if span_mps2 > GAIT_ACC_SPAN_MPS2 and rate < MIN_GAIT_GYR_RADPS else None
