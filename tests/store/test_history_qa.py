"""From a QA pass over `footfall history`, `runner`, `shoes`, `checkin` and `advice`: a file imported twice, a
check-in note nobody saw, a mistyped --db that created a database, segments past the session's end, starts in
the future, files history add could not read, walking and unfinished sessions in the listings, runner names
that broke them, `history --runner`, and the `advice --all` hint. Each through the real CLI main."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.checkin import CheckIn
from footfall.coaching.load import PastRun, check_load, load_advice
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_csv, write_json
from footfall.store import Store
from footfall.store.schema import migrate

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)
Run = Callable[..., tuple[int, str, str]]


def _one_line_error(result: tuple[int, str, str], says: str) -> str:
    code, _, err = result
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert says in err, err
    return err


@pytest.fixture
def run_json(tmp_path: Path) -> Path:
    """A 10 min run as a step export with its start time."""
    return write_json(planned_run([(600, Gait())]), tmp_path / "run.json", {"start_utc": "2026-04-20T07:00:00Z"})


# --- 1. the same file twice --------------------------------------------------------------------------------
def test_the_same_file_is_not_imported_twice(ff: Run, run_json: Path, tmp_path: Path) -> None:
    ff("runner", "add", "ana")
    ff("shoes", "add", "ana", "Pegasus")
    assert ff("history", "add", str(run_json), "--runner", "ana", "--shoe", "Pegasus")[0] == 0
    km = ff("shoes", "list", "ana")[1]
    err = _one_line_error(ff("history", "add", str(run_json), "--runner", "ana", "--shoe", "Pegasus"),
                          f"{run_json} is already session 1, ana's run of 2026-04-20 07:00")
    assert err.rstrip().endswith("(add --force to add it again)")
    copy = tmp_path / "renamed.json"  # by content: another name or folder is the same file
    copy.write_bytes(run_json.read_bytes())
    _one_line_error(ff("history", "add", str(copy), "--runner", "ana"), "is already session 1")
    assert ff("shoes", "list", "ana")[1] == km  # the shoe's distance not doubled
    assert len(ff("history")[1].splitlines()) == 2  # the header and one session
    code, out, _ = ff("history", "add", str(copy), "--runner", "ana", "--force")
    assert code == 0 and "session 2" in out


def test_a_file_imported_before_the_hash_was_kept_is_recognised(db: Path, ff: Run, run_json: Path) -> None:
    """A session imported before schema v4 has no content hash; its source is the file's path as given."""
    with Store(db) as store:
        store.add_runner("ana")
        store.add_session("ana", planned_run([(600, Gait())]), T0, source=f"old/folder/{run_json.name}")
    _one_line_error(ff("history", "add", str(run_json), "--runner", "ana"), "holds the steps of session 1")


def test_migration_fills_in_the_basis_of_older_sessions(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, upto=3)
    conn.close()
    with Store(db) as store:
        store.add_runner("ana")
        sid = store.add_session("ana", _walk(), T0).id
        store.conn.execute("UPDATE sessions SET basis=NULL")  # as a v3 file has it
    with Store(db) as store:
        assert store.session(sid).basis == "walking"


# --- 2. check-in notes ------------------------------------------------------------------------------------------
def test_a_checkin_note_is_shown_where_the_checkin_is(ff: Run, run_json: Path) -> None:
    ff("runner", "add", "ana")
    ff("history", "add", str(run_json), "--runner", "ana")
    code, out, _ = ff("checkin", "--runner", "ana", "--session", "1", "--note", "left ankle stiff")
    assert code == 0 and "check-in saved: red flags: not asked, note: left ankle stiff" in out and "pain -" not in out
    ff("checkin", "--runner", "ana", "--session", "1", "--after", "2", "--note", "better")
    shown = ff("history", "show", "1")[1]
    assert "  check-in: pain - -> 2, red flags: not asked, note: left ankle stiff; better" in shown
    assert "check-in: pain - -> 2, red flags: not asked, note: left ankle stiff; better" in ff("advice", "1")[1]


# --- 3. the load check's threshold -----------------------------------------------------------------------------
def test_load_check_says_which_runs_it_compares_with() -> None:
    demo = PastRun(T0 - timedelta(days=1), 123.0, 40.0)
    msg = load_advice(check_load(PastRun(T0, 1130.0, 360.0), [demo])).message
    assert "No run of 5 min or more in the previous 30 days to compare with" in msg


