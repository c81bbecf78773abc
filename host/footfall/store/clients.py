"""A client's data as a whole (the history's part of the GDPR duties: access, portability, erasure, rectification):
what the history holds of a runner, deleting a runner with everything of theirs (then VACUUM, so it is gone from
the file and not only from the listings), renaming one, the check-ins listed and deleted one by one, and a whole
runner read out (`client_record`) and restored into another history (`restore_client`).

`ClientData` is a base of `Store` (store/db.py), which gives it the connection, the runner look-up and the
transaction it uses.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from footfall.errors import StoreError
from footfall.store.checks import check_runner, check_segment_label, check_shoe, same_ignoring_case
from footfall.store.client_records import (CHECKINS_QUERY, CheckinRecord, ClientRecord, checkin_record, read_client,
                                           write_client)
from footfall.store.failures import SQLITE_BUSY, SQLITE_LOCKED, guard_sqlite, result_code
from footfall.store.rows import Runner

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


@guard_sqlite
class ClientData:
    """Whole-client operations of the history (a base of Store, which provides what is declared here)."""

    conn: sqlite3.Connection
    path: Path

    def runner(self, name: str) -> Runner:
        raise NotImplementedError  # Store's

    def _transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError  # Store's

    def runner_contents(self, name: str) -> RunnerContents:
        rid = self.runner(name).id
        return RunnerContents({t: int(self.conn.execute(q, (rid,)).fetchone()[0]) for t, _, q in _CONTENTS})

    def delete_runner(self, name: str) -> tuple[RunnerContents, bool]:
        """Delete the runner and everything of theirs in one transaction, then compact the file (VACUUM) and fold
        the write-ahead log into it, so the deleted rows are in neither. Returns what went and whether the file
        is clean of it (False: another program reading the history kept the log from being emptied)."""
        runner = self.runner(name)
        gone = self.runner_contents(runner.name)
        with self._transaction():
            for table in ("checkins", "sessions", "shoes"):  # a session's steps, cues and segments go with it
                self.conn.execute(f"DELETE FROM {table} WHERE runner_id=?", (runner.id,))
            self.conn.execute("DELETE FROM runners WHERE id=?", (runner.id,))
        return gone, self.compact()

    def compact(self) -> bool:
        """VACUUM (rewrites the file without the freed pages) and empty the write-ahead log into it; False when
        another program using the file kept either from finishing (the old pages stay until it lets go of it)."""
        try:
            self.conn.execute("VACUUM")
            busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as exc:
            if result_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED):
                raise
            return False
        return not busy

    def rename_runner(self, old: str, new: str) -> Runner:
        """Give runner `old` the name `new` (a change of case only is allowed); another runner's name is refused."""
        runner = self.runner(old)
        check_runner(new, None, None, None)
        clash = [n for n in self._names(new) if n != runner.name]
        if clash:
            raise StoreError(f"runner {clash[0]!r} already exists", hint="names ignore case; choose another name")
        with self._transaction():
            self.conn.execute("UPDATE runners SET name=? WHERE id=?", (new, runner.id))
        return self.runner(new)

    def _names(self, name: str) -> list[str]:
        return same_ignoring_case(name, self.conn.execute("SELECT name FROM runners ORDER BY id"))

    # --- check-ins one by one -------------------------------------------------------------------------------
    def checkin_records(self, runner: str | None = None) -> list[CheckinRecord]:
        """Every check-in (of `runner`), with both notes, by the day it belongs to."""
        rid = None if runner is None else self.runner(runner).id
        return [checkin_record(r) for r in self.conn.execute(CHECKINS_QUERY, (rid, rid, None, None))]

    def checkin_record(self, checkin_id: int) -> CheckinRecord:
        row = self.conn.execute(CHECKINS_QUERY, (None, None, checkin_id, checkin_id)).fetchone()
        if row is None:
            raise StoreError(f"no check-in {checkin_id}", hint="list them with `footfall checkin list`")
        return checkin_record(row)

    def delete_checkin(self, checkin_id: int) -> CheckinRecord:
        gone = self.checkin_record(checkin_id)
        with self._transaction():
            self.conn.execute("DELETE FROM checkins WHERE id=?", (checkin_id,))
        return gone

    def clinician_notes(self, session_id: int) -> list[str]:
        """The clinician's notes on a session's check-ins, oldest first: for the clinician's views only."""
        rows = self.conn.execute("SELECT clinician_note FROM checkins WHERE session_id=? AND clinician_note != '' "
                                 "ORDER BY time_utc, id", (session_id,))
        return [r[0] for r in rows]

    # --- a whole client ---------------------------------------------------------------------------------------
    def client_record(self, name: str) -> ClientRecord:
        return read_client(self.conn, self.runner(name).id)

    def restore_client(self, client: ClientRecord, name: str | None = None) -> Runner:
        """Store `client` (all or nothing) as runner `name` (default: its own name); a name taken is refused."""
        name = name or client.name
        check_runner(name, client.height_m, client.leg_length_m, client.target_cadence_spm)
        for shoe in client.shoes:  # a file edited by hand gets the checks a pair added here gets
            check_shoe(shoe.name, shoe.limit_km, shoe.initial_km)
        for label in {m[0] for s in client.sessions for m in s.segments}:
            check_segment_label(label)
        if taken := self._names(name):
            raise StoreError(f"runner {taken[0]!r} already exists in {self.path}",
                             hint="import under another name with --as NEW_NAME")
        with self._transaction():
            write_client(self.conn, client, name, self._next_session_id(len(client.sessions)))
        return self.runner(name)

    def _next_session_id(self, count: int) -> int:
        """The first of `count` new session numbers, above any ever given (schema V3), reserved."""
        first = int(self.conn.execute("SELECT MAX(last_id, (SELECT COALESCE(MAX(id), 0) FROM sessions)) + 1 "
                                      "FROM id_high_water WHERE name='sessions'").fetchone()[0])
        self.conn.execute("UPDATE id_high_water SET last_id=? WHERE name='sessions'", (first + count - 1,))
        return first

