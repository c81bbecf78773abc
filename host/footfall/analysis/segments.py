"""Activity segments (standing, walking, running) from the steps, so warm-ups and stops don't pollute the
running figures.

Each step is labelled by the analyser from its duty factor (contact / stride < 0.5 = running: a flight phase;
walking has double support, duty factor > 0.5; Novacheck 1998). Here the labels are smoothed by a majority over
the neighbouring 5 steps of all feet within a bout, time without any step for `standing_gap_s` becomes
"standing" (or "no data" when the step after it follows a gap in the samples: a lost link is not a rest), and
runs shorter than 3 steps are absorbed by their neighbours (a single odd stride does not start a segment).

"standing" means only "no step for more than `standing_gap_s`": the sensor cannot tell standing from sitting or
from a shoe taken off. It holds no step, but for a lone contact the analyser could time neither a stride nor a
toe-off of (its own label "standing", pipeline._acc_activity), which no neighbour outvotes. Segments span the
recording, from its first sample (`start_s`: a CSV's time may start at 100 s, and the time before it was never
recorded) to its last (`duration_s`, when known): a head or tail of up to `standing_gap_s` without a step belongs
to the first or the last segment, a longer one is "standing". They count their steps in time order; that count
is the one assignment of steps to segments: `activity_of_steps`, `labelled` and `with_segment_activity` (the
per-step `activity` the exports write) expand it, so a segment's `steps`, the
summary's counts and the exported rows agree. A new segment starts at the IC of the last step of the one before
(the segments tile the time), but that step is counted in the segment it ended.

Turns: step detection uses the pitch rate, which a change of heading hardly excites, so steps in curves and turns
are counted; strides turning more than `turn_yaw_deg` are flagged "turn". Their stride length and speed (chords:
mid-stance to mid-stance displacement) count in the summary; their foot velocity at IC, braking and overstride
index, taken along that chord, do not (summary.py).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from footfall.analysis.params import AnalysisParams
from footfall.analysis.step import Step
from footfall.errors import AnalysisError

ACTIVITIES = ("standing", "walking", "running")
NO_DATA = "no data"  # a pause in the steps that a gap in the samples explains
_STILL = ("standing", NO_DATA)  # segments without steps
_MIN_STEPS = 3
_HALF = 2


@dataclass(frozen=True)
class Segment:
    activity: str
    start_s: float
    end_s: float
    steps: int

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def smoothed_activity(steps: Sequence[Step], standing_gap_s: float = math.inf) -> list[str]:
    """Majority label over each step's +-2 neighbours (all feet, time order) within its bout (steps no more than
    `standing_gap_s` apart: the steps after a stop do not vote on those before it); ties keep the step's own."""
    labels = [s.activity for s in steps]
    codes = np.array([ACTIVITIES.index(a) if a in ACTIVITIES else 0 for a in labels])
    bout = np.concatenate(([0], np.cumsum(np.diff([s.ic_time_s for s in steps]) > standing_gap_s))).astype(int)
    out = []
    for k in range(len(codes)):
        lo, hi = max(0, k - _HALF), k + _HALF + 1
        window = codes[lo:hi][bout[lo:hi] == bout[k]]
        counts = np.bincount(window, minlength=len(ACTIVITIES))
        best = int(np.argmax(counts))
        out.append(ACTIVITIES[best] if counts[best] > counts[codes[k]] else ACTIVITIES[codes[k]])
    return out


def segments(steps: Sequence[Step], params: AnalysisParams | None = None, duration_s: float = math.nan,
             start_s: float = 0.0) -> list[Segment]:  # fmt: skip
    """Activity segments covering the session from `start_s` (its first sample's time) to `duration_s` (the
    time its last sample was taken, when known): more than `standing_gap_s` without a step before the first step
    or after the last is a standing segment, a shorter head or tail belongs to the segment next to it."""
    p = params or AnalysisParams()
    start_s += 0.0  # -0.0 (a CSV's time of "-0.000") is 0
    ordered = sorted(steps, key=lambda s: s.ic_time_s)
    if not ordered:
        return [Segment("standing", start_s, duration_s, 0)] if math.isfinite(duration_s) else []
    times = [s.ic_time_s for s in ordered]
    runs = [Segment("standing", start_s, times[0], 0)] if times[0] - start_s > p.standing_gap_s else []
    for k, (t, label) in enumerate(zip(times, smoothed_activity(ordered, p.standing_gap_s))):
        if k and t - times[k - 1] > p.standing_gap_s:
            runs.append(Segment(NO_DATA if "gap_before" in ordered[k].flags else "standing", times[k - 1], t, 0))
        if runs and runs[-1].activity == label:
            runs[-1] = Segment(label, runs[-1].start_s, t, runs[-1].steps + 1)
        else:  # from the previous IC (the segments tile the time), but that step stays counted where it was
            runs.append(Segment(label, runs[-1].end_s if runs else t, t, 1))
    if math.isfinite(duration_s) and duration_s - times[-1] > p.standing_gap_s:
        runs.append(Segment("standing", times[-1], duration_s, 0))
    return _spanning(_absorb_short(runs), start_s, duration_s)


