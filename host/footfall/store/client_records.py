"""The whole of one client in the history, as plain records: read out for `footfall runner export`, restored
into another history by `footfall runner import` (report/client_file.py writes and reads them as JSON).

Times stay the text the history holds (ISO 8601 with +00:00), so a client moved twice reads back the same. A session
keeps its number of the history it came from (`number`), which the check-ins refer to; the history it goes into
gives it a new one.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime

from footfall.analysis.step import Step
from footfall.coaching.checkin import CheckIn
from footfall.coaching.cues import Cue
from footfall.coaching.summary import RunSummary
from footfall.dates import check_not_too_early
from footfall.errors import InputError
from footfall.finite import null_nan
from footfall.store.checks import (MAX_CUE_CHARS, MAX_SOURCE_CHARS, check_leg_length, check_note, check_plain_text,
                                   check_runner, check_segment_label, check_segment_span, check_shoe, check_start,
                                   one_newline, shown, stored_note)
from footfall.store.rows import (CHECKIN_FIELDS, LegLength, cue_to_row, row_to_checkin, row_to_cue, row_to_session,
                                 row_to_step, step_to_row)
from footfall.store.matching import without_folders
from footfall.store.schema import STEP_COLUMNS
from footfall.store.step_checks import check_sequence

SegmentMark = tuple[str, float, float]  # label, start_s, end_s
SUMMARY_KEYS = frozenset(f.name for f in fields(RunSummary)) - {"activity"}  # a stored summary's figures
BASES = (None, "", "running", "walking", "none")  # a session's basis ("" or None: not finished)
ADVICE_KEY = re.compile(r"[a-z0-9_.-]{1,60}")  # a knowledge item's key (coaching/knowledge.py)
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class CheckinRecord:
    """One stored check-in with what the advice does not read: its number, who, both notes' owners, its dates."""

    id: int
    runner: str
    session_id: int | None  # None: made on its own, or its session was deleted
    time_utc: str  # when it was entered
    run_utc: str | None  # the start of the run it was made for (kept when the session is deleted)
    checkin: CheckIn  # `note` is the client's own note
    clinician_note: str = ""  # the clinician's: never in the client's report

    @property
    def dated(self) -> datetime:
        """The day it belongs to: its run's start, else when it was entered."""
        return datetime.fromisoformat(self.run_utc or self.time_utc)


@dataclass(frozen=True)
class ShoeRecord:
    name: str
    limit_km: float
    initial_km: float
    retired: bool
    limit_given: bool | None  # None: added before footfall kept it (schema v5)
    created_utc: str


@dataclass(frozen=True)
class SessionRecord:
    number: int  # its number in the history it was read from
    start_utc: str
    duration_s: float | None
    distance_m: float | None
    source: str
    source_sha256: str | None
    basis: str | None
    finished: bool
    shoe: str | None  # the pair's name
    summary: Mapping[str, float | None]  # as stored: not recomputed, so the figures move unchanged
    steps: tuple[Step, ...]
    cues: tuple[Cue, ...]
    segments: tuple[SegmentMark, ...]
    leg_length: LegLength | None = None  # what its overstride index used; None: not known (stored before v8)


@dataclass(frozen=True)
class ClientRecord:
    name: str
    height_m: float | None
    leg_length_m: float | None
    target_cadence_spm: float | None
    created_utc: str
    shoes: tuple[ShoeRecord, ...]
    sessions: tuple[SessionRecord, ...]
    checkins: tuple[CheckinRecord, ...]


CHECKINS_QUERY = ("SELECT c.*, r.name AS runner FROM checkins c JOIN runners r ON r.id=c.runner_id "
                  "WHERE (? IS NULL OR c.runner_id=?) AND (? IS NULL OR c.id=?) "
                  "ORDER BY COALESCE(c.run_utc, c.time_utc), c.id")


