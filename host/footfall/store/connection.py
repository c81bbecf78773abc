"""Opening the history database: for writing (created and migrated as needed) or, for the commands that only
read, read-only, so a database on a read-only disk (or a copy kept safe) can still be listed and reported.

A folder, a missing file and an empty file are refused in one line, and a command that only reads never writes
a schema into a file (an empty --db stays empty).

The whole file is checked as it is opened (PRAGMA quick_check: about 0.2 s for 200 sessions of 3000 steps once
the file is in the page cache). A damaged file is refused for writing; the commands that only read are told of
the damage (`on_damage`) and show what they can read. A file this command created and could not set up (a full
disk) is removed again.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path, PurePath, PureWindowsPath

from footfall.errors import StoreError
from footfall.store.failures import (SQLITE_BUSY, SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_IOERR, SQLITE_LOCKED,
                                     damaged, read_only, result_code, store_error)
from footfall.store.schema import LATEST, migrate, version

NO_DATABASE_HINT = "check --db; `footfall runner add NAME` creates one"


def file_sha256(path: Path) -> str:
    """A file's content hash, as sessions keep it (`source_sha256`): the same file is one run, whatever its name."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("footfall", appauthor=False)) / "history.sqlite"


def open_history(path: Path, *, create: bool, readonly: bool, timeout_s: float,
                 on_damage: Callable[[StoreError], None] | None = None) -> sqlite3.Connection:
    """A connection to the history at `path`. `create`: a missing file is made. `readonly`: nothing is written
    (a file of an older schema is upgraded first, when it may be written). A damaged file is refused, but for
    reading when `on_damage` is given: it is told why, and the connection is returned."""
    check_path(path, must_exist=not create)
    made = missing_from(path)  # what this call creates (the file, its folders), removed if it fails
    try:
        if readonly and path.is_file():
            conn = _open_read_only(path, timeout_s, on_damage)
            if conn is not None:
                return conn
        return _open_writable(path, create, timeout_s)
    except sqlite3.Error as exc:
        remove_made(made)
        raise store_error(path, exc) from exc
    except OSError as exc:
        remove_made(made)
        raise StoreError(f"cannot open history database {path}: {exc}", hint="choose another with --db") from exc
    except BaseException:
        remove_made(made)
        raise


def missing_from(path: Path) -> list[Path]:
    """`path` and its folders that do not exist yet, innermost first (empty: the file exists)."""
    missing = []
    for p in (path, *path.parents):
        if p.exists():
            break
        missing.append(p)
    return missing


def remove_made(made: list[Path]) -> None:
    """Remove what a failed open created: the file with SQLite's -wal, -shm and -journal files, then its folders
    (each only if empty)."""
    if not made:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(OSError):
            Path(f"{made[0]}{suffix}").unlink()
    for folder in made[1:]:
        with suppress(OSError):
            folder.rmdir()


def quick_check(conn: sqlite3.Connection, path: Path) -> StoreError | None:
    """The damage SQLite's quick check finds in the whole file (b-trees, records, free list), said as the
    one-line 'is damaged' error; None when it is sound. A file that is not a database raises (sqlite3.Error)."""
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as exc:  # too damaged for the check to go through
        if result_code(exc) != SQLITE_CORRUPT:
            raise
        return damaged(path, str(exc))
    if problems == ["ok"]:
        return None
    lines = [ln.strip() for p in problems for ln in p.splitlines() if ln.strip() and not ln.startswith("***")]
    more = " (and more)" if len(lines) > 1 else ""
    return damaged(path, f"database disk image is malformed: {(lines or ['?'])[0]}{more}")


def check_path(path: Path, *, must_exist: bool) -> None:
    """A folder, or (`must_exist`) a missing or empty file, is refused before SQLite is asked."""
    if path.is_dir():
        raise StoreError(f"history database {path} is a folder, not a file",
                         hint=f"give the database file, e.g. --db {path / 'history.sqlite'}")
    _refuse_recording(path)
    if not must_exist:
        return
    if not path.is_file():
        raise StoreError(f"no history database at {path}", hint=NO_DATABASE_HINT)
    if path.stat().st_size == 0:
        raise StoreError(f"history database {path} is an empty file: it holds no history", hint=NO_DATABASE_HINT)


def _refuse_recording(path: Path) -> None:
    """A recording given as --db is named as one, not called a damaged database with a rescue hint."""
    from footfall.recording.writer import MAGIC

    with suppress(OSError), open(path, "rb") as fh:
        if fh.read(len(MAGIC)) == MAGIC:
            raise StoreError(f"{path} is a footfall recording, not a history database",
                             hint=f"give the history database with --db, or leave --db out for the usual one; "
                                  f"`footfall history add {path} --runner NAME` adds the recording to it")


def writable(path: Path) -> bool:
    """Whether `path` and its folder (where SQLite keeps the -wal and -shm files) may be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(target: str, timeout_s: float, *, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=timeout_s, isolation_level=None, uri=uri)
    conn.row_factory = sqlite3.Row
    return conn


def sqlite_uri(path: PurePath, mode: str) -> str:
    """SQLite's `file:` URI of an absolute path, opened in `mode` (ro, rw). A Windows network path
    (\\\\server\\share\\...) becomes file:////server/share/... with an empty authority: pathlib's
    file://server/share/... names `server` as the authority, which SQLite refuses ("invalid uri authority") unless
    built with SQLITE_ALLOW_URI_AUTHORITY, and CPython's Windows build is not."""
    uri = path.as_uri()
    if not uri.startswith("file:///"):  # file://server/...: a UNC path
        uri = "file://" + uri[len("file:"):]
    return f"{uri}?mode={mode}"


