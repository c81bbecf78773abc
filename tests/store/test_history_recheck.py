"""From a QA re-check of `history add` and the history file: a recording still being made "completed" its live
session; a damaged database was written into; a moved recording completed another stuck session of the same
file name; a step file of a stored run was added twice; a database the disk was too full to create was left
behind half made. Each through the real CLI main, on real SQLite files."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.analysis.session import analyse_file
from footfall.analysis.step import Step
from footfall.protocol.encode import SiStream, device_frames
from footfall.recording.file import RecordingWriter, open_recording
from footfall.store import Store
from footfall.store.schema import migrate
from footfall.virtual.runner import preset, simulate, write_run

Run = Callable[..., tuple[int, str, str]]  # the `ff` fixture (tests/conftest.py)
fcntl = pytest.importorskip("fcntl")  # the recording's lock (POSIX)


def _one_line_error(result: tuple[int, str, str], says: str) -> str:
    code, _, err = result
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert says in err, err
    return err


def _recording(path: Path, seed: int = 3, duration_s: float = 20.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_run(simulate(preset("heel-overstrider", duration_s=duration_s, seed=seed)), path)


def being_recorded(path: Path) -> bool:
    from footfall.recording.writer import being_recorded as held

    return held(path)


def _created(path: Path) -> datetime:
    return datetime.fromisoformat(str(open_recording(path).meta["created_utc"]).replace("Z", "+00:00"))


def _stuck(db: Path, source: str, start: datetime, steps: Sequence[Step] = (), runner: str = "ana") -> int:
    """An unfinished live session, as `footfall live --record ... --runner ana` killed mid-run leaves it."""
    with Store(db) as store:
        if not store.runners():
            store.add_runner(runner)
        sid = store.begin_session(runner, start, source=source)
        store.append_steps(sid, steps)
    return sid


# --- 1. a recording still being made ------------------------------------------------------------------------
def _record_open(path: Path) -> RecordingWriter:
    """A recording being made, as `footfall live --record` writes it: 10 s of both feet, flushed, still open."""
    run = simulate(preset("heel-overstrider", duration_s=10.0, seed=3))
    writer = RecordingWriter(path, {"test": "in progress"})
    for side, foot in run.feet.items():
        writer.add_sensor(side, side)
        stream = SiStream(side, side, int(foot.rate_hz), foot.acc_mps2, foot.gyr_radps, acc_range_g=32)
        for t, frame in device_frames(stream, 0.0):
            writer.write_frame(side, frame, t)
    writer.flush()
    return writer


def test_a_recording_still_being_made_is_refused_and_its_session_left_alone(ff: Run, db: Path,
                                                                            tmp_path: Path) -> None:
    """'session 14 is the live session r4.ffr was recorded in, stopped unfinished with 32 steps: completed from
    the recording' while it ran: the session ended with 116 steps, 6 of them twice."""
    rec = tmp_path / "r4.ffr"
    writer = _record_open(rec)
    try:
        sid = _stuck(db, f"live: {rec}", datetime.now(timezone.utc))
        _one_line_error(ff("history", "add", str(rec), "--runner", "ana"),
                        f"{rec} is still being recorded (session {sid}, in progress)")
        copy = tmp_path / "elsewhere" / "r4.ffr"  # a copy taken while it records is not its session's end either
        copy.parent.mkdir()
        shutil.copy(rec, copy)
        code, _, err = ff("history", "add", str(copy), "--runner", "ana")  # (a note first: the copy is cut off)
        assert code == 2 and f"is a copy of {rec}, still being recorded (session {sid}" in err.splitlines()[-1], err
        with Store(db, readonly=True) as store:
            assert not store.session(sid).finished and store.steps(sid) == []
            assert [s.id for s in store.sessions()] == [sid]
    finally:
        writer.close()
    assert not being_recorded(rec)
    code, _, err = ff("history", "add", str(rec), "--runner", "ana")  # once it has ended, it completes it
    assert code == 0 and f"session {sid} is the live session" in err, err


