"""Activity segments (standing, walking, running) from the steps, so warm-ups and stops don't pollute the
running figures.

Each step is labelled by the analyser from its duty factor (contact / stride < 0.5 = running: a flight phase;
walking has double support, duty factor > 0.5; Novacheck 1998). Here the labels are smoothed by a majority over
the neighbouring 5 steps of all feet, time without any step for `standing_gap_s` becomes "standing" (or "no
data" when the step after it follows a gap in the samples: a lost link is not a rest), and runs shorter than
3 steps are absorbed by their neighbours (a single odd stride does not start a segment).

Turns: step detection uses the pitch rate, which a change of heading hardly excites, so steps in curves and
turns are counted; strides turning more than `turn_yaw_deg` are flagged "turn" and left out of the stride-length
and speed figures of the summary (the chord of a curved stride is shorter than the path).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from footfall.analysis.params import AnalysisParams
from footfall.analysis.step import Step

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


def smoothed_activity(steps: Sequence[Step]) -> list[str]:
    """Majority label over each step's +-2 neighbours (all feet, time order); ties keep the step's own."""
    labels = [s.activity for s in steps]
    codes = np.array([ACTIVITIES.index(a) if a in ACTIVITIES else 0 for a in labels])
    out = []
    for k in range(len(codes)):
        window = codes[max(0, k - _HALF) : k + _HALF + 1]
        counts = np.bincount(window, minlength=len(ACTIVITIES))
        best = int(np.argmax(counts))
        out.append(ACTIVITIES[best] if counts[best] > counts[codes[k]] else ACTIVITIES[codes[k]])
    return out


def segments(steps: Sequence[Step], params: AnalysisParams | None = None, duration_s: float = math.nan) -> list[Segment]:
    """Activity segments covering the session; `duration_s` (when known) adds the standing tail."""
    p = params or AnalysisParams()
    ordered = sorted(steps, key=lambda s: s.ic_time_s)
    if not ordered:
        return [Segment("standing", 0.0, duration_s, 0)] if math.isfinite(duration_s) else []
    labels = smoothed_activity(ordered)
    times = [s.ic_time_s for s in ordered]
    runs: list[Segment] = []
    if times[0] > p.standing_gap_s:
        runs.append(Segment("standing", 0.0, times[0], 0))
    for k, (t, label) in enumerate(zip(times, labels)):
        if k and t - times[k - 1] > p.standing_gap_s:
            runs.append(Segment(NO_DATA if "gap_before" in ordered[k].flags else "standing", times[k - 1], t, 0))
        if runs and runs[-1].activity == label:
            runs[-1] = Segment(label, runs[-1].start_s, t, runs[-1].steps + 1)
        else:
            runs.append(Segment(label, runs[-1].end_s if runs else t, t, 1))
    if math.isfinite(duration_s) and duration_s - times[-1] > p.standing_gap_s:
        runs.append(Segment("standing", times[-1], duration_s, 0))
    return _absorb_short(runs)


def _absorb_short(segs: list[Segment]) -> list[Segment]:
    """Merge moving segments of fewer than 3 steps into the previous segment (or the next, at the start)."""
    out: list[Segment] = []
    for seg in segs:
        short = seg.activity not in _STILL and seg.steps < _MIN_STEPS
        if out and (short or out[-1].activity == seg.activity) and out[-1].activity not in _STILL:
            prev = out.pop()
            seg = Segment(prev.activity, prev.start_s, seg.end_s, prev.steps + seg.steps)
        out.append(seg)
    return out


def activity_of_steps(steps: Sequence[Step], segs: Sequence[Segment]) -> list[str]:
    """The segment activity each step falls in (steps in time order of `steps`)."""
    starts = np.array([s.start_s for s in segs])
    out = []
    for st in steps:
        k = int(np.searchsorted(starts, st.ic_time_s, side="right")) - 1
        out.append(segs[max(k, 0)].activity if segs else st.activity)
    return out
