"""A history on a Windows network share keeps no write-ahead log (qa18 finding 11): WAL's index lives in shared
memory, which SQLite says works only when every program using the file runs on one computer."""

from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath

import pytest

from footfall.store import connection


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Windows, with Z: a mapped network drive and C: a local disk (GetDriveTypeW: 4 remote, 3 fixed)."""
    drives = {"Z:\\": connection.DRIVE_REMOTE, "C:\\": 3}
    monkeypatch.setattr(connection.sys, "platform", "win32")
    monkeypatch.setattr(connection, "drive_type", lambda root: drives.get(root.upper(), 0))
    return drives


@pytest.mark.parametrize("path", [r"\\nas\physio\history.sqlite", r"\\?\UNC\nas\physio\history.sqlite",
                                  r"Z:\physio\history.sqlite", r"z:\history.sqlite"])
def test_a_network_path_on_windows_uses_a_rollback_journal(windows: dict[str, int], path: str) -> None:
    assert connection.on_network_share(PureWindowsPath(path))
    assert connection.journal_mode(PureWindowsPath(path)) == "DELETE"


@pytest.mark.parametrize("path", [r"C:\Users\ana\AppData\Local\footfall\history.sqlite",
                                  r"\\?\C:\Users\ana\history.sqlite", r"\\.\C:\history.sqlite"])
def test_a_local_path_on_windows_keeps_wal(windows: dict[str, int], path: str) -> None:
    assert connection.journal_mode(PureWindowsPath(path)) == "WAL"


def test_off_windows_nothing_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection.sys, "platform", "linux")
    monkeypatch.setattr(connection, "drive_type", lambda root: pytest.fail("asked GetDriveTypeW off Windows"))
    assert connection.journal_mode(PureWindowsPath(r"\\nas\physio\history.sqlite")) == "WAL"


def _open(path: Path) -> tuple[str, int]:
    conn = connection.open_history(path, create=True, readonly=False, timeout_s=1.0)
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS t(x)")
        conn.execute("INSERT INTO t VALUES (1)")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        sync = conn.execute("PRAGMA synchronous").fetchone()[0]
    finally:
        conn.close()
    return mode, sync


def test_the_history_is_opened_in_the_mode_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.sqlite"
    assert _open(path) == ("wal", 1)  # NORMAL
    monkeypatch.setattr(connection, "on_network_share", lambda p: True)
    assert _open(path) == ("delete", 2)  # FULL; an existing WAL file is switched over
    assert not os.path.exists(f"{path}-wal")
