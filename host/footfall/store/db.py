"""The runner's history: one SQLite file (WAL, so the report and `footfall history` can read while a live
session writes). Runners, shoes, sessions with per-step rows and the cues given, check-ins and segments.
"""

from __future__ import annotations

import json
import math
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from footfall.finite import null_nan
from footfall.analysis.step import Step
from footfall.coaching.checkin import CheckIn, combine_checkins
from footfall.coaching.clinic import CLINIC_LABELS
from footfall.coaching.cues import Cue
from footfall.coaching.reminder import EarlierCheckIn
from footfall.coaching.routine import DEFAULT_SHOE_LIMIT_KM
from footfall.coaching.summary import summarise_steps
from footfall.errors import InputError, StoreError
from footfall.shell import shell_word
from footfall.store.checks import (
    check_runner,
    check_note,
    check_segment_label,
    check_segment_span,
    check_shoe,
    check_start,
    one_newline,
    same_ignoring_case,
    shown,
    utc_now,
)
from footfall.store.connection import (compact as compact_file, default_path, file_sha256, missing_from, open_history,
                                       remove_made)
from footfall.store.failures import guard_sqlite
from footfall.store.matching import IC_MATCH_S, pick_live_session, recorded_path
from footfall.store.checkins import checkins_before, clinician_notes as notes_of_clinician
from footfall.store.rows import (CHECKIN_FIELDS, LegLength, Runner, Segment, Session, Shoe, cue_to_row, row_to_checkin, row_to_cue,
                                 row_to_session, row_to_step, step_to_row)
from footfall.store.schema import STEP_COLUMNS

__all__ = ["SEGMENT_LABELS", "Store", "check_runner", "check_shoe", "check_start", "default_path", "file_sha256",
           "utc_now"]

SEGMENT_LABELS = CLINIC_LABELS  # (coaching/clinic.py: the labels of a clinic plan)
SEGMENT_END_SLACK_S = 2.0  # a segment may end this long after the last step (its swing, the other foot's contact)
LIVE_START_SLACK_S = 300.0  # a live session starts this close to the recording made beside it (seconds before it)
BUSY_TIMEOUT_S = 10.0  # how long a command waits for another program's lock on the file before saying so


