"""One assignment of steps to activity segments (QA 18, H2 and M1): a segment's step count, the summary's counts
and each step's exported activity agree; the last step of a bout stays in its bout; segments start at the
recording's first sample, not at 0 s."""

from __future__ import annotations

import math
import random

import pytest

from footfall.analysis.segments import activity_of_steps, segments, smoothed_activity, with_segment_activity
from footfall.analysis.step import Pattern, Step
from footfall.analysis.summary import summarise
from footfall.errors import AnalysisError


def _step(t: float, activity: str, sensor: str = "L") -> Step:
    nan = math.nan
    return Step(sensor, sensor, 0, t, nan, nan, nan, nan, nan, Pattern.UNKNOWN, nan, nan, nan, nan, nan, nan, nan,
                nan, nan, activity)  # fmt: skip


def _walk_then_run() -> list[Step]:
    steps = [_step(1 + 0.55 * k, "walking") for k in range(12)]
    return steps + [_step(8 + 0.36 * k, "running") for k in range(20)]  # then 6 s without a step


def test_the_last_step_of_a_bout_is_counted_in_it() -> None:
    """The running segment starts at the last walking step's IC: a look-up by time put that step in running,
    and the last running step in the standing tail (the summary counted 63 of gaitmap's 64 walking steps)."""
    steps = _walk_then_run()
    segs = segments(steps, duration_s=21.0)
    labels = activity_of_steps(steps, segs)
    print([(g.activity, g.start_s, g.end_s, g.steps) for g in segs])
    assert [g.activity for g in segs] == ["walking", "running", "standing"]
    assert labels == [s.activity for s in steps]  # clean bouts: every step keeps its own label
    assert [labels.count(g.activity) for g in segs[:2]] == [g.steps for g in segs[:2]]


def test_summary_counts_segments_and_step_labels_agree() -> None:
    steps = _walk_then_run()
    summary = summarise(steps, duration_s=21.0)
    moving = [g for g in summary.segments if g.steps]
    relabelled = with_segment_activity(steps, duration_s=21.0)
    assert sum(g.steps for g in moving) == len(steps)
    assert summary.combined.steps == sum(g.steps for g in moving if g.activity == summary.basis) == 20
    assert sum(s.activity == summary.basis for s in relabelled) == summary.combined.steps


def test_exported_labels_are_the_segments_even_where_the_own_label_differs() -> None:
    labels = ["walking"] + ["running"] * 8 + ["walking"] + ["running"] * 8 + ["walking"]
    steps = [_step(0.36 * k, a) for k, a in enumerate(labels)]
    relabelled = with_segment_activity(list(reversed(steps)))  # any order in, the same order out
    assert [s.ic_time_s for s in relabelled] == [s.ic_time_s for s in reversed(steps)]
    assert {s.activity for s in relabelled} == {"running"}
    assert summarise(steps).combined.steps == len(steps)


def test_relabelling_twice_changes_nothing() -> None:
    """A step file written with the segment labels (history add of an analysis JSON) gives the same segments."""
    rng = random.Random(3)
    for _ in range(300):
        t, steps = 0.0, []
        for _ in range(rng.randint(0, 30)):
            t += rng.choice([0.3, 0.5, 0.5, 3.0])
            steps.append(_step(t, rng.choice(["running", "walking"]), rng.choice("LR")))
        once = with_segment_activity(steps, duration_s=t + 4)
        assert segments(once, duration_s=t + 4) == segments(steps, duration_s=t + 4)
        assert with_segment_activity(once, duration_s=t + 4) == once


def test_steps_after_a_stop_do_not_vote_on_those_before_it() -> None:
    labels = ["running"] * 4 + ["walking"] * 2 + ["running"] * 3
    steps = [_step(0.36 * k + (5 if k >= 4 else 0), a) for k, a in enumerate(labels)]  # a 5 s stop after 4
    assert smoothed_activity(steps, standing_gap_s=2.0) == labels
    assert smoothed_activity(steps)[4] == "running"  # without the stop's bound, as it was


def test_segments_start_at_the_first_sample() -> None:
    """A CSV whose time starts at 100 s: no invented "standing 0-102 s"."""
    steps = [_step(102.04 + 0.36 * k, "running") for k in range(30)]
    segs = segments(steps, duration_s=122.1, start_s=100.0)
    assert (segs[0].activity, segs[0].start_s, segs[0].end_s) == ("standing", 100.0, 102.04)
    assert segments(steps, duration_s=122.1, start_s=101.0)[0].activity == "running"  # 1 s: no standing
    assert summarise(steps, duration_s=122.1, start_s=100.0).segments[0].duration_s == pytest.approx(2.04)
    assert segments([], duration_s=122.1, start_s=100.0)[0].start_s == 100.0


def test_other_steps_than_the_segments_were_made_from_are_refused() -> None:
    steps = _walk_then_run()
    with pytest.raises(AnalysisError, match="count 32 steps, not the 31"):
        activity_of_steps(steps[1:], segments(steps))
