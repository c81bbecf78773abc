"""One left/right rule (QA 16, finding 1): the summary's symmetry index, the report's left share of contact and the
advice's foot comparison all compare the feet over the time both sensors measured, so they agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from footfall.analysis.feet import FeetNotCompared, FeetOverlap, feet_overlap
from footfall.analysis.step import Pattern, Step
from footfall.analysis.summary import summarise
from footfall.coaching.balance import FootComparison, compare_feet
from footfall.coaching.summary import summarise_steps

STRIDE_S = 0.7


def _steps(left_s: tuple[float, float], right_s: tuple[float, float], left_extra_ms: float = 0.0) -> list[Step]:
    """Both feet run from their start to their end; contact time drifts from 240 to 280 ms over 600 s (fatigue),
    the same on both feet unless the left gets `left_extra_ms` more."""
    steps = []
    for side, (start, end), extra in (("L", left_s, left_extra_ms), ("R", right_s, 0.0)):
        t, i = start, 0
        while t < end:
            ct = 240 + 40 * t / 600 + extra
            steps.append(Step(side, side, i, t, t + ct / 1000, ct, 460, 30, 5, Pattern.MIDFOOT, 1, 170, 2.5,
                              STRIDE_S, 3.5, 0.3, 8, 0.3, 8, "running"))
            t += STRIDE_S
            i += 1
    return sorted(steps, key=lambda s: s.ic_time_s)


def test_a_sensor_dropping_out_shows_no_asymmetry_anywhere() -> None:
    """/tmp/qa16_design/balance_demo.py: identical feet, the right sensor stops at 150 s. Before, the summary
    read a 5.9 % contact-time symmetry index and the report a 51.5 % left share, while the advice saw equal feet."""
    steps = _steps((0.0, 600.0), (0.35, 150.0))
    summary = summarise(steps)
    assert summary.symmetry_index_pct["contact_time"] == pytest.approx(0.0, abs=1e-9)
    assert summary.strike_angle_diff_deg == pytest.approx(0.0, abs=1e-9)
    assert summarise_steps(steps).balance_left_share == pytest.approx(0.5, abs=1e-12)
    c = compare_feet(steps)
    assert isinstance(c, FootComparison) and c.left == c.right and c.span is not None and c.span[1] < 150
    assert any(n.startswith("left/right figures over 0-149 s") for n in summary.notes), summary.notes


def test_the_report_and_the_json_summary_agree_on_a_real_difference() -> None:
    """The left lands 20 ms longer over the whole run: every measure shows it, as the same figure."""
    steps = _steps((0.0, 300.0), (0.35, 300.0), left_extra_ms=20.0)
    summary = summarise(steps)
    si = summary.symmetry_index_pct["contact_time"]
    left, right = summary.feet["L"].figures["contact_time_ms"], summary.feet["R"].figures["contact_time_ms"]
    assert si == pytest.approx(200 * (left - right) / (left + right))  # both sensors measured the whole run
    share = summarise_steps(steps).balance_left_share
    assert share == pytest.approx(left / (left + right)) and share == pytest.approx(0.5 + si / 400)
    c = compare_feet(steps)
    assert isinstance(c, FootComparison) and c.left.contact_time_ms == pytest.approx(left)


def test_feet_that_alternate_over_the_same_time_are_not_reported_as_a_drop_out() -> None:
    """The feet's first and last contacts are half a stride apart: that is the same time measured, so the advice
    does not say 'over 0-300 s, the time both sensors measured' for every run (it did before)."""
    c = compare_feet(_steps((0.0, 300.0), (0.35, 300.0)))
    assert isinstance(c, FootComparison) and c.span is None
    steps = _steps((0.0, 300.0), (0.35, 300.0))
    overlap = feet_overlap(steps)
    assert isinstance(overlap, FeetOverlap)
    assert len(overlap.left) + len(overlap.right) == len(steps)  # neither foot's first or last step left out


def test_a_short_run_both_sensors_measured_is_compared() -> None:
    """20 s with both sensors on: no sensor dropped out, so the feet are compared (before, the advice refused and
    said the sensors 'measured together for 20 s only')."""
    steps = _steps((0.0, 20.0), (0.35, 20.0), left_extra_ms=30.0)
    c = compare_feet(steps)
    assert isinstance(c, FootComparison) and c.differs()
    assert summarise_steps(steps).balance_left_share > 0.52


def test_too_short_a_time_measured_by_both_is_compared_nowhere() -> None:
    """The right sensor stops at 20 s of 300: the advice does not compare the feet, and neither do the summary and
    the report (before, they compared 0-300 s of the left foot with 0-20 s of the right)."""
    steps = _steps((0.0, 300.0), (0.35, 20.0))
    assert isinstance(compare_feet(steps), FeetNotCompared)
    summary = summarise(steps)
    assert all(math.isnan(v) for v in summary.symmetry_index_pct.values())
    assert math.isnan(summary.strike_angle_diff_deg)
    assert any(n.startswith("left/right not compared: the two sensors measured together for 20 s only") for n in
               summary.notes), summary.notes
    assert math.isnan(summarise_steps(steps).balance_left_share)


def test_too_few_steps_are_not_compared() -> None:
    steps = _steps((0.0, 5.0), (0.35, 5.0))
    assert compare_feet(steps) is None
    assert math.isnan(summarise(steps).symmetry_index_pct["contact_time"])


def test_the_report_s_balance_chart_draws_the_same_compared_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chart drew each foot's median over its own recording: 264 ms left (the whole fatiguing run) against
    245 ms right (its first 150 s). Now it draws the overlap, and says when the feet were not compared."""
    from footfall.report import plots

    drawn: list[float] = []

    def median(values: list[float]) -> float:
        drawn.append(float(np.median(values)))
        return drawn[-1]

    monkeypatch.setattr(plots, "median", median)
    svg = plots.balance_figure(_steps((0.0, 600.0), (0.35, 150.0)))
    assert drawn[0] == pytest.approx(drawn[4]) and "over the time both sensors measured" in svg  # contact, L and R
    assert "not compared" in plots.balance_figure(_steps((0.0, 600.0), (0.35, 20.0)))
