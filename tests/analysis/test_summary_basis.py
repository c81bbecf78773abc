"""Which activity a session's figures describe: running when it holds at least 5 running steps, else walking when
it holds at least 5 walking steps (analysis/summary.py). The steps' activities are set directly here, so the test
pins that threshold and not the segmentation (tests/analysis/test_segments.py)."""

from __future__ import annotations

import pytest

from footfall.analysis import summary
from footfall.coaching.scripted import Gait, planned_run


@pytest.mark.parametrize(("running_n", "walking_n", "basis"),
                         [(5, 20, "running"), (4, 20, "walking"), (4, 5, "walking"), (3, 4, "walking"),
                          (4, 3, "running")])
def test_running_needs_5_running_steps(monkeypatch: pytest.MonkeyPatch, running_n: int, walking_n: int,
                                       basis: str) -> None:
    steps = planned_run([(30.0, Gait())])[: running_n + walking_n]
    acts = ["running"] * running_n + ["walking"] * walking_n
    monkeypatch.setattr(summary, "activity_of_steps", lambda ordered, segs: acts[: len(ordered)])
    assert summary.summarise(steps).basis == basis  # the last two: under 5 of each, the majority
