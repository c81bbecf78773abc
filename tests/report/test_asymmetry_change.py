"""The left/right symmetry index rows of the segment Δ table (qa17 #7): the summary's index, its block-bootstrap
CI and noise call, a floor in NoiseFloors, and no row (with a note) unless both feet were measured in both parts."""

from __future__ import annotations

from dataclasses import replace

from footfall.analysis.step import Step
from footfall.analysis.summary import summarise
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.summary import window
from footfall.report.change import ASYMMETRY, FLOOR_NOTE, FLOORS, segment_changes

SPANS = [("baseline", 0, 60), ("retest", 60, 120)]


def _left_longer(steps: list[Step], until_s: float, factor: float) -> list[Step]:
    """Left contacts (and impacts) `factor` times longer before `until_s`: an asymmetric baseline."""
    return [replace(s, contact_time_ms=s.contact_time_ms * factor, impact_g=s.impact_g * factor)
            if s.side == "L" and s.ic_time_s < until_s else s for s in steps]


def test_an_asymmetric_baseline_against_a_symmetric_retest_is_a_change_outside_noise() -> None:
    steps = _left_longer(planned_run([(120, Gait(cadence_spm=165))], seed=4), 60, 1.08)
    rows = {c.metric: c for c in segment_changes(steps, SPANS).rows}
    contact = rows["contact_si_pct"]
    before, after = (summarise(window(steps, a, b)).symmetry_index_pct["contact_time"] for _, a, b in SPANS)
    assert contact.change == after - before  # the summary's own index, as the sides table shows it
    assert contact.change < -FLOORS.contact_si_pct and contact.ci_high < 0 and not contact.within_noise
    assert contact.ci_low <= contact.change <= contact.ci_high
    assert "impact_si_pct" in rows and set(ASYMMETRY) <= set(rows)


def test_a_symmetric_pair_is_within_noise() -> None:
    steps = planned_run([(120, Gait(cadence_spm=165))], seed=5)
    rows = [c for c in segment_changes(steps, SPANS).rows if c.metric in ASYMMETRY]
    assert len(rows) == 2 and all(c.within_noise for c in rows)


def test_one_foot_parts_give_no_asymmetry_row_but_a_note() -> None:
    steps = planned_run([(120, Gait(cadence_spm=165))], seed=6)
    right_missing_later = [s for s in steps if s.side == "L" or s.ic_time_s < 60]
    changes = segment_changes(right_missing_later, SPANS)
    assert changes.rows and not [c for c in changes.rows if c.metric in ASYMMETRY]
    assert any("no left/right symmetry Δ" in n and "retest: left foot only" in n for n in changes.notes)


def test_the_floor_is_a_named_parameter_said_in_the_footnote() -> None:
    assert f"contact {FLOORS.contact_time_ms:g} ms" in FLOOR_NOTE
    assert f"symmetry index of contact time {FLOORS.contact_si_pct:g}" in FLOOR_NOTE
    steps = _left_longer(planned_run([(120, Gait(cadence_spm=165))], seed=4), 60, 1.02)
    small = next(c for c in segment_changes(steps, SPANS).rows if c.metric == "contact_si_pct")
    assert abs(small.change) < FLOORS.contact_si_pct and small.within_noise  # below the floor: no change


def test_the_report_table_has_the_asymmetry_rows_in_words() -> None:
    from html.parser import HTMLParser

    from footfall.report.html import changes_html

    class Rows(HTMLParser):
        metrics: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.metrics += [v or "" for k, v in attrs if tag == "tr" and k == "data-metric"]

    steps = _left_longer(planned_run([(120, Gait(cadence_spm=165))], seed=4), 60, 1.08)
    page = changes_html(segment_changes(steps, SPANS))
    rows = Rows()
    rows.feed(page)
    assert rows.metrics[-2:] == list(ASYMMETRY) and "contact time, left − right symmetry index" in page