# --- 4. a mistyped --db -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["advice", "1"], ["history"], ["history", "list"], ["history", "show", "1"],
                                  ["history", "mark", "1", "cue", "0", "10"], ["runner", "list"],
                                  ["shoes", "list", "ana"], ["history", "export", "1", "-o", "x.csv"]])
def test_reading_a_missing_database_creates_nothing(ff: Run, tmp_path: Path, argv: list[str]) -> None:
    typo = tmp_path / "typo" / "h.sqlite"
    _one_line_error(ff(*argv, "--db", str(typo)), f"no history database at {typo} (check --db;")
    assert not typo.parent.exists()


def test_writing_commands_still_create_the_database(ff: Run, tmp_path: Path) -> None:
    new = tmp_path / "new" / "h.sqlite"
    assert ff("runner", "add", "ana", "--db", str(new))[0] == 0 and new.is_file()


# --- 5. segments within the session ------------------------------------------------------------------------------
def test_a_segment_must_end_within_the_session(ff: Run, run_json: Path, db: Path) -> None:
    ff("runner", "add", "ana")
    ff("history", "add", str(run_json), "--runner", "ana")
    _one_line_error(ff("history", "mark", "1", "tail", "100", "5000"),
                    "segment 'tail' ends at 5000 s, after the end of session 1 (600 s long)")
    _one_line_error(ff("history", "mark", "1", "tail", "300", "200"), "must run forwards")
    _one_line_error(ff("history", "mark", "--db", str(db), "1", "tail", "--", "-5", "200"), "must run forwards from 0 s")
    assert ff("history", "mark", "1", "tail", "500", "600")[0] == 0  # up to the end is fine


# --- 6. starts in the future, retired shoes ----------------------------------------------------------------------
def test_a_start_in_the_future_is_refused(ff: Run, run_json: Path) -> None:
    ff("runner", "add", "ana")
    _one_line_error(ff("history", "add", str(run_json), "--runner", "ana", "--start", "2099-01-01T00:00:00Z"),
                    "start 2099-01-01 00:00 UTC is in the future")
    soon = (datetime.now(timezone.utc) + timedelta(minutes=2)).isoformat()  # another device's clock, a bit ahead
    assert ff("history", "add", str(run_json), "--runner", "ana", "--start", soon)[0] == 0


def test_a_retired_shoe_gets_a_warning(ff: Run, run_json: Path) -> None:
    ff("runner", "add", "ana")
    ff("shoes", "add", "ana", "Pegasus")
    ff("shoes", "retire", "1")
    code, _, err = ff("history", "add", str(run_json), "--runner", "ana", "--shoe", "Pegasus")
    assert code == 0 and err == "warning: shoe Pegasus is retired; this run is added to its distance anyway\n"


# --- 7 and 13. what history add reads -----------------------------------------------------------------------------
def test_history_add_reads_analyse_json_with_the_recordings_start(ff: Run, db: Path, tmp_path: Path) -> None:
    """The JSON held no start time, so the session was stored as starting when it was added."""
    from footfall.recording.file import open_recording

    from footfall.virtual import runner as runner_mod
    runner_mod.write_run(runner_mod.simulate(runner_mod.preset("heel-overstrider", duration_s=30.0)),
                         tmp_path / "run.ffr")
    assert ff("analyse", str(tmp_path / "run.ffr"), "--json", str(tmp_path / "a.json"))[0] == 0
    doc = json.loads((tmp_path / "a.json").read_text())
    assert doc["start_utc"] == open_recording(tmp_path / "run.ffr").meta["created_utc"]
    ff("runner", "add", "ana")
    code, out, err = ff("history", "add", str(tmp_path / "a.json"), "--runner", "ana")
    assert code == 0 and f"session 1: {len(doc['steps'])} steps" in out and err == ""
    with Store(db) as store:
        assert store.sessions("ana")[0].start_utc == datetime.fromisoformat(doc["start_utc"].replace("Z", "+00:00"))
    del doc["start_utc"]  # an older analyse's JSON: stored as starting now, and said so
    (tmp_path / "b.json").write_text(json.dumps(doc))
    # the same steps as session 1: a repeat unless --force (tests/store/test_history_recheck.py)
    assert "holds no start time" in ff("history", "add", str(tmp_path / "b.json"), "--runner", "ana", "--force")[2]


