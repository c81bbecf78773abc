"""Left against right over the time both sensors measured: the one rule behind every left/right figure.

A sensor that drops out (or joins late) leaves the other foot's steps from a different part of the run. Gait
drifts over a run (contact time lengthens with fatigue), so comparing each foot over its own recording shows a
difference that is not there. The summary's symmetry index, the report's left share of contact and the advice's
foot comparison all take each foot's steps from `feet_overlap`, and none of them compares the feet when the time
both measured is too short.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from footfall.analysis.step import Step

Span = tuple[float, float]  # (first, last) initial contact of a foot's steps, session seconds


@dataclass(frozen=True)
class OverlapParams:
    # footfall's own: when one sensor measured clearly longer, the feet are compared over at least this time
    # measured by both
    min_overlap_s: float = 30.0
    min_steps: int = 10  # footfall's own: and always with at least this many compared steps of each foot
    # footfall's own: spans whose ends are this close measured the same time (the feet alternate, so their first
    # and last contacts are half a stride apart; that is not a drop-out)
    same_span_s: float = 2.0


@dataclass(frozen=True)
class FeetOverlap:
    """Each foot's compared steps inside the time both sensors measured."""

    left: tuple[Step, ...]
    right: tuple[Step, ...]
    span: Span | None = None  # the time both measured, when one sensor measured clearly longer than the other


@dataclass(frozen=True)
class FeetNotCompared:
    """The two sensors measured together too briefly (one dropped out, or joined late) to compare the feet."""

    left: Span
    right: Span

    def describe(self) -> str:
        both = max(0.0, min(self.left[1], self.right[1]) - max(self.left[0], self.right[0]))
        return (f"the two sensors measured together for {both:.0f} s only (left {span_text(self.left)}, right "
                f"{span_text(self.right)}): figures from different parts of the run would show a difference that is "
                f"not there")


def span_text(span: Span) -> str:
    return f"{span[0]:.0f}-{span[1]:.0f} s"


def covered_span(steps: Sequence[Step]) -> Span | None:
    """The time a sensor measured: its first and last step's initial contact (None without steps)."""
    ics = [s.ic_time_s for s in steps if math.isfinite(s.ic_time_s)]
    return (min(ics), max(ics)) if ics else None


def side_of(step: Step) -> str:
    return step.side


def feet_overlap(steps: Sequence[Step], compared: Sequence[Step] | None = None, p: OverlapParams = OverlapParams(),
                 feet: tuple[str, str] = ("L", "R"),
                 foot_of: Callable[[Step], str] = side_of) -> FeetOverlap | FeetNotCompared | None:  # fmt: skip
    """The `compared` steps (default: all) of each foot inside the time both sensors measured; each sensor's time
    is its first to last initial contact among all `steps`; `feet` names the left and the right foot as `foot_of`
    reads them (default: by side). None unless both feet have at least p.min_steps compared steps there;
    FeetNotCompared when one sensor measured clearly longer and the time both measured is under p.min_overlap_s
    or holds under p.min_steps compared steps of a foot."""
    chosen = steps if compared is None else compared
    left_span, right_span = (covered_span([s for s in steps if foot_of(s) == f]) for f in feet)
    mine = [[s for s in chosen if foot_of(s) == f] for f in feet]
    if left_span is None or right_span is None or not (mine[0] and mine[1]):
        return None
    if _same_time(left_span, right_span, p):  # no drop-out: the recording's own length does not matter
        enough = min(len(mine[0]), len(mine[1])) >= p.min_steps
        return FeetOverlap(tuple(mine[0]), tuple(mine[1])) if enough else None
    a, b = max(left_span[0], right_span[0]), min(left_span[1], right_span[1])
    left, right = ([s for s in m if a <= s.ic_time_s <= b] for m in mine)
    if b - a < p.min_overlap_s or min(len(left), len(right)) < p.min_steps:
        return FeetNotCompared(left_span, right_span)
    return FeetOverlap(tuple(left), tuple(right), (a, b))


def _same_time(left: Span, right: Span, p: OverlapParams) -> bool:
    return abs(left[0] - right[0]) <= p.same_span_s and abs(left[1] - right[1]) <= p.same_span_s