@guard_sqlite  # every sqlite3 error becomes a one-line StoreError naming the file (store/failures.py)
class Store:
    """Open (creating and migrating as needed) the history database at `path` (default: user data dir)."""

    def __init__(self, path: str | Path | None = None, *, timeout_s: float | None = None, create: bool = True,
                 readonly: bool = False) -> None:
        """`create=False`: a missing (or empty) file is refused, and nothing is created. `readonly` (commands that
        only read): opened read-only, so a database on a read-only disk can still be read and nothing is written.
        A damaged file is refused, but read-only: then `damage` says what is wrong, what can be read is read, and
        a warning on stderr says so as the `with` block ends (unless it ends in an error that says it already)."""
        self.path = Path(path) if path else default_path()
        self.damage: StoreError | None = None
        self._made = missing_from(self.path) if create and not readonly else []  # what this open creates
        self.conn = open_history(self.path, create=create, readonly=readonly, on_damage=self._damaged,
                                 timeout_s=BUSY_TIMEOUT_S if timeout_s is None else timeout_s)
        try:
            if not readonly:
                self._fill_basis()
        except BaseException:
            self.conn.close()
            raise

    def _damaged(self, problem: StoreError) -> None:
        self.damage = problem

    def set_busy_timeout(self, timeout_s: float) -> None:
        """How long a write waits for another program's lock before failing (a live session: not for long)."""
        self.conn.execute(f"PRAGMA busy_timeout = {max(0, round(timeout_s * 1000))}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT: all of it or nothing (a batch of steps that fails is not half stored).
        Inside another, it is part of that one."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
        finally:
            if self.conn.in_transaction:
                with suppress(sqlite3.Error):  # a damaged file may refuse even this; the first error is the news
                    self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def _fill_basis(self) -> None:
        """The basis of sessions finished before schema v4 stored it (once per file: later ones store it)."""
        ids = [r["id"] for r in self.conn.execute("SELECT id FROM sessions WHERE finished=1 AND basis IS NULL")]
        for sid in ids:
            basis = summarise_steps(self.steps(sid)).activity
            self.conn.execute("UPDATE sessions SET basis=? WHERE id=?", (basis, sid))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        empty = exc is not None and bool(self._made) and self._holds_nothing()
        self.close()
        if empty:  # a command that failed (a mistyped --db, an unknown runner) leaves no new empty database
            remove_made(self._made)
        if self.damage is not None and " is damaged" not in str(exc or ""):
            print(f"warning: {self.damage.args[0]}: what was shown is what could still be read "
                  f"({self.damage.hint})", file=sys.stderr)

    def _holds_nothing(self) -> bool:
        with suppress(sqlite3.Error):
            return self.conn.execute("SELECT COUNT(*) FROM runners").fetchone()[0] == 0
        return False

    def _write(self, sql: str, params: Sequence[object] = (), *, duplicate: StoreError | None = None) -> int:
        """Run one statement in its own transaction. `duplicate` is raised for a UNIQUE conflict, so the user
        reads what clashed rather than SQLite's constraint text (checking first would race another writer)."""
        try:
            with self.conn:
                cur = self.conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            if duplicate is not None and "UNIQUE" in str(exc):
                raise duplicate from exc
            raise StoreError(f"cannot save: {exc}") from exc
        return int(cur.lastrowid or 0)

    # --- runners ---------------------------------------------------------------------------------------
    def add_runner(self, name: str, height_m: float | None = None, leg_length_m: float | None = None,
                   target_cadence_spm: float | None = None) -> Runner:
        check_runner(name, height_m, leg_length_m, target_cadence_spm)
        same = self._runners_named(name)  # names are unique ignoring case: `ana` and `ANA` are one runner
        held = same[0] if same else name
        taken = StoreError(f"runner {held!r} already exists", hint=("" if held == name else "names ignore case; ")
                           + f"change it with `footfall runner set {shell_word(held)} ...`")
        if same:
            raise taken
        self._write("INSERT INTO runners(name, height_m, leg_length_m, target_cadence_spm, created_utc) "
                    "VALUES (?,?,?,?,?)", (name, height_m, leg_length_m, target_cadence_spm, utc_now().isoformat()),
                    duplicate=taken)
        return self.runner(name)

    def update_runner(self, name: str, **values: float | None) -> Runner:
        """Change the given fields; the result is checked as a whole (a new leg length against the stored height)."""
        allowed = {"height_m", "leg_length_m", "target_cadence_spm"}
        if set(values) - allowed:
            raise StoreError(f"unknown runner fields {sorted(set(values) - allowed)}")
        runner = self.runner(name)
        new = {"height_m": runner.height_m, "leg_length_m": runner.leg_length_m,
               "target_cadence_spm": runner.target_cadence_spm, **values}
        check_runner(name, new["height_m"], new["leg_length_m"], new["target_cadence_spm"])
        self._write("UPDATE runners SET height_m=?, leg_length_m=?, target_cadence_spm=? WHERE id=?",
                    (new["height_m"], new["leg_length_m"], new["target_cadence_spm"], runner.id))
        return self.runner(name)

    def _runners_named(self, name: str) -> list[str]:
        """The stored names equal to `name` ignoring case (two only in a file made before names ignored case)."""
        return same_ignoring_case(name, self.conn.execute("SELECT name FROM runners ORDER BY id"))

    def _shoes_named(self, runner_id: int, name: str) -> list[str]:
        rows = self.conn.execute("SELECT name FROM shoes WHERE runner_id=? ORDER BY id", (runner_id,))
        return same_ignoring_case(name, rows)

    def runner(self, name: str) -> Runner:
        """The runner called exactly `name`, else the one whose name differs only in case (`Ana` finds `ana`)."""
        row = self.conn.execute("SELECT * FROM runners WHERE name=?", (name,)).fetchone()
        if row is None:
            same = self._runners_named(name)
            if len(same) != 1:
                hint = f"did you mean {' or '.join(map(repr, same))}?" if same else \
                    "add one with `footfall runner add NAME`"
                raise StoreError(f"no runner called {name!r}", hint=hint)
            row = self.conn.execute("SELECT * FROM runners WHERE name=?", (same[0],)).fetchone()
        return Runner(row["id"], row["name"], row["height_m"], row["leg_length_m"], row["target_cadence_spm"])

    def runner_by_id(self, runner_id: int) -> Runner:
        row = self.conn.execute("SELECT name FROM runners WHERE id=?", (runner_id,)).fetchone()
        if row is None:
            raise StoreError(f"no runner with id {runner_id}")
        return self.runner(row["name"])

    def runners(self) -> list[Runner]:
        names = [r["name"] for r in self.conn.execute("SELECT name FROM runners ORDER BY name")]
        return [self.runner(n) for n in names]

    # --- shoes --------------------------------------------------------------------------------------------
    def add_shoe(self, runner: str, name: str, limit_km: float | None = None, initial_km: float = 0.0) -> Shoe:
        """`limit_km` None: footfall's default limit (DEFAULT_SHOE_LIMIT_KM), which the advice calls the default."""
        check_shoe(name, limit_km, initial_km)
        rid = self.runner(runner).id
        same = self._shoes_named(rid, name)  # names ignore case, as runners' do
        taken = StoreError(f"{runner} already has a shoe called {same[0] if same else name!r}",
                           hint=f"give the new pair another name; list them with `footfall shoes list {runner} --all`")
        if same:
            raise taken
        sid = self._write("INSERT INTO shoes(runner_id, name, limit_km, initial_km, created_utc, limit_given) "
                          "VALUES (?,?,?,?,?,?)", (rid, name, DEFAULT_SHOE_LIMIT_KM if limit_km is None else limit_km,
                                                   initial_km, utc_now().isoformat(), int(limit_km is not None)),
                          duplicate=taken)
        return self.shoe(sid)

    def shoe(self, shoe_id: int) -> Shoe:
        row = self.conn.execute(
            "SELECT s.*, s.initial_km + COALESCE((SELECT SUM(distance_m) FROM sessions "
            "WHERE shoe_id=s.id AND finished=1), 0) / 1000.0 AS km FROM shoes s WHERE id=?", (shoe_id,)).fetchone()
        if row is None:
            raise StoreError(f"no shoe with id {shoe_id}", hint="list them with `footfall shoes list RUNNER`")
        given = row["limit_given"]  # NULL: added before schema v5, known only when not the default
        return Shoe(row["id"], row["runner_id"], row["name"], row["limit_km"], row["initial_km"],
                    bool(row["retired"]), float(row["km"]),
                    bool(given) if given is not None else row["limit_km"] != DEFAULT_SHOE_LIMIT_KM)

    def shoe_km_as_of(self, session: Session) -> float:
        """The distance on `session`'s pair as of that run: its starting distance plus the runs in it up to and
        including this one, in start-time order (a later run, or one added later, does not count)."""
        start = session.start_utc.astimezone(timezone.utc).isoformat()
        row = self.conn.execute(
            "SELECT s.initial_km + COALESCE((SELECT SUM(distance_m) FROM sessions WHERE shoe_id=s.id AND "
            "(id=? OR (finished=1 AND (start_utc<? OR (start_utc=? AND id<?))))), 0) / 1000.0 FROM shoes s "
            "WHERE id=?", (session.id, start, start, session.id, session.shoe_id)).fetchone()
        if row is None:
            raise StoreError(f"session {session.id} has no shoe", hint="give --shoe when adding a run")
        return float(row[0])

    def shoe_named(self, runner: str, name: str) -> Shoe:
        """The runner's pair called `name`, ignoring case as runner names do (`pegasus` finds `Pegasus`)."""
        rid = self.runner(runner).id
        same = self._shoes_named(rid, name)
        exact = [n for n in same if n == name]
        if len(exact or same) != 1:
            hint = f"did you mean {' or '.join(map(repr, same))}?" if same else "add it with `footfall shoes add`"
            raise StoreError(f"{runner} has no shoe called {name!r}", hint=hint)
        row = self.conn.execute("SELECT id FROM shoes WHERE runner_id=? AND name=?", (rid, (exact or same)[0]))
        return self.shoe(row.fetchone()["id"])

    def shoes(self, runner: str, include_retired: bool = False) -> list[Shoe]:
        ids = self.conn.execute("SELECT id FROM shoes WHERE runner_id=? AND (retired=0 OR ?) ORDER BY id",
                                (self.runner(runner).id, include_retired)).fetchall()
        return [self.shoe(r["id"]) for r in ids]

    def update_shoe(self, shoe_id: int, *, limit_km: float | None = None, retired: bool | None = None) -> Shoe:
        check_shoe(limit_km=limit_km)
        self.shoe(shoe_id)
        if limit_km is not None:
            self._write("UPDATE shoes SET limit_km=?, limit_given=1 WHERE id=?", (limit_km, shoe_id))
        if retired is not None:
            self._write("UPDATE shoes SET retired=? WHERE id=?", (int(retired), shoe_id))
        return self.shoe(shoe_id)

    # --- sessions -----------------------------------------------------------------------------------------
    def begin_session(self, runner: str, start_utc: datetime | None = None, shoe_id: int | None = None,
                      source: str = "", source_sha256: str | None = None, leg_length: LegLength | None = None) -> int:
        """Start a session that steps and cues are appended to while it runs (see `finish_session`).
        `source_sha256`: the content hash of the file it is imported from (see `imported_as`); `leg_length`: the one
        its overstride index is computed with (None: not known)."""
        if start_utc is not None:
            check_start(start_utc)
        start = (start_utc or utc_now()).astimezone(timezone.utc).isoformat()
        runner_id = self.runner(runner).id
        with self._transaction():  # one transaction: the next number above any ever given (schema V3), then the session
            sid = int(self.conn.execute(
                "SELECT MAX(last_id, (SELECT COALESCE(MAX(id), 0) FROM sessions)) + 1 FROM id_high_water "
                "WHERE name='sessions'").fetchone()[0])
            self.conn.execute("INSERT INTO sessions(id, runner_id, shoe_id, start_utc, source, source_sha256, "
                              "leg_length_m, leg_length_known) VALUES (?,?,?,?,?,?,?,?)",
                              (sid, runner_id, shoe_id, start, source, source_sha256,
                               leg_length and leg_length.value_m, leg_length is not None))
            self.conn.execute("UPDATE id_high_water SET last_id=? WHERE name='sessions'", (sid,))
        return sid

    def append_steps(self, session_id: int, steps: Iterable[Step]) -> None:
        """All of `steps` in one transaction: a failure stores none of them, so the caller may try them again."""
        marks = ",".join("?" * (len(STEP_COLUMNS) + 1))
        with self._transaction():
            self.conn.executemany(f"INSERT INTO steps VALUES ({marks})", [step_to_row(session_id, s) for s in steps])

    def add_cues(self, session_id: int, cues: Iterable[Cue]) -> None:
        with self._transaction():
            self.conn.executemany("INSERT INTO cues VALUES (?,?,?,?,?,?,?,?,?)",
                                  [cue_to_row(session_id, c) for c in cues])

    def finish_session(self, session_id: int) -> Session:
        """Compute duration, distance and summary from the stored steps and mark the session finished."""
        s = summarise_steps(self.steps(session_id))
        self._write("UPDATE sessions SET duration_s=?, distance_m=?, summary_json=?, basis=?, finished=1 WHERE id=?",
                    (s.duration_s, None if math.isnan(s.distance_m) else s.distance_m,
                     json.dumps(null_nan(s.to_dict())), s.activity, session_id))
        return self.session(session_id)

    def add_session(self, runner: str, steps: Sequence[Step], start_utc: datetime | None = None,
                    shoe_id: int | None = None, source: str = "", cues: Sequence[Cue] = (),
                    source_sha256: str | None = None, leg_length: LegLength | None = None) -> Session:
        with self._transaction():  # a file that cannot be stored whole leaves no empty session behind
            sid = self.begin_session(runner, start_utc, shoe_id, source, source_sha256, leg_length)
            self.append_steps(sid, steps)
            self.add_cues(sid, cues)
        return self.finish_session(sid)

    def unfinished_live_sessions(self, runner: str, recording_name: str) -> list[Session]:
        """`runner`'s live sessions that have not finished (running now, killed, or their history could not be
        written) and recorded themselves into a file called `recording_name` (in any folder)."""
        rows = self.conn.execute("SELECT * FROM sessions WHERE runner_id=? AND finished=0 AND source LIKE 'live:%' "
                                 "ORDER BY id", (self.runner(runner).id,)).fetchall()
        return [s for s in map(row_to_session, rows) if Path(recorded_path(s)).name == recording_name]

    def unfinished_live_session(self, runner: str, recording: Path, recorded_utc: datetime,
                                steps: Sequence[Step]) -> Session | None:
        """The live session that `recording` (its analysed `steps`) was made beside, if it never finished: one of
        `runner`'s unfinished sessions that recorded to a file of that name and started within LIVE_START_SLACK_S
        of the recording, told apart by the steps it stored, then by its recorded path (store/matching.py; an
        InputError when they do not tell)."""
        near = [s for s in self.unfinished_live_sessions(runner, recording.name)
                if abs((s.start_utc - recorded_utc).total_seconds()) <= LIVE_START_SLACK_S]
        candidates = [(s, self._ic_times(s.id)) for s in near]
        return pick_live_session(candidates, recording, [s.ic_time_s for s in steps])

    def _ic_times(self, session_id: int) -> list[float]:
        return [r[0] for r in self.conn.execute("SELECT ic_time_s FROM steps WHERE session_id=?", (session_id,))]

    def session_with_steps(self, steps: Sequence[Step], start_utc: datetime | None) -> Session | None:
        """The session, of any runner (as the recording match is), holding `steps` already (a step file of a stored
        run: `footfall analyse --json` of its recording, its export): as many steps, the same first and last
        initial contact (within IC_MATCH_S), and, when the file knows its start, a start within
        LIVE_START_SLACK_S of it."""
        ics = [s.ic_time_s for s in steps if math.isfinite(s.ic_time_s)]
        if not ics:
            return None
        ids = self.conn.execute(
            "SELECT session_id FROM steps "
            "GROUP BY session_id HAVING COUNT(*)=? AND ABS(MIN(ic_time_s) - ?) <= ? AND ABS(MAX(ic_time_s) - ?) <= ? "
            "ORDER BY session_id", (len(steps), min(ics), IC_MATCH_S, max(ics), IC_MATCH_S))
        rows = [self.session(r[0]) for r in ids.fetchall()]
        found = [s for s in rows if start_utc is None
                 or abs((s.start_utc - start_utc).total_seconds()) <= LIVE_START_SLACK_S]
        return found[0] if found else None

    def complete_session(self, session_id: int, steps: Sequence[Step], shoe_id: int | None = None,
                         source_sha256: str | None = None, leg_length: LegLength | None = None) -> Session:
        """Finish an unfinished session with all of its run (`steps`, from its recording), in place of the steps it
        stored before it stopped; its number, cues, marks and check-ins stay. `shoe_id`, `leg_length`: None keeps."""
        with self._transaction():
            self.conn.execute("DELETE FROM steps WHERE session_id=?", (session_id,))
            self.append_steps(session_id, steps)
            self.conn.execute("UPDATE sessions SET shoe_id=COALESCE(?, shoe_id), source_sha256=?, leg_length_m="
                              "IIF(?, ?, leg_length_m), leg_length_known=MAX(leg_length_known, ?) WHERE id=?",
                              (shoe_id, source_sha256, leg_length is not None, leg_length and leg_length.value_m,
                               leg_length is not None, session_id))
        return self.finish_session(session_id)

    def session(self, session_id: int) -> Session:
        row = self.conn.execute("SELECT * FROM sessions WHERE id=?", (session_id,)).fetchone()
        if row is None:
            raise StoreError(f"no session {session_id}", hint="list them with `footfall history`")
        return row_to_session(row)

    def set_source_sha256(self, session_id: int, source_sha256: str) -> None:
        """The content hash of the recording a live session made, once it is closed: adding that recording with
        `history add` is then the same run twice, refused as an import twice is."""
        self._write("UPDATE sessions SET source_sha256=? WHERE id=?", (source_sha256, session_id))

    def imported_as(self, source_sha256: str) -> Session | None:
        """The session a file was imported as before, by its content (whatever its name or folder now). A session
        imported before schema v4 kept the hash is found by its steps instead (`session_with_steps`)."""
        row = self.conn.execute("SELECT * FROM sessions WHERE source_sha256=? ORDER BY id",
                                (source_sha256,)).fetchone()
        return row_to_session(row) if row is not None else None

    def sessions(self, runner: str | None = None, since_utc: datetime | None = None,
                 before_utc: datetime | None = None) -> list[Session]:
        sql, params = "SELECT * FROM sessions WHERE 1=1", list[object]()
        if runner is not None:
            sql, params = sql + " AND runner_id=?", [self.runner(runner).id]
        if since_utc is not None:
            sql, params = sql + " AND start_utc>=?", [*params, since_utc.astimezone(timezone.utc).isoformat()]
        if before_utc is not None:
            sql, params = sql + " AND start_utc<?", [*params, before_utc.astimezone(timezone.utc).isoformat()]
        return [row_to_session(r) for r in self.conn.execute(sql + " ORDER BY start_utc", params)]

    def previous_sessions(self, session: Session, days: float) -> list[Session]:
        """Finished sessions of the same runner in the `days` before this one started."""
        runner = self.runner_by_id(session.runner_id).name
        rows = self.sessions(runner, since_utc=session.start_utc - timedelta(days=days), before_utc=session.start_utc)
        return [r for r in rows if r.finished and r.id != session.id]

    def first_start(self, runner_id: int) -> datetime | None:
        """When the runner's first finished session started: the history covers the time since."""
        row = self.conn.execute("SELECT MIN(start_utc) FROM sessions WHERE runner_id=? AND finished=1",
                                (runner_id,)).fetchone()
        return datetime.fromisoformat(row[0]) if row[0] else None

    def steps(self, session_id: int) -> list[Step]:
        rows = self.conn.execute("SELECT * FROM steps WHERE session_id=? ORDER BY ic_time_s", (session_id,))
        return [row_to_step(r) for r in rows]

    def cues(self, session_id: int) -> list[Cue]:
        rows = self.conn.execute("SELECT * FROM cues WHERE session_id=? ORDER BY time_s", (session_id,))
        return [row_to_cue(r) for r in rows]

    def delete_session(self, session_id: int) -> None:
        self._write("DELETE FROM sessions WHERE id=?", (session_id,))

    # --- check-ins and segments ---------------------------------------------------------------------------
    def checkin_runner(self, runner: str, session_id: int | None = None) -> Runner:
        """The runner a check-in is for, refusing a session that is missing or another runner's run (its advice
        would carry someone else's pain). The CLI calls it before asking questions, so no answers are lost."""
        found = self.runner(runner)
        if session_id is not None and (owner_id := self.session(session_id).runner_id) != found.id:
            owner = self.runner_by_id(owner_id).name
            raise StoreError(f"session {session_id} is {owner}'s run, not {runner}'s",
                             hint=f"give --runner {shell_word(owner)}, or one of {runner}'s sessions "
                                  f"(list them with `footfall history list --runner {shell_word(runner)}`)")
        return found

    def add_checkin(self, runner: str, checkin: CheckIn, session_id: int | None = None,
                    time_utc: datetime | None = None, clinician_note: str = "") -> int:
        """`checkin.note` is the client's note (in their report), `clinician_note` the clinician's (never there).
        A check-in of a run keeps the run's start (run_utc), so it stays dated by the run if the session goes."""
        checkin, clinician_note = replace(checkin, note=one_newline(checkin.note)), one_newline(clinician_note)
        for note in (checkin.note, clinician_note):
            check_note(note)
        values = [getattr(checkin, f) for f in CHECKIN_FIELDS]
        when = (time_utc or utc_now()).astimezone(timezone.utc).isoformat()  # one zone, so the text sorts by time
        return self._write(
            f"INSERT INTO checkins(runner_id, session_id, time_utc, clinician_note, run_utc, "
            f"{', '.join(CHECKIN_FIELDS)}) VALUES (?,?,?,?,(SELECT start_utc FROM sessions WHERE id=?),"
            f"{','.join('?' * len(values))})",
            (self.checkin_runner(runner, session_id).id, session_id, when, clinician_note, session_id, *values))

    def clinician_notes(self, session_id: int) -> list[str]:
        return notes_of_clinician(self.conn, session_id)

    def compact(self) -> bool:
        """After a delete: the deleted rows gone from the file (store/connection.py `compact`); False while another
        program reading it kept them there."""
        return compact_file(self.conn)

    def checkin_for(self, session_id: int) -> CheckIn | None:
        """All of the session's check-ins as one (see `combine_checkins`): a red flag once reported stays."""
        rows = self.conn.execute("SELECT * FROM checkins WHERE session_id=? ORDER BY time_utc, id", (session_id,))
        return combine_checkins([row_to_checkin(row) for row in rows])

    def checkin_before(self, session: Session) -> list[EarlierCheckIn]:
        """The runner's check-ins up to `session`'s start (the same second included), of any age, oldest first (see
        `checkins_before`): the reminder combines their red flags, the recurring-pain rule their pain scores."""
        return checkins_before(self.conn, session.runner_id, session.start_utc, session.id)

    def checkins_until(self, runner: str, until_utc: datetime) -> list[EarlierCheckIn]:
        """The same up to `until_utc` included (one made this second counts): for a check-in or a live session."""
        return checkins_before(self.conn, self.runner(runner).id, until_utc)

    def add_segment(self, session_id: int, label: str, start_s: float, end_s: float,
                    until_s: float | None = None) -> int:
        """Mark `label` from `start_s` to `end_s` (session seconds); marking a label again moves it, so a
        session has one baseline, one cue part, ... A segment must start inside the session and end by its end:
        `until_s` when the caller knows it (a recording's length), else the last step + SEGMENT_END_SLACK_S."""
        check_segment_label(label)
        check_segment_span(label, start_s, end_s)
        steps = self.steps(self.session(session_id).id)
        last_s = max((s.ic_time_s for s in steps), default=0.0)
        if start_s >= last_s:
            raise InputError(f"segment {label!r} starts at {start_s:g} s, after the session's last step "
                             f"({last_s:.0f} s)", hint="times are seconds since the session's start")
        ends_s = [t for s in steps for t in (s.ic_time_s, s.to_time_s) if math.isfinite(t)]
        length_s = max(until_s or 0.0, max(ends_s, default=0.0))
        if end_s > (length_s if until_s is not None else length_s + SEGMENT_END_SLACK_S):
            raise InputError(f"segment {label!r} ends at {end_s:g} s, after the end of session {session_id} "
                             f"({length_s:.0f} s long)", hint="times are seconds since the session's start")
        self._write("DELETE FROM segments WHERE session_id=? AND label=?", (session_id, label))
        return self._write("INSERT INTO segments(session_id, label, start_s, end_s) VALUES (?,?,?,?)",
                           (session_id, label, start_s, end_s))

    def remove_segment(self, session_id: int, label: str) -> Segment:
        """Unmark `label` (`history unmark`); refused, naming the marked ones, when the session has no such mark."""
        found = {g.label: g for g in self.segments(session_id)}
        if label not in found:
            raise InputError(f"session {session_id} has no segment {label!r} (marked: {', '.join(found) or 'none'})",
                             hint="labels are matched exactly, as `footfall history show` lists them")
        self._write("DELETE FROM segments WHERE id=?", (found[label].id,))
        return found[label]

    def segments(self, session_id: int) -> list[Segment]:
        rows = self.conn.execute("SELECT * FROM segments WHERE session_id=? ORDER BY start_s", (session_id,))
        return [Segment(r["id"], r["session_id"], shown(r["label"]), r["start_s"], r["end_s"]) for r in rows]
