"""The history database schema as an ordered list of migrations; PRAGMA user_version = migrations applied.

Never edit a released migration: append a new one. Opening an older file applies the missing ones in one
transaction each, so a crash mid-migration leaves the file at the previous version.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress

from footfall.errors import StoreError
from footfall.store.failures import (
    SQLITE_BUSY, SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_IOERR, SQLITE_LOCKED, SQLITE_NOTADB,
    SQLITE_READONLY, result_code)

# failures of the file rather than of a migration: the caller says them as what they mean (a full disk, a lock)
_OF_THE_FILE = (SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL,
                SQLITE_CANTOPEN, SQLITE_NOTADB)


# The Step fields as of schema v1, frozen here so a later change to Step never changes a released migration.
# Fields Step gains later are kept in steps.extra_json until a migration gives them a column.
STEP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("sensor", "TEXT"), ("side", "TEXT"), ("idx", "INTEGER"), ("ic_time_s", "REAL"), ("to_time_s", "REAL"),
    ("contact_time_ms", "REAL"), ("swing_time_ms", "REAL"), ("flight_time_ms", "REAL"),
    ("strike_angle_deg", "REAL"), ("pattern", "TEXT"), ("pattern_confidence", "REAL"), ("cadence_spm", "REAL"),
    ("stride_length_m", "REAL"), ("stride_time_s", "REAL"), ("speed_mps", "REAL"),
    ("foot_velocity_at_ic_mps", "REAL"), ("braking_mps2", "REAL"), ("overstride_index", "REAL"),
    ("impact_g", "REAL"), ("activity", "TEXT"), ("flags", "TEXT"), ("extra_json", "TEXT"),
)


def _step_columns() -> str:
    return ",\n    ".join(f"{name} {kind}" for name, kind in STEP_COLUMNS)


V1 = f"""
CREATE TABLE runners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    height_m REAL,
    leg_length_m REAL,
    target_cadence_spm REAL,
    created_utc TEXT NOT NULL
);
CREATE TABLE shoes (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES runners(id),
    name TEXT NOT NULL,
    limit_km REAL NOT NULL DEFAULT 600,
    initial_km REAL NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    created_utc TEXT NOT NULL,
    UNIQUE (runner_id, name)
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES runners(id),
    shoe_id INTEGER REFERENCES shoes(id),
    start_utc TEXT NOT NULL,
    duration_s REAL,
    distance_m REAL,
    source TEXT NOT NULL DEFAULT '',
    summary_json TEXT NOT NULL DEFAULT '{{}}',
    finished INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_runner_time ON sessions(runner_id, start_utc);
CREATE TABLE steps (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    {_step_columns()}
);
CREATE INDEX steps_by_session ON steps(session_id, ic_time_s);
CREATE TABLE cues (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    time_s REAL NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    metronome_spm REAL,
    cadence_spm REAL,
    overstride_index REAL,
    rearfoot_share REAL,
    advice_key TEXT NOT NULL
);
CREATE INDEX cues_by_session ON cues(session_id, time_s);
"""

V2 = """
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES runners(id),
    session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    time_utc TEXT NOT NULL,
    pain_before INTEGER,
    pain_after INTEGER,
    swelling INTEGER NOT NULL DEFAULT 0,
    bruising INTEGER NOT NULL DEFAULT 0,
    cannot_bear_weight INTEGER NOT NULL DEFAULT 0,
    twist_or_fall INTEGER NOT NULL DEFAULT 0,
    pain_persists INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    CHECK (end_s > start_s)
);
"""

# Session numbers are never reused: a report or a note that says "session 8" keeps meaning that run after a
# later one is deleted (SQLite hands a deleted highest rowid out again). The highest number ever given is kept.
V3 = """
CREATE TABLE id_high_water (
    name TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
);
INSERT INTO id_high_water VALUES ('sessions', COALESCE((SELECT MAX(id) FROM sessions), 0));
"""

# The file a session was imported from, by content (`history add` refuses the same file twice, whatever its name
# or folder), and which steps its figures describe ("running", "walking", "none"; filled in on opening for sessions
# finished before this version, see Store._fill_basis). NULL: a live session, or not known yet.
V4 = """
ALTER TABLE sessions ADD COLUMN source_sha256 TEXT;
ALTER TABLE sessions ADD COLUMN basis TEXT;
CREATE INDEX sessions_by_source_sha256 ON sessions(source_sha256);
"""

# Whether the runner gave a pair's limit (1) or it is footfall's default (0): the advice calls only a default limit
# "the default". NULL: a pair added before this version (not known; a limit other than the default was given).
V5 = """
ALTER TABLE shoes ADD COLUMN limit_given INTEGER;
"""

# Check-in answers that end or add advice: a professional has examined the ankle (ends red-flag reminders), every
# red-flag question was answered (a flag not set is a "no", not a question never asked), and an ankle injury in the
# last few months. 0 for the check-ins made before this version: their unset flags were not necessarily asked.
V6 = """
ALTER TABLE checkins ADD COLUMN examined INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkins ADD COLUMN flags_answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkins ADD COLUMN recent_injury INTEGER NOT NULL DEFAULT 0;
"""

# A check-in's two notes: `note` is the client's own (printed in the client's report), `clinician_note` the
# clinician's (a working diagnosis, a plan: shown to the clinician by `checkin list`, `advice`, never in the report).
# `run_utc`: the start of the run a check-in was made for, kept when that session is deleted (it was then dated by
# when it was typed in, and left the reports of the days it belongs to). Filled in here for the check-ins of runs.
V7 = """
ALTER TABLE checkins ADD COLUMN clinician_note TEXT NOT NULL DEFAULT '';
ALTER TABLE checkins ADD COLUMN run_utc TEXT;
UPDATE checkins SET run_utc = (SELECT start_utc FROM sessions WHERE sessions.id = checkins.session_id)
    WHERE session_id IS NOT NULL;
"""

# The leg length (m) a session's overstride index was computed with: the runner's profile value when it was stored
# (`history add`, a live session, `runner import`). NULL: none was given, or a session stored before this version
# (not known: a comparison then says so and falls back to the runner's current profile).
V8 = """
ALTER TABLE sessions ADD COLUMN leg_length_m REAL;
ALTER TABLE sessions ADD COLUMN leg_length_known INTEGER NOT NULL DEFAULT 0;
"""

MIGRATIONS: tuple[str, ...] = (V1, V2, V3, V4, V5, V6, V7, V8)
LATEST = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, upto: int = LATEST) -> int:
    """Apply the missing migrations (each in its own transaction); returns the version reached."""
    current = version(conn)
    if current > LATEST:
        raise StoreError(f"history database is schema version {current}, newer than this footfall ({LATEST})",
                         hint="upgrade footfall")
    for n in range(current, upto):
        try:
            conn.execute("BEGIN IMMEDIATE")
            for stmt in MIGRATIONS[n].split(";"):
                if stmt.strip():
                    conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {n + 1}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:  # not when BEGIN itself failed (a lock held elsewhere): nothing to undo
                with suppress(sqlite3.Error):  # a full disk may refuse even this; the first error is the news
                    conn.execute("ROLLBACK")
            if result_code(exc) in _OF_THE_FILE:
                raise  # the caller names the file: "locked by another program", "is the disk full"
            raise StoreError(f"migration to schema version {n + 1} failed: {exc}") from exc
    return version(conn)
