"""QA17 hostile #2, #4, #6, #11 and the smaller findings, through the real CLI: a start before 2000, broken or
impossible step files, session numbers past SQLite's integers, long labels and notes, a recording given as --db,
a read-only command on a full disk, and the clinician's notes in `history show`."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from footfall.coaching.load import PastRun
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.trend import week_trend
from footfall.report.export import write_csv, write_json
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]
START = "2026-11-03T10:00:00Z"


@pytest.fixture
def steps_json(tmp_path: Path) -> Path:
    return write_json(planned_run([(120, Gait())]), tmp_path / "run.json", {"start_utc": START})


@pytest.fixture
def ann(ff: Run, steps_json: Path) -> Run:
    """Ann with one 2-min run: session 1."""
    ff("runner", "add", "Ann")
    assert ff("history", "add", str(steps_json), "--runner", "Ann")[0] == 0
    return ff


def _refused(ff: Run, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one-line usage error of an argument argparse refuses (exit 2)."""
    with pytest.raises(SystemExit) as exc:
        ff(*argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


# --- #2: a start before 2000 ---------------------------------------------------------------------------------


def test_a_start_before_2000_is_refused_from_the_option_and_from_the_file(ann: Run, steps_json: Path,
                                                                         tmp_path: Path) -> None:
    code, _, err = ann("history", "add", str(steps_json), "--runner", "Ann", "--start", "0001-01-01T00:00:00Z",
                       "--force")
    assert code == 2 and "--start 0001-01-01 00:00 UTC is before 2000-01-01, the earliest start footfall takes" in err
    code, _, err = ann("history", "add", str(steps_json), "--runner", "Ann", "--start", "0001-01-01", "--force")
    assert code == 2 and "is before 2000-01-01" in err and "Traceback" not in err  # no offset: the local time of
    # year 1 does not exist (a traceback: year 0 is out of range)
    doc = json.loads(steps_json.read_text())
    doc["meta"]["start_utc"] = "1970-01-01T00:00:00Z"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc))
    code, _, err = ann("history", "add", str(old), "--runner", "Ann")
    assert code == 2 and f"{old}: its start 1970-01-01 00:00 UTC is before 2000-01-01" in err
    assert ann("history", "add", str(old), "--runner", "Ann", "--start", "2026-11-04T10:00:00Z", "--force")[0] == 0


def test_a_session_already_stored_in_year_1_breaks_no_other_runs_advice(ann: Run, db: Path,
                                                                        steps_json: Path) -> None:
    from footfall.report.export import read_steps

    with Store(db) as store:  # as footfall before the check stored it
        store.add_session("Ann", read_steps(steps_json)[0], datetime(1, 1, 1, tzinfo=timezone.utc), source="typo")
    code, out, err = ann("advice", "1")
    assert code == 0, err
    assert "does not diagnose" in out
    code, _, err = ann("advice", "2")
    assert code == 2 and "session 2's start 0001-01-01 00:00 UTC is before 2000-01-01" in err
    assert "`footfall history delete 2`" in err


def test_the_week_trend_of_a_history_starting_in_year_1_is_computed() -> None:
    end = datetime(2026, 11, 3, tzinfo=timezone.utc)
    runs = [PastRun(datetime(1, 1, 1, tzinfo=timezone.utc), 5000.0, 1800.0), PastRun(end, 5000.0, 1800.0)]
    trend = week_trend(runs, end, runs[0].start_utc)
    assert trend is not None and trend.last_km == 5.0
    assert week_trend(runs, runs[0].start_utc, runs[0].start_utc) is None  # the year-1 run itself: no weeks before


# --- #4 and #6: step files that cannot be runs -----------------------------------------------------------------


def _edited(steps_json: Path, tmp_path: Path, k: int, **fields: Any) -> Path:
    doc = json.loads(steps_json.read_text())
    doc["steps"][k - 1].update(fields)
    out = tmp_path / "edited.json"
    out.write_text(json.dumps(doc))
    return out


