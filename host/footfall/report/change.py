"""Each later segment against the first (baseline): the change of the median in the metric's units, a 95 %
bootstrap CI of the difference of medians from the steps, and "within noise" when the CI includes 0 or the
change is below footfall's own starting floor (NOT validated minimal detectable changes; QA 15 H1)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from footfall.analysis.step import Step
from footfall.coaching.summary import window
from footfall.report.segments import SegmentSpan

N_RESAMPLES = 1000
SEED = 20261124  # fixed: the same steps give the same CI


@dataclass(frozen=True)
class NoiseFloors:
    """footfall's own starting values (from docs/validation.md), not clinical minimal detectable changes."""
    cadence_spm: float = 1.0
    contact_time_ms: float = 10.0
    strike_angle_deg: float = 3.0
    overstride_index: float = 0.05


FLOORS = NoiseFloors()
FLOOR_NOTE = ("within noise: the 95 % bootstrap CI of the difference of medians includes 0, or the change is below "
              f"footfall's own starting floor (cadence {FLOORS.cadence_spm:g} steps/min, contact "
              f"{FLOORS.contact_time_ms:g} ms, strike angle {FLOORS.strike_angle_deg:g} deg, overstride index "
              f"{FLOORS.overstride_index:g}): starting values, not validated minimal detectable changes.")
DECIMALS = {"cadence_spm": 1, "contact_time_ms": 0, "strike_angle_deg": 1, "overstride_index": 2}


@dataclass(frozen=True)
class Change:
    metric: str
    label: str  # the later segment
    change: float  # later median - baseline median, in the metric's units
    ci_low: float
    ci_high: float
    within_noise: bool

    def text(self) -> str:
        if not math.isfinite(self.change):
            return "-"
        d = DECIMALS.get(self.metric, 2)
        noise = " (within noise)" if self.within_noise else ""
        return f"{self.change:+.{d}f} [{self.ci_low:+.{d}f}, {self.ci_high:+.{d}f}]{noise}"


def _values(steps: Sequence[Step], metric: str) -> np.ndarray:
    running = [s for s in steps if s.activity == "running"] or list(steps)
    v = np.array([float(getattr(s, metric)) for s in running], dtype=float)
    return v[np.isfinite(v)]


def median_diff_ci(base: np.ndarray, later: np.ndarray) -> tuple[float, float, float]:
    """(median(later) - median(base), 2.5 %, 97.5 %) by a vectorised bootstrap with a fixed seed."""
    if base.size == 0 or later.size == 0:
        return math.nan, math.nan, math.nan
    rng = np.random.default_rng(SEED)
    b = np.median(rng.choice(base, (N_RESAMPLES, base.size)), axis=1)
    a = np.median(rng.choice(later, (N_RESAMPLES, later.size)), axis=1)
    low, high = np.percentile(a - b, [2.5, 97.5])
    return float(np.median(later) - np.median(base)), float(low), float(high)


def segment_changes(steps: Sequence[Step], segments: Sequence[SegmentSpan]) -> list[Change]:
    """Per metric of NoiseFloors, each segment after the first against the first."""
    if len(segments) < 2:
        return []
    base_steps = window(steps, segments[0][1], segments[0][2])
    later = [(label, window(steps, start_s, end_s)) for label, start_s, end_s in segments[1:]]
    out = []
    for metric, floor in asdict(FLOORS).items():
        base = _values(base_steps, metric)
        for label, seg_steps in later:
            diff, low, high = median_diff_ci(base, _values(seg_steps, metric))
            noise = not (low > 0 or high < 0) or abs(diff) < floor
            out.append(Change(metric, label, diff, low, high, noise))
    return out
