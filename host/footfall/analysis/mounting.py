"""What the analyser learns about a sensor from its first samples, before any step: whether the gyroscope can
be used, its offset and axis signs (calib.py, gyro_signs.py), and how the sensor sits on the foot (orient.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from footfall.analysis.calib import NO_CALIBRATION, Calibration, calibrate
from footfall.analysis.gyro_signs import describe, gyro_signs
from footfall.analysis.orient import Alignment, estimate_alignment
from footfall.samples import (MAX_PLAUSIBLE_GYR_RADPS, STANDARD_GRAVITY_MPS2, FloatArray, silent_gyro_radps,
                              too_fast_gyro_radps)


@dataclass(frozen=True)
class Mounting:
    has_gyro: bool
    calibration: Calibration
    alignment: Alignment
    warnings: tuple[str, ...]  # the alignment's own, and what was done to the gyroscope and why


def learn_mounting(acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float) -> Mounting:
    """The mounting, gyroscope offset and signs from these samples (sensor frame, as received)."""
    unusable = _unusable_gyro(acc_mps2, gyr_radps)
    if unusable is not None:
        alignment = estimate_alignment(acc_mps2, np.zeros_like(gyr_radps), rate_hz)
        alignment = replace(alignment, warnings=(unusable, *_unit_warning(acc_mps2)))
        return Mounting(False, NO_CALIBRATION, alignment, alignment.warnings)
    cal = calibrate(acc_mps2, gyr_radps, rate_hz)
    signs = gyro_signs(acc_mps2, cal.gyro(gyr_radps), rate_hz)
    cal = cal if signs is None else replace(cal, gyro_sign=signs)
    alignment = estimate_alignment(acc_mps2, cal.gyro(gyr_radps), rate_hz)
    said = alignment.warnings + ((describe(signs),) if signs is not None else ()) + _unit_warning(acc_mps2)
    return Mounting(True, cal, alignment, said)


# the median acceleration magnitude of a foot's first seconds in m/s^2: 1.0-2.0 g on pyshoe, 1.9 on RBDS, up to
# 4.6 g for the virtual runner at 5 m/s. In g the same reads 0.1-0.6 "g", in mg hundreds of g.
TYPICAL_MAGNITUDE_MPS2 = (0.6 * STANDARD_GRAVITY_MPS2, 10.0 * STANDARD_GRAVITY_MPS2)


def _unit_warning(acc_mps2: FloatArray) -> tuple[str, ...]:
    """A typical acceleration far from gravity: samples given in g (or mg) where m/s^2 are expected. `footfall
    import` refuses such a file; arrays handed to the analyser directly get this warning."""
    magnitude = float(np.median(np.linalg.norm(acc_mps2, axis=1))) if len(acc_mps2) else STANDARD_GRAVITY_MPS2
    lo, hi = TYPICAL_MAGNITUDE_MPS2
    if lo <= magnitude <= hi or not np.isfinite(magnitude):
        return ()
    guess = next((f" (in {unit}? multiply by {scale:g})" for unit, scale in (("g", 9.80665), ("mg", 0.00980665))
                  if lo <= magnitude * scale <= hi), "")
    return (f"the acceleration's typical magnitude is {magnitude:.3g} m/s^2 where gravity alone is 9.81: not in "
            f"m/s^2{guess}, so stride length, speed and strike angle are not right",)


def _unusable_gyro(acc_mps2: FloatArray, gyr_radps: FloatArray) -> str | None:
    """Why the gyroscope is not used (the warning), or None when it is: missing (NaN), silent while the foot
    moves (rad/s read as deg/s, or dead), or turning faster than any foot (deg/s given as rad/s: its figures
    would be nonsense, e.g. a +28 deg heel strike read as -2 deg on gaitmap walking, so none are given)."""
    if not np.isfinite(gyr_radps).all():
        return _no_gyro_warning("no gyroscope")
    silent = silent_gyro_radps(acc_mps2, gyr_radps)
    if silent is not None:
        return _no_gyro_warning(
            f"the gyroscope reads at most {silent:.2f} rad/s while the accelerometer shows the foot moving (dead, "
            "or its unit wrong: rad/s read as deg/s?), so it is not used")
    fast = too_fast_gyro_radps(gyr_radps)
    if fast is not None:
        return _no_gyro_warning(
            f"the gyroscope's 99th percentile rate is {fast:.3g} rad/s, faster than any foot turns (over "
            f"{MAX_PLAUSIBLE_GYR_RADPS:.0f}): not in rad/s (in deg/s? multiply by pi/180 = 0.0174533), so it is "
            "not used")
    return None


def _no_gyro_warning(why: str) -> str:
    return (f"{why}: only 'up' is known, not the toe direction; steps and cadence come from the "
            "accelerometer (flag acc_only), contact time, strike angle and stride length cannot be measured; "
            "on real walking recordings this path misses about 5 % of the steps, up to 9 % for some people "
            "(docs/validation.md), so its step counts are rough")
