"""Virtual runner sanity: the signals obey physics and agree with the truth they come with."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from footfall.errors import InputError
from footfall.samples import STANDARD_GRAVITY_MPS2 as G
from footfall.virtual.runner import RunnerParams, SimulatedRun, preset, simulate, strike_pattern, write_truth

QUIET: dict[str, Any] = dict(acc_noise_mps2=0.0, gyr_noise_radps=0.0, gyro_bias_radps=(0.0, 0.0, 0.0))


@pytest.fixture(scope="module")
def run() -> SimulatedRun:
    return simulate(RunnerParams(duration_s=30.0, **QUIET))


def test_gravity_at_rest_and_gyro_reads_its_bias() -> None:
    p = RunnerParams(duration_s=5.0, schedule=(("standing", 10.0),), gyro_bias_radps=(0.01, -0.02, 0.03))
    foot = simulate(p).feet["L"]
    acc_norm = np.linalg.norm(foot.acc_mps2, axis=1)
    print(f"|acc| at rest {acc_norm.mean():.4f} m/s^2, gyro mean {foot.gyr_radps.mean(axis=0)}")
    assert abs(acc_norm.mean() - G) < 0.01
    assert np.allclose(foot.acc_mps2.mean(axis=0), [0.0, 0.0, G], atol=0.01)
    assert np.allclose(foot.gyr_radps.mean(axis=0), p.gyro_bias_radps, atol=0.001)
    assert foot.truth.contacts == ()


def test_stride_length_is_speed_times_stride_time(run: SimulatedRun) -> None:
    for foot in run.feet.values():
        steady = [c for c in foot.truth.contacts if c.steady]
        assert len(steady) >= 35
        for c in steady:
            assert c.stride_length_m == pytest.approx(run.params.speed_mps * c.stride_time_s, rel=1e-9)
            assert c.speed_mps == pytest.approx(run.params.speed_mps, rel=1e-9)


@pytest.mark.parametrize("cadence_spm, speed_mps", [(150.0, 2.5), (190.0, 2.5), (190.0, 5.0), (150.0, 5.0)])
def test_contact_time_and_late_swing_stay_in_the_range_of_running(cadence_spm: float, speed_mps: float) -> None:
    """Duty factor (contact / stride time) about 0.4 at most (+ the default overstride's longer contact) and
    the foot's deceleration before landing (mean |specific force| over the last 30 ms of swing) within what
    real jogging shows (pyshoe: 2.5-3.5 g)."""
    run = simulate(RunnerParams(duration_s=10.0, cadence_spm=cadence_spm, speed_mps=speed_mps, **QUIET))
    foot = run.feet["R"]
    steady = [c for c in foot.truth.contacts if c.steady]
    duty = float(np.median([(c.to_s - c.ic_s) / c.stride_time_s for c in steady]))
    n = int(0.03 * foot.rate_hz)
    late_g = max(np.linalg.norm(foot.acc_mps2[int(c.ic_s * foot.rate_hz) - n : int(c.ic_s * foot.rate_hz)], axis=1).mean()
                 for c in steady) / G  # fmt: skip
    print(f"{cadence_spm:.0f} steps/min, {speed_mps} m/s: duty factor {duty:.2f}, late swing {late_g:.1f} g")
    assert duty <= 0.42 and late_g < 5.0


def test_truth_cadence_matches_the_contacts_in_the_signal(run: SimulatedRun) -> None:
    """One swing (toe-up rotation peak) per truth stride, an impact right after each truth IC, and truth
    cadence equal to what those ICs give."""
    for foot in run.feet.values():
        ic = foot.truth.ic_s
        gyr_y = foot.gyr_radps[:, 1]
        swing = np.flatnonzero((gyr_y[1:-1] < -4.0) & (gyr_y[1:-1] <= gyr_y[:-2]) & (gyr_y[1:-1] < gyr_y[2:])) + 1
        swing_t = swing / foot.rate_hz
        between = [np.sum((swing_t > a) & (swing_t < b)) for a, b in zip(ic[:-1], ic[1:])]
        print(f"{foot.side}: {len(ic)} truth ICs, {len(swing_t)} swings; cadence {foot.truth.cadence_spm:.1f} spm")
        assert between == [1] * (len(ic) - 1)  # exactly one swing between consecutive truth ICs
        for t_ic in ic:
            window = np.linalg.norm(foot.acc_mps2[int(t_ic * foot.rate_hz): int((t_ic + 0.03) * foot.rate_hz)], axis=1)
            assert window.max() > 3 * G
        counted = 120.0 * (len(ic) - 1) / (ic[-1] - ic[0])
        assert foot.truth.cadence_spm == pytest.approx(counted, rel=1e-9)
        assert foot.truth.cadence_spm == pytest.approx(run.params.cadence_spm, rel=0.02)


def _cumulative(x: np.ndarray, rate_hz: float) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum((x[1:] + x[:-1]) / 2.0)]) / rate_hz


def test_integrated_gyro_over_stance_gives_the_truth_strike_angle() -> None:
    for strike in (20.0, 4.0, -8.0):
        foot = simulate(RunnerParams(duration_s=12.0, strike_angle_deg=strike, **QUIET)).feet["R"]
        t = foot.time_s
        angle = _cumulative(foot.gyr_radps[:, 1], foot.rate_hz)
        errors = []
        for c in foot.truth.contacts:
            mid = c.ic_s + 0.45 * c.contact_time_ms / 1000.0
            if c.ic_s > 0.1 and mid < t[-1]:
                measured = np.degrees(np.interp(mid, t, angle) - np.interp(c.ic_s, t, angle))
                errors.append(measured - c.strike_angle_deg)
        print(f"strike {strike}: gyro-integrated minus truth: max |error| {np.abs(errors).max():.3f} deg")
        assert len(errors) > 10 and np.abs(errors).max() < 0.3


def _world_velocity_over_stride(gyr: np.ndarray, acc: np.ndarray, rate_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """Strapdown integration from rest (foot flat): orientation from the gyro, then velocity and position."""
    rot = Rotation.identity()
    acc_world = np.empty_like(acc)
    for i in range(acc.shape[0]):
        acc_world[i] = rot.apply(acc[i])
        if i + 1 < acc.shape[0]:
            rot = rot * Rotation.from_rotvec((gyr[i] + gyr[i + 1]) / (2.0 * rate_hz))
    acc_world[:, 2] -= G
    vel = np.stack([_cumulative(acc_world[:, j], rate_hz) for j in range(3)], axis=1)
    pos = np.stack([_cumulative(vel[:, j], rate_hz) for j in range(3)], axis=1)
    return vel, pos


@pytest.mark.parametrize("impact_g", [0.0, 5.0])
def test_double_integration_returns_to_rest_after_one_stride(impact_g: float) -> None:
    foot = simulate(RunnerParams(duration_s=8.0, impact_g=impact_g, overstride=0.6, **QUIET)).feet["L"]
    cs = foot.truth.contacts
    for a, b in zip(cs[1:-1], cs[2:]):
        i0 = int(round((a.ic_s + 0.45 * a.contact_time_ms / 1000.0) * foot.rate_hz))
        i1 = int(round((b.ic_s + 0.45 * b.contact_time_ms / 1000.0) * foot.rate_hz))
        vel, pos = _world_velocity_over_stride(foot.gyr_radps[i0:i1 + 1], foot.acc_mps2[i0:i1 + 1], foot.rate_hz)
        print(f"impact {impact_g} g: end velocity {np.abs(vel[-1]).max():.3f} m/s, distance {pos[-1, 0]:.3f} m "
              f"vs stride {b.stride_length_m:.3f} m")
        assert np.abs(vel[-1]).max() < 0.05
        assert pos[-1, 0] == pytest.approx(b.stride_length_m, rel=0.01)


@pytest.mark.parametrize("pitch, roll, yaw", [(20.0, 0.0, 0.0), (0.0, -15.0, 0.0), (10.0, 10.0, 45.0)])
def test_mount_tilt_rotates_gravity(pitch: float, roll: float, yaw: float) -> None:
    p = RunnerParams(duration_s=2.0, schedule=(("standing", 5.0),), mount_pitch_deg=pitch, mount_roll_deg=roll,
                     mount_yaw_deg=yaw, **QUIET)
    acc = simulate(p).feet["L"].acc_mps2.mean(axis=0)
    # sensor axes in the foot frame: x tilted up by pitch, rolled about x, turned about z
    mount = Rotation.from_euler("ZYX", [yaw, -pitch, roll], degrees=True)
    expected = mount.inv().apply([0.0, 0.0, G])
    print(f"tilt {pitch, roll, yaw}: reads {acc}, expected {expected}")
    assert np.allclose(acc, expected, atol=1e-6)
    if yaw == 0.0:
        assert acc[0] == pytest.approx(G * np.sin(np.radians(pitch)) * np.cos(np.radians(roll)), abs=1e-6)


def test_same_seed_same_run_other_seed_other_run() -> None:
    p = RunnerParams(duration_s=10.0, seed=7)
    a, b, c = simulate(p), simulate(p), simulate(replace(p, seed=8))
    assert np.array_equal(a.feet["L"].acc_mps2, b.feet["L"].acc_mps2)
    assert a.feet["R"].truth == b.feet["R"].truth
    assert not np.array_equal(a.feet["L"].acc_mps2, c.feet["L"].acc_mps2)
    assert a.feet["L"].truth.ic_s[3] != c.feet["L"].truth.ic_s[3]


def test_standing_walking_running_segments_are_in_truth_and_signal() -> None:
    run = simulate(preset("mixed", duration_s=45.0))
    for foot in run.feet.values():
        segs = [(s.activity, s.start_s, s.end_s) for s in foot.truth.segments]
        assert segs == [("standing", 0.0, 5.0), ("walking", 5.0, 25.0), ("running", 25.0, 45.0)]
        acts = {c.activity for c in foot.truth.contacts if 5.0 < c.ic_s < 25.0}
        assert acts == {"walking"}
        assert {c.activity for c in foot.truth.contacts if c.ic_s > 25.5} == {"running"}
        assert not any(c.ic_s < 5.0 for c in foot.truth.contacts)
        standing = foot.acc_mps2[: int(4.5 * foot.rate_hz)]
        assert standing.std(axis=0).max() < 0.1  # still: only sensor noise
        walk = [c for c in foot.truth.contacts if c.activity == "walking" and c.steady]
        assert np.mean([c.cadence_spm for c in walk]) == pytest.approx(run.params.walk_cadence_spm, rel=0.03)
        assert np.mean([c.contact_time_ms for c in walk]) > 550


def test_strike_patterns_follow_altman_and_davis() -> None:
    assert [strike_pattern(a) for a in (8.1, 8.0, 0.0, -1.6, -1.7)] == [
        "rearfoot", "midfoot", "midfoot", "midfoot", "forefoot"]
    for name, pattern in (("heel-overstrider", "rearfoot"), ("midfoot", "midfoot"), ("forefoot", "forefoot")):
        contacts = simulate(preset(name, duration_s=20.0, strike_sd_deg=0.5)).feet["L"].truth.contacts
        share = np.mean([c.pattern == pattern for c in contacts])
        print(f"{name}: {share:.0%} {pattern}")
        assert share > 0.9


def test_overstride_raises_forward_velocity_at_contact_and_impact() -> None:
    figures = []
    for ov in (0.0, 0.5, 1.0):
        foot = simulate(RunnerParams(duration_s=15.0, overstride=ov, **QUIET)).feet["L"]
        v_ic = np.mean([c.foot_velocity_at_ic_mps for c in foot.truth.contacts])
        peaks = [np.linalg.norm(foot.acc_mps2[int(c.ic_s * foot.rate_hz): int((c.ic_s + 0.015) * foot.rate_hz)],
                                axis=1).max() for c in foot.truth.contacts]
        figures.append((v_ic, float(np.median(peaks)) / G))
    print("overstride 0, 0.5, 1 -> (foot velocity at IC m/s, impact g):", figures)
    assert figures[0][0] < figures[1][0] < figures[2][0]
    assert figures[0][1] < figures[1][1] < figures[2][1]


def test_asymmetry_and_fatigue_drift() -> None:
    p = RunnerParams(duration_s=1200.0, strike_asymmetry_deg=6.0, asymmetry_pct=4.0, cadence_drift_pct_per_h=-6.0,
                     strike_drift_deg_per_h=6.0)
    run = simulate(p)
    left, right = run.feet["L"].truth.contacts, run.feet["R"].truth.contacts
    diff = np.mean([c.strike_angle_deg for c in left]) - np.mean([c.strike_angle_deg for c in right])
    ct = np.mean([c.contact_time_ms for c in left]) / np.mean([c.contact_time_ms for c in right])
    early = np.mean([c.cadence_spm for c in left if c.ic_s < 120 and c.steady])
    late = np.mean([c.cadence_spm for c in left if c.ic_s > 1080])
    strike_late = np.mean([c.strike_angle_deg for c in left if c.ic_s > 1080])
    print(f"L-R strike {diff:.2f} deg, L/R contact {ct:.3f}, cadence {early:.1f} -> {late:.1f}")
    assert diff == pytest.approx(6.0, abs=0.3)
    assert ct == pytest.approx(1.04, abs=0.01)
    assert late / early == pytest.approx(1 - 0.06 * 1100 / 3600, abs=0.004)
    assert strike_late == pytest.approx(p.strike_angle_deg + 3.0 + 1.9, abs=0.5)


def test_truth_json_round_trips(run: SimulatedRun, tmp_path: Path) -> None:
    path = tmp_path / "truth.json"
    write_truth(run, path)
    doc = json.loads(path.read_text())
    left = doc["feet"]["L"]["contacts"]
    assert [c["ic_s"] for c in left] == list(run.feet["L"].truth.ic_s)
    assert doc["params"]["cadence_spm"] == run.params.cadence_spm
    assert doc["segments"][0]["activity"] == "running"


def test_bad_parameters_are_one_clear_error() -> None:
    with pytest.raises(InputError, match="overstride"):
        RunnerParams(overstride=2.0)
    with pytest.raises(InputError, match="schedule"):
        RunnerParams(schedule=(("jogging", 5.0),))
