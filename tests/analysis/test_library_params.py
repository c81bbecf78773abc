"""Library use: parameters that mean nothing are refused with an InputError instead of silently meaning
something else (QA16 #6)."""

from __future__ import annotations

import math

import pytest

from footfall.analysis.params import AnalysisParams
from footfall.analysis.stride import StrideParams
from footfall.errors import InputError


@pytest.mark.parametrize("leg_m", [-1.0, 0.0, math.nan, 9.0, 90.0, 0.1])
def test_an_implausible_leg_length_is_refused(leg_m: float) -> None:
    """Before: -1, 0 and NaN gave exactly the result of no leg length, 9 m was taken."""
    with pytest.raises(InputError, match="leg length .* not plausible"):
        StrideParams(leg_length_m=leg_m)


def test_a_leg_length_in_cm_says_so() -> None:
    with pytest.raises(InputError, match="90 cm is 0.9"):
        StrideParams(leg_length_m=90.0)


@pytest.mark.parametrize("leg_m", [None, 0.3, 0.9, 1.5])
def test_plausible_leg_lengths_are_taken(leg_m: float | None) -> None:
    assert StrideParams(leg_length_m=leg_m).leg_length_m == leg_m


@pytest.mark.parametrize("change", [
    {"min_rate_hz": -5.0}, {"align_window_s": 0.0}, {"swing_rate_radps": math.nan}, {"max_stride_s": math.inf},
    {"running_duty_factor": 1.2}, {"min_stride_s": 3.0}, {"min_contact_s": 2.0}, {"min_count_rate_hz": 60.0},
    {"max_bridge_s": -0.1}, {"turn_yaw_deg": "30"},
])  # fmt: skip
def test_analysis_params_out_of_range_are_refused(change: dict[str, object]) -> None:
    """Before: AnalysisParams(min_rate_hz=-5, align_window_s=0.0) was taken and the analysis ran."""
    with pytest.raises(InputError, match=next(iter(change))):
        AnalysisParams(**change)  # type: ignore[arg-type]


@pytest.mark.parametrize("change", [{}, {"max_bridge_s": 0.0}, {"scout_window_s": math.inf}, {"align_window_s": 4},
                                    {"auto_align": False}, {"min_rate_hz": 20.0}])
def test_analysis_params_in_range_are_taken(change: dict[str, object]) -> None:
    AnalysisParams(**change)  # type: ignore[arg-type]
