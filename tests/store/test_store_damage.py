"""From a hostile-input QA pass: a history database that is damaged, locked by another program, read-only, a
folder or an empty file. Each is said in one line naming the file (a StoreError, exit 2), never an sqlite3
traceback; commands that only read work on a read-only database and write nothing."""

from __future__ import annotations

import gc
import sqlite3
import subprocess
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.errors import StoreError
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]  # the `ff` fixture (tests/conftest.py)
T0 = datetime(2026, 3, 1, 7, 0, tzinfo=timezone.utc)
READS = (("history", "list"), ("history", "show", "1"), ("advice", "1"), ("history", "export", "1", "-o", "{out}.csv"),
         ("report", "1", "-o", "{out}.html"))
LISTS = (("runner", "list"), ("shoes", "list", "ana"))  # (they read no steps: a damaged steps table passes them)


def _steps(minutes: float = 1.0) -> list:  # type: ignore[type-arg]
    return planned_run([(60 * minutes, Gait(cadence_spm=170, strike_angle_deg=10, overstride_index=0.4))])


def _history(path: Path) -> Path:
    """A database with runner ana and one stored session, closed (its WAL folded into the file)."""
    with Store(path) as store:
        store.add_runner("ana")
        store.add_session("ana", _steps(), T0, source="run.ffr")
    return path