def checkin_record(row: sqlite3.Row) -> CheckinRecord:
    return CheckinRecord(row["id"], row["runner"], row["session_id"], row["time_utc"], row["run_utc"],
                         row_to_checkin(row), stored_note(row["clinician_note"]))


def read_client(conn: sqlite3.Connection, runner_id: int) -> ClientRecord:
    """Everything the history holds of runner `runner_id`."""
    r = conn.execute("SELECT * FROM runners WHERE id=?", (runner_id,)).fetchone()
    shoes = conn.execute("SELECT * FROM shoes WHERE runner_id=? ORDER BY id", (runner_id,)).fetchall()
    names = {s["id"]: s["name"] for s in shoes}
    sessions = conn.execute("SELECT * FROM sessions WHERE runner_id=? ORDER BY start_utc, id", (runner_id,))
    checkins = conn.execute(CHECKINS_QUERY, (runner_id, runner_id, None, None))
    return ClientRecord(r["name"], r["height_m"], r["leg_length_m"], r["target_cadence_spm"], r["created_utc"],
                        tuple(map(_shoe, shoes)), tuple(_session(conn, s, names) for s in sessions),
                        tuple(map(checkin_record, checkins)))


def _shoe(s: sqlite3.Row) -> ShoeRecord:
    given = s["limit_given"]
    return ShoeRecord(s["name"], s["limit_km"], s["initial_km"], bool(s["retired"]),
                      None if given is None else bool(given), s["created_utc"])


def _session(conn: sqlite3.Connection, s: sqlite3.Row, shoes: Mapping[int, str]) -> SessionRecord:
    sid = s["id"]
    steps = conn.execute("SELECT * FROM steps WHERE session_id=? ORDER BY ic_time_s, rowid", (sid,))
    cues = conn.execute("SELECT * FROM cues WHERE session_id=? ORDER BY time_s, rowid", (sid,))
    marks = conn.execute("SELECT label, start_s, end_s FROM segments WHERE session_id=? ORDER BY start_s, id", (sid,))
    return SessionRecord(sid, s["start_utc"], s["duration_s"], s["distance_m"], without_folders(shown(s["source"])), s["source_sha256"],
                         s["basis"], bool(s["finished"]), shoes.get(s["shoe_id"]), json.loads(s["summary_json"]),
                         tuple(map(row_to_step, steps)), tuple(map(row_to_cue, cues)),
                         tuple((shown(m[0]), m[1], m[2]) for m in marks), row_to_session(s).leg_length)


def check_client(client: ClientRecord, name: str) -> None:
    """The checks each command makes of what it stores (`runner add`, `shoes add`, `history add`, `history mark`,
    `checkin`), made of a client file before any of it is stored: a file edited by hand is hostile input too.
    Each step was checked as it was read (store/step_checks.py `check_step`); a field of the wrong kind (a word
    where a figure belongs) is the one-line damaged-file error, not a traceback."""
    try:
        _check_client(client, name)
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
        raise damaged_client(exc) from None


def damaged_client(exc: Exception) -> InputError:
    """The one line for a client file holding what no history holds (said as read_client_file says it)."""
    return InputError(f"a damaged footfall client file: {type(exc).__name__} {exc}"[:300],
                      hint="nothing of it was stored; export the runner again from the history it came from")


def _check_client(client: ClientRecord, name: str) -> None:
    check_runner(name, client.height_m, client.leg_length_m, client.target_cadence_spm)
    check_plain_text(_text(client.created_utc, "the runner's created_utc"), "the runner's created_utc", 40)
    for shoe in client.shoes:
        check_shoe(shoe.name, shoe.limit_km, shoe.initial_km)
        check_plain_text(_text(shoe.created_utc, "created_utc"), f"shoe {shoe.name!r}: created_utc", 40)
    for s in client.sessions:
        with _naming(f"session {s.number}"):
            _check_session(s)
    for c in client.checkins:
        with _naming(f"check-in {c.id}"):
            _check_checkin(c)


