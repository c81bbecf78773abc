"""A live session and a damaged history database: damaged before it starts, the session is refused in one line
(nothing recorded, nothing written into the file); damaged while it runs, the run still gets its summary.
(Before the history file was checked as it opened, a session on a damaged file ran and wrote into it.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.store import Store
from footfall.store.failures import damaged
from footfall.virtual.runner import preset, simulate, write_run


@pytest.fixture
def replay(tmp_path: Path) -> Path:
    return write_run(simulate(preset("heel-overstrider", duration_s=20.0)), tmp_path / "run.ffr")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    db = tmp_path / "h.sqlite"
    assert main(["runner", "--db", str(db), "add", "ann"]) == 0
    return db


def _damage_runners(path: Path) -> None:
    """The runners table's root page overwritten, as a disk error would."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='runners'").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xab" * page_size)


def test_a_session_on_a_damaged_database_is_refused_before_it_starts(replay: Path, history: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _damage_runners(history)
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
