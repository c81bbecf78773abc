"""Activity segments from step labels: smoothing, standing gaps, short runs absorbed."""

from __future__ import annotations

import math

from footfall.analysis.segments import segments, smoothed_activity
from footfall.analysis.step import Pattern, Step


def _step(t: float, activity: str) -> Step:
    nan = math.nan
    return Step("L", "L", 0, t, nan, nan, nan, nan, nan, Pattern.UNKNOWN, 0.0, nan, nan, nan, nan, nan, nan, nan,
                nan, activity)  # fmt: skip


def test_standing_walking_running_with_a_stop() -> None:
    steps = [_step(5 + 0.55 * k, "walking") for k in range(20)]
    steps += [_step(16 + 0.36 * k, "running") for k in range(40)]
    steps += [_step(40 + 0.36 * k, "running") for k in range(10)]  # after a 9.6 s stop
    segs = segments(steps, duration_s=50.0)
    print([(s.activity, round(s.start_s, 1), round(s.end_s, 1), s.steps) for s in segs])
    assert [s.activity for s in segs] == ["standing", "walking", "running", "standing", "running", "standing"]
    assert segs[2].steps == 40 and segs[4].steps == 10


def test_a_single_odd_step_does_not_make_a_segment() -> None:
    labels = ["running"] * 10 + ["walking"] + ["running"] * 10
    steps = [_step(0.36 * k, a) for k, a in enumerate(labels)]
    assert smoothed_activity(steps) == ["running"] * 21
    assert [s.activity for s in segments(steps)] == ["running"]


def test_no_steps() -> None:
    assert [s.activity for s in segments([], duration_s=10.0)] == ["standing"]
    assert segments([]) == []


def test_a_step_without_toe_off_is_labelled_by_its_stride() -> None:
    """The last contact of a run cut off mid-stride has no toe-off, so no duty factor: it was labelled
    "standing" while the summary counted it as running (a step CSV filtered on activity missed it)."""
    from footfall.analysis.pipeline import analyse_blocks
    from footfall.samples import SampleBlock
    from footfall.virtual.runner import RunnerParams, simulate

    f = simulate(RunnerParams(duration_s=12.0, seed=4, rate_hz=208)).feet["L"]
    end = f.truth.contacts[-2].ic_s + 0.16  # cut 160 ms after a landing: mid-stance
    n = int(end * f.rate_hz)
    steps, _ = analyse_blocks([SampleBlock("L", "L", f.rate_hz, 0, f.acc_mps2[:n], f.gyr_radps[:n])])
    last = steps[-1]
    print(f"last step: flags {last.flags}, activity {last.activity}")
    assert "no_toe_off" in last.flags and last.activity == "running"
    assert [s.activity for s in steps[-5:]] == ["running"] * 5
