"""Segments span the recording, from its first sample to its last (qa18b diff B2, science N6): a head or tail of
up to `standing_gap_s` without a step belongs to the segment next to it, a longer one is "standing"."""

from __future__ import annotations

import json
import math

import pytest

from footfall.analysis.params import AnalysisParams
from footfall.analysis.segments import segments
from footfall.analysis.step import Pattern, Step
from footfall.analysis.summary import summarise

GAP_S = AnalysisParams().standing_gap_s


def _step(t: float, activity: str = "running") -> Step:
    nan = math.nan
    return Step("L", "L", 0, t, nan, nan, nan, nan, nan, Pattern.UNKNOWN, nan, nan, nan, nan, nan, nan, nan, nan,
                nan, activity)  # fmt: skip


def _run(first_s: float, n: int = 20, step_s: float = 0.36) -> list[Step]:
    return [_step(first_s + step_s * k) for k in range(n)]


@pytest.mark.parametrize("head_s", [0.0, 0.4, GAP_S - 0.01])
@pytest.mark.parametrize("tail_s", [0.0, 0.7, GAP_S - 0.01])
def test_a_short_head_and_tail_belong_to_the_one_segment(head_s: float, tail_s: float) -> None:
    steps = _run(10.0 + head_s)
    end_s = steps[-1].ic_time_s + tail_s
    segs = segments(steps, duration_s=end_s, start_s=10.0)
    assert [(s.activity, s.start_s, s.end_s, s.steps) for s in segs] == [("running", 10.0, end_s, 20)]


def test_a_long_head_and_tail_are_standing() -> None:
    steps = _run(10.0 + GAP_S + 0.5)
    end_s = steps[-1].ic_time_s + GAP_S + 1.0
    segs = segments(steps, duration_s=end_s, start_s=10.0)
    assert [s.activity for s in segs] == ["standing", "running", "standing"]
    assert segs[0].start_s == 10.0 and segs[0].end_s == steps[0].ic_time_s and segs[-1].end_s == end_s
    assert sum(s.duration_s for s in segs) == pytest.approx(end_s - 10.0)


def test_segments_tile_the_recording_over_a_stop() -> None:
    steps = _run(0.5) + _run(20.0)  # a stop of over 10 s between the bouts
    segs = segments(steps, duration_s=28.0, start_s=0.0)
    assert segs[0].start_s == 0.0 and segs[-1].end_s == 28.0
    assert all(a.end_s == b.start_s for a, b in zip(segs, segs[1:]))


def test_an_unknown_end_leaves_the_last_segment_at_the_last_step() -> None:
    steps = _run(1.0)
    segs = segments(steps, start_s=0.0)
    assert segs[0].start_s == 0.0 and segs[-1].end_s == steps[-1].ic_time_s


@pytest.mark.parametrize("start_s", [-0.0, -2.5e-5])  # the jog CSV's 0.000000 on the time base: -0.000025
def test_a_start_at_zero_is_written_as_zero_not_minus_zero(start_s: float) -> None:
    text = json.dumps(summarise(_run(0.3), duration_s=8.0, start_s=start_s).to_dict())
    assert '"start_s": -0.0' not in text and '"start_s": 0.0' in text


def test_the_summary_segments_label_the_steps_as_a_fresh_assignment_does() -> None:
    """`footfall analyse` labels the exported steps from the summary's own segments (segments.labelled), not
    from a second segmentation; both give the same labels."""
    from footfall.analysis.segments import labelled, with_segment_activity

    steps = [_step(0.5 + 0.55 * k, "walking") for k in range(8)] + _run(5.0, 30) + [_step(17.0, "walking")]
    steps = list(reversed(steps))  # any order in, the same order out
    summary = summarise(steps, duration_s=20.0, start_s=0.0)
    got = labelled(steps, summary.segments)
    assert got == with_segment_activity(steps, duration_s=20.0, start_s=0.0)
    assert [s.ic_time_s for s in got] == [s.ic_time_s for s in steps] and {s.activity for s in got} == {"walking",
                                                                                                     "running"}
