"""Δ vs baseline with a bootstrap CI (QA 15 H1) and the report's H4 quick wins."""

from __future__ import annotations

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.build import _file_name
from footfall.report.change import segment_changes
from footfall.report.html import CSS, changes_html


def test_a_known_cadence_shift_has_a_ci_excluding_zero() -> None:
    steps = planned_run([(60, Gait(cadence_spm=158)), (60, Gait(cadence_spm=172))], seed=2)
    changes = segment_changes(steps, [("baseline", 0, 60), ("cue", 60, 120)])
    cadence = next(c for c in changes.rows if c.metric == "cadence_spm")
    assert 10 < cadence.change < 18 and cadence.ci_low > 0 and not cadence.within_noise
    assert changes == segment_changes(steps, [("baseline", 0, 60), ("cue", 60, 120)])  # fixed seed


def test_no_change_control_is_within_noise() -> None:
    steps = planned_run([(120, Gait(cadence_spm=165))], seed=3)
    changes = segment_changes(steps, [("baseline", 0, 60), ("retest", 60, 120)])
    assert changes.rows and all(c.within_noise for c in changes.rows)
    assert "within noise" in changes_html(changes) and "starting values" in changes_html(changes)


def test_report_shows_the_file_name_only_and_prints_guidance_open() -> None:
    assert _file_name("live: /tmp/clinic/Anna K/visit1.ffr") == "live: visit1.ffr"
    assert _file_name("/tmp/x/run.ffr") == "run.ffr"
    assert "@media print" in CSS and "details" in CSS