def _spanning(segs: list[Segment], start_s: float, end_s: float) -> list[Segment]:
    """`segs` with the first starting at `start_s` and the last ending at `end_s` (each when finite): the under
    `standing_gap_s` before the first step and after the last belong to their neighbours."""
    if math.isfinite(start_s):
        segs[0] = dataclasses.replace(segs[0], start_s=min(start_s, segs[0].start_s))
    if math.isfinite(end_s):
        segs[-1] = dataclasses.replace(segs[-1], end_s=max(end_s, segs[-1].end_s))
    return segs


def _absorb_short(segs: list[Segment]) -> list[Segment]:
    """Merge moving segments of fewer than 3 steps into the previous moving segment, or, at the start of a bout
    (after a stop or at the session's start), into the next: so every bout's segments hold 3 steps or more (or
    the bout is one segment), which smoothing the merged labels again leaves as they are."""
    out: list[Segment] = []
    for seg in segs:
        if out and _moving(out[-1]) and (seg.activity == out[-1].activity or _moving(seg) and _short(seg)):
            prev = out.pop()
            seg = Segment(prev.activity, prev.start_s, seg.end_s, prev.steps + seg.steps)
        elif out and _moving(seg) and _short(out[-1]) and (len(out) == 1 or not _moving(out[-2])):
            prev = out.pop()
            seg = Segment(seg.activity, prev.start_s, seg.end_s, prev.steps + seg.steps)
        out.append(seg)
    return out


def _moving(seg: Segment) -> bool:
    return seg.activity not in _STILL


def _short(seg: Segment) -> bool:
    return _moving(seg) and seg.steps < _MIN_STEPS


def activity_of_steps(steps: Sequence[Step], segs: Sequence[Segment]) -> list[str]:
    """The activity of the segment each step is counted in, for the steps `segs` were made from, in time order.
    Segments count their steps in time order, so this expands those counts (a look-up by IC time put each bout's
    last step, whose IC starts the next segment, in that next one)."""
    labels = [seg.activity for seg in segs for _ in range(seg.steps)]
    if len(labels) != len(steps):
        raise AnalysisError(f"the segments count {len(labels)} steps, not the {len(steps)} given",
                            hint="pass the steps the segments were made from, in time order")
    return labels


def with_segment_activity(steps: Sequence[Step], params: AnalysisParams | None = None, duration_s: float = math.nan,
                          start_s: float = 0.0) -> list[Step]:  # fmt: skip
    """`steps` (in their order) with `activity` set to the segment's they are counted in: the label the summary
    uses, as the exports write it (the analyser's own per-step label, from one duty factor, is smoothed over the
    neighbouring steps first). Relabelling them again changes nothing (tests/analysis/test_segment_counts.py)."""
    ordered = sorted(steps, key=lambda s: s.ic_time_s)
    return labelled(steps, segments(ordered, params, duration_s, start_s))


def labelled(steps: Sequence[Step], segs: Sequence[Segment]) -> list[Step]:
    """`steps` (in their order) with `activity` set to that of the segment of `segs` (made from these steps:
    a summary's) each is counted in, so a caller that has the segments does not make them again."""
    order = sorted(range(len(steps)), key=lambda k: steps[k].ic_time_s)
    labels = activity_of_steps([steps[k] for k in order], segs)
    out = list(steps)
    for k, label in zip(order, labels):
        out[k] = dataclasses.replace(steps[k], activity=label) if steps[k].activity != label else steps[k]
    return out
