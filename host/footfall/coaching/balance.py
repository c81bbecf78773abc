"""Left against right: contact time, strike angle and main strike pattern of each foot's running steps.

The both-feet figures can hide one foot heel-striking while the other lands midfoot (51% rearfoot overall), so
each foot is summarised on its own, over the time both sensors measured (analysis/feet.py). The tolerances are
footfall's own starting values: none of the articles discusses left/right differences.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from footfall.analysis.feet import FeetNotCompared, FeetOverlap, OverlapParams, Span, feet_overlap, span_text
from footfall.analysis.step import Pattern, Step
from footfall.coaching.advice_types import Advice
from footfall.coaching.knowledge import Category, item
from footfall.finite import median


@dataclass(frozen=True)
class BalanceParams:
    contact_diff_frac: float = 0.06  # footfall's own: contact times more than 6% of their mean apart
    strike_diff_deg: float = 5.0  # footfall's own: strike angles more than 5 deg apart
    main_pattern_share: float = 0.6  # a foot's main pattern counts when it holds this share of its steps
    overlap: OverlapParams = OverlapParams()  # which steps are compared (the time both sensors measured)


@dataclass(frozen=True)
class Foot:
    contact_time_ms: float
    strike_angle_deg: float
    pattern: str  # the most common known pattern ("" without one)
    pattern_share: float

    @classmethod
    def of(cls, steps: Sequence[Step]) -> Foot:
        known = [s.pattern.value for s in steps if s.pattern is not Pattern.UNKNOWN]
        main, n = Counter(known).most_common(1)[0] if known else ("", 0)
        return cls(median(s.contact_time_ms for s in steps), median(s.strike_angle_deg for s in steps), main,
                   n / len(known) if known else math.nan)

    def describe(self) -> str:
        pattern = f", mostly {self.pattern} ({self.pattern_share * 100:.0f}%)" if self.pattern else ""
        return f"contact {self.contact_time_ms:.0f} ms, strike angle {self.strike_angle_deg:+.0f} deg{pattern}"


@dataclass(frozen=True)
class FootComparison:
    left: Foot
    right: Foot
    span: Span | None = None  # the time both sensors measured, when one measured longer than the other

    def differs(self, p: BalanceParams = BalanceParams()) -> bool:
        lt, rt = self.left.contact_time_ms, self.right.contact_time_ms
        contact = abs(lt - rt) > p.contact_diff_frac * (lt + rt) / 2
        strike = abs(self.left.strike_angle_deg - self.right.strike_angle_deg) > p.strike_diff_deg
        return contact or strike or self._patterns_differ(p)

    def _patterns_differ(self, p: BalanceParams) -> bool:
        feet = (self.left, self.right)
        return self.left.pattern != self.right.pattern and all(f.pattern_share >= p.main_pattern_share for f in feet)


def compare_feet(steps: Sequence[Step], p: BalanceParams = BalanceParams()) -> FootComparison | FeetNotCompared | None:
    """Each foot's running steps summarised over the time both sensors measured (analysis.feet.feet_overlap, the
    rule the session summary's left/right figures follow too); None unless both feet have running steps;
    FeetNotCompared when that time is too short."""
    overlap = feet_overlap(steps, [s for s in steps if s.activity == "running"], p.overlap)
    if not isinstance(overlap, FeetOverlap):
        return overlap
    return FootComparison(Foot.of(overlap.left), Foot.of(overlap.right), overlap.span)


def balance_advice(c: FootComparison | FeetNotCompared | None, p: BalanceParams = BalanceParams()) -> Advice | None:
    if isinstance(c, FeetNotCompared):
        msg = f"The two feet were not compared: {c.describe()}."
        own = f"feet compared over at least {p.overlap.min_overlap_s:.0f} s measured by both sensors"
        return Advice(Category.TECHNIQUE, "Left/right: not compared", msg, (), urgency=-3, own_values=own)
    if c is None or not c.differs(p):
        return None
    when = f" (over {span_text(c.span)}, the time both sensors measured)" if c.span is not None else ""
    msg = (f"Your two feet landed differently{when}: left {c.left.describe()}; right {c.right.describe()}. If this "
           f"shows again or one side hurts, a physiotherapist can assess your gait.")
    own = (f"feet flagged as different at more than {p.contact_diff_frac * 100:.0f}% apart in contact time, "
           f"{p.strike_diff_deg:.0f} deg in strike angle, or with different main strike patterns")
    return Advice(Category.TECHNIQUE, "Left/right difference", msg, (item("who_to_see"),), own_values=own)
