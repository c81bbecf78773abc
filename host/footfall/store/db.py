"""The runner's history: one SQLite file (WAL, so the report and `footfall history` can read while a live
session writes). Runners, shoes, sessions with per-step rows and the cues given, check-ins and segments.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from footfall.analysis.step import Step
from footfall.coaching.checkin import CheckIn, combine_checkins
from footfall.coaching.cues import Cue
from footfall.coaching.summary import summarise_steps
from footfall.errors import InputError, StoreError
from footfall.store.rows import (
    Runner, Segment, Session, Shoe, cue_to_row, row_to_cue, row_to_session, row_to_step, step_to_row)
from footfall.store.schema import STEP_COLUMNS, migrate

SEGMENT_LABELS = ("baseline", "cue", "retest")
_CHECKIN_FIELDS = ("pain_before", "pain_after", "swelling", "bruising", "cannot_bear_weight", "twist_or_fall",
                   "pain_persists", "note")
# Plausible ranges: outside them the value is almost surely in other units (cm for m, strides for steps).
HEIGHT_RANGE_M = (0.5, 2.5)
LEG_LENGTH_RANGE_M = (0.3, 1.5)
TARGET_CADENCE_RANGE_SPM = (120.0, 230.0)


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("footfall", appauthor=False)) / "history.sqlite"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _clean(d: dict[str, float]) -> dict[str, float | None]:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in d.items()}


def check_runner(name: str, height_m: float | None, leg_length_m: float | None,
                 target_cadence_spm: float | None) -> None:
    """Refuse values no runner has, so a unit slip never reaches the coaching (a watch's 85 strides/min
    stored as a target of 85 steps/min would make every cue ask for shorter, quicker steps)."""
    if not name.strip():
        raise InputError("a runner needs a name", hint="e.g. `footfall runner add ana`")
    if height_m is not None:
        _check_metres("height", height_m, HEIGHT_RANGE_M, "--height-m")
    if leg_length_m is not None:
        _check_metres("leg length", leg_length_m, LEG_LENGTH_RANGE_M, "--leg-length-m")
    if height_m is not None and leg_length_m is not None and leg_length_m >= height_m:
        raise InputError(f"leg length {leg_length_m:g} m must be shorter than the height {height_m:g} m",
                         hint="leg length is hip to floor, about half the height")
    if target_cadence_spm is not None:
        _check_target_cadence(target_cadence_spm)


def _check_metres(what: str, value_m: float, range_m: tuple[float, float], option: str) -> None:
    low, high = range_m
    if low <= value_m <= high:
        return
    hint = f"give it in metres, {low:g}-{high:g}"
    if low * 100 <= value_m <= high * 100:
        hint += f": {value_m:g} cm is {option} {value_m / 100:g}"
    raise InputError(f"{what} {value_m:g} m is not plausible", hint=hint)


def _check_target_cadence(cadence_spm: float) -> None:
    low, high = TARGET_CADENCE_RANGE_SPM
    if low <= cadence_spm <= high:
        return
    hint = "steps/min count both feet: a watch showing strides/min shows half"
    if low <= 2 * cadence_spm <= high:
        hint += f", so {cadence_spm:g} strides/min is {2 * cadence_spm:g} steps/min"
    raise InputError(f"target cadence {cadence_spm:g} steps/min is outside {low:g}-{high:g}", hint=hint)


def check_shoe(name: str | None = None, limit_km: float | None = None, initial_km: float | None = None) -> None:
    """Refuse a pair without a name, a limit that is not a distance, or a negative distance already run
    (the shoe listing divides by the limit and would show a negative share worn)."""
    if name is not None and not name.strip():
        raise InputError("a pair of shoes needs a name", hint="e.g. `footfall shoes add ana Pegasus`")
    if limit_km is not None and not 0 < limit_km < math.inf:
        raise InputError(f"the shoe limit must be more than 0 km, got {limit_km:g}",
                         hint="the distance after which to replace the pair, e.g. --limit-km 600")
    if initial_km is not None and not 0 <= initial_km < math.inf:
        raise InputError(f"the distance already run must be 0 km or more, got {initial_km:g}",
                         hint="e.g. --initial-km 250, or leave it out for a new pair")


class Store:
    """Open (creating and migrating as needed) the history database at `path` (default: user data dir)."""

    def __init__(self, path: str | Path | None = None, *, timeout_s: float = 10.0) -> None:
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=timeout_s, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, fast appends
            migrate(self.conn)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open history database {self.path}: {exc}", hint="choose another with --db") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        taken = StoreError(f"runner {name!r} already exists", hint=f"change it with `footfall runner set {name} ...`")
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

    def runner(self, name: str) -> Runner:
        row = self.conn.execute("SELECT * FROM runners WHERE name=?", (name,)).fetchone()
        if row is None:
            raise StoreError(f"no runner called {name!r}", hint="add one with `footfall runner add NAME`")
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
    def add_shoe(self, runner: str, name: str, limit_km: float = 600.0, initial_km: float = 0.0) -> Shoe:
        check_shoe(name, limit_km, initial_km)
        rid = self.runner(runner).id
        taken = StoreError(f"{runner} already has a shoe called {name!r}",
                           hint=f"give the new pair another name; list them with `footfall shoes list {runner} --all`")
        sid = self._write("INSERT INTO shoes(runner_id, name, limit_km, initial_km, created_utc) VALUES (?,?,?,?,?)",
                          (rid, name, limit_km, initial_km, utc_now().isoformat()), duplicate=taken)
        return self.shoe(sid)

    def shoe(self, shoe_id: int) -> Shoe:
        row = self.conn.execute(
            "SELECT s.*, s.initial_km + COALESCE((SELECT SUM(distance_m) FROM sessions "
            "WHERE shoe_id=s.id AND finished=1), 0) / 1000.0 AS km FROM shoes s WHERE id=?", (shoe_id,)).fetchone()
        if row is None:
            raise StoreError(f"no shoe with id {shoe_id}", hint="list them with `footfall shoes list RUNNER`")
        return Shoe(row["id"], row["runner_id"], row["name"], row["limit_km"], row["initial_km"],
                    bool(row["retired"]), float(row["km"]))

    def shoe_named(self, runner: str, name: str) -> Shoe:
        row = self.conn.execute("SELECT id FROM shoes WHERE runner_id=? AND name=?",
                                (self.runner(runner).id, name)).fetchone()
        if row is None:
            raise StoreError(f"{runner} has no shoe called {name!r}", hint="add it with `footfall shoes add`")
        return self.shoe(row["id"])

    def shoes(self, runner: str, include_retired: bool = False) -> list[Shoe]:
        ids = self.conn.execute("SELECT id FROM shoes WHERE runner_id=? AND (retired=0 OR ?) ORDER BY id",
                                (self.runner(runner).id, include_retired)).fetchall()
        return [self.shoe(r["id"]) for r in ids]

    def update_shoe(self, shoe_id: int, *, limit_km: float | None = None, retired: bool | None = None) -> Shoe:
        check_shoe(limit_km=limit_km)
        self.shoe(shoe_id)
        if limit_km is not None:
            self._write("UPDATE shoes SET limit_km=? WHERE id=?", (limit_km, shoe_id))
        if retired is not None:
            self._write("UPDATE shoes SET retired=? WHERE id=?", (int(retired), shoe_id))
        return self.shoe(shoe_id)

    # --- sessions -----------------------------------------------------------------------------------------
    def begin_session(self, runner: str, start_utc: datetime | None = None, shoe_id: int | None = None,
                      source: str = "") -> int:
        """Start a session that steps and cues are appended to while it runs (see `finish_session`)."""
        start = (start_utc or utc_now()).astimezone(timezone.utc).isoformat()
        runner_id = self.runner(runner).id
        try:  # one transaction: the next number above any ever given (schema V3), then the session
            self.conn.execute("BEGIN IMMEDIATE")
            sid = int(self.conn.execute(
                "SELECT MAX(last_id, (SELECT COALESCE(MAX(id), 0) FROM sessions)) + 1 FROM id_high_water "
                "WHERE name='sessions'").fetchone()[0])
            self.conn.execute("INSERT INTO sessions(id, runner_id, shoe_id, start_utc, source) VALUES (?,?,?,?,?)",
                              (sid, runner_id, shoe_id, start, source))
            self.conn.execute("UPDATE id_high_water SET last_id=? WHERE name='sessions'", (sid,))
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            raise StoreError(f"cannot save: {exc}") from exc
        return sid

    def append_steps(self, session_id: int, steps: Iterable[Step]) -> None:
        marks = ",".join("?" * (len(STEP_COLUMNS) + 1))
        with self.conn:
            self.conn.executemany(f"INSERT INTO steps VALUES ({marks})", [step_to_row(session_id, s) for s in steps])

    def add_cues(self, session_id: int, cues: Iterable[Cue]) -> None:
        with self.conn:
            self.conn.executemany("INSERT INTO cues VALUES (?,?,?,?,?,?,?,?,?)", [cue_to_row(session_id, c) for c in cues])

    def finish_session(self, session_id: int) -> Session:
        """Compute duration, distance and summary from the stored steps and mark the session finished."""
        s = summarise_steps(self.steps(session_id))
        self._write("UPDATE sessions SET duration_s=?, distance_m=?, summary_json=?, finished=1 WHERE id=?",
                    (s.duration_s, None if math.isnan(s.distance_m) else s.distance_m,
                     json.dumps(_clean(s.to_dict())), session_id))
        return self.session(session_id)

    def add_session(self, runner: str, steps: Sequence[Step], start_utc: datetime | None = None,
                    shoe_id: int | None = None, source: str = "", cues: Sequence[Cue] = ()) -> Session:
        sid = self.begin_session(runner, start_utc, shoe_id, source)
        self.append_steps(sid, steps)
        self.add_cues(sid, cues)
        return self.finish_session(sid)

    def session(self, session_id: int) -> Session:
        row = self.conn.execute("SELECT * FROM sessions WHERE id=?", (session_id,)).fetchone()
        if row is None:
            raise StoreError(f"no session {session_id}", hint="list them with `footfall history`")
        return row_to_session(row)

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
                             hint=f"give --runner {owner}, or one of {runner}'s sessions "
                                  f"(list them with `footfall history list --runner {runner}`)")
        return found

    def add_checkin(self, runner: str, checkin: CheckIn, session_id: int | None = None,
                    time_utc: datetime | None = None) -> int:
        values = [getattr(checkin, f) for f in _CHECKIN_FIELDS]
        when = (time_utc or utc_now()).astimezone(timezone.utc).isoformat()  # one zone, so the text sorts by time
        return self._write(
            f"INSERT INTO checkins(runner_id, session_id, time_utc, {', '.join(_CHECKIN_FIELDS)}) "
            f"VALUES (?,?,?,{','.join('?' * len(values))})",
            (self.checkin_runner(runner, session_id).id, session_id, when, *values))

    def checkin_for(self, session_id: int) -> CheckIn | None:
        """All of the session's check-ins as one (see `combine_checkins`): a red flag once reported stays."""
        rows = self.conn.execute("SELECT * FROM checkins WHERE session_id=? ORDER BY time_utc, id", (session_id,))
        return combine_checkins([
            CheckIn(row["pain_before"], row["pain_after"], bool(row["swelling"]), bool(row["bruising"]),
                    bool(row["cannot_bear_weight"]), bool(row["twist_or_fall"]), bool(row["pain_persists"]),
                    row["note"]) for row in rows])

    def add_segment(self, session_id: int, label: str, start_s: float, end_s: float) -> int:
        """Mark `label` from `start_s` to `end_s` (session seconds); marking a label again moves it, so a
        session has one baseline, one cue part, ... A segment must start inside the session."""
        if not label.strip():
            raise InputError("a segment needs a label", hint="e.g. baseline, cue or retest")
        if not (math.isfinite(start_s) and math.isfinite(end_s)) or start_s < 0 or end_s <= start_s:
            raise InputError(f"segment {label!r} must run forwards from 0 s or later, got {start_s:g} .. {end_s:g} s")
        last_s = max((s.ic_time_s for s in self.steps(self.session(session_id).id)), default=0.0)
        if start_s >= last_s:
            raise InputError(f"segment {label!r} starts at {start_s:g} s, after the session's last step "
                             f"({last_s:.0f} s)", hint="times are seconds since the session's start")
        self._write("DELETE FROM segments WHERE session_id=? AND label=?", (session_id, label))
        return self._write("INSERT INTO segments(session_id, label, start_s, end_s) VALUES (?,?,?,?)",
                           (session_id, label, start_s, end_s))

    def segments(self, session_id: int) -> list[Segment]:
        rows = self.conn.execute("SELECT * FROM segments WHERE session_id=? ORDER BY start_s", (session_id,))
        return [Segment(r["id"], r["session_id"], r["label"], r["start_s"], r["end_s"]) for r in rows]
