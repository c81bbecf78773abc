"""Calibration from standing: the gyroscope's offset removed, the accelerometer's reading checked, while the
foot stands still.

The gyroscope offset (zero-rate level) is the rate a MEMS gyroscope reads when it does not turn.

Consumer IMUs leave the factory with offsets of 0.5-5 deg/s per axis (LSM6DSO: +-1 deg/s typical; older
MPU-class parts several deg/s), and soldering shifts them. The stride integration (zupt.py) carries no filter
state, so an offset tilts the integrated foot by offset x stride time and leaks gravity into the horizontal
acceleration: on pyshoe-vicon walking, (2.9, -4.6, 1.7) deg/s moved a trial's median stride length by up to
35 % (docs/algorithms.md, "Calibration from standing").

A foot standing still turns at 0 rad/s, so the offset is the mean rate over the samples where the foot stands
still: the rate steady (standard deviation over `window_s`, all axes, below `steady_radps`) and the specific
force steady near 1 g, for at least `min_still_s` at a stretch. Shorter steady stretches are left out: a walking
foot-flat is steady too, but the foot still rolls over it at a few hundredths of a rad/s (pyshoe: taking
them gave offsets 0.03 rad/s off). It is learnt once, with the mounting, from the same first samples of the
stream (so any block cut gives the same value); a stream that starts in motion keeps an offset of zero and
the summary says so. Drift with temperature (0.01-0.05 deg/s per deg C) is left: ten times smaller than the
offsets this removes.

The accelerometer: a foot standing still reads gravity alone, so the mean specific force over the same samples
should be 1 g. Calibrated research IMUs read 0.999-1.000 g there (pyshoe); ipol-walking's foot sensors read
1.02-1.07 g. At one orientation a gain error cannot be told from a zero-g offset (tens of mg on consumer
parts), and correcting an offset as if it were a gain makes strides worse (docs/algorithms.md), so the reading
is reported (`standing_g`, and a note beyond `warn_g`) but not applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import uniform_filter1d

from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray


@dataclass(frozen=True)
class StillParams:
    window_s: float = 0.25  # steadiness is judged over this moving window
    steady_radps: float = 0.03  # standard deviation of a still gyroscope, all axes (noise ~0.001-0.005 rad/s)
    steady_g: float = 0.02  # ... and of the specific force, in g (a still foot reads gravity only)
    near_g: float = 0.15  # the specific force within this of 1 g (wide: consumer parts read up to ~1.07 g)
    min_still_s: float = 1.0  # still runs shorter than this are not standing (a walking foot-flat lasts < 0.6 s)
    warn_g: float = 0.03  # a standing reading further than this from 1 g is noted: stride lengths may be off


@dataclass(frozen=True)
class Calibration:
    gyro_offset_radps: FloatArray  # (3,) sensor frame, subtracted from every sample; zeros when not measured
    standing_g: float  # the accelerometer's mean reading while standing, in g (NaN when not measured)
    still_s: float  # standing time it was measured over (0: not measured)
    gyro_sign: FloatArray = field(default_factory=lambda: np.ones(3))  # per axis, after the offset (gyro_signs.py)

    @property
    def measured(self) -> bool:
        return self.still_s > 0

    def gyro(self, gyr_radps: FloatArray) -> FloatArray:
        """Sensor-frame rates with the offset removed and the axis signs put right."""
        return (gyr_radps - self.gyro_offset_radps) * self.gyro_sign


NO_CALIBRATION = Calibration(np.zeros(3), float("nan"), 0.0)


def _moving_std(x: FloatArray, n: int) -> FloatArray:
    """Standard deviation over a centred window of n samples; of all axes together (rotation-invariant, so
    any mounting finds the same still samples) when x is (N, 3)."""
    mean = uniform_filter1d(x, n, axis=0, mode="nearest")
    var = uniform_filter1d(x * x, n, axis=0, mode="nearest") - mean * mean
    return np.sqrt(np.maximum(var.sum(axis=1) if var.ndim == 2 else var, 0.0))


def calibrate(acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float,
              params: StillParams = StillParams()) -> Calibration:  # fmt: skip
    """Gyroscope offset and the accelerometer's reading from the still samples of a stretch of stream."""
    n = max(3, int(round(params.window_s * rate_hz)))
    if len(gyr_radps) < n or not np.isfinite(gyr_radps).all():
        return NO_CALIBRATION
    g = np.linalg.norm(acc_mps2, axis=1) / STANDARD_GRAVITY_MPS2
    still = (_moving_std(gyr_radps, n) < params.steady_radps) & (_moving_std(g, n) < params.steady_g)
    still &= np.abs(uniform_filter1d(g, n, mode="nearest") - 1.0) < params.near_g
    edges = np.flatnonzero(np.diff(np.concatenate(([0], still.astype(np.int8), [0]))))
    standing = np.zeros_like(still)
    for a, b in zip(edges[::2], edges[1::2]):
        standing[a:b] = b - a >= params.min_still_s * rate_hz
    if not standing.any():
        return NO_CALIBRATION
    standing_g = float(np.linalg.norm(acc_mps2[standing].mean(axis=0))) / STANDARD_GRAVITY_MPS2
    return Calibration(gyr_radps[standing].mean(axis=0), standing_g, float(standing.sum()) / rate_hz)
