"""Exact IMU signals of one synthetic foot stride, from a known trajectory and orientation.

The foot rests flat at both ends, pushes off toe-down, swings, lands with a chosen pitch (the strike angle)
and rolls flat again; it travels `length_m` horizontally while turning by `turn_deg`. Orientation is
world-from-foot R(t) = Rz(yaw) Ry(-pitch) (pitch + = toe up); the sensor may sit tilted on the foot.
Angular rate comes from a 16x oversampled rotation sequence, acceleration from analytic derivatives, so
the signals are exact to well below the errors the tests bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.spatial.transform import Rotation

G = 9.80665


@dataclass(frozen=True)
class Synthetic:
    acc_mps2: np.ndarray
    gyr_radps: np.ndarray
    rate_hz: float
    to: int
    ic: int
    ms_end: int
    foot_velocity_at_ic_mps: float  # forward, truth
    rot: np.ndarray  # (n, 3, 3) world-from-sensor, truth


def _pitch_spline(time_s: float, to_s: float, ic_s: float, strike_deg: float) -> CubicSpline:
    """Foot pitch (deg, + toe up): flat, toe-down push-off, swing, strike angle at IC, flat again."""
    t = np.array([0.0, to_s, 0.5 * (to_s + ic_s), ic_s, ic_s + 0.6 * (time_s - ic_s), time_s])
    p = np.array([0.0, -35.0, -10.0, strike_deg, 0.0, 0.0])
    return CubicSpline(t, p, bc_type="clamped")


def _smoothstep(u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quintic 0->1 with zero velocity and acceleration at both ends, and its two derivatives (per unit u)."""
    s = u**3 * (10 - 15 * u + 6 * u**2)
    ds = 30 * u**2 * (1 - u) ** 2
    dds = 60 * u * (1 - u) * (1 - 2 * u)
    return s, ds, dds


def make_stride(
    length_m: float = 2.4,
    time_s: float = 0.72,
    strike_deg: float = 10.0,
    turn_deg: float = 0.0,
    mount_tilt_deg: tuple[float, float] = (0.0, 0.0),
    rate_hz: float = 416.0,
    landing_fraction: float = 0.95,
) -> Synthetic:
    """One stride window; the forward travel ends at `landing_fraction` of the time to IC (so the foot still
    moves forward at IC when the fraction exceeds 1 - it does not here by default)."""
    to_s, ic_s = 0.2 * time_s, 0.75 * time_s
    n = int(round(time_s * rate_hz)) + 1
    fine = 16
    tf = np.linspace(0.0, (n - 1) / rate_hz, (n - 1) * fine + 1)
    travel_end = landing_fraction * ic_s
    u = np.clip((tf - to_s) / (travel_end - to_s), 0.0, 1.0)
    s, ds, dds = _smoothstep(u)
    dur = travel_end - to_s
    yaw = np.radians(turn_deg) * s
    # position along a curve whose heading follows the foot's yaw: x' = L s' cos(yaw), y' = L s' sin(yaw)
    speed = length_m * ds / dur
    vx, vy = speed * np.cos(yaw), speed * np.sin(yaw)
    acc_t = length_m * dds / dur**2
    yaw_rate = np.radians(turn_deg) * ds / dur
    ax = acc_t * np.cos(yaw) - vy * yaw_rate
    ay = acc_t * np.sin(yaw) + vx * yaw_rate
    lift = np.sin(np.pi * u) ** 2 * 0.12  # 12 cm foot clearance
    az = np.gradient(np.gradient(lift, tf), tf)
    pitch = np.radians(_pitch_spline(time_s, to_s, ic_s, strike_deg)(tf))
    foot = Rotation.from_euler("ZY", np.stack((yaw, -pitch), axis=1))
    mount = Rotation.from_euler("XY", np.radians(mount_tilt_deg))
    sensor = foot * mount
    rel = (sensor[:-1].inv() * sensor[1:]).as_rotvec() * (rate_hz * fine)
    gyr_f = np.vstack((rel[:1], 0.5 * (rel[1:] + rel[:-1]), rel[-1:]))
    acc_world = np.stack((ax, ay, az + G), axis=1)
    acc_f = sensor.inv().apply(acc_world)
    k = slice(None, None, fine)
    ic = int(round(ic_s * rate_hz))
    v_ic = float(np.hypot(vx[ic * fine], vy[ic * fine]))
    rot = sensor.as_matrix()[k]
    return Synthetic(acc_f[k], gyr_f[k], rate_hz, int(round(to_s * rate_hz)), ic, n - 1, v_ic, rot)
