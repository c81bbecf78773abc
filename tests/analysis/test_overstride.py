"""The overstride index: components, weights, missing components (footfall.analysis.overstride)."""

from __future__ import annotations

import math

import pytest

from footfall.analysis.overstride import OverstrideWeights, cadence_norm_spm, overstride


def test_components_map_linearly_and_clip() -> None:
    o = overstride(11.0, 0.75, 20.0, cadence_norm_spm(3.0, None) - 10.0, 3.0)
    assert (o.strike_score, o.landing_velocity_score, o.braking_score, o.cadence_score) == pytest.approx((0.5, 0.5, 0.5, 0.5))
    assert o.index == pytest.approx(0.5)
    hi = overstride(40.0, 5.0, 200.0, 100.0, 3.0)
    lo = overstride(-10.0, -1.0, -5.0, 220.0, 3.0)
    assert hi.index == pytest.approx(1.0) and lo.index == pytest.approx(0.0)


def test_each_sign_of_overstriding_raises_the_index() -> None:
    base = dict(strike_angle_deg=5.0, foot_velocity_at_ic_mps=0.3, braking_mps2=8.0, cadence_spm=165.0, speed_mps=3.0)
    ref = overstride(**base).index  # type: ignore[arg-type]
    for key, worse in (("strike_angle_deg", 15.0), ("foot_velocity_at_ic_mps", 1.0), ("braking_mps2", 25.0),
                       ("cadence_spm", 150.0)):  # fmt: skip
        assert overstride(**{**base, key: worse}).index > ref  # type: ignore[arg-type]


def test_missing_components_are_left_out_and_weights_renormalised() -> None:
    o = overstride(20.0, math.nan, math.nan, 170.0, math.nan)
    assert math.isnan(o.landing_velocity_score) and math.isnan(o.cadence_score)
    assert o.index == pytest.approx(1.0)  # only the strike component (1.0) remains
    w = OverstrideWeights(strike=1.0, landing_velocity=0.0, braking=0.0, cadence=0.0)
    assert overstride(11.0, 1.5, 40.0, 100.0, 3.0, weights=w).index == pytest.approx(0.5)


def test_cadence_norm_rises_with_speed_and_falls_with_leg_length() -> None:
    assert cadence_norm_spm(4.0, None) > cadence_norm_spm(3.0, None)
    assert cadence_norm_spm(3.0, 1.0) < cadence_norm_spm(3.0, 0.9) == pytest.approx(cadence_norm_spm(3.0, None))
