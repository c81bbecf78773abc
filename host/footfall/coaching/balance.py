"""Left against right: contact time, strike angle and main strike pattern of each foot's running steps.

The both-feet figures can hide one foot heel-striking while the other lands midfoot (51% rearfoot overall), so
each foot is summarised on its own. The tolerances are footfall's own starting values: none of the articles
discusses left/right differences.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from footfall.analysis.step import Pattern, Step
from footfall.analysis.summary import covered_span
from footfall.coaching.advice_types import Advice
from footfall.coaching.knowledge import Category, item
from footfall.finite import median


@dataclass(frozen=True)
class BalanceParams:
    contact_diff_frac: float = 0.06  # footfall's own: contact times more than 6% of their mean apart
    strike_diff_deg: float = 5.0  # footfall's own: strike angles more than 5 deg apart
    main_pattern_share: float = 0.6  # a foot's main pattern counts when it holds this share of its steps
    min_overlap_s: float = 30.0  # footfall's own: the feet are compared over at least this time measured by both
    min_steps: int = 10  # footfall's own: and with at least this many running steps of each foot in it


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


Span = tuple[float, float]  # (first, last) initial contact of a foot's steps, session seconds


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


@dataclass(frozen=True)
class FeetNotCompared:
    """The two sensors measured together too briefly (one dropped out, or joined late) to compare the feet."""

    left: Span
    right: Span

    def describe(self) -> str:
        both = max(0.0, min(self.left[1], self.right[1]) - max(self.left[0], self.right[0]))
        return (f"the two sensors measured together for {both:.0f} s only (left {_span(self.left)}, right "
                f"{_span(self.right)}): figures from different parts of the run would show a difference that is "
                f"not there")


def _span(span: Span) -> str:
    return f"{span[0]:.0f}-{span[1]:.0f} s"


def covered(steps: Sequence[Step], side: str) -> Span | None:
    """The time a foot's sensor measured: its first to its last step's initial contact (None without steps)."""
    return covered_span([s for s in steps if s.side == side])


def compare_feet(steps: Sequence[Step], p: BalanceParams = BalanceParams()) -> FootComparison | FeetNotCompared | None:
    """Each foot's running steps summarised over the time both sensors measured (a sensor that stopped early
    leaves the other foot's later steps out); None unless both feet have running steps; FeetNotCompared when the
    time both measured is under p.min_overlap_s or holds under p.min_steps running steps of a foot."""
    running = [s for s in steps if s.activity == "running"]
    spans = covered(steps, "L"), covered(steps, "R")
    if spans[0] is None or spans[1] is None or not {"L", "R"} <= {s.side for s in running}:
        return None
    a, b = max(spans[0][0], spans[1][0]), min(spans[0][1], spans[1][1])
    left, right = ([s for s in running if s.side == side and a <= s.ic_time_s <= b] for side in ("L", "R"))
    if b - a < p.min_overlap_s or min(len(left), len(right)) < p.min_steps:
        return FeetNotCompared(spans[0], spans[1])
    whole = (min(spans[0][0], spans[1][0]), max(spans[0][1], spans[1][1]))
    return FootComparison(Foot.of(left), Foot.of(right), None if (a, b) == whole else (a, b))


def balance_advice(c: FootComparison | FeetNotCompared | None, p: BalanceParams = BalanceParams()) -> Advice | None:
    if isinstance(c, FeetNotCompared):
        msg = f"The two feet were not compared: {c.describe()}."
        return Advice(Category.TECHNIQUE, "Left/right: not compared", msg, (), urgency=-3,
                      own_values=f"feet compared over at least {p.min_overlap_s:.0f} s measured by both sensors")
    if c is None or not c.differs(p):
        return None
    when = f" (over {_span(c.span)}, the time both sensors measured)" if c.span is not None else ""
    msg = (f"Your two feet landed differently{when}: left {c.left.describe()}; right {c.right.describe()}. If this "
           f"shows again or one side hurts, a physiotherapist can assess your gait.")
    own = (f"feet flagged as different at more than {p.contact_diff_frac * 100:.0f}% apart in contact time, "
           f"{p.strike_diff_deg:.0f} deg in strike angle, or with different main strike patterns")
    return Advice(Category.TECHNIQUE, "Left/right difference", msg, (item("who_to_see"),), own_values=own)