BAD = [
    ({"index": 10**30}, "step 3: index 1000000000000000000000000000000 is not a step number"),
    ({"ic_time_s": math.nan}, "step 3: ic_time_s nan is not a time on the session's clock"),
    ({"ic_time_s": None}, "step 3: ic_time_s nan is not a time"),
    ({"ic_time_s": 1e18}, "step 3: ic_time_s 1e+18 is not a time"),
    ({"cadence_spm": -10}, "step 3: cadence_spm -10.0 cannot be a measurement (0 to 600"),
    ({"contact_time_ms": -500}, "step 3: contact_time_ms -500.0 cannot be a measurement"),
    ({"stride_length_m": math.inf}, "step 3: stride_length_m inf cannot be a measurement"),
    ({"speed_mps": 1e308}, "step 3: speed_mps 1e+308 cannot be a measurement"),
    ({"side": "X"}, "step 3: side 'X' is not one of L, R, ?"),
    ({"sensor": None}, "step 3: sensor None is not text"),
    ({"activity": ["r"]}, "step 3: activity ['r'] is not text"),
    ({"activity": "flying"}, "step 3: activity 'flying' is not one of running, walking, standing, none"),
    ({"cadence_spm": True}, "step 3: cadence_spm True is not a number (true/false is not a figure)"),
    ({"index": False}, "step 3: index False is not a whole number"),
    ({"ic_time_s": 0.0}, "step 3: ic_time_s 0 is"),  # before the steps of its foot before it
]


@pytest.mark.parametrize(("fields", "said"), BAD, ids=[str(b[0])[:30] for b in BAD])
def test_a_step_that_cannot_be_a_measurement_refuses_the_file(ann: Run, steps_json: Path, tmp_path: Path,
                                                              fields: dict[str, Any], said: str) -> None:
    bad = _edited(steps_json, tmp_path, 3, **fields)
    code, _, err = ann("history", "add", str(bad), "--runner", "Ann", "--force")
    assert code == 2 and f"{bad}: {said}" in err, err
    assert len(ann("history", "list")[1].splitlines()) == 2  # the header and session 1: nothing stored


def test_steps_closer_than_any_foot_can_step_are_refused(ann: Run, steps_json: Path, tmp_path: Path) -> None:
    doc = json.loads(steps_json.read_text())
    first = next(s for s in doc["steps"] if s["sensor"] == doc["steps"][0]["sensor"])
    doc["steps"] = [{**first, "ic_time_s": first["ic_time_s"] + k * 0.001, "index": k} for k in range(1000)]
    dense = tmp_path / "dense.json"
    dense.write_text(json.dumps(doc))
    code, _, err = ann("history", "add", str(dense), "--runner", "Ann", "--force")
    assert code == 2 and "step 2: ic_time_s" in err and "only 0.001 s after the step before it" in err


def test_a_figure_not_measured_is_stored_as_not_measured(ann: Run, steps_json: Path, tmp_path: Path,
                                                         db: Path) -> None:
    unmeasured = _edited(steps_json, tmp_path, 3, cadence_spm=None, stride_length_m=math.nan)
    assert ann("history", "add", str(unmeasured), "--runner", "Ann", "--force")[0] == 0
    with Store(db) as store:
        third = store.steps(2)[2]
    assert math.isnan(third.cadence_spm) and math.isnan(third.stride_length_m)


