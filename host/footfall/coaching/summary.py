"""The flat run summary coaching, store and report use, built on the analyser's `summarise`.

Medians, not means, so a few mis-detected steps do not move the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from footfall.analysis.step import Pattern, Step
from footfall.analysis.summary import summarise


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
    # share of contact time on the left foot (0.5 = even), over the time both sensors measured; NaN with one sensor,
    # or when the feet cannot be compared (too few steps, or too short a time measured by both: analysis/feet.py)
    balance_left_share: float
    activity: str = "running"  # which steps the figures describe: "running", "walking" or "none" (no steps)

    def to_dict(self) -> dict[str, float]:
        """The figures (the activity, a word, is not stored: it is recomputed from the steps)."""
        return {k: float(v) for k, v in asdict(self).items() if k != "activity"}


def _left_share(symmetry_index_pct: float) -> float:
    """Left share of contact time, L / (L + R), from the summary's symmetry index 200 (L - R) / (L + R): the same
    medians over the same steps (the time both sensors measured), so the report and the JSON summary agree."""
    return 0.5 + symmetry_index_pct / 400.0


def summarise_steps(steps: Sequence[Step]) -> RunSummary:
    """Flat summary of the main activity's steps, on top of the analyser's `summarise` (its medians, its
    stride-time cadence, its activity segmentation, its distance, its left/right figures); duration is computed
    here."""
    times = [s.ic_time_s for s in steps]
    full = summarise(steps)
    c = full.combined
    return RunSummary(
        n_steps=c.steps,
        duration_s=(max(times) - min(times)) if times else 0.0,
        distance_m=c.distance_m,
        cadence_spm=c.figures["cadence_spm"],
        speed_mps=c.figures["speed_mps"],
        strike_angle_deg=c.figures["strike_angle_deg"],
        rearfoot_share=c.pattern_shares.get(Pattern.REARFOOT.value, math.nan),
        midfoot_share=c.pattern_shares.get(Pattern.MIDFOOT.value, math.nan),
        forefoot_share=c.pattern_shares.get(Pattern.FOREFOOT.value, math.nan),
        contact_time_ms=c.figures["contact_time_ms"],
        overstride_index=c.figures["overstride_index"],
        impact_g=c.figures["impact_g"],
        balance_left_share=_left_share(full.symmetry_index_pct.get("contact_time", math.nan)),
        activity=full.basis,
    )


def window(steps: Sequence[Step], start_s: float, end_s: float) -> list[Step]:
    """The steps whose initial contact falls in [start_s, end_s)."""
    return [s for s in steps if start_s <= s.ic_time_s < end_s]
