"""SQLite's errors said as what they mean for the runner's history, in one line with what to do about it.

A database locked by another program, a damaged file, a read-only disk: each becomes a StoreError naming the
file, so no command ends in an sqlite3 traceback (`guard_sqlite` wraps every method of a class in this).
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from footfall.errors import StoreError

# SQLite's primary result codes (an extended code carries one in its low byte)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT = 5, 6, 8, 10, 11
SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 13, 14, 26
_BY_TEXT = (("locked", SQLITE_BUSY), ("busy", SQLITE_BUSY), ("readonly", SQLITE_READONLY),
            ("read-only", SQLITE_READONLY), ("malformed", SQLITE_CORRUPT), ("not a database", SQLITE_NOTADB),
            ("disk is full", SQLITE_FULL), ("disk i/o", SQLITE_IOERR), ("unable to open", SQLITE_CANTOPEN))

C = TypeVar("C", bound=type)


def result_code(exc: sqlite3.Error) -> int | None:
    """The primary result code of `exc` (from its text when SQLite did not attach one)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    return next((c for words, c in _BY_TEXT if words in text), None)


def store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """The StoreError that says what `exc` means for the history database at `path`."""
    code = result_code(exc)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreError(f"history database {path} is locked by another program",
                          hint="close it (another footfall, a database browser) and try again")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged(path, str(exc))
    if code == SQLITE_READONLY:
        return read_only(path)
    if code in (SQLITE_FULL, SQLITE_IOERR):
        return StoreError(f"cannot write history database {path}: {exc}", hint="is the disk full or gone?")
    if code == SQLITE_CANTOPEN:
        return StoreError(f"cannot open history database {path}: {exc}", hint="choose another with --db")
    return StoreError(f"history database {path}: {exc}")


def damaged(path: Path, what: str) -> StoreError:
    return StoreError(f"history database {path} is damaged: {what}",
                      hint=f"rescue what it holds with `sqlite3 {path} .recover | sqlite3 recovered.sqlite` (or "
                           "`.dump`, where .recover is missing) and use --db recovered.sqlite, or restore a copy")


def read_only(path: Path) -> StoreError:
    return StoreError(f"history database {path} is read-only",
                      hint="it is on a read-only disk or not yours to write: copy it somewhere writable and give "
                           "--db COPY")


def guard_sqlite(cls: C) -> C:
    """Every method of `cls` (but the dunder ones) raises `store_error(self.path, ...)` for an sqlite3.Error."""
    for name, member in list(vars(cls).items()):
        if inspect.isfunction(member) and not name.startswith("__"):
            setattr(cls, name, _guarded(member))
    return cls


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    return call