def test_the_lock_goes_with_the_writer_even_on_kill_9(tmp_path: Path) -> None:
    rec = tmp_path / "r.ffr"
    script = ("import sys; from footfall.recording.file import RecordingWriter; w = RecordingWriter(sys.argv[1], {}); "
              "print('recording', flush=True); sys.stdin.read()")
    child = subprocess.Popen([sys.executable, "-c", script, str(rec)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "recording"
        assert being_recorded(rec)
    finally:
        child.kill()  # SIGKILL: no close(), no cleanup
        child.wait()
    assert not being_recorded(rec)


def test_a_second_writer_on_a_file_being_recorded_is_refused(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Creating with O_EXCL refuses a file that exists; the lock also covers one made again between another
    writer's create and its lock: here the second create is let through, and the lock refuses it."""
    from footfall.recording import writer as recording_writer
    from footfall.errors import RecordingError

    rec = tmp_path / "r.ffr"
    with RecordingWriter(rec, {}):
        monkeypatch.setattr(recording_writer, "open", lambda path, mode, **kw: open(path, "r+b", **kw),
                            raising=False)
        with pytest.raises(RecordingError, match=f"{rec} is being recorded by another program"):
            RecordingWriter(rec, {})
        monkeypatch.undo()


# --- 2. a damaged database ----------------------------------------------------------------------------------
@pytest.fixture
def damaged(db: Path, tmp_path: Path) -> Path:
    """The QA's damage: a history with a session, page 4 (the shoes table) overwritten as a disk error would."""
    rec = _recording(tmp_path / "run.ffr")
    with Store(db) as store:
        store.add_runner("ana")
        store.add_session("ana", analyse_file(str(rec)).steps, _created(rec), source="run.ffr")
    with db.open("r+b") as fh:
        fh.seek(12288)
        fh.write(b"\xab" * 4096)
    return db


@pytest.mark.parametrize("argv", [
    ("history", "add", "{rec}", "--runner", "ana", "--force"), ("history", "mark", "1", "cue", "1", "5"),
    ("history", "delete", "1", "--yes"), ("runner", "add", "bob"), ("runner", "set", "ana", "--height-m", "1.7"),
    ("shoes", "add", "ana", "Pegasus"), ("checkin", "--runner", "ana", "--before", "2"),
    ("live", "replay:{rec}", "--speed", "0", "--runner", "ana")])
def test_a_damaged_database_is_not_written(ff: Run, damaged: Path, tmp_path: Path, argv: tuple[str, ...]) -> None:
    """All of these exited 0 and wrote into the damaged file ('session 9: 85 steps', 'stored as session 10')."""
    rec = _recording(tmp_path / "other.ffr", seed=5)
    before = damaged.read_bytes()
    _one_line_error(ff(*(a.format(rec=rec) for a in argv)),
                    f"history database {damaged} is damaged: database disk image is malformed")
    assert damaged.read_bytes() == before
    assert not Path(f"{damaged}-wal").exists() or Path(f"{damaged}-wal").stat().st_size == 0


@pytest.mark.parametrize("argv", [("history",), ("history", "show", "1"), ("runner", "list")])
def test_commands_that_read_show_what_they_can_and_say_the_file_is_damaged(ff: Run, damaged: Path,
                                                                           argv: tuple[str, ...]) -> None:
    code, out, err = ff(*argv)
    assert code == 0 and "ana" in out, err
    assert err.startswith(f"warning: history database {damaged} is damaged") and ".recover" in err, err
    assert "what was shown is what could still be read" in err


def test_a_sound_database_opens_without_a_word(ff: Run, db: Path) -> None:
    assert ff("runner", "add", "ana") == (0, "ana: height -, leg length -, target cadence -\n", "")
    assert ff("runner", "list")[2] == ""


# --- 3. two stuck sessions of recordings with the same file name --------------------------------------------
@pytest.fixture
def two_stuck(db: Path, tmp_path: Path) -> tuple[Path, Path, int, int]:
    """r2.ffr and sub/r2.ffr, two runs, each the recording of a live session killed after 10 steps; the session of
    sub/r2.ffr started further from its recording's time than the other one did."""
    top, sub = _recording(tmp_path / "r2.ffr", seed=3), _recording(tmp_path / "sub" / "r2.ffr", seed=11)
    t = _created(sub)
    a = _stuck(db, f"live: {top}", t, analyse_file(str(top)).steps[:10])
    b = _stuck(db, f"live: {sub}", t - timedelta(seconds=60), analyse_file(str(sub)).steps[:10])
    return top, sub, a, b


def test_a_moved_recording_completes_the_session_whose_steps_it_holds(ff: Run, db: Path, tmp_path: Path,
                                                                      two_stuck: tuple[Path, Path, int, int]) -> None:
    """The closest start time chose session a for sub/r2.ffr moved elsewhere: a got the other run's steps."""
    _, sub, a, b = two_stuck
    moved = tmp_path / "moved" / "r2.ffr"
    moved.parent.mkdir()
    sub.rename(moved)
    code, _, err = ff("history", "add", str(moved), "--runner", "ana")
    assert code == 0 and f"session {b} is the live session" in err, err
    with Store(db, readonly=True) as store:
        assert store.session(b).finished and not store.session(a).finished
        assert len(store.steps(b)) == len(analyse_file(str(moved)).steps) and len(store.steps(a)) == 10


def test_stuck_sessions_the_steps_do_not_tell_apart_are_told_by_path_or_the_user_is_asked(ff: Run, db: Path,
                                                                                         tmp_path: Path) -> None:
    rec = _recording(tmp_path / "x" / "r2.ffr")
    t = _created(rec)
    a = _stuck(db, f"live: {rec}", t)  # killed before any step was stored
    b = _stuck(db, f"live: {tmp_path / 'y' / 'r2.ffr'}", t)
    moved = tmp_path / "z" / "r2.ffr"
    moved.parent.mkdir()
    shutil.copy(rec, moved)
    err = _one_line_error(ff("history", "add", str(moved), "--runner", "ana"),
                          f"{moved} may be the recording of session {a} (live: {rec}) or session {b}")
    assert "history show ID" in err and "history delete" not in err  # not a guess at which one to delete
    code, _, err = ff("history", "add", str(rec), "--runner", "ana")  # where it was recorded: session a
    assert code == 0 and f"session {a} is the live session" in err, err
    with Store(db, readonly=True) as store:
        assert [s.id for s in store.sessions() if s.finished] == [a]


# --- 4. a step file of a run stored already -----------------------------------------------------------------
@pytest.mark.parametrize("kind", ["json", "csv"])
def test_a_step_file_of_a_stored_run_is_a_repeat(ff: Run, db: Path, tmp_path: Path, kind: str) -> None:
    rec = _recording(tmp_path / "r.ffr")
    ff("runner", "add", "ana")
    assert ff("history", "add", str(rec), "--runner", "ana")[0] == 0
    steps = tmp_path / f"r.{kind}"
    assert ff("analyse", str(rec), f"--{kind}", str(steps))[0] == 0
    err = _one_line_error(ff("history", "add", str(steps), "--runner", "ana"),
                          f"{steps} holds the steps of session 1, ana's run of {_created(rec):%Y-%m-%d %H:%M}")
    assert err.rstrip().endswith("(add --force to add it again)")
    export = tmp_path / f"export.{kind}"  # the session's own export too
    assert ff("history", "export", "1", "-o", str(export))[0] == 0
    _one_line_error(ff("history", "add", str(export), "--runner", "ana"), "holds the steps of session 1")
    ff("runner", "add", "bob")  # another runner's: refused too, naming whose run it is (as a recording is)
    _one_line_error(ff("history", "add", str(steps), "--runner", "bob"), "holds the steps of session 1, ana's run")
    code, out, _ = ff("history", "add", str(steps), "--runner", "ana", "--force")  # --force adds it again
    assert code == 0 and "session 2" in out


def test_the_steps_of_a_live_session_are_a_repeat(ff: Run, db: Path, tmp_path: Path) -> None:
    source, rec, steps = _recording(tmp_path / "a.ffr"), tmp_path / "r.ffr", tmp_path / "r.json"
    ff("runner", "add", "ana")
    code, out, err = ff("live", f"replay:{source}", "--speed", "0", "--runner", "ana", "--record", str(rec))
    assert code == 0 and "stored as session 1" in out, err
    assert ff("analyse", str(rec), "--json", str(steps))[0] == 0
    _one_line_error(ff("history", "add", str(steps), "--runner", "ana"), f"{steps} holds the steps of session 1")


def test_another_run_with_as_many_steps_at_another_time_is_not_a_repeat(ff: Run, db: Path, tmp_path: Path) -> None:
    """A step file that knows its start: the same steps at another time are another run (synthetic runs)."""
    from footfall.coaching.scripted import Gait, planned_run
    from footfall.report.export import write_json

    run = planned_run([(300, Gait())])
    ff("runner", "add", "ana")
    for day in (1, 2):
        path = write_json(run, tmp_path / f"day{day}.json", {"start_utc": f"2026-04-0{day}T07:00:00Z"})
        assert ff("history", "add", str(path), "--runner", "ana")[0] == 0


# --- 5. a disk too full to create the database --------------------------------------------------------------
def _full_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every history file may hold no more pages than it has: SQLite's own 'database or disk is full'."""
    from footfall.store import connection

    real = connection._connect

    def small(target: str, timeout_s: float, *, uri: bool) -> sqlite3.Connection:
        conn = real(target, timeout_s, uri=uri)
        conn.execute("PRAGMA max_page_count = 1")
        return conn

    monkeypatch.setattr(connection, "_connect", small)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    _full_connect(monkeypatch)


@pytest.mark.usefixtures("full_disk")
def test_a_database_the_disk_is_too_full_to_create_is_not_left_behind(ff: Run, tmp_path: Path) -> None:
    """'migration to schema version 1 failed: database or disk is full', a 4 KB file left, and afterwards
    'holds no history (an empty database)'."""
    for db in (tmp_path / "h.sqlite", tmp_path / "new" / "folder" / "h.sqlite"):
        _one_line_error(ff("runner", "add", "ana", "--db", str(db)),
                        f"cannot write history database {db}: database or disk is full (is the disk full")
        assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_database_it_did_not_create_is_kept_when_the_disk_is_full(ff: Run, db: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, upto=3)  # an older footfall's file: opening it upgrades it, which needs room
    conn.close()
    _full_connect(monkeypatch)
    _one_line_error(ff("runner", "add", "ana"), f"cannot write history database {db}: database or disk is full")
    assert db.is_file()
    monkeypatch.undo()
    assert ff("runner", "add", "ana")[0] == 0



# --- from the second re-check -------------------------------------------------------------------------------
def test_a_live_session_names_its_recording_by_its_absolute_path(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`live --record r2.ffr` stored 'live: r2.ffr', so a copy added from another folder could not find the
    original (still being written) and completed the running session."""
    from footfall.live.run import session_source

    monkeypatch.chdir(tmp_path)
    assert session_source(Path("r2.ffr")) == f"live: {tmp_path.resolve() / 'r2.ffr'}"


def test_a_recording_added_after_its_step_file_is_a_repeat(ff: Run, tmp_path: Path) -> None:
    """`history add x.json` then `history add x.ffr` stored the run twice (the other order was refused)."""
    rec = _recording(tmp_path / "x.ffr")
    assert ff("analyse", str(rec), "--json", str(tmp_path / "x.json"))[0] == 0
    ff("runner", "add", "ana")
    assert ff("history", "add", str(tmp_path / "x.json"), "--runner", "ana")[0] == 0
    _one_line_error(ff("history", "add", str(rec), "--runner", "ana"), "x.ffr holds the steps of session 1")


def test_an_unrelated_recording_of_the_same_name_does_not_complete_a_session_whose_own_is_still_there(
        ff: Run, db: Path, tmp_path: Path) -> None:
    """A stuck session that stored no step was completed by another run's q.ffr from another folder, though
    its own q.ffr was still where it was made."""
    own = _recording(tmp_path / "q.ffr")
    sid = _stuck(db, f"live: {own}", _created(own))
    other = _recording(tmp_path / "other" / "q.ffr", seed=7)
    code, out, err = ff("history", "add", str(other), "--runner", "ana")
    assert code == 0 and f"session {sid + 1}:" in out and "is the live session" not in err, err
    code, _, err = ff("history", "add", str(own), "--runner", "ana")
    assert code == 0 and f"session {sid} is the live session" in err, err


def test_a_writing_command_that_fails_leaves_no_new_database(ff: Run, tmp_path: Path) -> None:
    """A mistyped --db with an unknown runner made a new empty history there."""
    for argv in (("shoes", "add", "ana", "P"), ("checkin", "--runner", "ana", "--before", "2")):
        db = tmp_path / f"{argv[0]}.sqlite"
        assert ff(*argv, "--db", str(db))[0] == 2
        assert not list(tmp_path.glob(f"{argv[0]}.sqlite*")), argv


def test_an_empty_history_says_so(ff: Run) -> None:
    ff("runner", "add", "ana")
    out = ff("history")[1]
    assert "no sessions in " in out and "history add FILE --runner NAME" in out
