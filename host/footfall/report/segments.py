"""A physiotherapist's marked segments of a stored session: the figures of the steps inside each (the report's
segment table and `footfall history show`), and which segment each step falls in (the step exports).

A segment is (label, start_s, end_s) in seconds since the session start. The store keeps each step's
`ic_time_s` as analysed, on that same time base (a live session's time 0 is its start, footfall.live.align; a
recording added later is analysed on its own, live, time base and the session starts at its time 0), and
`Store.add_segment` checks the marks against it. So a step is inside a segment when its initial contact is in
[start_s, end_s), as `footfall.coaching.summary.window` has it: not counted from the first step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from footfall.analysis.segments import activity_of_steps
from footfall.analysis.segments import segments as activity_segments
from footfall.analysis.step import Step
from footfall.analysis.summary import summarise
from footfall.coaching.summary import RunSummary, summarise_steps, window
from footfall.store.checks import LABEL_SEPARATOR  # between the labels of a step inside overlapping segments

if TYPE_CHECKING:
    from footfall.store import Store

SHORT_SEGMENT_S = 30.0  # a segment shorter than this: its medians are rough (as a recording under 30 s)
FEW_STEPS = 10  # fewer steps than this of a foot: the medians are rough (analysis/summary.py)
SegmentSpan = tuple[str, float, float]  # (label, start_s, end_s), seconds since the session start


@dataclass(frozen=True)
class SegmentFigures:
    label: str
    start_s: float
    end_s: float
    summary: RunSummary  # summarise_steps of the steps inside, as for the whole session
    stride_length_m: float  # the analyser summary's median (RunSummary does not carry it); NaN = not measured
    note: str = ""  # why its figures are rough ("" when they are not): too short, too few steps per foot
    steps: tuple[Step, ...] = ()  # the steps its figures describe (its main activity's), in time order

    @property
    def basis(self) -> str:
        """Which steps the figures describe: "running", "walking" or "none"."""
        return self.summary.activity

    def figures(self) -> dict[str, float]:
        """The summary's figures (the names of a stored session summary) and the stride length."""
        return {**self.summary.to_dict(), "stride_length_m": self.stride_length_m}


def stored_segments(store: Store, session_id: int) -> list[SegmentSpan]:
    return [(g.label, g.start_s, g.end_s) for g in store.segments(session_id)]


def segment_figures(steps: Sequence[Step], segments: Sequence[SegmentSpan]) -> list[SegmentFigures]:
    """The figures of each segment's steps, in the order given."""
    return [_figures(label, start_s, end_s, window(steps, start_s, end_s)) for label, start_s, end_s in segments]


def _figures(label: str, start_s: float, end_s: float, inside: Sequence[Step]) -> SegmentFigures:
    stride_m = summarise(inside).combined.figures["stride_length_m"]
    summary = summarise_steps(inside)
    used = figure_steps(inside, summary.activity)
    return SegmentFigures(label, start_s, end_s, summary, stride_m, short_note(label, end_s - start_s, used, summary.activity),
                          tuple(used))


def whole_figures(label: str, steps: Sequence[Step]) -> SegmentFigures:
    """A whole session as one segment (a session compared with another, or with a segment of another)."""
    end_s = max((s.ic_time_s for s in steps), default=0.0) + 1e-6
    start_s = min((s.ic_time_s for s in steps), default=0.0)
    return _figures(label, start_s, end_s, steps)


def figure_steps(inside: Sequence[Step], basis: str) -> list[Step]:
    """The steps the summary's figures describe (those of its main activity, by the analyser's activity
    segmentation, as `summarise` picks them), in time order."""
    ordered = sorted(inside, key=lambda s: s.ic_time_s)
    kinds = activity_of_steps(ordered, activity_segments(ordered))
    return [s for s, kind in zip(ordered, kinds) if kind == basis]


def short_note(label: str, length_s: float, used: Sequence[Step], basis: str = "") -> str:
    """"cue: 7 steps per foot in 5 s: ..." for a segment under SHORT_SEGMENT_S or with under FEW_STEPS steps of a
    foot among the steps its figures use (its running steps: a walking warm-up's walking steps do not count; the
    whole-recording rule of analysis/summary.py, applied per segment); "" otherwise."""
    per_foot = Counter(s.side for s in used)
    fewest = min(per_foot.values(), default=0)
    if length_s >= SHORT_SEGMENT_S and fewest >= FEW_STEPS:
        return ""
    what = f" {basis}" if basis in ("running", "walking") else ""
    return (f"{label}: {fewest}{what} steps per foot in {length_s:.0f} s: medians of under {FEW_STEPS} steps per "
            f"foot or {SHORT_SEGMENT_S:.0f} s are rough")


def segment_label_lists(steps: Sequence[Step], segments: Sequence[SegmentSpan]) -> list[list[str]]:
    """Per step, the labels of the segments holding it, in the segments' order ([] when none)."""
    inside: dict[int, list[str]] = {}
    for label, start_s, end_s in segments:
        for s in window(steps, start_s, end_s):
            inside.setdefault(id(s), []).append(label)
    return [inside.get(id(s), []) for s in steps]


def segment_labels(steps: Sequence[Step], segments: Sequence[SegmentSpan]) -> list[str]:
    """Per step, the label of the segment holding it ("" when none; the labels joined by LABEL_SEPARATOR, in
    the segments' order, when marked segments overlap: a label never holds it, Store.add_segment refuses it)."""
    return [LABEL_SEPARATOR.join(labels) for labels in segment_label_lists(steps, segments)]
