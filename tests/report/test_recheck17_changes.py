"""qa17 physio re-check N5: a warm-up, or a part with too few steps or seconds for its medians, gets a note and
no Δ rows (a 10 s block bootstrap over 5 s of steps means nothing)."""

from __future__ import annotations

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.change import segment_changes


def test_a_running_warm_up_gets_a_note_and_no_delta_rows() -> None:
    steps = planned_run([(40, Gait(cadence_spm=150)), (60, Gait(cadence_spm=160)), (60, Gait(cadence_spm=170))],
                        seed=3)
    changes = segment_changes(steps, [("warm-up", 0, 40), ("baseline", 40, 100), ("retest", 100, 160)])
    assert {c.label for c in changes.rows} == {"retest"}
    assert "warm-up: no Δ (a warm-up is not an outcome)" in changes.notes


def test_a_rough_part_gets_a_note_and_no_delta_rows() -> None:
    steps = planned_run([(60, Gait(cadence_spm=160)), (60, Gait(cadence_spm=170))], seed=3)
    changes = segment_changes(steps, [("baseline", 0, 60), ("cue", 60, 65), ("retest", 65, 120)])
    assert {c.label for c in changes.rows} == {"retest"}
    assert any(n.startswith("cue: no Δ (under 10 running steps per foot or 30 s") for n in changes.notes)


def test_without_a_baseline_the_reference_is_not_the_warm_up() -> None:
    steps = planned_run([(40, Gait(cadence_spm=150)), (60, Gait(cadence_spm=160)), (60, Gait(cadence_spm=170))],
                        seed=3)
    changes = segment_changes(steps, [("warm-up", 0, 40), ("run", 40, 100), ("retest", 100, 160)])
    assert changes.reference == "run" and {c.label for c in changes.rows} == {"retest"}
