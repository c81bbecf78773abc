"""The Δ rows of a session's segments (qa17 #1, #3, #13): against the segment labelled baseline (else the first
with running steps, said), never the reference against itself, no walking-based Δ, the same figure as the
segment table, a flag when the speeds differ, and the "rough" note counting the steps the figures use."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from footfall.analysis.step import Step
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.change import ChangeParams, segment_changes, statistic, values
from footfall.report.segments import segment_figures


def _shifted(steps: list[Step], by_s: float) -> list[Step]:
    return [replace(s, ic_time_s=s.ic_time_s + by_s, to_time_s=s.to_time_s + by_s) for s in steps]


def _clinic(*runs: tuple[float, Gait], walk_s: float = 40.0) -> list[Step]:
    """A walking warm-up of `walk_s`, then the runs one after another."""
    steps = [replace(s, activity="walking") for s in planned_run([(walk_s, Gait(cadence_spm=112, speed_mps=1.4))],
                                                                 seed=4)]
    return steps + _shifted(planned_run(list(runs), seed=5), walk_s)


WARM_UP_FIRST = [("warm-up", 0, 44), ("baseline", 44, 100), ("retest", 100, 160)]


def test_the_reference_is_the_baseline_label_not_the_first_segment() -> None:
    steps = _clinic((60, Gait(cadence_spm=160)), (60, Gait(cadence_spm=170)))
    changes = segment_changes(steps, WARM_UP_FIRST)
    assert changes.reference == "baseline" and "labelled baseline" in changes.basis_note
    assert {c.label for c in changes.rows} == {"retest"}  # never baseline against itself; a warm-up: a note (N5)
    assert "warm-up: no Δ (a warm-up is not an outcome)" in changes.notes
    retest = next(c for c in changes.rows if c.metric == "cadence_spm" and c.label == "retest")
    assert 7 < retest.change < 13 and not retest.within_noise and retest.reference == "baseline"


def test_without_a_baseline_label_the_first_running_segment_is_used_and_said() -> None:
    steps = _clinic((120, Gait(cadence_spm=165)), walk_s=60)
    changes = segment_changes(steps, [("walk", 0, 58), ("before", 60, 120), ("after", 120, 180)])
    assert changes.reference == "before" and "first segment with running steps" in changes.basis_note
    assert {c.label for c in changes.rows} == {"after"}
    assert changes.notes == ["walk: no Δ (no running steps: its figures are of walking steps)"]
    walking_baseline = segment_changes(steps, [("baseline", 0, 58), ("cue", 60, 120), ("retest", 120, 180)])
    assert walking_baseline.reference == "cue" and "labelled baseline has no running steps" in walking_baseline.basis_note


def test_the_rough_note_counts_the_running_steps_the_figures_use() -> None:
    warm_up = segment_figures(_clinic((120, Gait())), WARM_UP_FIRST)[0]
    assert warm_up.basis == "running" and warm_up.summary.n_steps == len(warm_up.steps) < 20
    fewest = min(Counter(s.side for s in warm_up.steps).values())
    assert warm_up.note.startswith(f"warm-up: {fewest} running steps per foot in 44 s")  # not its ~40 walking


def test_the_change_is_the_difference_of_the_tables_figures_with_unequal_feet() -> None:
    """Left and right stride times differ (an asymmetric runner): the table's cadence is 120 / mean stride, and
    the Δ is of that, not the median of per-step cadence."""
    steps = [replace(s, stride_time_s=s.stride_time_s * (1.06 if s.side == "L" else 0.96))
             for s in planned_run([(60, Gait(cadence_spm=164)), (60, Gait(cadence_spm=172))], seed=7)]
    spans = [("baseline", 0, 60), ("cue", 60, 120)]
    base, cue = segment_figures(steps, spans)
    for g in (base, cue):
        assert statistic("cadence_spm", values(g, "cadence_spm")[None, :])[0] == pytest.approx(g.summary.cadence_spm)
    rows = {c.metric: c for c in segment_changes(steps, spans).rows}
    assert rows["cadence_spm"].change == cue.summary.cadence_spm - base.summary.cadence_spm
    assert rows["contact_time_ms"].change == cue.summary.contact_time_ms - base.summary.contact_time_ms
    assert rows["cadence_spm"].ci_low < rows["cadence_spm"].change < rows["cadence_spm"].ci_high


def test_a_segment_run_faster_is_flagged_on_every_delta() -> None:
    steps = planned_run([(60, Gait(speed_mps=3.0)), (60, Gait(speed_mps=4.0, contact_time_ms=220))], seed=2)
    spans = [("baseline", 0, 60), ("retest", 60, 120)]
    changes = segment_changes(steps, spans)
    assert changes.rows and all(c.speed == "speed +33 %" for c in changes.rows)
    assert any(n.startswith("retest ran 33 % faster than baseline") and "not comparable" in n for n in changes.notes)
    assert "not comparable" in changes.rows[0].text()
    lenient = segment_changes(steps, spans, ChangeParams(speed_tolerance_frac=0.5))  # the threshold is a parameter
    assert all(c.speed == "" for c in lenient.rows) and lenient.notes == []


def test_a_speed_within_the_tolerance_is_not_flagged() -> None:
    steps = planned_run([(60, Gait(speed_mps=3.0)), (60, Gait(speed_mps=3.1))], seed=2)
    changes = segment_changes(steps, [("baseline", 0, 60), ("retest", 60, 120)])
    assert changes.rows and all(c.speed == "" for c in changes.rows) and changes.notes == []


def test_a_drifting_segment_gets_a_wider_interval_than_single_steps_give() -> None:
    """Contact time drifting within each segment (autocorrelated): the block bootstrap's CI is wider than the
    i.i.d. one (block_s 0 without auto_block) on the same steps."""
    steps = planned_run([(60, Gait()), (60, Gait(contact_time_ms=250))], seed=3)
    drift = 12 * np.sin(np.array([s.ic_time_s for s in steps]) / 6.0)
    steps = [replace(s, contact_time_ms=s.contact_time_ms + d) for s, d in zip(steps, drift)]
    spans = [("baseline", 0, 60), ("retest", 60, 120)]

    def width(params: ChangeParams) -> float:
        c = next(c for c in segment_changes(steps, spans, params).rows if c.metric == "contact_time_ms")
        return c.ci_high - c.ci_low

    assert width(ChangeParams()) > 1.5 * width(ChangeParams(block_s=0, auto_block=False))


def test_the_bootstrap_cadence_is_the_session_cadence_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Δ's resampled cadence is analysis/cadence.py's rule itself: a change to its band changes both alike."""
    from footfall.analysis import cadence

    rows = np.array([[0.70, 0.71, 0.72, 0.80, 1.40], [0.69, 0.70, 0.74, 0.75, 0.76]])
    for band in (cadence.STRIDE_BAND_FRAC, 0.05):
        monkeypatch.setattr(cadence, "STRIDE_BAND_FRAC", band)
        got = statistic("cadence_spm", rows)
        assert got == pytest.approx([cadence.session_cadence_spm(r) for r in rows])
    assert got[0] == pytest.approx(120 / np.mean([0.70, 0.71, 0.72]))  # 0.80 is outside 5 % of the median 0.72