@pytest.mark.parametrize(("content", "says"), [
    ("time_s,acc_x,acc_y,acc_z\n0.0,0,0,9.8\n", "samples.csv looks like IMU samples, not steps (bring it in with "
                                                 "`footfall import"),
    ("a,b\n1,2\n", "samples.csv is not a step CSV (it has no ic_time_s column)"),
])
def test_history_add_says_what_a_csv_is(ff: Run, tmp_path: Path, content: str, says: str) -> None:
    (tmp_path / "samples.csv").write_text(content)
    ff("runner", "add", "ana")
    err = _one_line_error(ff("history", "add", str(tmp_path / "samples.csv"), "--runner", "ana"), says)
    assert "[" not in err


@pytest.mark.parametrize(("name", "content", "says"), [
    ("ff", "x\n", "ff is neither a recording nor a step file (history add takes a .ffr recording"),
    ("x.json", "{not json", "x.json is not valid JSON"),
    ("x.json", '{"a": 1}', "x.json is JSON but not footfall steps"),
])
def test_history_add_says_which_files_it_takes(ff: Run, tmp_path: Path, name: str, content: str, says: str) -> None:
    (tmp_path / name).write_text(content)
    ff("runner", "add", "ana")
    _one_line_error(ff("history", "add", str(tmp_path / name), "--runner", "ana"), says)


def test_history_add_reads_a_step_csv(ff: Run, tmp_path: Path) -> None:
    write_csv(planned_run([(60, Gait())]), tmp_path / "steps.csv")
    ff("runner", "add", "ana")
    assert ff("history", "add", str(tmp_path / "steps.csv"), "--runner", "ana")[0] == 0


# --- 8 and 9. basis and unfinished sessions in the listings ---------------------------------------------------------
def _walk() -> list:  # type: ignore[type-arg]
    return [replace(s, activity="walking") for s in planned_run([(120, Gait(cadence_spm=110, speed_mps=1.3))])]


def test_walking_sessions_say_so(ff: Run, db: Path) -> None:
    with Store(db) as store:
        store.add_runner("ana")
        store.add_session("ana", _walk(), T0)
        store.add_session("ana", planned_run([(120, Gait())]), T0 + timedelta(days=1))
    header, *listing = ff("history")[1].splitlines()
    assert "start (UTC)" in header  # the times are UTC, and the listing says so
    assert "  walking  cadence" in listing[0] and "  running  cadence" in listing[1]
    assert "  basis                   walking" in ff("history", "show", "1")[1]


def test_a_session_still_recording_says_in_progress(ff: Run, db: Path) -> None:
    with Store(db) as store:
        store.add_runner("ana")
        old = store.begin_session("ana", datetime.now(timezone.utc) - timedelta(days=1))  # left by a crash
        store.append_steps(old, planned_run([(60, Gait())]))
        now = store.begin_session("ana")
        store.append_steps(now, planned_run([(10, Gait())]))
    listing = ff("history")[1]
    assert "nan" not in listing
    assert "not finished, 160 steps so far" in listing and "in progress, 27 steps so far" in listing
    assert "  in progress, 27 steps so far" in ff("history", "show", str(now))[1]


# --- 10. runner names ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "says"), [
    ("a\nb", "runner name 'a\\nb' must be one line of printable text"),
    ("x" * 41, "runner name of 41 characters is too long (use at most 40)"),
    (" ana", "without spaces around it"),
])
def test_runner_names_are_one_short_line(ff: Run, name: str, says: str) -> None:
    _one_line_error(ff("runner", "add", name), says)
    assert ff("runner", "add", "x" * 40)[0] == 0


def test_runner_names_ignore_case(ff: Run, run_json: Path) -> None:
    ff("runner", "add", "ana")
    _one_line_error(ff("runner", "add", "ANA"),
                    "runner 'ana' already exists (names ignore case; change it with `footfall runner set ana ...`)")
    assert ff("runner", "set", "Ana", "--height-m", "1.6")[1] == "ana: height 1.60 m, leg length -, target cadence -\n"
    assert ff("history", "add", str(run_json), "--runner", "ANA")[0] == 0
    assert " ana " in ff("history")[1]