def test_a_step_csv_cut_short_is_refused_naming_its_line(ann: Run, steps_json: Path, tmp_path: Path) -> None:
    from footfall.report.export import read_steps

    whole = write_csv(read_steps(steps_json)[0], tmp_path / "steps.csv")
    text = whole.read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: text.index("\n", len(text) // 2) + 12])  # a row cut inside its cells
    rows = list(csv.reader(cut.open()))
    code, _, err = ann("history", "add", str(cut), "--runner", "Ann", "--force")
    assert code == 2
    assert f"{cut}: line {len(rows)} has {len(rows[-1])} of {len(rows[0])} cells: the file is cut short" in err
    longer = tmp_path / "longer.csv"
    longer.write_text(text.replace("\n", ",extra\n", 2).replace(",extra", "", 1))  # line 2 has one cell more
    code, _, err = ann("history", "add", str(longer), "--runner", "Ann", "--force")
    assert code == 2 and f"line 2 has {len(rows[0]) + 1} of {len(rows[0])} cells, more than its header" in err


# --- #11, and the lengths of labels and notes -----------------------------------------------------------------


HUGE = "99999999999999999999"


@pytest.mark.parametrize("argv", [("history", "show", HUGE), ("history", "show", "1", "--compare", f"{HUGE}:cue"),
                                  ("history", "export", HUGE, "-o", "x.csv"),
                                  ("history", "mark", HUGE, "cue", "0", "1"),
                                  ("history", "delete", HUGE, "--yes"), ("advice", HUGE), ("report", HUGE),
                                  ("report", "1", "--compare", HUGE),
                                  ("checkin", "--runner", "Ann", "--session", HUGE, "--after", "2")])
def test_a_session_number_past_sqlites_integers_is_no_session(ann: Run, capsys: pytest.CaptureFixture[str],
                                                              argv: tuple[str, ...]) -> None:
    err = _refused(ann, capsys, *argv)
    assert f"no session {HUGE} (session numbers are whole numbers from 1; `footfall history` lists them)" in err
    assert "Traceback" not in err


def test_a_check_in_number_past_sqlites_integers_is_no_check_in(ann: Run, capsys: pytest.CaptureFixture[str]) -> None:
    assert f"no check-in {HUGE}" in _refused(ann, capsys, "checkin", "delete", HUGE, "--yes")


def test_labels_and_notes_are_capped(ann: Run, capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(ann, capsys, "history", "mark", "1", "x" * 41, "0", "10")
    assert "a segment label holds at most 40 characters, not 41" in err
    assert ann("history", "mark", "1", "x" * 40, "0", "10")[0] == 0
    for option in ("--note", "--clinician-note"):
        err = _refused(ann, capsys, "checkin", "--runner", "Ann", "--after", "2", option, "n" * 2001)
        assert "a note holds at most 2000 characters, not 2001" in err


# --- the smaller findings -------------------------------------------------------------------------------------


def test_history_show_prints_the_clinicians_notes(ann: Run) -> None:
    ann("checkin", "--runner", "Ann", "--session", "1", "--after", "3", "--clinician-note", "plan: load 80 %")
    out = ann("history", "show", "1")[1].splitlines()
    k = next(i for i, line in enumerate(out) if line.startswith("  check-in: "))
    assert out[k + 1] == "  clinician note (not in the client's report): plan: load 80 %"


def test_a_recording_given_as_the_database_is_named_a_recording(ann: Run, tmp_path: Path) -> None:
    from footfall.recording.writer import MAGIC

    rec = tmp_path / "run.ffr"
    rec.write_bytes(MAGIC + b"\0" * 200)
    for argv in (("history", "list"), ("history", "add", str(rec), "--runner", "Ann")):
        code, _, err = ann(*argv, "--db", str(rec))
        assert code == 2 and f"{rec} is a footfall recording, not a history database" in err
        assert "damaged" not in err


def test_the_history_is_read_on_a_full_disk(ann: Run, db: Path, tmp_path: Path) -> None:
    """SQLite's -shm file cannot be made under a file-size limit (as on a full disk): the commands that only
    read the history read it as it is on the disk."""
    resource = pytest.importorskip("resource", reason="no file-size limit (setrlimit) on Windows")
    for extra in (Path(f"{db}-shm"), Path(f"{db}-wal")):
        extra.unlink(missing_ok=True)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, resource.RLIM_INFINITY))

    proc = subprocess.run([sys.executable, "-m", "footfall", "history", "show", "1", "--db", str(db)],
                          capture_output=True, text=True, preexec_fn=limit, env={**os.environ, "HOME": str(tmp_path)},
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("session 1  2026-11-03 10:00 UTC  Ann")


def test_a_report_of_steps_stored_without_a_time_is_refused(ann: Run, db: Path, steps_json: Path,
                                                            tmp_path: Path) -> None:
    """A NaN time never reaches the report: a session stored with one (before the step checks) is refused."""
    from dataclasses import replace

    from footfall.report.export import read_steps

    steps = [replace(s, ic_time_s=math.nan) for s in read_steps(steps_json)[0]]
    with Store(db) as store:
        store.add_session("Ann", steps, datetime(2026, 11, 4, tzinfo=timezone.utc), source="old nan.json")
    for argv in (("report", "2"), ("report", "1", "--compare", "2")):
        code, _, err = ann(*argv, "-o", str(tmp_path / "r.html"))
        assert code == 2 and f"session 2 holds {len(steps)} steps without a time (ic_time_s)" in err
    assert not (tmp_path / "r.html").exists()
