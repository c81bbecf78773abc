"""Every summary figure says how many steps or strides it rests on (QA 18, H1 and M4): a figure of fewer than
MIN_FIGURE_N is not measured and says why, one resting on few or under half of them gets a note, "turn" strides
count in stride length and speed (chords) but not in the figures taken along the chord, "poor_zupt" strides in
every figure (they measured as well as the others: qa18b science N2)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.step import Step
from footfall.analysis.summary import ALONG_CHORD, FIGURES, MIN_FIGURE_N, counts_text, summarise
from footfall.coaching.scripted import Gait, planned_run


def _one_foot(n: int = 40, seed: int = 2) -> list[Step]:
    run = planned_run([(n * 60 / 170, Gait(cadence_spm=170, overstride_index=0.4))], seed=seed)
    return [replace(s, sensor="R", side="R", index=k) for k, s in enumerate(run)]


def _flag(steps: list[Step], flag: str, keep: int, **values: float) -> list[Step]:
    """Every step but the first `keep` flagged `flag`, its figures set to `values`."""
    return [s if k < keep else replace(s, flags=(*s.flags, flag), **values) for k, s in enumerate(steps)]


def test_every_figure_has_its_count_per_foot_and_combined() -> None:
    steps = _one_foot()
    summary = summarise(steps)
    d = json.loads(json.dumps(summary.to_dict()))
    for foot in (d["combined"], d["feet"]["R"]):
        assert set(foot["counts"]) == set(FIGURES)
    assert summary.combined.counts["contact_time_ms"] == len(steps)
    assert summary.combined.counts["flight_time_ms"] == 0  # NaN on every step of one foot
    assert "stride length 40 strides" in counts_text(summary) and "contact time 40 steps" in counts_text(summary)


def test_turn_strides_count_in_stride_length_not_along_the_chord() -> None:
    """pyshoe's room: 18 of 20 strides turn. Their chords count (the validation's reference is a chord); the
    foot velocity at IC, braking and overstride index, taken along the chord, rest on the others."""
    steps = _flag(_one_foot(), "turn", keep=10, stride_length_m=1.0, braking_mps2=30.0)
    summary = summarise(steps)
    c = summary.combined
    assert c.figures["stride_length_m"] == pytest.approx(1.0) and c.counts["stride_length_m"] == 40
    assert c.figures["braking_mps2"] < 30.0 and c.counts["braking_mps2"] == 10
    assert {c.counts[name] for name in ALONG_CHORD} == {10}
    rough = [n for n in summary.notes if "braking_mps2" in n]
    assert rough and "10 of 40 steps used; left out: turn 30" in rough[0]
    assert any("30 of 40 steps ended a stride that turned more than 30 deg" in n for n in summary.notes)


def test_poor_zupt_strides_count_in_every_figure() -> None:
    steps = _flag(_one_foot(), "poor_zupt", keep=30)
    c = summarise(steps).combined
    for name in ("stride_length_m", "speed_mps", *ALONG_CHORD, "contact_time_ms"):
        assert c.counts[name] == 40, name


def _unmeasured(steps: list[Step], keep: int) -> list[Step]:
    """Every stride but the first `keep` without a stride length or speed (e.g. no rest to anchor it)."""
    nan = math.nan
    return [s if k < keep else replace(s, stride_length_m=nan, speed_mps=nan) for k, s in enumerate(steps)]


def test_a_figure_of_too_few_strides_is_not_measured_and_says_why() -> None:
    """pyshoe jog 11-12-18: the stride length was the median of 1 stride, and nothing said so."""
    steps = _unmeasured(_one_foot(20), keep=MIN_FIGURE_N - 1)
    summary = summarise(steps)
    assert math.isnan(summary.combined.figures["stride_length_m"])
    assert summary.combined.counts["stride_length_m"] == MIN_FIGURE_N - 1
    why = summary.not_measured["stride_length_m"]
    assert f"a median needs {MIN_FIGURE_N} or more: {MIN_FIGURE_N - 1} of {len(steps)} strides used" in why
    assert f"not measured {len(steps) - MIN_FIGURE_N + 1}" in why
    assert math.isfinite(summarise(_unmeasured(_one_foot(20), keep=MIN_FIGURE_N)).combined.figures["speed_mps"])


def test_no_note_when_a_figure_rests_on_most_steps() -> None:
    summary = summarise(_unmeasured(_one_foot(), keep=35))
    assert not any("rough" in n for n in summary.notes)
    summary = summarise(_unmeasured(_one_foot(), keep=15))  # under half
    assert any("stride_length_m, speed_mps" in n and "15 of 40 strides used" in n for n in summary.notes)


def test_a_foot_withheld_where_the_combined_figure_is_not_gets_a_note() -> None:
    left = [replace(s, sensor="L", side="L") for s in _one_foot(20, seed=4)]
    right = _unmeasured(_one_foot(20), keep=2)
    summary = summarise(left + right)
    assert math.isnan(summary.feet["R"].figures["stride_length_m"]) and summary.feet["R"].counts["stride_length_m"] == 2
    assert math.isfinite(summary.combined.figures["stride_length_m"])
    note = next(n for n in summary.notes if n.startswith("R: "))
    assert note.startswith("R: stride_length_m, speed_mps: not measured, 2 of 21 strides used; left out: not measured")
    assert not any(n.startswith("L: ") for n in summary.notes)


def test_pyshoe_jog_in_a_small_room(shared_data: Path) -> None:
    """pyshoe jog 2017-11-27-11-12-18: 18 of 21 strides turn. The stride length rested on 1 stride (+9.3 % from
    Vicon's median stride); with the turning chords it rests on most of them."""
    from footfall.analysis.params import AnalysisParams
    from footfall.validation import pyshoe

    path = shared_data / "pyshoe-vicon" / "processed" / "2017-11-27-11-12-18.mat"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    trial = pyshoe.load_trial(path)
    summary = summarise(pyshoe.analyse_trial(trial, AnalysisParams()))
    reference_m = float(np.median(pyshoe.vicon_strides(trial).length_m))
    c = summary.combined
    print(f"stride length {c.figures['stride_length_m']:.3f} m from {c.counts['stride_length_m']} strides, "
          f"Vicon {reference_m:.3f} m; notes {summary.notes}")
    assert c.counts["stride_length_m"] >= 10
    assert abs(c.figures["stride_length_m"] / reference_m - 1) < 0.05
    assert math.isnan(c.figures["braking_mps2"]) and "turn" in summary.not_measured["braking_mps2"]
    assert any("steps ended a stride that turned more than 30 deg" in n for n in summary.notes)
