"""One sensor dropping out (QA 15, H3): the feet are compared only over the time both sensors measured, and not at
all, with a note, when that time is too short."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from footfall.analysis.step import Step
from footfall.coaching.advice import RunContext, post_run_advice
from footfall.coaching.balance import FeetNotCompared, FootComparison, compare_feet
from footfall.coaching.knowledge import Category
from footfall.coaching.load import PastRun
from footfall.coaching.scripted import Gait, planned_run

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)
EARLY = Gait(cadence_spm=160, strike_angle_deg=14, overstride_index=0.2)
LATE = Gait(cadence_spm=170, strike_angle_deg=22, overstride_index=0.2)  # the runner changed: both feet did


def _feet(run: list[Step], right_until_s: float) -> list[Step]:
    """Both feet alternate; the right sensor stops at `right_until_s`."""
    feet = [replace(s, side="L", sensor="L") if i % 2 == 0 else replace(s, side="R", sensor="R")
            for i, s in enumerate(run)]
    return [s for s in feet if s.side == "L" or s.ic_time_s < right_until_s]


def _technique_titles(steps: list[Step]) -> list[str]:
    advice = post_run_advice(steps, RunContext(PastRun(T0, 2000, 600)), limit=None)
    return [a.title for a in advice if a.category is Category.TECHNIQUE]


def test_a_foot_whose_sensor_stopped_is_compared_over_the_time_both_measured() -> None:
    steps = _feet(planned_run([(140, EARLY), (260, LATE)], seed=4), right_until_s=140)
    c = compare_feet(steps)
    assert isinstance(c, FootComparison) and c.span is not None and c.span[1] < 140
    assert abs(c.left.strike_angle_deg - c.right.strike_angle_deg) < 2  # both feet over the same 0-140 s
    assert "Left/right difference" not in _technique_titles(steps)


def test_too_short_an_overlap_is_not_compared_and_says_so() -> None:
    steps = _feet(planned_run([(20, EARLY), (300, LATE)], seed=5), right_until_s=20)
    c = compare_feet(steps)
    assert isinstance(c, FeetNotCompared)
    titles = _technique_titles(steps)
    assert "Left/right: not compared" in titles and "Left/right difference" not in titles
    note = post_run_advice(steps, RunContext(PastRun(T0, 2000, 320)), limit=None)
    text = next(a.message for a in note if a.title == "Left/right: not compared")
    assert "measured together for 20 s only (left 0-320 s, right 0-20 s)" in text, text