def _check_session(s: SessionRecord) -> None:
    start = _start(s.start_utc)
    check_start(start)
    check_not_too_early(start, "its start", hint="correct start_utc in the file, or delete the session from it")
    _check_session_fields(s)
    check_sequence(s.steps, [f"step {k}" for k in range(1, len(s.steps) + 1)])
    if s.leg_length is not None and s.leg_length.value_m is not None:
        check_leg_length(s.leg_length.value_m)
    for label, start_s, end_s in s.segments:
        check_segment_label(label)
        check_segment_span(label, start_s, end_s)
    for cue in s.cues:
        _check_cue(cue)


def _check_session_fields(s: SessionRecord) -> None:
    """What a session's listing, report and progress read besides its steps: read back with float(), a word
    where a figure belongs broke `history list` for every client of the history (qa19 privacy #3)."""
    check_plain_text(_text(s.source, "source"), "its source", MAX_SOURCE_CHARS)
    if s.basis not in BASES:
        raise InputError(f"basis {s.basis!r:.40} is not one of running, walking, none")
    if s.source_sha256 is not None and not SHA256.fullmatch(_text(s.source_sha256, "source_sha256")):
        raise InputError(f"source_sha256 {s.source_sha256!r:.80} is not a SHA-256 in hex")
    if not isinstance(s.finished, bool) or not isinstance(s.number, int):
        raise InputError("finished must be true or false, number a whole number")
    _figure(s.duration_s, "duration_s", 0.0)
    _figure(s.distance_m, "distance_m", 0.0)
    if not isinstance(s.summary, Mapping):
        raise InputError(f"summary {s.summary!r:.40} is not an object of figures")
    for key, value in s.summary.items():
        if key not in SUMMARY_KEYS:
            raise InputError(f"summary key {key!r:.40} is not a figure footfall stores")
        _figure(value, f"summary {key}")


def _check_cue(cue: Cue) -> None:
    where = f"cue at {cue.time_s!r:.20} s"
    _figure(cue.time_s, f"{where}: time_s")
    check_plain_text(_text(cue.text, f"{where}: text"), f"{where}: its text", MAX_CUE_CHARS)
    if not ADVICE_KEY.fullmatch(_text(cue.advice_key, f"{where}: advice_key")):
        raise InputError(f"{where}: advice_key {cue.advice_key!r:.40} is not a knowledge item's key")
    _figure(cue.metronome_spm, f"{where}: metronome_spm", 0.0)
    for name in ("cadence_spm", "overstride_index", "rearfoot_share"):
        value = getattr(cue, name)
        _figure(None if isinstance(value, float) and math.isnan(value) else value, f"{where}: {name}")


def _check_checkin(c: CheckinRecord) -> None:
    check_note(one_newline(_text(c.checkin.note, "note")))  # (add_checkin stores it so)
    check_note(one_newline(_text(c.clinician_note, "clinician_note")))
    _time(c.time_utc, "time_utc")
    if c.run_utc is not None:
        _time(c.run_utc, "run_utc")
    if c.session_id is not None and not isinstance(c.session_id, int):
        raise InputError(f"session {c.session_id!r:.40} is not a session number")