def _refuse_unread_wal(path: Path) -> None:
    """Read as immutable, a file ignores its -wal: the latest changes, when one was left (a program stopped before
    folding it in), would be missing without a word."""
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        raise StoreError(f"history database {path} is read-only and its latest changes, in {wal.name}, cannot be read "
                         "there", hint=f"copy {path.name} and {wal.name} together somewhere writable and give --db COPY")


def _open_read_only(path: Path, timeout_s: float,
                    on_damage: Callable[[StoreError], None] | None) -> sqlite3.Connection | None:
    """Read-only; None when the file is of an older schema and may be written (upgrade it first)."""
    uri = sqlite_uri(path.resolve(), "ro")
    conn = _connect(uri, timeout_s, uri=True)
    try:
        current = version(conn)
    except sqlite3.OperationalError as exc:
        conn.close()
        if not _immutable_will_do(path, exc):
            raise
        _refuse_unread_wal(path)
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
    try:
        _report_damage(conn, path, on_damage)
        migrate(conn)  # refuses a newer schema
    except BaseException:
        conn.close()
        raise
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA query_only=ON")
    return conn


def _immutable_will_do(path: Path, exc: sqlite3.Error) -> bool:
    """Whether a read-only open that failed making SQLite's -shm file may read the file as immutable: on a
    read-only disk nobody writes there, and on a full one (the -shm file cannot grow) no writer gets a page in."""
    code = result_code(exc)
    return (code == SQLITE_CANTOPEN and not writable(path)) or code in (SQLITE_IOERR, SQLITE_FULL)


def _report_damage(conn: sqlite3.Connection, path: Path, on_damage: Callable[[StoreError], None] | None) -> None:
    """Damage is refused, or (`on_damage`, a command that only reads) told and read past."""
    problem = quick_check(conn, path)
    if problem is not None:
        if on_damage is None:
            raise problem
        on_damage(problem)


def _open_writable(path: Path, create: bool, timeout_s: float) -> sqlite3.Connection:
    if path.exists() and not writable(path):
        raise read_only(path)
    if create:
        _create_private(path)
    target = str(path) if create else sqlite_uri(path.resolve(), "rw")  # rw: never creates
    conn = _connect(target, timeout_s, uri=not create)
    try:
        _report_damage(conn, path, None)  # before anything is written into it
        journal = journal_mode(path.resolve())  # (a relative path on a mapped drive: its drive letter)
        conn.execute(f"PRAGMA journal_mode={journal}")
        conn.execute("PRAGMA foreign_keys=ON")
        # WAL + NORMAL: durable at checkpoints, fast appends; a rollback journal needs FULL to be safe on power loss
        conn.execute(f"PRAGMA synchronous={'NORMAL' if journal == 'WAL' else 'FULL'}")
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


PRIVATE_FOLDER_MODE = 0o700  # the history is health data: names, pain scores, clinician notes
PRIVATE_FILE_MODE = 0o600


def _create_private(path: Path) -> None:
    """The folder (0700) and the empty database file (0600) when missing, made before SQLite opens it: SQLite
    makes the file under the umask (022: readable by every user of the computer), and gives its -wal, -shm and
    -journal files the database file's mode. A folder or file that exists keeps its mode (its owner's choice).
    On Windows a mode sets only the read-only flag: there the folder's access list (ACL) decides."""
    path.parent.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))


def journal_mode(path: PurePath) -> str:
    """WAL (readers see a live session grow while it is written), but DELETE on a Windows network share: WAL keeps
    its index in shared memory (the -shm file), which SQLite says works only when every program using the file
    runs on one computer. (A network mount on Linux or macOS looks like any folder: see the user guide.)"""
    return "DELETE" if on_network_share(path) else "WAL"


def on_network_share(path: PurePath) -> bool:
    """Whether `path` is on a Windows network share: a UNC path (\\\\server\\share\\...) or a mapped drive."""
    if sys.platform != "win32":
        return False
    drive = PureWindowsPath(path).drive
    if drive.upper().startswith("\\\\?\\UNC\\"):  # \\?\UNC\server\share: a long UNC path
        return True
    if drive.startswith("\\\\"):  # \\server\share, but not \\?\C: or \\.\device (local)
        return drive[2:3] not in ("?", ".")
    return drive.endswith(":") and drive_type(drive[-2:] + "\\") == DRIVE_REMOTE


DRIVE_REMOTE = 4  # GetDriveTypeW's answer for a network drive


def drive_type(root: str) -> int:
    """Windows' GetDriveTypeW of a drive root ("Z:\\"); 0 (unknown) where it cannot be asked."""
    import ctypes

    windll = getattr(ctypes, "windll", None)
    try:
        return int(windll.kernel32.GetDriveTypeW(root)) if windll is not None else 0
    except (AttributeError, OSError):
        return 0


def compact(conn: sqlite3.Connection) -> bool:
    """VACUUM (rewrites the file without the freed pages) and empty the write-ahead log into it, so deleted rows
    are in neither; False when another program using the file kept either from finishing (the old pages stay
    until it lets go of it)."""
    try:
        conn.execute("VACUUM")
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as exc:
        if result_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED):
            raise
        return False
    return not busy
