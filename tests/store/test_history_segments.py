"""A physiotherapist's marked segments through `footfall history`, on a real SQLite file: `show` figures each
segment as the report does, and `export` gives each step the label of the segment holding it (CSV, JSON) or a
lap per segment (FIT)."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import footfall.cli as cli
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.summary import summarise_steps, window
from footfall.report.export import read_steps
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)
LATE_START_S = 30.0  # the runner set off 30 s after the session started: the first step is at 30 s
OVERSTRIDE = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)
CUED = Gait(cadence_spm=170, strike_angle_deg=5, overstride_index=0.3)
MARKS = (("baseline", 0.0, 120.0), ("cue", 120.0, 240.0))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Session 1: 90 s overstriding from 30 s, then 120 s cued; baseline 0-120 s and cue 120-240 s marked."""
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        store.add_runner("ana", 1.68, 0.86)
        s = store.add_session("ana", planned_run([(90, OVERSTRIDE), (120, CUED)], seed=3, start_s=LATE_START_S), T0)
        for label, a, b in MARKS:
            store.add_segment(s.id, label, a, b)
    return path


def _ff(db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str) -> str:
    monkeypatch.setattr(cli, "COMMANDS", ["history"])
    assert cli.main(["history", "--db", str(db), *argv]) == 0
    return capsys.readouterr().out


def _table(shown: str) -> dict[str, list[str]]:
    """The segment table of `history show`: row name -> one cell per segment."""
    rows = shown.split("  segment ", 1)[1].splitlines()
    cells = [re.split(r"\s{2,}", "segment " + rows[0])] + [re.split(r"\s{2,}", r.strip()) for r in rows[1:]]
    return {r[0]: r[1:] for r in cells if not r[0].startswith("cues given")}


def test_show_figures_each_segment_like_the_report(db: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    table = _table(_ff(db, capsys, monkeypatch, "show", "1"))
    assert table["segment"] == ["baseline", "cue"] and table["seconds"] == ["0-120", "120-240"]
    with Store(db) as store:
        steps = store.steps(1)
    for i, (_, a, b) in enumerate(MARKS):
        inside = window(steps, a, b)
        s = summarise_steps(inside)  # what the report's segment table shows
        assert int(table["n_steps"][i]) == s.n_steps == len(inside)
        for key, decimals in (("cadence_spm", 1), ("contact_time_ms", 0), ("strike_angle_deg", 1),
                              ("overstride_index", 2)):  # printed as precise as measured
            assert table[key][i] == f"{getattr(s, key):.{decimals}f}"
        assert table["rearfoot_share"][i] == f"{s.rearfoot_share * 100:.1f} %"
        assert float(table["stride_length_m"][i]) == pytest.approx(2.25, abs=0.2)
    assert float(table["cadence_spm"][0]) == pytest.approx(158, abs=3)
    assert float(table["cadence_spm"][1]) == pytest.approx(170, abs=3)
    assert table["rearfoot_share"][0] == "100.0 %" and float(table["overstride_index"][0]) > 0.5


def test_show_prints_a_dash_for_what_was_not_measured(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    steps = [dataclasses.replace(s, stride_length_m=math.nan) for s in planned_run([(60, OVERSTRIDE)])]
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        store.add_segment(store.add_session("ana", steps, T0).id, "barefoot", 10, 50)
    table = _table(_ff(tmp_path / "h.sqlite", capsys, monkeypatch, "show", "1"))
    assert table["segment"] == ["barefoot"] and table["stride_length_m"] == ["-"]
    assert float(table["cadence_spm"][0]) == pytest.approx(158, abs=3)


def test_show_without_segments_has_no_segment_table(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        store.add_session("ana", planned_run([(30, OVERSTRIDE)]), T0)
    shown = _ff(tmp_path / "h.sqlite", capsys, monkeypatch, "show", "1")
    assert "segment" not in shown and "cues given: 0" in shown


def _expected_label(ic_time_s: float) -> str:
    """Segments are in seconds since the session start, as the stored step times are (not since the first step:
    that rule would call the steps at 120-150 s baseline)."""
    return "baseline" if ic_time_s < 120 else "cue"


def test_csv_export_labels_each_step_by_session_time(db: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _ff(db, capsys, monkeypatch, "export", "1", "-o", str(tmp_path / "s.csv"))
    with open(tmp_path / "s.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert float(rows[0]["ic_time_s"]) == pytest.approx(LATE_START_S)
    assert [r["segment"] for r in rows] == [_expected_label(float(r["ic_time_s"])) for r in rows]
    assert {r["segment"] for r in rows} == {"baseline", "cue"}
    back, _ = read_steps(tmp_path / "s.csv")  # `history add` still reads it back
    assert len(back) == len(rows)


def test_json_export_labels_steps_and_lists_the_marks(db: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with Store(db) as store:
        store.add_segment(1, "cue", 150, 200)  # moved: 120-150 s and 200 s on are in no segment
    _ff(db, capsys, monkeypatch, "export", "1", "-o", str(tmp_path / "s.json"))
    doc = json.loads((tmp_path / "s.json").read_text())
    assert doc["meta"]["segments"] == [{"label": "baseline", "start_s": 0.0, "end_s": 120.0},
                                       {"label": "cue", "start_s": 150.0, "end_s": 200.0}]
    for step in doc["steps"]:
        t = step["ic_time_s"]
        assert step["segment"] == (["baseline"] if t < 120 else ["cue"] if 150 <= t < 200 else [])  # like flags
    assert sum(s["segment"] == [] for s in doc["steps"]) > 100
    back, meta = read_steps(tmp_path / "s.json")
    assert len(back) == len(doc["steps"]) and meta["session"] == 1
    assert doc["meta"]["start_utc"] == "2026-04-20T07:00:00Z"  # as analyse writes it (was +00:00)


def test_json_times_are_iso_8601_with_z_and_milliseconds_where_known() -> None:
    from footfall.report.export import json_text
    from footfall.utc import iso_utc

    plus_two = timezone(timedelta(hours=2))
    assert iso_utc(datetime(2026, 4, 20, 9, 0, 12, 345678, tzinfo=plus_two)) == "2026-04-20T07:00:12.345Z"
    assert json.loads(json_text({"t": T0})) == {"t": "2026-04-20T07:00:00Z"}


def test_overlapping_segments_are_a_list_in_json_and_joined_in_csv(db: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with Store(db) as store:
        store.add_segment(1, "warm-up", 100, 130)  # overlaps baseline (0-120) and cue (120-240)
    _ff(db, capsys, monkeypatch, "export", "1", "-o", str(tmp_path / "s.json"))
    _ff(db, capsys, monkeypatch, "export", "1", "-o", str(tmp_path / "s.csv"))
    doc = json.loads((tmp_path / "s.json").read_text())
    labels = {tuple(s["segment"]) for s in doc["steps"]}
    assert labels == {("baseline",), ("baseline", "warm-up"), ("warm-up", "cue"), ("cue",)}  # by start time
    with open(tmp_path / "s.csv", newline="", encoding="utf-8") as fh:
        cells = {r["segment"] for r in csv.DictReader(fh)}
    assert cells == {";".join(g) for g in labels}


def test_mark_refuses_the_label_separator(db: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "COMMANDS", ["history"])
    assert cli.main(["history", "--db", str(db), "mark", "1", "warm;up", "0", "10"]) != 0
    assert "contains ';'" in capsys.readouterr().err
    with Store(db) as store:
        assert [g.label for g in store.segments(1)] == ["baseline", "cue"]


def test_export_of_an_unmarked_session_has_an_empty_segment_column(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        store.add_session("ana", planned_run([(20, OVERSTRIDE)]), T0)
    _ff(tmp_path / "h.sqlite", capsys, monkeypatch, "export", "1", "-o", str(tmp_path / "s.csv"))
    with open(tmp_path / "s.csv", newline="", encoding="utf-8") as fh:
        assert {r["segment"] for r in csv.DictReader(fh)} == {""}


def test_fit_export_has_a_lap_per_segment(db: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    garmin = pytest.importorskip("garmin_fit_sdk")
    with Store(db) as store:
        store.add_segment(1, "cue", 130, 200)
        steps = store.steps(1)
    _ff(db, capsys, monkeypatch, "export", "1", "-o", str(tmp_path / "s.fit"))
    data = bytearray((tmp_path / "s.fit").read_bytes())
    assert garmin.Decoder(garmin.Stream.from_byte_array(data)).check_integrity()
    messages, errors = garmin.Decoder(garmin.Stream.from_byte_array(data)).read()
    assert errors == []
    laps = messages["lap_mesgs"]
    spans = [((lap["start_time"] - T0).total_seconds(), lap["total_elapsed_time"]) for lap in laps]
    end_s = int(steps[-1].ic_time_s) + 1
    assert spans == [(0, 120), (120, 10), (130, 70), (200, end_s - 200)]  # baseline, gap, cue, after
    assert messages["session_mesgs"][0]["num_laps"] == 4
    cue = window(steps, 130, 200)
    assert laps[2]["total_distance"] == pytest.approx(sum(s.stride_length_m for s in cue) / 2, abs=0.01)
