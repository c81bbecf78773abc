"""Foot-strike angle at initial contact and the landing pattern.

The strike angle is the sagittal pitch of the foot at initial contact (IC) relative to its foot-flat
orientation in the following mid-stance: + toe up (heel first), - toe down (forefoot first). It is the IMU
counterpart of the marker-based foot-strike angle of Altman & Davis (2012), whose thresholds classify it:
above 8.0 deg rearfoot, below -1.6 deg forefoot, midfoot between.

With a gyroscope the angle comes from the integrated orientation (zupt.py): the elevation of the foot's toe
axis at IC minus its elevation at the mid-stance rest, where gravity pins the tilt. The integration from IC to
that rest is short (tens of ms), so gyro bias barely matters; the residual tilt drift over the stride is
removed as well (zupt.integrate_stride).

Without a gyroscope (accelerometer-only sensors) the angle is not measured: NaN, pattern UNKNOWN, flags
"acc_only" and "strike_not_measured". Every accelerometer-only estimator tried (specific-force tilt around
IC, impact direction, IC-to-foot-flat time, rotation about a heel pivot, the sensor's drop from IC to
foot-flat) missed on real recordings or did no better than a constant; see docs/validation.md.

Reference: Altman A.R., Davis I.S. (2012) A kinematic method for footstrike pattern detection in barefoot and
shod runners. Gait Posture 35(2):298-300.
"""

from __future__ import annotations

import math

import numpy as np

from footfall.analysis.step import Pattern
from footfall.samples import FloatArray

REARFOOT_ABOVE_DEG = 8.0  # Altman & Davis 2012, Gait & Posture 35(2):298-300
FOREFOOT_BELOW_DEG = -1.6


def gyro_strike_angle_deg(toe_elevation_deg: FloatArray, ic: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """Toe-axis elevation at IC minus that at the closing mid-stance rest, for rows `ic` and `rest` of the
    elevation series (zupt.integrate_strides levels it at each window's closing rest).

    The foot's long axis is the marker-based reference line (heel to metatarsals), so its elevation is the
    quantity to match. (Measuring instead the rotation about the axis normal to the direction of travel
    was tried: it is immune to a yawed mounting estimate but picks up foot roll through the toe-out angle,
    3.5 deg off on one RBDS foot.)
    """
    return toe_elevation_deg[ic] - toe_elevation_deg[rest]


def classify(angle_deg: float) -> Pattern:
    """Pattern from the Altman & Davis (2012) thresholds."""
    if not math.isfinite(angle_deg):
        return Pattern.UNKNOWN
    if angle_deg > REARFOOT_ABOVE_DEG:
        return Pattern.REARFOOT
    if angle_deg < FOREFOOT_BELOW_DEG:
        return Pattern.FOREFOOT
    return Pattern.MIDFOOT


def _normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def confidence(angle_deg: float, sigma_deg: float) -> float:
    """Probability that the true angle lies in the reported pattern's band, if the measurement error is
    Gaussian with `sigma_deg`: 0.5 on a threshold, towards 1 far from both (the midfoot band is only 9.6 deg
    wide, so a midfoot call never gets very close to 1 with a wide sigma). NaN for an angle not measured: its
    pattern is unknown, and no confidence is a measured one."""
    if not math.isfinite(angle_deg):
        return math.nan
    hi = _normal_cdf((angle_deg - REARFOOT_ABOVE_DEG) / sigma_deg)  # P(true > 8.0)
    lo = _normal_cdf((FOREFOOT_BELOW_DEG - angle_deg) / sigma_deg)  # P(true < -1.6)
    pattern = classify(angle_deg)
    if pattern is Pattern.REARFOOT:
        return hi
    if pattern is Pattern.FOREFOOT:
        return lo
    return max(0.0, 1.0 - hi - lo)
