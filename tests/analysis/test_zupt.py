"""Strapdown integration between two rests (footfall.analysis.zupt) on exact synthetic strides."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from footfall.analysis.zupt import integrate_stride, orientation, prefix_product, rotation_matrices
from synthetic_stride import make_stride


def test_prefix_product_matches_sequential_composition() -> None:
    rng = np.random.default_rng(1)
    for n in (1, 2, 15, 16, 17, 100, 333):
        m = rotation_matrices(rng.normal(0, 0.3, (n, 3)))
        expected = np.empty_like(m)
        acc = np.eye(3)
        for i in range(n):
            acc = acc @ m[i]
            expected[i] = acc
        assert np.abs(prefix_product(m) - expected).max() < 1e-12


def test_orientation_matches_scipy_rotation_chain() -> None:
    rng = np.random.default_rng(2)
    gyr = rng.normal(0, 4.0, (300, 3))
    rot = orientation(gyr, 416.0, np.eye(3))
    chain = Rotation.identity()
    for i in range(1, 300):
        chain = chain * Rotation.from_rotvec(0.5 * (gyr[i] + gyr[i - 1]) / 416.0)
    assert np.abs(rot[-1] - chain.as_matrix()).max() < 1e-10


@pytest.mark.parametrize("turn_deg", [0.0, 45.0, -90.0])
@pytest.mark.parametrize("tilt", [(0.0, 0.0), (20.0, -15.0)])
def test_stride_length_is_the_chord_between_rests(turn_deg: float, tilt: tuple[float, float]) -> None:
    s = make_stride(length_m=2.4, turn_deg=turn_deg, mount_tilt_deg=tilt)
    tr = integrate_stride(s.acc_mps2, s.gyr_radps, s.rate_hz, rest_n=8)
    half = np.radians(turn_deg) / 2
    chord = 2.4 * (np.sin(half) / half if half else 1.0)  # a constant-curvature arc of length 2.4 m
    length = float(np.hypot(*tr.pos_m[-1, :2]))
    print(f"turn {turn_deg} tilt {tilt}: length {length:.4f} m vs chord {chord:.4f} m")
    assert abs(length - chord) < 0.01 * chord
    assert abs(np.degrees(tr.heading_change_rad) - turn_deg) < 0.5
    assert abs(tr.pos_m[-1, 2]) < 0.02  # level ground: back to the same height
    assert np.abs(tr.vel_mps[[0, -1]]).max() < 1e-9  # de-drifted: zero velocity at both rests


def test_a_steady_acceleration_error_between_the_rests_is_removed_by_the_de_drift() -> None:
    s = make_stride(length_m=2.0)
    clean = integrate_stride(s.acc_mps2, s.gyr_radps, s.rate_hz, rest_n=8)
    error = np.zeros_like(s.acc_mps2)
    error[8:-8] = np.einsum("nji,j->ni", s.rot[8:-8], [0.4, -0.3, 0.2])  # constant in the world frame
    biased = integrate_stride(s.acc_mps2 + error, s.gyr_radps, s.rate_hz, rest_n=8)
    shift = float(np.linalg.norm(biased.pos_m[-1] - clean.pos_m[-1]))
    print(f"raw velocity drift {biased.end_velocity_mps:.2f} m/s, displacement change after de-drift {shift:.4f} m")
    assert biased.end_velocity_mps > 0.3  # the error did drift the raw velocity ...
    assert shift < 0.005  # ... and the linear de-drift removed it