@pytest.fixture
def locked(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """`db` with a session, held by another program's write lock; commands wait 0.2 s for it, not 10 s."""
    _history(db)
    monkeypatch.setattr("footfall.store.db.BUSY_TIMEOUT_S", 0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield db
    other.execute("ROLLBACK")
    other.close()


def _one_line_error(code: int, err: str, words: str) -> None:
    assert code == 2, err
    assert words in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("argv", [("history", "add", "{rec}", "--runner", "ana", "--force"), *READS,
                                  ("history", "delete", "1", "--yes")])
def test_a_damaged_database_is_said_in_one_line_with_a_way_out(ff: Run, db: Path, tmp_path: Path, damage_table: Any,
                                                                argv: tuple[str, ...]) -> None:
    """`database disk image is malformed` came out as a traceback from add, report, advice, export and delete."""
    rec = tmp_path / "run.ffr"
    assert ff("simulate", "-o", str(rec), "--duration", "20", "--feet", "L")[0] == 0
    damage_table(_history(db), "steps")
    code, _, err = ff(*(a.format(rec=rec, out=tmp_path / "out") for a in argv))
    if argv[:2] in (("history", "list"), ("history", "show")):  # no step read: what is readable is shown
        assert code == 0, err
        return
    _one_line_error(code, err, f"history database {db} is damaged")
    assert ".recover" in err


def test_an_import_the_damaged_database_refuses_leaves_no_empty_session(ff: Run, db: Path, tmp_path: Path,
                                                                        damage_table: Any) -> None:
    rec = tmp_path / "run.ffr"
    assert ff("simulate", "-o", str(rec), "--duration", "20", "--feet", "L")[0] == 0
    damage_table(_history(db), "steps")
    assert ff("history", "add", str(rec), "--runner", "ana")[0] == 2
    with Store(db, readonly=True) as store:
        assert [s.id for s in store.sessions()] == [1]


def test_a_locked_database_is_said_in_one_line(ff: Run, locked: Path, tmp_path: Path) -> None:
    """BEGIN IMMEDIATE failed on the lock, then ROLLBACK failed too: 'cannot rollback - no transaction is active'."""
    rec = tmp_path / "run.ffr"
    assert ff("simulate", "-o", str(rec), "--duration", "20", "--feet", "L")[0] == 0
    code, _, err = ff("history", "add", str(rec), "--runner", "ana")
    _one_line_error(code, err, f"history database {locked} is locked by another program")
    assert "rollback" not in err


def test_store_writes_on_a_locked_database_raise_store_errors(locked: Path) -> None:
    with Store(locked, timeout_s=0.1) as store:
        for write in (lambda: store.begin_session("ana"), lambda: store.append_steps(1, _steps(0.1)),
                      lambda: store.add_cues(1, []), lambda: store.add_session("ana", _steps(0.1))):
            with pytest.raises(StoreError, match="locked by another program"):
                write()
        assert not store.conn.in_transaction
    with Store(locked, readonly=True) as store:  # WAL: reading goes on beside the lock
        assert len(store.steps(1)) == len(_steps())


def test_a_folder_as_database_is_called_a_folder(ff: Run, tmp_path: Path) -> None:
    for argv in (("history", "list"), ("runner", "add", "bob"), ("report", "1")):
        code, _, err = ff(*argv, "--db", str(tmp_path))
        _one_line_error(code, err, f"history database {tmp_path} is a folder")


def test_an_empty_file_is_refused_by_commands_that_read_and_stays_empty(ff: Run, db: Path, tmp_path: Path) -> None:
    """`history list` wrote a schema into an empty --db file."""
    db.touch()
    for argv in READS[:3]:
        code, _, err = ff(*argv)
        _one_line_error(code, err, "is an empty file")
    assert db.stat().st_size == 0


@pytest.fixture
def read_only(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`db` as on a read-only disk: SQLite may not write it (it has no -wal or -shm file, nor may make one)."""
    _history(db)
    db.chmod(0o444)
    monkeypatch.setattr("footfall.store.connection.writable", lambda path: False)
    return db


def test_commands_that_read_work_on_a_read_only_database_and_write_nothing(ff: Run, read_only: Path,
                                                                           tmp_path: Path) -> None:
    """'cannot open history database ...: unable to open database file' for a mere listing."""
    before = read_only.read_bytes()
    for argv in READS + LISTS:
        code, _, err = ff(*(a.format(out=tmp_path / "out") for a in argv))
        assert code == 0, (argv, err)
    assert read_only.read_bytes() == before


def test_writes_to_a_read_only_database_say_it_is_read_only(ff: Run, read_only: Path) -> None:
    for argv in (("history", "delete", "1", "--yes"), ("runner", "add", "bob"), ("history", "mark", "1", "cue", "1", "5")):
        code, _, err = ff(*argv)
        _one_line_error(code, err, f"history database {read_only} is read-only")


def test_a_database_on_a_read_only_mount_can_be_listed(ff: Run, tmp_path: Path) -> None:
    """The real thing, where the system allows a bind mount (root): SQLite cannot make the -shm file there."""
    source, mount = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    mount.mkdir()
    _history(source / "h.sqlite")
    if subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(mount)], capture_output=True).returncode:
        pytest.skip("no read-only bind mount here")
    try:
        code, out, err = ff("history", "list", "--db", str(mount / "h.sqlite"))
        assert code == 0 and "run.ffr" in out, err
        code, _, err = ff("history", "delete", "1", "--yes", "--db", str(mount / "h.sqlite"))
        _one_line_error(code, err, "is read-only")
    finally:
        gc.collect()  # a connection left open by a failure must not keep the mount busy
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_stuck_live_session_is_completed_by_its_recording(ff: Run, db: Path, tmp_path: Path) -> None:
    """After `kill -9` the history kept 'in progress, 0 steps so far' and `history add` of the recording made a
    second session next to it (the run and the shoe's distance counted twice)."""
    rec = tmp_path / "rec.ffr"
    assert ff("simulate", "-o", str(rec), "--duration", "30", "--feet", "L")[0] == 0
    assert ff("runner", "add", "ana")[0] == 0
    assert ff("shoes", "add", "ana", "Pegasus")[0] == 0
    from footfall.analysis.session import analyse_file

    with Store(db) as store:  # as `footfall live ... --record rec.ffr --runner ana --shoe Pegasus` left it
        other = store.begin_session("ana", source="live: elsewhere/other.ffr")
        sid = store.begin_session("ana", shoe_id=1, source=f"live: {rec.name}")
        store.append_steps(sid, analyse_file(str(rec)).steps[:10])  # the steps it stored before it was killed
    code, out, err = ff("history", "add", str(rec), "--runner", "ana")
    assert code == 0, err
    assert f"session {sid}" in out and "completed from the recording" in err
    with Store(db, readonly=True) as store:
        done = store.session(sid)
        assert done.finished and done.shoe_id == 1 and len(store.steps(sid)) == done.summary["n_steps"]
        assert [s.id for s in store.sessions()] == [other, sid]  # nothing added; the other one is not touched
        assert store.shoe(1).distance_km == pytest.approx(done.distance_m / 1000)
    code, _, err = ff("history", "add", str(rec), "--runner", "ana")  # once completed, it is that run
    assert code == 2 and f"already session {sid}" in err


def test_a_live_session_of_another_time_or_runner_is_not_taken_for_the_recording(ff: Run, db: Path,
                                                                                 tmp_path: Path) -> None:
    rec = tmp_path / "rec.ffr"
    assert ff("simulate", "-o", str(rec), "--duration", "30", "--feet", "L")[0] == 0
    with Store(db) as store:
        store.add_runner("ana")
        store.add_runner("bob")
        old = store.begin_session("ana", datetime.now(timezone.utc) - timedelta(hours=2), source="live: rec.ffr")
        bobs = store.begin_session("bob", source="live: rec.ffr")
    assert ff("history", "add", str(rec), "--runner", "ana")[0] == 0
    with Store(db, readonly=True) as store:
        assert not store.session(old).finished and not store.session(bobs).finished
        assert len(store.sessions("ana")) == 2


def test_the_listing_says_how_to_recover_a_stale_unfinished_session(ff: Run, db: Path) -> None:
    with Store(db) as store:
        store.add_runner("ana")
        sid = store.begin_session("ana", datetime.now(timezone.utc) - timedelta(hours=1), source="live: rec.ffr")
    code, out, err = ff("history")
    assert code == 0 and "not finished" in out
    assert "`footfall history add rec.ffr --runner ana` completes it" in err
    assert f"`footfall history delete {sid}`" in err


def test_the_report_of_an_empty_session_warns_nothing(ff: Run, db: Path, tmp_path: Path) -> None:
    """matplotlib's 'No artists with labels found to put in legend' for each plot of a session without steps."""
    with Store(db) as store:
        store.add_runner("ana")
        store.begin_session("ana", source="live: rec.ffr")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, _, err = ff("report", "1", "-o", str(tmp_path / "r.html"))
    assert code == 0, err
    assert "Warning" not in err


def test_a_read_only_database_whose_latest_changes_sit_in_its_wal_is_refused(ff: Run, tmp_path: Path) -> None:
    """On a read-only disk the file is read as immutable, which ignores its -wal: a runner renamed in a WAL left
    behind (its program stopped before folding it in) was listed under the old name, without a word."""
    source, mount = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    mount.mkdir()
    _history(source / "h.sqlite")
    writer = sqlite3.connect(source / "h.sqlite")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE runners SET name='anna' WHERE name='ana'")
    writer.commit()
    keep = {n: (source / n).read_bytes() for n in ("h.sqlite", "h.sqlite-wal")}  # as a killed program left them
    writer.close()
    for name, data in keep.items():
        (source / name).write_bytes(data)
    (source / "h.sqlite-shm").unlink(missing_ok=True)
    if subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(mount)], capture_output=True).returncode:
        pytest.skip("no read-only bind mount here")
    try:
        code, _, err = ff("runner", "list", "--db", str(mount / "h.sqlite"))
        _one_line_error(code, err, "is read-only and its latest changes, in h.sqlite-wal, cannot be read there")
    finally:
        gc.collect()
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], check=True)
