"""The session distance when one sensor dropped out (QA 15, H3): the mean of the feet halved the run; the foot
measured the clearly longer time gives it. Two feet measured over the same time still give their mean."""

from __future__ import annotations

from dataclasses import replace

import pytest

from footfall.analysis.step import Step
from footfall.analysis.summary import summarise
from footfall.coaching.scripted import Gait, planned_run


def _feet(right_until_s: float) -> list[Step]:
    run = planned_run([(400, Gait(cadence_spm=168))], seed=6)
    feet = [replace(s, side="L", sensor="L") if i % 2 == 0 else replace(s, side="R", sensor="R")
            for i, s in enumerate(run)]
    return [s for s in feet if s.side == "L" or s.ic_time_s < right_until_s]


def test_the_foot_measured_longer_gives_the_distance() -> None:
    summary = summarise(_feet(right_until_s=140))
    left, right = summary.feet["L"].distance_m, summary.feet["R"].distance_m
    assert left > 2 * right
    assert summary.combined.distance_m == pytest.approx(left)


def test_two_feet_over_the_same_time_give_their_mean() -> None:
    summary = summarise(_feet(right_until_s=1e9))
    left, right = summary.feet["L"].distance_m, summary.feet["R"].distance_m
    assert summary.combined.distance_m == pytest.approx((left + right) / 2)
