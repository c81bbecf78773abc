"""Foot kinematics of the virtual runner: sensor-point position and foot orientation, with exact derivatives.

Sagittal plane (world X forward, Z up). Pitch p is the foot's angle to the ground, + toe up.
- Stance: the foot rotates about a pivot on the ground, S = P + R(p) d with d the sensor offset from the
  pivot in the foot frame. Landing pivot is the heel (strike >= 0) or the metatarsal heads (forefoot); the
  pitch rolls to flat (quintic), the pivot decelerates from its landing velocity (overstride) to rest, the
  foot stays flat, then rolls about the metatarsal heads to toe-off (quintic).
- Swing: quintic Hermite interpolation of position and pitch between the exact toe-off and landing states
  (so the whole trajectory is C2), plus shape bumps s^a (1-s)^b (zero value, slope and curvature at both
  ends) that set the swing height, the peak forward velocity and the most toe-down pitch. Small roll and
  lateral bumps in swing only.
Derivatives are analytic: acceleration and angular rate need no numerical differentiation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.polynomial import polynomial as P
from numpy.typing import NDArray

from footfall.virtual.runner_timeline import Contacts

F64 = NDArray[np.float64]
MTP_X_M = 0.19  # heel to metatarsal heads along the sole
NCOEF = 13  # polynomial coefficients per swing channel (degree <= 12)

# shape bumps with zero value, slope and curvature at s=0 and s=1, normalised where noted
_B_HEIGHT = P.polymul(P.polypow([0, 1], 3), P.polypow([1, -1], 5))  # peak at s=3/8
_B_HEIGHT = _B_HEIGHT / P.polyval(3 / 8, _B_HEIGHT)
_B_PITCH = P.polymul(P.polypow([0, 1], 3), P.polypow([1, -1], 9))  # peak at s=1/4
_B_PITCH = _B_PITCH / P.polyval(1 / 4, _B_PITCH)
_B_FLAT = P.polymul(P.polymul(P.polypow([0, 1], 3), P.polypow([1, -1], 3)), [0.5, -1])  # flattens velocity
_B_FLAT_D_MID = P.polyval(0.5, P.polyder(_B_FLAT))
_B_SIDE = P.polymul(P.polypow([0, 1], 3), P.polypow([1, -1], 3)) * 64.0  # symmetric, peak 1 at s=1/2


@dataclass
class State:
    """Sensor point position, velocity, acceleration (world X, Y, Z) and orientation (pitch, roll) with rates."""

    pos: F64  # (n, 3)
    vel: F64
    acc: F64
    pitch: F64  # (n,) rad, + toe up
    dpitch: F64
    ddpitch: F64
    roll: F64
    droll: F64


def _smooth(s: F64) -> tuple[F64, F64, F64, F64]:
    """Quintic smoothstep sm(s), its first two derivatives and G(s) = integral of (1 - sm) from 0."""
    s2 = s * s
    sm = s2 * s * (10.0 - 15.0 * s + 6.0 * s2)
    d1 = 30.0 * s2 * (1.0 - s) ** 2
    d2 = 60.0 * s - 180.0 * s2 + 120.0 * s2 * s
    g = s - s2 * s2 * (2.5 - 3.0 * s + s2)
    return sm, d1, d2, g


def hermite5(x0: F64, v0: F64, a0: F64, x1: F64, v1: F64, a1: F64, t: F64) -> F64:
    """Monomial coefficients (n, 6) in s = time / t of the quintic matching value, rate, accel at both ends."""
    c0, c1, c2 = x0, v0 * t, a0 * t * t / 2.0
    d, e, f = x1 - c0 - c1 - c2, v1 * t - c1 - 2.0 * c2, a1 * t * t - 2.0 * c2
    return np.stack([c0, c1, c2, 10 * d - 4 * e + f / 2, -15 * d + 7 * e - f, 6 * d - 3 * e + f / 2], axis=1)


def _pad(c: F64) -> F64:
    out = np.zeros((c.shape[0], NCOEF))
    out[:, : c.shape[1]] = c
    return out


def _poly3(coef: F64, s: F64, t: F64, rows: NDArray[np.intp] | None = None) -> tuple[F64, F64, F64]:
    """Value and first two time derivatives of per-row polynomials at s (n,), duration t.

    coef is (n, NCOEF), or (m, NCOEF) with `rows` (n,) picking each sample's polynomial (gathered one
    column at a time, skipping the all-zero high orders: this is the generator's hot loop).
    """
    used = np.flatnonzero(np.any(coef != 0.0, axis=0))
    v = np.zeros_like(s)
    d1 = np.zeros_like(s)
    d2 = np.zeros_like(s)
    for j in range(int(used[-1]) if used.size else 0, -1, -1):  # Horner for the value and both derivatives
        d2 = d2 * s + 2.0 * d1
        d1 = d1 * s + v
        v = v * s + (coef[:, j] if rows is None else coef[:, j][rows])
    return v, d1 / t, d2 / (t * t)


def _rot(p: F64, dx: F64, dz: F64) -> tuple[F64, F64, F64, F64]:
    """R(p) d and dR/dp d in the sagittal plane (x forward, z up)."""
    c, s = np.cos(p), np.sin(p)
    return c * dx - s * dz, s * dx + c * dz, -s * dx - c * dz, c * dx - s * dz


def stance_state(c: Contacts, k: NDArray[np.intp], tau: F64, sensor_m: tuple[float, float]) -> State:
    """State at time tau (s since IC) inside contact k (vectorised over samples)."""
    p, dp, ddp, heel_off = _stance_pitch(c, k, tau)
    mtp = heel_off | (c.strike_rad[k] < 0)  # pivot: metatarsal heads in push-off and after a forefoot landing
    px, vx, ax = _pivot(c.heel_x_m[k] + MTP_X_M * mtp, c.u_ic_mps[k], c.brake_s[k], tau)
    pz, vz, az = _pivot(np.zeros_like(tau), c.w_ic_mps[k], c.settle_s[k], tau)
    rx, rz, qx, qz = _rot(p, np.where(mtp, sensor_m[0] - MTP_X_M, sensor_m[0]), np.full_like(tau, sensor_m[1]))
    zero = np.zeros_like(tau)
    pos = np.stack([px + rx, zero, pz + rz], axis=1)
    vel = np.stack([vx + dp * qx, zero, vz + dp * qz], axis=1)
    acc = np.stack([ax + ddp * qx - dp * dp * rx, zero, az + ddp * qz - dp * dp * rz], axis=1)
    return State(pos, vel, acc, p, dp, ddp, zero, zero)


def _stance_pitch(c: Contacts, k: NDArray[np.intp], tau: F64) -> tuple[F64, F64, F64, NDArray[np.bool_]]:
    """Pitch and its rates in stance: roll to flat (quintic), flat, push-off (quintic); and the push-off mask."""
    zero = np.zeros(k.size)
    tff = c.t_ff_s[k]
    land = hermite5(c.strike_rad[k], c.rate_ic_radps[k], zero, zero, zero, zero, tff)
    p, dp, ddp = _poly3(_pad(land), np.clip(tau / tff, 0.0, 1.0), tff)
    in_land = tau < tff
    p, dp, ddp = p * in_land, dp * in_land, ddp * in_land
    heel_off = tau >= c.t_ho_s[k]
    if np.any(heel_off):
        kh = k[heel_off]
        dur = c.to_s[kh] - c.ic_s[kh] - c.t_ho_s[kh]
        zh = np.zeros(kh.size)
        coef = hermite5(zh, zh, zh, c.toe_off_rad[kh], c.rate_to_radps[kh], zh, dur)
        p[heel_off], dp[heel_off], ddp[heel_off] = _poly3(_pad(coef), (tau[heel_off] - c.t_ho_s[kh]) / dur, dur)
    return p, dp, ddp, heel_off


def _pivot(final: F64, v0: F64, t_stop: F64, tau: F64) -> tuple[F64, F64, F64]:
    """A pivot landing with velocity v0 and coming smoothly (C2) to rest at `final` after t_stop."""
    sm, d1, _, g = _smooth(np.clip(tau / t_stop, 0.0, 1.0))
    return final - v0 * t_stop * (0.5 - g), v0 * (1.0 - sm), -v0 * d1 / t_stop


@dataclass
class Swing:
    """Per-contact polynomial coefficients (n, NCOEF) in s = (t - toe-off) / duration for the following swing."""

    duration_s: F64
    x: F64
    y: F64
    z: F64
    pitch: F64
    roll: F64


def build_swings(c: Contacts, sensor_m: tuple[float, float]) -> Swing:
    """Fit each swing between the exact toe-off state of contact k and the landing state of contact k+1."""
    has = np.isfinite(c.to_s) & np.isfinite(c.next_ic_s)
    k = np.flatnonzero(has)
    out = Swing(np.ones(c.n), *(np.zeros((c.n, NCOEF)) for _ in range(5)))
    if k.size == 0:
        return out
    a = stance_state(c, k, c.to_s[k] - c.ic_s[k], sensor_m)
    b = stance_state(c, k + 1, np.zeros(k.size), sensor_m)
    t = c.next_ic_s[k] - c.to_s[k]
    out.duration_s[k] = t
    for axis, name in ((0, "x"), (2, "z")):
        h = _pad(hermite5(a.pos[:, axis], a.vel[:, axis], a.acc[:, axis], b.pos[:, axis], b.vel[:, axis],
                          b.acc[:, axis], t))
        getattr(out, name)[k] = h
    out.x[k] += np.outer((c.swing_v_peak_mps[k] * t - P.polyval(0.5, P.polyder(out.x[k].T))) / _B_FLAT_D_MID,
                         _coef(_B_FLAT))
    out.z[k] += np.outer(c.swing_z_max_m[k] - P.polyval(3 / 8, out.z[k].T), _coef(_B_HEIGHT))
    hp = _pad(hermite5(a.pitch, a.dpitch, a.ddpitch, b.pitch, b.dpitch, b.ddpitch, t))
    out.pitch[k] = hp + np.outer(c.swing_min_rad[k] - P.polyval(1 / 4, hp.T), _coef(_B_PITCH))
    out.roll[k] = np.outer(c.swing_roll_rad[k], _coef(_B_SIDE))
    out.y[k] = np.outer(c.swing_lateral_m[k], _coef(_B_SIDE))
    return out


def _coef(b: NDArray[np.floating[Any]]) -> F64:
    out = np.zeros(NCOEF)
    out[: b.size] = b
    return out


def swing_state(sw: Swing, k: NDArray[np.intp], s: F64) -> State:
    t = sw.duration_s[k]
    chans = [_poly3(getattr(sw, name), s, t, k) for name in ("x", "y", "z")]
    pos, vel, acc = (np.stack([ch[i] for ch in chans], axis=1) for i in range(3))
    p, dp, ddp = _poly3(sw.pitch, s, t, k)
    r, dr, _ = _poly3(sw.roll, s, t, k)
    return State(pos, vel, acc, p, dp, ddp, r, dr)


def foot_state(c: Contacts, sw: Swing, t: F64, sensor_m: tuple[float, float]) -> tuple[State, NDArray[np.intp]]:
    """State at absolute times t (sorted or not); also returns the contact index of each sample."""
    k = np.clip(np.searchsorted(c.ic_s, t, side="right") - 1, 0, c.n - 1)
    tau = t - c.ic_s[k]
    stance = t < c.to_s[k]
    st = stance_state(c, k[stance], tau[stance], sensor_m)
    ks = k[~stance]
    sw_st = swing_state(sw, ks, (t[~stance] - c.to_s[ks]) / sw.duration_s[ks])
    out = State(*(np.empty((t.size, 3)) if i < 3 else np.empty(t.size) for i in range(8)))
    for name in ("pos", "vel", "acc", "pitch", "dpitch", "ddpitch", "roll", "droll"):
        arr = getattr(out, name)
        arr[stance] = getattr(st, name)
        arr[~stance] = getattr(sw_st, name)
    return out, k
