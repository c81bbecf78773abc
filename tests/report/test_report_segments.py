"""footfall.report.segments, the one place segments are figured (report table, `history show`), labelled
(step exports) and turned into FIT laps; and the FIT laps themselves."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.summary import summarise_steps
from footfall.report.build import write_report
from footfall.report.fit import fit_bytes, lap_spans
from footfall.report.segments import segment_figures, segment_labels, stored_segments
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)


def test_a_step_belongs_to_the_segments_whose_half_open_span_holds_its_contact() -> None:
    steps = planned_run([(10, Gait(cadence_spm=120))])  # a step every 0.5 s, the first at 0 s
    labels = segment_labels(steps, [("a", 1.0, 2.0), ("b", 1.5, 3.0)])
    by_time = {s.ic_time_s: label for s, label in zip(steps, labels)}
    assert [by_time[t] for t in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)] == ["", "a", "a;b", "b", "b", ""]
    assert segment_labels(steps, []) == [""] * len(steps)


def test_figures_are_the_summary_of_the_steps_inside() -> None:
    steps = planned_run([(60, Gait(cadence_spm=158)), (60, Gait(cadence_spm=172))], seed=2)
    first, second = segment_figures(steps, [("baseline", 0, 60), ("cue", 60, 120)])
    assert first.summary == summarise_steps([s for s in steps if s.ic_time_s < 60])
    assert (first.label, second.start_s, second.end_s) == ("baseline", 60, 120)
    assert second.figures()["cadence_spm"] == pytest.approx(172, abs=2)
    assert first.figures()["stride_length_m"] == pytest.approx(2.25, abs=0.2)
    empty = segment_figures(steps, [("later", 500, 600)])[0]
    assert empty.summary.n_steps == 0 and math.isnan(empty.stride_length_m)


def test_report_segment_table_and_show_share_one_computation(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        sid = store.add_session("ana", planned_run([(60, Gait(cadence_spm=158)), (60, Gait(cadence_spm=172))]), T0).id
        store.add_segment(sid, "baseline", 0, 60)
        store.add_segment(sid, "cue", 60, 120)
        figures = segment_figures(store.steps(sid), stored_segments(store, sid))
        text = write_report(store, sid, tmp_path / "r.html").read_text()
    table = text.split('id="segments-table"', 1)[1].split("</table>", 1)[0]
    cadence = table.split('data-key="cadence_spm"', 1)[1].split("</tr>", 1)[0]
    assert [f'<td class="num">{g.summary.cadence_spm:.1f}</td>' in cadence for g in figures] == [True, True]
    assert [g.label for g in figures] == ["baseline", "cue"]


@pytest.mark.parametrize(("segments", "laps"), [
    ([], [("", 0, 100)]),
    ([("baseline", 0, 40), ("cue", 40, 100)], [("baseline", 0, 40), ("cue", 40, 100)]),
    ([("cue", 50, 70), ("baseline", 10, 30)], [("", 0, 10), ("baseline", 10, 30), ("", 30, 50), ("cue", 50, 70),
                                              ("", 70, 100)]),
    ([("a", 10, 60), ("b", 50, 80), ("c", 55, 65)], [("", 0, 10), ("a", 10, 60), ("b", 60, 80), ("", 80, 100)]),
    ([("retest", 90, 400)], [("", 0, 90), ("retest", 90, 100)]),
])
def test_laps_are_consecutive_and_cover_the_session(segments: list, laps: list) -> None:
    assert lap_spans(segments, 100.0) == laps


def _fit(steps: list, segments: list) -> dict:
    garmin = pytest.importorskip("garmin_fit_sdk")
    data = bytearray(fit_bytes(steps, T0, segments))
    assert garmin.Decoder(garmin.Stream.from_byte_array(data)).check_integrity()
    messages, errors = garmin.Decoder(garmin.Stream.from_byte_array(data)).read()
    assert errors == []
    return messages  # type: ignore[no-any-return]


def test_fit_laps_add_up_to_the_session() -> None:
    steps = planned_run([(100, Gait(cadence_spm=160)), (100, Gait(cadence_spm=176))], seed=4)
    messages = _fit(steps, [("baseline", 20, 100), ("cue", 100, 180)])
    laps, session = messages["lap_mesgs"], messages["session_mesgs"][0]
    assert [(lap["start_time"] - T0).total_seconds() for lap in laps] == [0, 20, 100, 180]
    assert [lap["timestamp"] for lap in laps[:-1]] == [lap["start_time"] for lap in laps[1:]]
    assert laps[-1]["timestamp"] == session["timestamp"] and laps[-1]["lap_trigger"] == "session_end"
    assert sum(lap["total_timer_time"] for lap in laps) == pytest.approx(session["total_timer_time"])
    assert sum(lap["total_distance"] for lap in laps) == pytest.approx(session["total_distance"], abs=0.05)
    assert [2 * (lap["avg_cadence"] + lap["avg_fractional_cadence"]) for lap in laps[1:3]] == [
        pytest.approx(160, abs=2), pytest.approx(176, abs=2)]


def test_fit_without_segments_keeps_one_lap() -> None:
    steps = planned_run([(60, Gait())])
    messages = _fit(steps, [])
    (lap,) = messages["lap_mesgs"]
    assert lap["start_time"] == T0 and lap["total_elapsed_time"] == messages["session_mesgs"][0]["total_elapsed_time"]


def test_fit_cadence_fraction_is_rounded_to_its_128ths_then_split(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import footfall.report.fit as fit

    steps = [dataclasses.replace(s, cadence_spm=157.9995) for s in planned_run([(30, Gait(cadence_spm=158))])]
    real = fit.summarise_steps
    monkeypatch.setattr(fit, "summarise_steps", lambda s: dataclasses.replace(real(s), cadence_spm=157.9995))
    messages = _fit(steps, [])
    pairs = [(m["cadence"], m["fractional_cadence"]) for m in messages["record_mesgs"]]
    session = messages["session_mesgs"][0]
    assert set(pairs) == {(79, 0.0)}  # was 78 + 128/128 (= 1.0)
    assert (session["avg_cadence"], session["avg_fractional_cadence"]) == (79, 0.0)
    assert fit._cadence(157.0) == {"cadence": 78, "fractional_cadence": 0.5}
