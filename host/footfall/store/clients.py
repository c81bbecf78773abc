"""A client's data as a whole (the history's part of the GDPR duties: access, portability, erasure, rectification):
what the history holds of a runner, deleting a runner with everything of theirs (then VACUUM, so it is gone from
the file and not only from the listings), renaming one, the check-ins listed and deleted one by one, and a whole
runner read out (`client_record`) and restored into another history (`restore_client`).

`ClientData(store)` holds an open `Store` (store/db.py) and uses its connection, runner look-up and transactions:
`ClientData(store).delete_runner("ana")`. The clinician's notes of a session and compacting the file are the
Store's own (`advice`, `history show` and `history delete` use them too).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from footfall.errors import StoreError
from footfall.store.checks import check_runner, same_ignoring_case
from footfall.store.client_records import (CHECKINS_QUERY, CheckinRecord, ClientRecord, check_client, checkin_record,
                                           damaged_client, read_client, write_client)
from footfall.store.failures import guard_sqlite
from footfall.store.rows import Runner

if TYPE_CHECKING:
    from footfall.store.db import Store

# What goes with a runner, as (table, noun, the count's query on the runner's id)
_CONTENTS = (
    ("sessions", "session", "SELECT COUNT(*) FROM sessions WHERE runner_id=?"),
    ("steps", "step", "SELECT COUNT(*) FROM steps JOIN sessions s ON s.id=session_id WHERE s.runner_id=?"),
    ("checkins", "check-in", "SELECT COUNT(*) FROM checkins WHERE runner_id=?"),
    ("shoes", "pair of shoes", "SELECT COUNT(*) FROM shoes WHERE runner_id=?"),
    ("cues", "cue", "SELECT COUNT(*) FROM cues JOIN sessions s ON s.id=session_id WHERE s.runner_id=?"),
    ("segments", "marked segment", "SELECT COUNT(*) FROM segments JOIN sessions s ON s.id=session_id "
                                   "WHERE s.runner_id=?"),
)
_PLURAL = {"pair of shoes": "pairs of shoes"}


@dataclass(frozen=True)
class RunnerContents:
    """How much the history holds of one runner, by table."""

    counts: dict[str, int]

    def said(self) -> str:
        """"3 sessions, 2400 steps, 4 check-ins, 1 pair of shoes, 6 cues and 3 marked segments"."""
        parts = [f"{self.counts[t]} {noun if self.counts[t] == 1 else _PLURAL.get(noun, noun + 's')}"
                 for t, noun, _ in _CONTENTS]
        return f"{', '.join(parts[:-1])} and {parts[-1]}"


@contextmanager
def _as_damaged() -> Iterator[None]:
    """Anything a client file holds that the history refuses or cannot read back (a constraint, a value of the
    wrong kind the checks missed) is the one-line damaged-file error; a full disk or a locked file stays the
    store's own error."""
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, TypeError, ValueError,
            AttributeError, KeyError, OverflowError) as exc:
        raise damaged_client(exc) from None


@guard_sqlite  # (its sqlite3 errors name the file, as the Store's do)
class ClientData:
    """Whole-client operations on the history `store` (left open: its owner closes it)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn
        self.path = store.path

    def runner_contents(self, name: str) -> RunnerContents:
        rid = self.store.runner(name).id
        return RunnerContents({t: int(self.conn.execute(q, (rid,)).fetchone()[0]) for t, _, q in _CONTENTS})

    def delete_runner(self, name: str) -> tuple[RunnerContents, bool]:
        """Delete the runner and everything of theirs in one transaction, then compact the file (VACUUM) and fold
        the write-ahead log into it, so the deleted rows are in neither. Returns what went and whether the file
        is clean of it (False: another program reading the history kept the log from being emptied)."""
        runner = self.store.runner(name)
        gone = self.runner_contents(runner.name)
        with self.store._transaction():  # (the store package's own: one transaction for all of it)
            for table in ("checkins", "sessions", "shoes"):  # a session's steps, cues and segments go with it
                self.conn.execute(f"DELETE FROM {table} WHERE runner_id=?", (runner.id,))
            self.conn.execute("DELETE FROM runners WHERE id=?", (runner.id,))
        return gone, self.store.compact()

    def rename_runner(self, old: str, new: str) -> Runner:
        """Give runner `old` the name `new` (a change of case only is allowed); another runner's name is refused."""
        runner = self.store.runner(old)
        check_runner(new, None, None, None)
        clash = [n for n in self._names(new) if n != runner.name]
        if clash:
            raise StoreError(f"runner {clash[0]!r} already exists", hint="names ignore case; choose another name")
        with self.store._transaction():
            self.conn.execute("UPDATE runners SET name=? WHERE id=?", (new, runner.id))
        return self.store.runner(new)

    def _names(self, name: str) -> list[str]:
        return same_ignoring_case(name, self.conn.execute("SELECT name FROM runners ORDER BY id"))

    # --- check-ins one by one -------------------------------------------------------------------------------
    def checkin_records(self, runner: str | None = None) -> list[CheckinRecord]:
        """Every check-in (of `runner`), with both notes, by the day it belongs to."""
        rid = None if runner is None else self.store.runner(runner).id
        return [checkin_record(r) for r in self.conn.execute(CHECKINS_QUERY, (rid, rid, None, None))]

    def checkin_record(self, checkin_id: int) -> CheckinRecord:
        row = self.conn.execute(CHECKINS_QUERY, (None, None, checkin_id, checkin_id)).fetchone()
        if row is None:
            raise StoreError(f"no check-in {checkin_id}", hint="list them with `footfall checkin list`")
        return checkin_record(row)

    def delete_checkin(self, checkin_id: int) -> CheckinRecord:
        gone = self.checkin_record(checkin_id)
        with self.store._transaction():
            self.conn.execute("DELETE FROM checkins WHERE id=?", (checkin_id,))
        return gone

    # --- a whole client ---------------------------------------------------------------------------------------
    def client_record(self, name: str) -> ClientRecord:
        return read_client(self.conn, self.store.runner(name).id)

    def restore_client(self, client: ClientRecord, name: str | None = None) -> Runner:
        """Store `client` (all or nothing) as runner `name` (default: its own name); a name taken is refused."""
        name = name or client.name
        check_client(client, name)
        if taken := self._names(name):
            raise StoreError(f"runner {taken[0]!r} already exists in {self.path}",
                             hint="import under another name with --as NEW_NAME")
        with self.store._transaction(), _as_damaged():  # a failure rolls all of it back
            runner_id = write_client(self.conn, client, name, self._next_session_id(len(client.sessions)))
            read_client(self.conn, runner_id)  # what was stored reads back (listings, reports), or none of it stays
        return self.store.runner(name)

    def _next_session_id(self, count: int) -> int:
        """The first of `count` new session numbers, above any ever given (schema V3), reserved."""
        first = int(self.conn.execute("SELECT MAX(last_id, (SELECT COALESCE(MAX(id), 0) FROM sessions)) + 1 "
                                      "FROM id_high_water WHERE name='sessions'").fetchone()[0])
        self.conn.execute("UPDATE id_high_water SET last_id=? WHERE name='sessions'", (first + count - 1,))
        return first

