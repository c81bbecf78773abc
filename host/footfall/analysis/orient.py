"""Mounting auto-alignment: the rotation from an arbitrarily mounted sensor to the foot frame.

The foot frame is x toward the toe, y to the left, z up (at foot-flat). The estimate needs only gait itself:

1. "up" is the mean accelerometer direction at the foot-flat instants, one per stride (the calmest sample of
   each 0.5 s, near 1 g: the zero-velocity intervals of Skog et al. 2010), or over the calmest 15 % of
   samples when there are fewer than five (standing, a few steps). A global quantile alone would, in running,
   also take late-swing samples whose rotation is slow but whose acceleration is not gravity (pyshoe
   jogging: worst stride-length error 4.2 % with it, 2.8 % with the foot-flat instants);
2. the pitch (medio-lateral) axis is the principal component of the angular rate in the plane normal to "up":
   in gait the foot rotates mostly about it (Rampp et al. 2015 use it as gyr_ml; cf. the PCA alignment of
   Falbriard et al. 2018 for foot-worn sensors);
3. its sign (which way is left, hence where the toe points) follows from the swing pattern: integrating the
   toe-up rate from each foot-flat rest, the foot pitches toe-down far more at push-off (-40..-80 deg) than it
   pitches toe-up before landing (+0..+25 deg).

This works on the laces, the heel counter or the side of the shoe, and upside down, because nothing assumes
which sensor axis points where. The quality figures say how much to trust it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray

_REST_QUANTILE = 0.15  # share of samples taken as "calmest"
_MIN_PC_SHARE = 0.6  # gyro energy on the pitch axis below this: the axis is doubtful
_MIN_SIGN_MARGIN = 0.15  # push-off vs landing excursion too similar: the toe direction is doubtful
_MIN_FLAT_INSTANTS = 5  # foot-flat instants needed to take "up" from them


@dataclass(frozen=True)
class Alignment:
    """Rotation `matrix` maps sensor-frame vectors to the foot frame: v_foot = matrix @ v_sensor."""

    matrix: FloatArray  # (3, 3), rows = foot x, y, z axes expressed in the sensor frame
    pitch_share: float  # share of the swing's angular-rate energy about the estimated pitch axis (0..1)
    sign_margin: float  # (push-off - landing) / (push-off + landing) pitch excursion; > 0 when resolved
    rest_share: float  # share of samples used as foot-flat rest
    warnings: tuple[str, ...] = ()
    gait_seen: bool = True  # False: no walking or running in the window, only "up" is known

    @property
    def good(self) -> bool:
        return not self.warnings

    def apply(self, v: FloatArray) -> FloatArray:
        """Rotate (n, 3) sensor-frame samples into the foot frame.

        Written out per component rather than as a matrix product: BLAS sums in an order that depends on the
        array length, and the same sample must come out bit-identical whatever block it arrived in."""
        m = self.matrix
        return np.stack([v[:, 0] * m[i, 0] + v[:, 1] * m[i, 1] + v[:, 2] * m[i, 2] for i in range(3)], axis=1)


IDENTITY = Alignment(np.eye(3), 1.0, 1.0, 0.0, ())


def _moving_mean(x: FloatArray, half: int) -> FloatArray:
    if half < 1 or x.size == 0:
        return x
    k = np.ones(2 * half + 1) / (2 * half + 1)
    return np.convolve(np.pad(x, half, mode="edge"), k, mode="valid")


def _rest_mask(acc: FloatArray, gyr: FloatArray, rate_hz: float) -> FloatArray:
    """Calmest samples: low smoothed gyro energy and a specific force near 1 g."""
    energy = _moving_mean(np.einsum("ij,ij->i", gyr, gyr), max(1, int(0.03 * rate_hz)))
    near_g = np.abs(np.linalg.norm(acc, axis=1) - STANDARD_GRAVITY_MPS2) < 2.0
    if not near_g.any():
        near_g = np.ones(len(acc), bool)
    limit = np.quantile(energy[near_g], _REST_QUANTILE)
    return near_g & (energy <= limit)


def _pitch_axis(gyr: FloatArray, up: FloatArray, moving: FloatArray) -> tuple[FloatArray, float]:
    """Principal axis of the horizontal angular rate and the share of all rate energy it carries."""
    g = gyr[moving]
    horiz = g - np.outer(g @ up, up)
    w, v = np.linalg.eigh(horiz.T @ horiz)
    axis = v[:, int(np.argmax(w))]
    total = float(np.einsum("ij,ij->", g, g))
    share = float(np.sum((g @ axis) ** 2) / total) if total > 0 else 0.0
    return axis, share


def stride_rests(acc: FloatArray, gyr: FloatArray, rate_hz: float) -> FloatArray:
    """One foot-flat instant per stride: the calmest sample of its 0.5 s neighbourhood, near 1 g and calm in
    absolute terms (a global quantile would take only the standing periods when the wearer also stood)."""
    from scipy.ndimage import minimum_filter1d

    energy = _moving_mean(np.einsum("ij,ij->i", gyr, gyr), max(1, int(0.03 * rate_hz)))
    local_min = energy <= minimum_filter1d(energy, max(3, int(0.5 * rate_hz)), mode="nearest")
    near_g = np.abs(np.linalg.norm(acc, axis=1) - STANDARD_GRAVITY_MPS2) < 3.0
    return local_min & near_g & (energy < 4.0)


def _sign_margin(gyr: FloatArray, y: FloatArray, rest: FloatArray, rate_hz: float) -> float:
    """Push-off vs landing pitch excursion with y as the left axis; > 0 means y is the right choice.

    The toe-up angle is integrated from each rest; per rest-to-rest interval the most toe-down and most toe-up
    angles are taken, and their medians over the intervals compared (robust to an interval without rest)."""
    toe_up = -(gyr @ y)  # rotation about +y (left) turns the toe down
    angle = np.degrees(np.cumsum(toe_up) / rate_hz)
    starts = np.flatnonzero(np.diff(rest.astype(np.int8)) == -1) + 1  # first moving sample after each rest
    if len(starts) < 2:
        return 0.0
    seg_angle = angle[starts[0] :] - np.repeat(angle[starts - 1], np.diff(np.r_[starts, len(angle)]))
    lows = np.minimum.reduceat(seg_angle, starts - starts[0])
    highs = np.maximum.reduceat(seg_angle, starts - starts[0])
    swings = highs - lows > 20.0  # skip the flicker between two rest runs of one stance
    if not swings.any():
        return 0.0
    push_off, landing = -float(np.median(lows[swings])), float(np.median(highs[swings]))
    total = abs(push_off) + abs(landing)
    return float((push_off - landing) / total) if total > 0 else 0.0


def estimate_alignment(acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float) -> Alignment:
    """Estimate the sensor-to-foot rotation from gait samples in the sensor frame (see the module doc)."""
    if len(acc_mps2) < max(10, int(0.5 * rate_hz)):
        return Alignment(np.eye(3), 0.0, 0.0, 0.0, ("too few samples to estimate the mounting",))
    rest = _rest_mask(acc_mps2, gyr_radps, rate_hz)
    flat = stride_rests(acc_mps2, gyr_radps, rate_hz)
    up = np.mean(acc_mps2[flat if flat.sum() >= _MIN_FLAT_INSTANTS else rest], axis=0)
    up /= np.linalg.norm(up)
    moving = np.linalg.norm(gyr_radps, axis=1) > 1.0
    warnings: list[str] = []
    gait_seen = True
    if moving.sum() < rate_hz * 1.0 or not np.isfinite(gyr_radps).all():
        # No gait to learn the pitch axis from: keep the sensor axis closest to horizontal as "left".
        axis = np.eye(3)[int(np.argmin(np.abs(up)))]
        axis = axis - (axis @ up) * up
        y, share, margin = axis / np.linalg.norm(axis), 0.0, 0.0
        warnings.append("no walking or running to learn the foot axes from: heading and toe direction unknown")
        gait_seen = False
    else:
        y, share = _pitch_axis(gyr_radps, up, moving)
        margin = _sign_margin(gyr_radps, y, flat, rate_hz)
        if margin < 0:
            y, margin = -y, -margin
        if share < _MIN_PC_SHARE:
            warnings.append(f"the foot does not rotate about one axis ({share:.0%} of swing rotation): loose mount?")
        if margin < _MIN_SIGN_MARGIN:
            warnings.append("toe direction uncertain (push-off and landing pitch look alike)")
    x = np.cross(y, up)
    matrix = np.vstack((x / np.linalg.norm(x), y, up))
    return Alignment(matrix, share, margin, float(rest.mean()), tuple(warnings), gait_seen)
