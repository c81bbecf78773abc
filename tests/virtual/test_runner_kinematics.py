"""The virtual runner's foot trajectory: smooth (C2), self-consistent derivatives, realistic swing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from footfall.virtual.runner_kinematics import MTP_X_M, build_swings, foot_state
from footfall.virtual.runner_params import RunnerParams
from footfall.virtual.runner_timeline import Contacts, build_contacts, plan_steps


def _foot(**kw: object) -> tuple[RunnerParams, Contacts, object]:
    p = RunnerParams(duration_s=12.0, **kw)  # type: ignore[arg-type]
    rng = np.random.default_rng(1)
    c = build_contacts(p, "L", plan_steps(p, rng)["L"], rng)
    return p, c, build_swings(c, p.sensor_offset_m)


@pytest.mark.parametrize("strike", [20.0, 3.0, -8.0])
def test_trajectory_is_c2_at_every_phase_boundary(strike: float) -> None:
    p, c, sw = _foot(strike_angle_deg=strike, overstride=0.5)
    ks = np.flatnonzero((c.ic_s > 0) & (c.ic_s < 10))
    eps = 1e-7
    bounds = np.concatenate([c.ic_s[ks], c.to_s[ks], c.ic_s[ks] + c.t_ff_s[ks], c.ic_s[ks] + c.t_ho_s[ks]])
    before, _ = foot_state(c, sw, bounds - eps, p.sensor_offset_m)  # type: ignore[arg-type]
    after, _ = foot_state(c, sw, bounds + eps, p.sensor_offset_m)  # type: ignore[arg-type]
    for name, tol in (("pos", 1e-5), ("vel", 1e-4), ("acc", 1e-2), ("pitch", 1e-5), ("dpitch", 1e-3)):
        jump = np.abs(getattr(after, name) - getattr(before, name)).max()
        print(f"strike {strike}: max jump of {name} across boundaries {jump:.2e}")
        assert jump < tol


def test_velocity_and_acceleration_are_derivatives_of_position() -> None:
    p, c, sw = _foot()
    t = np.arange(2.0, 6.0, 1e-4)
    st, _ = foot_state(c, sw, t, p.sensor_offset_m)  # type: ignore[arg-type]
    vel_num = np.gradient(st.pos, t, axis=0)
    acc_num = np.gradient(st.vel, t, axis=0)
    pitch_rate_num = np.gradient(st.pitch, t)
    assert np.abs(vel_num - st.vel)[1:-1].max() < 0.02
    assert np.abs(acc_num - st.acc)[1:-1].max() < 1.0
    assert np.abs(pitch_rate_num - st.dpitch)[1:-1].max() < 0.02


def test_swing_is_realistic() -> None:
    p, c, sw = _foot(speed_mps=3.5, cadence_spm=170.0)
    t = np.arange(2.0, 8.0, 1e-3)
    st, k = foot_state(c, sw, t, p.sensor_offset_m)  # type: ignore[arg-type]
    peak_ratio = st.vel[:, 0].max() / p.speed_mps
    print(f"peak forward foot velocity {peak_ratio:.2f} x speed, height {st.pos[:, 2].max():.2f} m, "
          f"pitch {np.degrees(st.pitch.min()):.0f}..{np.degrees(st.pitch.max()):.0f} deg")
    assert 2.0 <= peak_ratio <= 2.6
    assert st.vel[:, 0].min() > -0.5  # the foot never runs backwards fast
    assert 0.2 < st.pos[:, 2].max() < 0.5 and st.pos[:, 2].min() >= 0.06  # sensor height above the ground
    assert -90 < np.degrees(st.pitch.min()) < -50


def test_foot_is_still_while_flat_and_lands_moving_forward_when_overstriding() -> None:
    p, c, sw = _foot(overstride=1.0, strike_angle_deg=18.0)
    ks = np.flatnonzero(c.ic_s > 1)[:5]
    mid = c.ic_s[ks] + 0.5 * (c.t_ff_s[ks] + c.t_ho_s[ks])
    st, _ = foot_state(c, sw, mid, p.sensor_offset_m)  # type: ignore[arg-type]
    assert np.abs(st.vel).max() < 1e-9 and np.abs(st.dpitch).max() < 1e-9
    land, _ = foot_state(c, sw, c.ic_s[ks], p.sensor_offset_m)  # type: ignore[arg-type]
    _, c0, sw0 = _foot(overstride=0.0, strike_angle_deg=18.0)
    land0, _ = foot_state(c0, sw0, c0.ic_s[ks], p.sensor_offset_m)  # type: ignore[arg-type]
    print(f"forward velocity at IC: overstride 1 {land.vel[:, 0].mean():.2f} m/s, 0 {land0.vel[:, 0].mean():.2f}")
    assert land.vel[:, 0].mean() > land0.vel[:, 0].mean() + 1.0


@settings(max_examples=25, deadline=None)
@given(cadence=hst.floats(150, 190), speed=hst.floats(2.5, 5.0), strike=hst.floats(-10, 25),
       overstride=hst.floats(0, 1), seed=hst.integers(0, 1000))
def test_any_runner_on_the_validation_grid_stays_physical(cadence: float, speed: float, strike: float,
                                                          overstride: float, seed: int) -> None:
    """Heel and toe never go below the ground, the foot never flies backwards fast, phases are ordered
    and the swing looks like running."""
    p = RunnerParams(cadence_spm=cadence, speed_mps=speed, strike_angle_deg=strike, overstride=overstride,
                     duration_s=6.0, seed=seed)
    rng = np.random.default_rng(seed)
    c = build_contacts(p, "R", plan_steps(p, rng)["R"], rng)
    sw = build_swings(c, p.sensor_offset_m)
    s, _ = foot_state(c, sw, np.arange(0.0, 6.0, 5e-4), p.sensor_offset_m)
    dx, dz = p.sensor_offset_m
    heel_z = s.pos[:, 2] - (np.sin(s.pitch) * dx + np.cos(s.pitch) * dz)
    toe_z = heel_z + np.sin(s.pitch) * MTP_X_M
    assert min(heel_z.min(), toe_z.min()) > -1e-6
    assert s.vel[:, 0].min() > -1.0 and 1.9 < s.vel[:, 0].max() / speed < 3.2
    assert -115 < np.degrees(s.pitch.min()) < -60 and np.degrees(s.pitch.max()) < max(strike, 0) + 10
    assert np.all(c.ic_s[1:] > c.to_s[:-1]) and np.all(c.to_s > c.ic_s + c.t_ho_s)
