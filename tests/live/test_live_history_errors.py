"""From a hostile-input QA pass: the runner's history failing under a live session (locked by another program
mid-run, damaged before it starts or while it runs, locked at the start). The run comes first: recording and coaching carry on, no history write
holds the session up for long, the end says what was not stored and how to store it from the recording."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.cli import main
from footfall.recording.file import open_recording
from footfall.store import LiveSessionWriter, Store
from footfall.store.failures import damaged
from footfall.virtual.runner import preset, simulate, write_run

STALL_LIMIT_S = 3.0  # a history write during the run took 10 s (SQLite's busy timeout) before; now 0.1 s


@pytest.fixture
def replay(tmp_path: Path) -> Path:
    return write_run(simulate(preset("heel-overstrider", duration_s=40.0)), tmp_path / "run.ffr")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    db = tmp_path / "h.sqlite"
    assert main(["runner", "--db", str(db), "add", "ann"]) == 0
    return db


@pytest.fixture
def other_program(history: Path) -> Iterator[sqlite3.Connection]:
    """Another program's connection to the history (it takes its lock when the test says)."""
    conn = sqlite3.connect(history, isolation_level=None)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


@pytest.fixture
def write_times_s(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """How long each of the session's batches of steps took to write (or to fail)."""
    times: list[float] = []
    append = Store.append_steps

    def timed(self: Store, *args: object) -> None:
        start = time.monotonic()
        try:
            append(self, *args)  # type: ignore[arg-type]
        finally:
            times.append(time.monotonic() - start)

    monkeypatch.setattr(Store, "append_steps", timed)
    return times


def _lock_once_the_session_is_stored(monkeypatch: pytest.MonkeyPatch, other: sqlite3.Connection) -> None:
    """The session is begun in the history, then another program locks the file for the rest of the run."""
    begin = LiveSessionWriter.__init__

    def begin_then_lock(self: LiveSessionWriter, *args: object, **kwargs: object) -> None:
        begin(self, *args, **kwargs)  # type: ignore[arg-type]
        other.execute("BEGIN EXCLUSIVE")

    monkeypatch.setattr(LiveSessionWriter, "__init__", begin_then_lock)


def test_a_database_locked_mid_session_neither_ends_nor_stalls_the_run(
        replay: Path, history: Path, other_program: sqlite3.Connection, write_times_s: list[float],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The first batch blocked 10 s, then sqlite3.OperationalError ended the session and its recording (23 s of a
    60 s run), with no summary, and the history kept 'in progress, 0 steps so far'."""
    _lock_once_the_session_is_stored(monkeypatch, other_program)
    record = tmp_path / "rec.ffr"
    code = main(["live", f"replay:{replay}", "--speed", "0", "--record", str(record), "--runner", "ann",
                 "--db", str(history)])
    out = capsys.readouterr().out
    assert code == 0
    print(f"writes of steps tried: {[round(t, 2) for t in write_times_s]} s")
    assert write_times_s and max(write_times_s) < STALL_LIMIT_S
    source, made = open_recording(replay), open_recording(record)
    assert all(len(made.frames(s)) == len(source.frames(s)) for s in source.sensors)  # the whole run recorded
    assert "After the run" in out  # the summary, from what was received
    flat = " ".join(out.split())
    assert f"history database {history} is locked by another program" in flat
    assert "session 1 left unfinished (0 of" in flat
    assert f"`footfall history add {record} --runner ann --db {history}` completes it" in flat
    other_program.execute("ROLLBACK")  # the other program lets go: the recording completes the session
    assert main(["history", "add", str(record), "--runner", "ann", "--db", str(history)]) == 0
    with Store(history, readonly=True) as store:
        assert [(s.id, s.finished) for s in store.sessions()] == [(1, True)]
        assert len(store.steps(1)) > 100


def test_the_writer_keeps_what_a_locked_database_refused_and_stores_it_once_later(
        history: Path, other_program: sqlite3.Connection) -> None:
    steps = planned_run([(30, Gait(cadence_spm=170, strike_angle_deg=10, overstride_index=0.4))])
    notes: list[str] = []
    writer = LiveSessionWriter(Store(history), "ann", batch_steps=8, on_note=notes.append)
    other_program.execute("BEGIN EXCLUSIVE")
    for step in steps[:40]:
        writer.step(step)
    assert writer.problem is not None and writer.unsaved_steps == 40 and writer.stored_steps == 0
    assert len(notes) == 1 and "locked by another program" in notes[0]  # said once, not at every retry
    other_program.execute("ROLLBACK")
    for step in steps[40:]:
        writer.step(step)
    writer.close()
    assert writer.finished is not None and writer.problem is None and "works again" in notes[-1]
    with Store(history, readonly=True) as store:
        stored = store.steps(writer.session_id)
    assert [s.ic_time_s for s in stored] == sorted(s.ic_time_s for s in steps)  # each once, none lost
    writer.store.close()


def test_a_database_locked_at_the_start_refuses_the_session_in_one_line(
        replay: Path, history: Path, other_program: sqlite3.Connection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """'cannot rollback - no transaction is active' after 10 s, masking 'database is locked'."""
    monkeypatch.setattr("footfall.store.db.BUSY_TIMEOUT_S", 0.2)
    other_program.execute("BEGIN EXCLUSIVE")
    record = tmp_path / "rec.ffr"
    code = main(["live", f"replay:{replay}", "--speed", "0", "--record", str(record), "--runner", "ann",
                 "--db", str(history)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"history database {history} is locked by another program" in err and "rollback" not in err
    assert not record.exists()  # refused before anything connected or was recorded


# --- a damaged history: refused before the session starts; damaged while it runs, the summary still comes ---
def test_a_session_on_a_damaged_database_is_refused_before_it_starts(replay: Path, history: Path, tmp_path: Path,
                                                                     damage_table: Any,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    damage_table(history, "runners")
    before = history.read_bytes()
    record = tmp_path / "rec.ffr"
    code = main(["live", f"replay:{replay}", "--speed", "0", "--record", str(record), "--runner", "ann",
                 "--db", str(history)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and f"history database {history} is damaged" in err, err
    assert not record.exists() and history.read_bytes() == before


def test_damage_found_at_the_end_of_a_session_still_gives_the_summary(replay: Path, history: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The file went bad while the session ran: finishing it fails, the run's summary and advice still come."""
    def fails(self: Store, session_id: int) -> None:
        raise damaged(self.path, "database disk image is malformed")

    monkeypatch.setattr(Store, "finish_session", fails)
    code = main(["live", f"replay:{replay}", "--speed", "0", "--record", str(tmp_path / "rec.ffr"), "--runner",
                 "ann", "--db", str(history)])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0 and "After the run" in out and "Traceback" not in out
    assert f"history database {history} is damaged" in out and "left unfinished" in out
