"""A figure withheld whatever its count counts 0, shown "–" (qa18b diff B5, B7); a figure with no usable stride
because every one was flagged says which flags (science N4); the turn note counts steps, and "1 step" (N5)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from footfall.analysis import summary as summary_module
from footfall.analysis.step import Step
from footfall.analysis.summary import ALONG_CHORD, MAX_CLIPPED_SHARE, counts_text, summarise
from footfall.coaching.scripted import Gait, planned_run


def _one_foot(n: int = 40, activity: str = "running") -> list[Step]:
    run = planned_run([((n + 1) * 60 / 170, Gait(cadence_spm=170))], seed=2)[:n]
    return [replace(s, sensor="R", side="R", index=k, activity=activity) for k, s in enumerate(run)]


def _with(steps: list[Step], flag: str, every: int = 1) -> list[Step]:
    return [replace(s, flags=(*s.flags, flag)) if k % every == 0 else s for k, s in enumerate(steps)]


def test_a_figure_clipping_withheld_counts_nothing() -> None:
    """The strides left after clipping are the gentler ones: no basis for the figure, so no count beside it."""
    steps = _with(_one_foot(), "saturated_stride", every=5)  # 8 of 40: over MAX_CLIPPED_SHARE
    assert 8 > MAX_CLIPPED_SHARE * 40
    summary = summarise(steps)
    c = summary.combined
    assert math.isnan(c.figures["stride_length_m"]) and c.counts["stride_length_m"] == 0
    assert "accelerometer clipped" in summary.not_measured["stride_length_m"]
    assert "stride length –" in counts_text(summary) and "contact time 40 steps" in counts_text(summary)
    assert summary.feet["R"].counts["stride_length_m"] == 0


def test_the_overstride_index_of_walking_counts_nothing() -> None:
    summary = summarise(_one_foot(activity="walking"))
    assert summary.basis == "walking" and summary.combined.counts["overstride_index"] == 0
    assert "overstride index –" in counts_text(summary) and "running only" in summary.not_measured["overstride_index"]
    assert summarise(_one_foot()).combined.counts["overstride_index"] == 40


def test_one_foot_has_no_flight_time_to_count() -> None:
    summary = summarise(_one_foot())
    assert summary.combined.counts["flight_time_ms"] == 0 and "flight time –" in counts_text(summary)
    assert "flight time 0" not in counts_text(summary)


def test_no_usable_stride_because_all_turned_names_the_flag() -> None:
    """jog cut to 7.5 s: 6 complete strides, all turning, gave the generic 'no complete stride'."""
    steps = _with(_one_foot(7), "turn")
    summary = summarise(steps)
    for name in ALONG_CHORD:
        assert summary.combined.counts[name] == 0
        assert summary.not_measured[name] == "a median needs 3 or more: 0 of 7 steps used; left out: turn 7", name
    assert "overstride index –" in counts_text(summary)


def test_the_turn_note_counts_steps() -> None:
    summary = summarise(_with(_one_foot(20), "turn", every=2))
    assert "10 of 20 steps ended a stride that turned more than 30 deg" in " ".join(summary.notes)


def test_a_step_left_out_for_two_flags_counts_under_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(summary_module._SKIP_FLAGS, "braking_mps2", ("turn", "poor_zupt"))
    steps = _with(_with(_one_foot(), "turn", every=2), "poor_zupt", every=3)  # 20 turn; 7 of them poor_zupt too
    why = next(n for n in summarise(steps).notes if n.startswith("braking_mps2"))
    assert "13 of 40 steps used; left out: turn 20, poor_zupt 14 (a step can carry several)" in why


def test_one_step_is_one_step() -> None:
    summary = summarise(_one_foot(1))
    assert counts_text(summary).endswith("impact 1 step") and "only R 1 step of the main activity" in summary.notes[0]