def test_a_file_with_two_runners_differing_in_case_still_finds_each(db: Path, ff: Run) -> None:
    with Store(db) as store:  # made before names ignored case
        store.add_runner("ana")
        store.conn.execute("INSERT INTO runners(name, created_utc) VALUES ('ANA', '2026-01-01T00:00:00+00:00')")
    assert ff("runner", "set", "ANA", "--height-m", "1.7")[0] == 0
    _one_line_error(ff("runner", "set", "Ana", "--height-m", "1.7"),
                    "no runner called 'Ana' (did you mean 'ana' or 'ANA'?)")


def test_wide_names_keep_the_columns(ff: Run, db: Path) -> None:
    with Store(db) as store:
        for name in ("ana", "李小龍"):
            store.add_runner(name)
            store.add_session(name, planned_run([(60, Gait())]), T0)
    _, a, b = ff("history")[1].splitlines()
    assert b.index(" 1.0 min") == a.index(" 1.0 min") - 3  # three wide characters take six columns


# --- 11. history --runner -----------------------------------------------------------------------------------------
def test_history_takes_list_options_without_list(ff: Run, db: Path) -> None:
    with Store(db) as store:
        for name in ("ana", "bob"):
            store.add_runner(name)
            store.add_session(name, planned_run([(60, Gait())]), T0)
    for argv in (["history", "--runner", "ana"], ["history", "list", "--runner", "ana"],
                 ["history", "--runner", "ana", "list"]):
        code, out, _ = ff(*argv)
        assert code == 0 and " ana " in out and " bob " not in out


# --- 12. advice --all ------------------------------------------------------------------------------------------------
def test_advice_all_shows_every_entry_and_no_hint(ff: Run, db: Path) -> None:
    with Store(db) as store:
        store.add_runner("ana")
        shoe = store.add_shoe("ana", "Pegasus", limit_km=50, initial_km=49)
        for days in (27, 20, 13, 6):  # the weekly trend needs three weeks of history before the last 7 days
            store.add_session("ana", planned_run([(600, Gait())]), T0 - timedelta(days=days))
        sid = store.add_session("ana", planned_run([(2400, Gait())]), T0, shoe.id).id
        store.add_checkin("ana", CheckIn(1, 3, recent_injury=True), sid)  # a red flag would hold training back
    code, out, _ = ff("advice", str(sid))
    short = [line for line in out.splitlines() if line[:1].isdigit()]
    assert code == 0 and len(short) == 7
    code, out, _ = ff("advice", str(sid), "--all")
    every = [line for line in out.splitlines() if line[:1].isdigit()]
    assert len(every) > 7 and every[:7] == short
    assert "--all" not in out
    hint = ff("advice", str(sid))[1].splitlines()[-1]
    assert hint.endswith(f"`footfall advice {sid} --all` shows {len(every) - 7} more.")
    with Store(db) as store:
        few = store.add_session("ana", planned_run([(60, Gait())]), T0 + timedelta(days=1)).id
    assert "--all" not in ff("advice", str(few))[1]  # nothing left out: no hint


def test_empty_listings_say_why_they_are_empty(ff: Run) -> None:
    """`shoes list ana` with only retired pairs, and with none, printed nothing at all."""
    ff("runner", "add", "ana")
    assert ff("shoes", "list", "ana")[1] == "ana has no shoes yet: add a pair with `footfall shoes add ana NAME`\n"
    ff("shoes", "add", "ana", "Pegasus")
    ff("shoes", "retire", "1")
    assert "ana has only retired pairs: list them with `footfall shoes list ana --all`" in ff("shoes", "list", "ana")[1]
    assert "Pegasus (retired)" in ff("shoes", "list", "ana", "--all")[1]


def test_a_start_without_offset_is_local_time(ff: Run, run_json: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A runner types the time on their watch: `--start 2026-04-20T07:00` was stored as 07:00 UTC, two hours off
    for a runner in Berlin, and the listing did not say its times are UTC."""
    import time as _time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    _time.tzset()
    try:
        ff("runner", "add", "ana")
        assert ff("history", "add", str(run_json), "--runner", "ana", "--start", "2026-04-20T07:00")[0] == 0
        header, row = ff("history")[1].splitlines()
    finally:
        monkeypatch.delenv("TZ")
        _time.tzset()
    assert "start (UTC)" in header and " 2026-04-20 05:00 " in row  # 07:00 summer time in Berlin
