"""At a running "rest" the foot still rolls, so the sensor on the laces (7 cm above the sole) moves at omega x r.
The stride integration starts and ends at that velocity, not at zero (StrideParams.sensor_height_m). Neither the
virtual runner's grid nor the real recordings show it clearly (a 0.04 -> 0.05 % change), so a foot that does
nothing but roll about its sole at a constant rate checks it exactly: the sensor travels h sin(omega T)."""

from __future__ import annotations

import numpy as np
import pytest

from footfall.analysis.stride import StrideParams, analyse_stride
from footfall.analysis.zupt import integrate_stride
from footfall.samples import STANDARD_GRAVITY_MPS2

RATE_HZ, TIME_S, HEIGHT_M = 416.0, 0.72, 0.07  # a 0.72 s window, the sensor 7 cm above the sole (the laces)


def _rolling(rate_radps: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Specific force and angular rate (foot frame) of a foot pitching toe-down at `rate_radps` about a pivot on
    its sole, the sensor HEIGHT_M above the pivot; and the sensor's true forward travel over the window."""
    phi = rate_radps * np.arange(int(TIME_S * RATE_HZ) + 1) / RATE_HZ
    centripetal = rate_radps**2 * HEIGHT_M  # toward the pivot, i.e. down the foot's z axis
    acc = np.stack((-STANDARD_GRAVITY_MPS2 * np.sin(phi), np.zeros_like(phi),
                    STANDARD_GRAVITY_MPS2 * np.cos(phi) - centripetal), axis=1)  # fmt: skip
    gyr = np.tile([0.0, rate_radps, 0.0], (len(phi), 1))
    return acc, gyr, HEIGHT_M * float(np.sin(phi[-1]))


@pytest.mark.parametrize("rate_radps", [0.4, 0.8])
def test_a_rolling_foot_moves_the_sensor_at_omega_times_its_height(rate_radps: float) -> None:
    acc, gyr, travel_m = _rolling(rate_radps)
    n = len(acc)
    m = analyse_stride(acc, gyr, RATE_HZ, 0, n // 5, 3 * n // 4, n - 1, StrideParams())  # the product's defaults
    assert m.stride_length_m == pytest.approx(travel_m, abs=0.001)  # without the lever arm: ~0.001 m


def test_the_rest_velocity_is_omega_cross_r() -> None:
    acc, gyr, _ = _rolling(0.8)
    trajectory = integrate_stride(acc, gyr, RATE_HZ, int(0.02 * RATE_HZ), HEIGHT_M)
    assert trajectory.vel_mps[0, 0] == pytest.approx(0.8 * HEIGHT_M, rel=0.02)  # forward, as the sole pivots
    assert abs(trajectory.vel_mps[0, 2]) < 0.005
