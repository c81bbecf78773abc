"""qa19 privacy #2: the history, its -wal/-shm files, and every report, export and recording footfall makes are
its owner's only (0600, the data folder 0700), whatever the umask: the usual 022 let every other user of a
shared lab or clinic computer read names, pain scores and clinician notes. A file footfall replaces keeps the
mode its owner gave it. POSIX only: on Windows a mode sets only the read-only flag."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes: Windows has access lists instead")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)  # a lab PC's default: without the fix every file is 0644, every folder 0755
    try:
        yield
    finally:
        os.umask(old)


def test_the_history_folder_database_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    db = tmp_path / "share" / "footfall" / "history.sqlite"
    with Store(db) as store:
        store.add_runner("ana")
        files = [db, db.with_name("history.sqlite-wal"), db.with_name("history.sqlite-shm")]
        assert all(f.exists() for f in files)  # (WAL: both exist while the history is open)
        assert [_mode(f) for f in files] == [0o600] * 3
    assert _mode(db.parent) == 0o700


def test_a_history_on_a_network_share_gets_a_private_journal_too(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The rollback journal of a DELETE-mode history (a Windows share) takes the database file's mode as well."""
    from footfall.store import connection

    monkeypatch.setattr(connection, "journal_mode", lambda path: "DELETE")
    db = tmp_path / "h.sqlite"
    with Store(db) as store:
        store.add_runner("ana")
        store.conn.execute("BEGIN IMMEDIATE")
        store.conn.execute("UPDATE runners SET height_m=1.7")
        journal = db.with_name("h.sqlite-journal")
        assert journal.exists() and _mode(journal) == 0o600
        store.conn.execute("COMMIT")


def test_an_existing_history_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    with Store(db) as store:
        store.add_runner("ana")
    db.chmod(0o640)  # shared with a group on purpose
    with Store(db) as store:
        store.add_runner("ben")
    assert _mode(db) == 0o640


@pytest.fixture
def session(ff: Run, tmp_path: Path) -> Path:
    """A recording (from `simulate`) stored as session 1 of ana."""
    rec = tmp_path / "run.ffr"
    assert ff("simulate", "-o", str(rec), "--duration", "40s", "--seed", "1")[0] == 0
    ff("runner", "add", "ana")
    assert ff("history", "add", str(rec), "--runner", "ana")[0] == 0
    return rec


def test_recordings_reports_and_exports_are_private(ff: Run, session: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    made = [out / "rep.html", out / "ex.csv", out / "ex.json", out / "ex.fit", out / "samples.csv", out / "an.csv",
            out / "an.json"]
    assert ff("report", "1", "-o", str(made[0]))[0] == 0
    for path in made[1:4]:
        assert ff("history", "export", "1", "-o", str(path))[0] == 0
    assert ff("export", str(session), "--csv", str(made[4]))[0] == 0
    assert ff("analyse", str(session), "--csv", str(made[5]), "--json", str(made[6]))[0] == 0
    assert {p.name: _mode(p) for p in [session, *made]} == {p.name: 0o600 for p in [session, *made]}


def test_a_replaced_export_keeps_its_own_mode(ff: Run, session: Path, tmp_path: Path) -> None:
    """--force replaces the content, not the permissions its owner chose (as before the fix)."""
    shared = tmp_path / "shared.csv"
    shared.write_text("old\n")
    shared.chmod(0o644)
    assert ff("history", "export", "1", "-o", str(shared), "--force")[0] == 0
    assert shared.read_text() != "old\n" and _mode(shared) == 0o644


def test_a_recording_written_by_the_library_is_private(tmp_path: Path) -> None:
    from footfall.recording.writer import RecordingWriter

    with RecordingWriter(tmp_path / "lib.ffr", {}) as w:
        w.add_sensor("L", "L")
    assert _mode(tmp_path / "lib.ffr") == 0o600
