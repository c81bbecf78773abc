"""The one place the pipeline calls the per-stride measures of `footfall.analysis.stride`.

Each window runs from one mid-stance (foot flat, index 0 = ms_start) to the next (ms_end), with `to` the
toe-off after ms_start and `ic` the IC before ms_end. A window the stride module rejects gives NaN for every
measure, never a guess. `measure_strides` measures many windows at once (stride.analyse_strides): the
pipeline's path; `measure_stride` one window alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from footfall.analysis import stride
from footfall.analysis.step import Pattern
from footfall.analysis.stride import StrideMetrics, StrideParams
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
    pattern_confidence: float = math.nan  # none for an unknown pattern
    flags: tuple[str, ...] = ()


NOT_MEASURED = Measures({f: math.nan for f in _FIELDS})


def measure_stride(
    acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float, to: float, ic: float, params: StrideParams | None
) -> Measures:
    """Per-stride measures over one mid-stance-to-mid-stance window (foot frame); NaN when unavailable.

    `to` and `ic` are fractional window indices; the stride module takes whole samples (rounded here).
    """
    ms_end = len(acc_mps2) - 1
    if not (math.isfinite(to) and math.isfinite(ic)):
        return NOT_MEASURED
    to_i, ic_i = int(round(to)), int(round(ic))
    if not 0 < to_i < ic_i < ms_end:
        return NOT_MEASURED
    try:
        metrics = stride.analyse_stride(acc_mps2, gyr_radps, rate_hz, 0, to_i, ic_i, ms_end, params or StrideParams())
    except AnalysisError:
        return Measures(NOT_MEASURED.values, flags=("stride_not_measured",))
    return _measures(metrics)


def _measures(metrics: StrideMetrics) -> Measures:
    values = {f: float(getattr(metrics, f)) for f in _FIELDS}
    return Measures(values, metrics.pattern, metrics.pattern_confidence, tuple(metrics.flags))


def _whole(ms_start: int, to: float, ic: float, ms_end: int) -> tuple[int, int, int, int] | None:
    """measure_stride's window check on absolute rows: events rounded relative to ms_start, as there."""
    if not (math.isfinite(to) and math.isfinite(ic)):
        return None
    to_i, ic_i = int(round(to - ms_start)), int(round(ic - ms_start))
    if not 0 < to_i < ic_i < ms_end - ms_start:
        return None
    return ms_start, ms_start + to_i, ms_start + ic_i, ms_end


def measure_strides(
    acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float,
    windows: list[tuple[int, float, float, int]], params: StrideParams | None,
) -> list[Measures]:  # fmt: skip
    """measure_stride for many windows (ms_start, to, ic, ms_end as absolute rows of acc/gyr, to and ic
    fractional) in one call of stride.analyse_strides, which shares numpy's per-call overhead between the
    strides of a block; each result equals measure_stride on that window alone."""
    whole = [_whole(*w) for w in windows]
    good = [w for w in whole if w is not None]
    if not good:
        return [NOT_MEASURED for _ in windows]
    try:
        batch = iter(stride.analyse_strides(acc_mps2, gyr_radps, rate_hz, good, params or StrideParams()))
    except AnalysisError:  # some window was rejected: fall back to one at a time, so only that one is lost
        return [_one(acc_mps2, gyr_radps, rate_hz, w, params) for w in windows]
    return [NOT_MEASURED if w is None else _measures(next(batch)) for w in whole]


def _one(acc: FloatArray, gyr: FloatArray, rate_hz: float, w: tuple[int, float, float, int],
         params: StrideParams | None) -> Measures:  # fmt: skip
    lo, to, ic, hi = w
    return measure_stride(acc[lo : hi + 1], gyr[lo : hi + 1], rate_hz, to - lo, ic - lo, params)
