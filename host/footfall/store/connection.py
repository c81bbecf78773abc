"""Opening the history database: for writing (created and migrated as needed) or, for the commands that only
read, read-only, so a database on a read-only disk (or a copy kept safe) can still be listed and reported.

A folder, a missing file and an empty file are refused in one line, and a command that only reads never writes
a schema into a file (an empty --db stays empty).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from footfall.errors import StoreError
from footfall.store.failures import SQLITE_CANTOPEN, read_only, result_code, store_error
from footfall.store.schema import LATEST, migrate, version

NO_DATABASE_HINT = "check --db; `footfall runner add NAME` creates one"


def open_history(path: Path, *, create: bool, readonly: bool, timeout_s: float) -> sqlite3.Connection:
    """A connection to the history at `path`. `create`: a missing file is made. `readonly`: nothing is written
    (a file of an older schema is upgraded first, when it may be written)."""
    check_path(path, must_exist=not create)
    try:
        if readonly and path.is_file():
            conn = _open_read_only(path, timeout_s)
            if conn is not None:
                return conn
        return _open_writable(path, create, timeout_s)
    except sqlite3.Error as exc:
        raise store_error(path, exc) from exc
    except OSError as exc:
        raise StoreError(f"cannot open history database {path}: {exc}", hint="choose another with --db") from exc


def check_path(path: Path, *, must_exist: bool) -> None:
    """A folder, or (`must_exist`) a missing or empty file, is refused before SQLite is asked."""
    if path.is_dir():
        raise StoreError(f"history database {path} is a folder, not a file",
                         hint=f"give the database file, e.g. --db {path / 'history.sqlite'}")
    if not must_exist:
        return
    if not path.is_file():
        raise StoreError(f"no history database at {path}", hint=NO_DATABASE_HINT)
    if path.stat().st_size == 0:
        raise StoreError(f"history database {path} is an empty file: it holds no history", hint=NO_DATABASE_HINT)


def writable(path: Path) -> bool:
    """Whether `path` and its folder (where SQLite keeps the -wal and -shm files) may be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(target: str, timeout_s: float, *, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=timeout_s, isolation_level=None, uri=uri)
    conn.row_factory = sqlite3.Row
    return conn


def _open_read_only(path: Path, timeout_s: float) -> sqlite3.Connection | None:
    """Read-only; None when the file is of an older schema and may be written (upgrade it first)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = _connect(uri, timeout_s, uri=True)
    try:
        current = version(conn)
    except sqlite3.OperationalError as exc:
        # a WAL file on a read-only disk: SQLite cannot make its -shm file; nobody writes there, so it is immutable
        conn.close()
        if result_code(exc) != SQLITE_CANTOPEN or writable(path):
            raise
        conn = _connect(uri + "&immutable=1", timeout_s, uri=True)
        current = version(conn)
    if current == 0:
        conn.close()
        raise StoreError(f"history database {path} holds no history (an empty database)", hint=NO_DATABASE_HINT)
    if current < LATEST:
        conn.close()
        if writable(path):
            return None
        raise StoreError(f"history database {path} is read-only and of an older footfall (schema {current})",
                         hint="copy it somewhere writable and give --db COPY: footfall upgrades the copy")
    migrate(conn)  # refuses a newer schema
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA query_only=ON")
    return conn


def _open_writable(path: Path, create: bool, timeout_s: float) -> sqlite3.Connection:
    if path.exists() and not writable(path):
        raise read_only(path)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    target = str(path) if create else f"{path.resolve().as_uri()}?mode=rw"  # rw: never creates
    conn = _connect(target, timeout_s, uri=not create)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, fast appends
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn
