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
from footfall.coaching.checkin import CheckIn
from footfall.coaching.cues import Cue
from footfall.coaching.summary import summarise_steps
from footfall.errors import StoreError
from footfall.store.rows import (
    Runner, Segment, Session, Shoe, cue_to_row, row_to_cue, row_to_session, row_to_step, step_to_row)
from footfall.store.schema import STEP_COLUMNS, migrate

SEGMENT_LABELS = ("baseline", "cue", "retest")
_CHECKIN_FIELDS = ("pain_before", "pain_after", "swelling", "bruising", "cannot_bear_weight", "twist_or_fall",
                   "pain_persists", "note")


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("footfall", appauthor=False)) / "history.sqlite"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _clean(d: dict[str, float]) -> dict[str, float | None]:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in d.items()}


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

    def _write(self, sql: str, params: Sequence[object] = ()) -> int:
        try:
            with self.conn:
                cur = self.conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"cannot save: {exc}") from exc
        return int(cur.lastrowid or 0)

    # --- runners ---------------------------------------------------------------------------------------
    def add_runner(self, name: str, height_m: float | None = None, leg_length_m: float | None = None,
                   target_cadence_spm: float | None = None) -> Runner:
        self._write("INSERT INTO runners(name, height_m, leg_length_m, target_cadence_spm, created_utc) "
                    "VALUES (?,?,?,?,?)", (name, height_m, leg_length_m, target_cadence_spm, utc_now().isoformat()))
        return self.runner(name)

    def update_runner(self, name: str, **values: float | None) -> Runner:
        allowed = {"height_m", "leg_length_m", "target_cadence_spm"}
        if set(values) - allowed:
            raise StoreError(f"unknown runner fields {sorted(set(values) - allowed)}")
        runner = self.runner(name)
        for key, value in values.items():
            self._write(f"UPDATE runners SET {key}=? WHERE id=?", (value, runner.id))
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
        rid = self.runner(runner).id
        sid = self._write("INSERT INTO shoes(runner_id, name, limit_km, initial_km, created_utc) VALUES (?,?,?,?,?)",
                          (rid, name, limit_km, initial_km, utc_now().isoformat()))
        return self.shoe(sid)

    def shoe(self, shoe_id: int) -> Shoe:
        row = self.conn.execute(
            "SELECT s.*, s.initial_km + COALESCE((SELECT SUM(distance_m) FROM sessions "
            "WHERE shoe_id=s.id AND finished=1), 0) / 1000.0 AS km FROM shoes s WHERE id=?", (shoe_id,)).fetchone()
        if row is None:
            raise StoreError(f"no shoe with id {shoe_id}")
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
        return self._write("INSERT INTO sessions(runner_id, shoe_id, start_utc, source) VALUES (?,?,?,?)",
                           (self.runner(runner).id, shoe_id, start, source))

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
    def add_checkin(self, runner: str, checkin: CheckIn, session_id: int | None = None,
                    time_utc: datetime | None = None) -> int:
        values = [getattr(checkin, f) for f in _CHECKIN_FIELDS]
        return self._write(
            f"INSERT INTO checkins(runner_id, session_id, time_utc, {', '.join(_CHECKIN_FIELDS)}) "
            f"VALUES (?,?,?,{','.join('?' * len(values))})",
            (self.runner(runner).id, session_id, (time_utc or utc_now()).isoformat(), *values))

    def checkin_for(self, session_id: int) -> CheckIn | None:
        row = self.conn.execute("SELECT * FROM checkins WHERE session_id=? ORDER BY id DESC", (session_id,)).fetchone()
        if row is None:
            return None
        return CheckIn(row["pain_before"], row["pain_after"], bool(row["swelling"]), bool(row["bruising"]),
                       bool(row["cannot_bear_weight"]), bool(row["twist_or_fall"]), bool(row["pain_persists"]),
                       row["note"])

    def add_segment(self, session_id: int, label: str, start_s: float, end_s: float) -> int:
        if end_s <= start_s:
            raise StoreError(f"segment {label!r} must end after it starts ({start_s} .. {end_s} s)")
        self.session(session_id)
        return self._write("INSERT INTO segments(session_id, label, start_s, end_s) VALUES (?,?,?,?)",
                           (session_id, label, start_s, end_s))

    def segments(self, session_id: int) -> list[Segment]:
        rows = self.conn.execute("SELECT * FROM segments WHERE session_id=? ORDER BY start_s", (session_id,))
        return [Segment(r["id"], r["session_id"], r["label"], r["start_s"], r["end_s"]) for r in rows]
