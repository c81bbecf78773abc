"""The labels of a clinic plan have one definition (coaching/clinic.py), which the store, the phases, the advice
and the report import, and one case-blind look-up (QA17 diff review R3)."""

from __future__ import annotations

from footfall.coaching import clinic, phases
from footfall.coaching.clinic import CLINIC_LABELS, is_clinic_plan, labelled
from footfall.coaching.session_advice import is_clinic_test
from footfall.report.html import ReportData, is_clinic
from footfall.store import SEGMENT_LABELS, Segment


def test_one_definition_of_the_labels() -> None:
    assert SEGMENT_LABELS is CLINIC_LABELS == ("baseline", "cue", "retest")
    assert phases.CUE_LABEL is clinic.CUE_LABEL


def test_labels_match_ignoring_case_everywhere() -> None:
    marks = [Segment(1, 1, "Warm-up", 0, 60), Segment(2, 1, "Cue", 60, 120), Segment(3, 1, "cue", 120, 180)]
    assert labelled(marks, "CUE") is marks[1] and labelled(marks, "retest") is None
    assert is_clinic_test(marks) and not is_clinic_test(marks[:1])
    assert is_clinic_plan(["RETEST"]) and not is_clinic_plan(["warm-up"])
    assert is_clinic(ReportData("t", "s", [], [], [], segments=[("Baseline", 0.0, 60.0)]))
