"""Strike angle, pattern thresholds and confidence (footfall.analysis.strike)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from footfall.analysis.step import Pattern
from footfall.analysis.stride import analyse_stride
from footfall.analysis.strike import classify, confidence
from synthetic_stride import make_stride


@pytest.mark.parametrize(
    ("angle", "pattern"),
    [(25.0, Pattern.REARFOOT), (8.01, Pattern.REARFOOT), (8.0, Pattern.MIDFOOT), (0.0, Pattern.MIDFOOT),
     (-1.6, Pattern.MIDFOOT), (-1.61, Pattern.FOREFOOT), (-12.0, Pattern.FOREFOOT), (math.nan, Pattern.UNKNOWN)],
)  # fmt: skip
def test_altman_davis_thresholds(angle: float, pattern: Pattern) -> None:
    assert classify(angle) is pattern


def test_confidence_is_low_at_thresholds_and_high_far_from_them() -> None:
    assert confidence(8.0001, 2.0) == pytest.approx(0.5, abs=0.01)
    assert confidence(-1.6001, 2.0) == pytest.approx(0.5, abs=0.01)
    assert confidence(20.0, 2.0) > 0.99
    assert confidence(-10.0, 2.0) > 0.99
    assert 0.9 < confidence(3.2, 2.0) < 1.0  # mid-band: both thresholds 4.8 deg away
    assert confidence(3.2, 6.0) < confidence(3.2, 2.0)  # a wider error (acc-only) lowers it
    assert math.isnan(confidence(math.nan, 2.0))  # no angle, no confidence: not a measured 0


@pytest.mark.parametrize("strike_deg", [-10.0, -4.0, 0.0, 3.0, 8.0, 15.0, 25.0])
@pytest.mark.parametrize("tilt", [(0.0, 0.0), (20.0, 10.0), (-15.0, -20.0)])
def test_gyro_strike_angle_on_exact_strides(strike_deg: float, tilt: tuple[float, float]) -> None:
    s = make_stride(strike_deg=strike_deg, mount_tilt_deg=tilt)
    m = analyse_stride(s.acc_mps2, s.gyr_radps, s.rate_hz, 0, s.to, s.ic, s.ms_end)
    print(f"strike {strike_deg} tilt {tilt}: measured {m.strike_angle_deg:.3f}")
    # with a tilted mounting the sensor x axis is not the foot's: allow the small cross-axis mixing
    assert abs(m.strike_angle_deg - strike_deg) < (0.2 if tilt == (0.0, 0.0) else 0.6)


def test_without_gyro_the_stride_is_flagged_and_nothing_is_invented() -> None:
    s = make_stride()
    m = analyse_stride(s.acc_mps2, np.full_like(s.gyr_radps, np.nan), s.rate_hz, 0, s.to, s.ic, s.ms_end)
    assert "acc_only" in m.flags
    assert math.isnan(m.stride_length_m) and math.isnan(m.foot_velocity_at_ic_mps)
    assert m.stride_time_s == pytest.approx(s.ms_end / s.rate_hz)
    if math.isnan(m.strike_angle_deg):
        assert m.pattern is Pattern.UNKNOWN and "strike_not_measured" in m.flags
