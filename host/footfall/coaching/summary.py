"""A small run summary computed from Step records: what coaching, store and report need.

Kept independent of the analyser's own summary so coaching works on any list of steps (from a recording,
from the history database, or scripted in a test). Medians, not means, so a few mis-detected steps do not
move the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from footfall.analysis.step import Pattern, Step


@dataclass(frozen=True)
class RunSummary:
    n_steps: int
    duration_s: float
    distance_m: float  # sum of stride lengths (NaN strides skipped); NaN when none is known
    cadence_spm: float
    speed_mps: float
    strike_angle_deg: float
    rearfoot_share: float
    midfoot_share: float
    forefoot_share: float
    contact_time_ms: float
    overstride_index: float
    impact_g: float
    balance_left_share: float  # share of contact time on the left foot (0.5 = even); NaN with one sensor

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


def _median(values: Sequence[float]) -> float:
    arr = np.asarray([v for v in values if math.isfinite(v)], dtype=float)
    return float(np.median(arr)) if arr.size else math.nan


def _share(steps: Sequence[Step], pattern: Pattern) -> float:
    known = [s for s in steps if s.pattern is not Pattern.UNKNOWN]
    return sum(s.pattern is pattern for s in known) / len(known) if known else math.nan


def _balance(steps: Sequence[Step]) -> float:
    left = _median([s.contact_time_ms for s in steps if s.side == "L"])
    right = _median([s.contact_time_ms for s in steps if s.side == "R"])
    return left / (left + right) if math.isfinite(left) and math.isfinite(right) else math.nan


def _distance(steps: Sequence[Step]) -> float:
    # A stride is one foot's travel over two steps, so each sensor alone covers the whole run: average them.
    per_sensor = []
    for sensor in sorted({s.sensor for s in steps}):
        strides = [s.stride_length_m for s in steps if s.sensor == sensor and math.isfinite(s.stride_length_m)]
        if strides:
            per_sensor.append(float(sum(strides)))
    return float(np.mean(per_sensor)) if per_sensor else math.nan


def summarise_steps(steps: Sequence[Step]) -> RunSummary:
    """Summarise the running steps (walking and standing contacts are left out when any running exists)."""
    running = [s for s in steps if s.activity == "running"] or list(steps)
    times = [s.ic_time_s for s in steps]
    return RunSummary(
        n_steps=len(running),
        duration_s=(max(times) - min(times)) if times else 0.0,
        distance_m=_distance(running),
        cadence_spm=_median([s.cadence_spm for s in running]),
        speed_mps=_median([s.speed_mps for s in running]),
        strike_angle_deg=_median([s.strike_angle_deg for s in running]),
        rearfoot_share=_share(running, Pattern.REARFOOT),
        midfoot_share=_share(running, Pattern.MIDFOOT),
        forefoot_share=_share(running, Pattern.FOREFOOT),
        contact_time_ms=_median([s.contact_time_ms for s in running]),
        overstride_index=_median([s.overstride_index for s in running]),
        impact_g=_median([s.impact_g for s in running]),
        balance_left_share=_balance(running),
    )


def window(steps: Sequence[Step], start_s: float, end_s: float) -> list[Step]:
    """The steps whose initial contact falls in [start_s, end_s)."""
    return [s for s in steps if start_s <= s.ic_time_s < end_s]
