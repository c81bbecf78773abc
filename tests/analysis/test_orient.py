"""Mounting auto-alignment: any mounting of the same gait gives the foot frame back."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from footfall.analysis.orient import estimate_alignment
from footfall.virtual.runner import RunnerParams, simulate

RUN = simulate(RunnerParams(duration_s=12.0, seed=1))
FOOT = RUN.feet["L"]  # simulated in the foot frame (no mounting rotation)


def _angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    """Angle of the rotation a @ b.T (0 when a and b are the same rotation)."""
    return float(np.degrees(Rotation.from_matrix(a @ b.T).magnitude()))


@pytest.mark.parametrize(
    "mount",
    [(0, 0, 0), (20, -15, 30), (180, 0, 0), (0, 180, 0), (90, 0, 0), (0, 0, 180), (-35, 60, -120)],
    ids=["level", "tilted", "upside-down-x", "upside-down-y", "heel-vertical", "backwards", "odd"],
)
def test_recovers_foot_frame_for_any_mounting(mount: tuple[float, float, float]) -> None:
    # sensor = R_mount^T foot: the sensor axes are the foot axes turned by the mounting
    r = Rotation.from_euler("yxz", mount, degrees=True).as_matrix()
    acc, gyr = FOOT.acc_mps2 @ r, FOOT.gyr_radps @ r
    al = estimate_alignment(acc, gyr, FOOT.rate_hz)
    truth = estimate_alignment(FOOT.acc_mps2, FOOT.gyr_radps, FOOT.rate_hz).matrix @ r  # v_foot = r v_sensor
    err = _angle_deg(al.matrix, truth)
    print(f"mount {mount}: error {err:.2f} deg, pitch share {al.pitch_share:.2f}, sign margin {al.sign_margin:.2f}")
    assert err < 1.0
    assert al.good


def test_foot_frame_data_gives_near_identity() -> None:
    al = estimate_alignment(FOOT.acc_mps2, FOOT.gyr_radps, FOOT.rate_hz)
    err = _angle_deg(al.matrix, np.eye(3))
    print(f"identity error {err:.2f} deg")
    assert err < 3.0  # foot-flat in the simulator is level: only the principal-axis estimate differs


def test_standing_only_warns_and_keeps_gravity() -> None:
    rng = np.random.default_rng(0)
    n = 2000
    acc = np.array([0.0, -9.81, 0.0]) + rng.normal(0, 0.02, (n, 3))  # sensor y points down
    gyr = rng.normal(0, 0.005, (n, 3))
    al = estimate_alignment(acc, gyr, 200.0)
    assert not al.good and not al.gait_seen
    np.testing.assert_allclose(al.apply(acc).mean(axis=0), [0, 0, 9.81], atol=0.05)


def test_loose_mount_is_flagged() -> None:
    rng = np.random.default_rng(1)
    n = 4000
    acc = np.array([0.0, 0.0, 9.81]) + rng.normal(0, 1.0, (n, 3))
    gyr = rng.normal(0, 3.0, (n, 3))  # rotation in every direction, no dominant axis
    al = estimate_alignment(acc, gyr, 200.0)
    assert not al.good
