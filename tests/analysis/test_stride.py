"""analyse_stride: the contract with the pipeline, flags and the forward measures on exact strides."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from footfall.analysis.stride import StrideMetrics, StrideParams, analyse_stride, analyse_strides
from footfall.errors import AnalysisError, FootfallError
from synthetic_stride import make_stride


def test_metrics_is_a_frozen_record_with_the_agreed_fields() -> None:
    s = make_stride()
    m = analyse_stride(s.acc_mps2, s.gyr_radps, s.rate_hz, 0, s.to, s.ic, s.ms_end, StrideParams())
    assert isinstance(m, StrideMetrics)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.stride_length_m = 1.0  # type: ignore[misc]
    for name in ("strike_angle_deg", "pattern", "pattern_confidence", "stride_length_m", "stride_time_s",
                 "speed_mps", "foot_velocity_at_ic_mps", "braking_mps2", "impact_g", "overstride_index", "flags"):  # fmt: skip
        assert hasattr(m, name)
    assert m.speed_mps == pytest.approx(m.stride_length_m / m.stride_time_s)


@pytest.mark.parametrize(("to", "ic", "end"), [(0, 100, 299), (120, 100, 299), (50, 299, 299), (50, 100, 250)])
def test_events_out_of_order_or_off_the_window_are_refused(to: int, ic: int, end: int) -> None:
    acc = np.tile([0.0, 0.0, 9.81], (300, 1))
    with pytest.raises(AnalysisError):
        analyse_stride(acc, np.zeros((300, 3)), 416.0, 0, to, ic, end)
    with pytest.raises(FootfallError):
        analyse_stride(acc, np.zeros((300, 3)), 416.0, 5, 50, 100, 299)


def test_landing_while_moving_forward_shows_in_velocity_braking_and_index() -> None:
    calm = make_stride(landing_fraction=0.9)
    late = make_stride(landing_fraction=1.1)  # still travelling forward when the foot lands
    m_calm, m_late = (analyse_stride(s.acc_mps2, s.gyr_radps, s.rate_hz, 0, s.to, s.ic, s.ms_end) for s in (calm, late))
    print(f"v_ic {m_calm.foot_velocity_at_ic_mps:.2f} vs {m_late.foot_velocity_at_ic_mps:.2f} m/s (truth "
          f"{calm.foot_velocity_at_ic_mps:.2f} / {late.foot_velocity_at_ic_mps:.2f}); braking "
          f"{m_calm.braking_mps2:.1f} vs {m_late.braking_mps2:.1f}; index {m_calm.overstride_index:.2f} vs "
          f"{m_late.overstride_index:.2f}")
    assert abs(m_late.foot_velocity_at_ic_mps - late.foot_velocity_at_ic_mps) < 0.05
    assert m_late.foot_velocity_at_ic_mps > 0.3 and abs(m_calm.foot_velocity_at_ic_mps) < 0.05
    assert m_late.braking_mps2 > m_calm.braking_mps2 + 3.0
    assert m_late.overstride_index > m_calm.overstride_index


def test_poor_zupt_is_flagged() -> None:  # (clipping is judged on the raw samples: test_clipping.py)
    s = make_stride()
    drifting = s.acc_mps2.copy()
    drifting[s.to : s.to + int(0.3 * s.rate_hz), 0] += 6.0  # a 6 m/s^2 glitch for 0.3 s: ~1.8 m/s of drift
    m = analyse_stride(drifting, s.gyr_radps, s.rate_hz, 0, s.to, s.ic, s.ms_end)
    assert "poor_zupt" in m.flags
    clean = analyse_stride(s.acc_mps2, s.gyr_radps, s.rate_hz, 0, s.to, s.ic, s.ms_end)
    assert clean.flags == ()


def test_impact_is_the_peak_near_ic_in_g() -> None:
    s = make_stride()
    acc = s.acc_mps2.copy()
    acc[s.ic + 4] = [0.0, 0.0, 5 * 9.80665]
    m = analyse_stride(acc, s.gyr_radps, s.rate_hz, 0, s.to, s.ic, s.ms_end)
    assert m.impact_g == pytest.approx(5.0, rel=1e-6)


def test_a_window_not_cut_at_rest_reports_nothing_it_cannot_anchor() -> None:
    s = make_stride()
    late = s.to - 2  # cut just before toe-off: the foot is already rolling onto its toes
    g = s.gyr_radps.copy()
    g[:late] = g[late]  # make the opening samples as fast as heel-off
    m = analyse_stride(s.acc_mps2, g + [0.0, 4.0, 0.0], s.rate_hz, 0, s.to, s.ic, s.ms_end)
    assert "no_rest_start" in m.flags and "no_rest_end" in m.flags
    assert np.isnan(m.stride_length_m) and np.isnan(m.strike_angle_deg) and np.isnan(m.foot_velocity_at_ic_mps)


def test_batched_windows_give_the_same_results_as_one_by_one() -> None:
    strides = [make_stride(strike_deg=d, turn_deg=t, length_m=length) for d, t, length in
               [(10.0, 0.0, 2.4), (-5.0, 30.0, 2.0), (20.0, -60.0, 3.0), (3.0, 0.0, 1.4)]]  # fmt: skip
    # one continuous recording: consecutive windows share their rest sample
    acc = np.concatenate([s.acc_mps2[:-1] for s in strides] + [strides[-1].acc_mps2[-1:]])
    gyr = np.concatenate([s.gyr_radps[:-1] for s in strides] + [strides[-1].gyr_radps[-1:]])
    gyr[strides[0].ms_end + 10 :: 997] = np.nan  # no gyro in one window: the fallback, inside a batch
    windows, o = [], 0
    for s in strides:
        windows.append((o, o + s.to, o + s.ic, o + s.ms_end))
        o += s.ms_end
    batch = analyse_strides(acc, gyr, 416.0, windows)
    for (a, to, ic, end), m in zip(windows, batch):
        single = analyse_stride(acc[a : end + 1], gyr[a : end + 1], 416.0, 0, to - a, ic - a, end - a)
        assert m.flags == single.flags
        for name in ("strike_angle_deg", "stride_length_m", "foot_velocity_at_ic_mps", "braking_mps2", "impact_g"):
            assert getattr(m, name) == pytest.approx(getattr(single, name), abs=1e-9, nan_ok=True)
    assert sum("acc_only" in m.flags for m in batch) == 1


def test_non_finite_accelerations_make_a_stride_not_measured() -> None:
    s = make_stride()
    acc = s.acc_mps2.copy()
    acc[50] = np.nan
    m = analyse_stride(acc, s.gyr_radps, s.rate_hz, 0, s.to, s.ic, s.ms_end)
    assert m.flags == ("bad_samples",) and np.isnan(m.stride_length_m) and np.isnan(m.strike_angle_deg)


def test_a_window_too_short_for_two_rests_is_not_measured() -> None:
    acc = np.tile([0.0, 0.0, 9.81], (20, 1))  # 48 ms at 416 Hz: less than 4 x 20 ms
    m = analyse_stride(acc, np.zeros((20, 3)), 416.0, 0, 5, 12, 19)
    assert m.flags == ("too_short",) and np.isnan(m.strike_angle_deg) and np.isnan(m.stride_length_m)