def _figure(value: object, what: str, low: float = -math.inf) -> None:
    """A figure: a finite number (not true/false) from `low` on, or null (not measured)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value < math.inf:
        raise InputError(f"{what} {value!r:.40} is not a figure (a finite number, or null)")


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} {value!r:.40} is not text")
    return value


def _time(text: object, what: str) -> None:
    """A time with its zone, as the history keeps them (ISO 8601)."""
    _start(_text(text, what), what)


def _start(text: str, what: str = "start_utc") -> datetime:
    try:
        start = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        start = None
    if start is None or start.tzinfo is None:
        raise InputError(f"{what} {text!r:.40} is not a time with its zone", hint="e.g. 2026-11-03T10:00:00+00:00")
    return start


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """An InputError raised inside names `where` in the file (the session or check-in it is about)."""
    try:
        yield
    except InputError as exc:
        raise InputError(f"{where}: {exc.args[0]}", hint=exc.hint) from None


def write_client(conn: sqlite3.Connection, client: ClientRecord, name: str, next_session_id: int) -> int:
    """Insert `client` as runner `name` (inside the caller's transaction); its sessions numbered from
    `next_session_id` on. Returns the runner's id."""
    runner_id = _insert(conn, "runners", {"name": name, "height_m": client.height_m, "leg_length_m":
                                         client.leg_length_m, "target_cadence_spm": client.target_cadence_spm,
                                         "created_utc": client.created_utc})
    shoe_ids = {s.name: _insert(conn, "shoes", {"runner_id": runner_id, **_shoe_row(s)}) for s in client.shoes}
    numbers: dict[int, int] = {}
    for n, s in enumerate(client.sessions, start=next_session_id):
        numbers[s.number] = n
        _write_session(conn, n, runner_id, _shoe_id(shoe_ids, s), s)
    for c in client.checkins:
        _insert(conn, "checkins", {"runner_id": runner_id, **_checkin_row(c, numbers)})
    return runner_id


def _shoe_row(s: ShoeRecord) -> dict[str, object]:
    return {"name": s.name, "limit_km": s.limit_km, "initial_km": s.initial_km, "retired": int(s.retired),
            "limit_given": None if s.limit_given is None else int(s.limit_given), "created_utc": s.created_utc}


def _shoe_id(shoe_ids: Mapping[str, int], s: SessionRecord) -> int | None:
    if s.shoe is not None and s.shoe not in shoe_ids:
        raise InputError(f"session {s.number} was run in {s.shoe!r}, a pair the file does not list")
    return None if s.shoe is None else shoe_ids[s.shoe]


def _write_session(conn: sqlite3.Connection, sid: int, runner_id: int, shoe_id: int | None,
                   s: SessionRecord) -> None:
    _insert(conn, "sessions", {
        "id": sid, "runner_id": runner_id, "shoe_id": shoe_id, "start_utc": s.start_utc, "duration_s": s.duration_s,
        "distance_m": s.distance_m, "source": s.source, "summary_json": json.dumps(null_nan(dict(s.summary))),
        "finished": int(s.finished), "source_sha256": s.source_sha256, "basis": s.basis,
        "leg_length_m": s.leg_length and s.leg_length.value_m, "leg_length_known": s.leg_length is not None})
    conn.executemany(f"INSERT INTO steps VALUES ({','.join('?' * (len(STEP_COLUMNS) + 1))})",
                     [step_to_row(sid, st) for st in s.steps])
    conn.executemany("INSERT INTO cues VALUES (?,?,?,?,?,?,?,?,?)", [cue_to_row(sid, c) for c in s.cues])
    conn.executemany("INSERT INTO segments(session_id, label, start_s, end_s) VALUES (?,?,?,?)",
                     [(sid, *m) for m in s.segments])


def _checkin_row(c: CheckinRecord, numbers: Mapping[int, int]) -> dict[str, object]:
    if c.session_id is not None and c.session_id not in numbers:
        raise InputError(f"check-in {c.id} belongs to session {c.session_id}, which the file does not hold")
    answers = {f: getattr(c.checkin, f) for f in CHECKIN_FIELDS}
    return {"session_id": None if c.session_id is None else numbers[c.session_id], "time_utc": c.time_utc,
            "run_utc": c.run_utc, "clinician_note": c.clinician_note,
            **{k: int(v) if isinstance(v, bool) else v for k, v in answers.items()}}


def _insert(conn: sqlite3.Connection, table: str, values: Mapping[str, object]) -> int:
    cols = ", ".join(values)
    cur = conn.execute(f"INSERT INTO {table}({cols}) VALUES ({','.join('?' * len(values))})", tuple(values.values()))
    return int(cur.lastrowid or 0)
