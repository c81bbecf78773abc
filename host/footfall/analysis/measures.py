"""The one place the pipeline calls the per-stride measures of `footfall.analysis.stride`.

Contract (agreed with the stride module): `analyse_stride(acc_mps2, gyr_radps, rate_hz, ms_start, to, ic,
ms_end, params) -> StrideMetrics` over foot-frame arrays of one window from one mid-stance (foot flat,
index 0 = ms_start) to the next (ms_end), `to` the toe-off after ms_start and `ic` the IC before ms_end, as
indices into the window. Missing module or failing stride: every measure is NaN, never a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from footfall.analysis.step import Pattern
from footfall.errors import AnalysisError
from footfall.samples import FloatArray

_FIELDS = (
    "strike_angle_deg",
    "stride_length_m",
    "speed_mps",
    "foot_velocity_at_ic_mps",
    "braking_mps2",
    "overstride_index",
    "impact_g",
    "heading_change_deg",
)


@dataclass(frozen=True)
class Measures:
    values: dict[str, float]
    pattern: Pattern = Pattern.UNKNOWN
    pattern_confidence: float = 0.0
    flags: tuple[str, ...] = ()


NOT_MEASURED = Measures({f: math.nan for f in _FIELDS})


def _stride_module() -> object | None:
    try:
        from footfall.analysis import stride
    except ImportError:
        return None
    return stride if hasattr(stride, "analyse_stride") else None


def measure_stride(
    acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float, to: float, ic: float, params: object | None
) -> Measures:
    """Per-stride measures over one mid-stance-to-mid-stance window (foot frame); NaN when unavailable.

    `to` and `ic` are fractional window indices; the stride module takes whole samples (rounded here).
    A stride the module rejects (AnalysisError: events out of order) is reported as not measured.
    """
    module = _stride_module()
    ms_end = len(acc_mps2) - 1
    if not (math.isfinite(to) and math.isfinite(ic)):
        return NOT_MEASURED
    to_i, ic_i = int(round(to)), int(round(ic))
    if module is None or not 0 < to_i < ic_i < ms_end:
        return NOT_MEASURED
    args = (acc_mps2, gyr_radps, rate_hz, 0, to_i, ic_i, ms_end)
    try:
        metrics = module.analyse_stride(*args, params) if params is not None else module.analyse_stride(*args)  # type: ignore[attr-defined]
    except AnalysisError:
        return Measures(NOT_MEASURED.values, flags=("stride_not_measured",))
    values = {f: float(getattr(metrics, f, math.nan)) for f in _FIELDS}
    pattern = getattr(metrics, "pattern", Pattern.UNKNOWN)
    confidence = float(getattr(metrics, "pattern_confidence", 0.0))
    flags = tuple(getattr(metrics, "flags", ()))
    return Measures(values, Pattern(pattern), confidence, flags)
