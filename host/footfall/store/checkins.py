"""The runner's check-ins before a run, as the reminder and the recurring-pain rule read them."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from footfall.coaching.checkin import combine_checkins
from footfall.coaching.reminder import EarlierCheckIn
from footfall.store.checks import stored_note
from footfall.store.rows import row_to_checkin

_QUERY = ("SELECT c.*, COALESCE(s.start_utc, c.run_utc, c.time_utc) AS at FROM checkins c LEFT JOIN sessions s ON "
          "s.id=c.session_id WHERE c.runner_id=? AND c.session_id IS NOT ? ORDER BY c.time_utc, c.id")


def checkins_before(conn: sqlite3.Connection, runner_id: int, before_utc: datetime,
                    skip_session: int | None = None) -> list[EarlierCheckIn]:
    """The runner's check-ins dated up to `before_utc` included (one cut-off for a stored session's advice and for
    a check-in or live session "now": a check-in in the same second as a session's start counts as before it),
    whatever their age (an unanswered red flag never expires), oldest first:
    those made with a session as one (dated by its start, as its own advice has them), those of a session since
    deleted as one (dated by that run's start: they still belong to that day), those made on their own each dated
    when made."""
    groups: dict[tuple[str, int | str], list[sqlite3.Row]] = {}
    skip = -1 if skip_session is None else skip_session  # IS NOT NULL would leave out the check-ins of no session
    for row in conn.execute(_QUERY, (runner_id, skip)):
        if datetime.fromisoformat(row["at"]) <= before_utc:
            key = _group(row)
            groups.setdefault(key, []).append(row)
    return sorted((_earlier(rows) for rows in groups.values()), key=lambda e: e.time_utc)


def _group(row: sqlite3.Row) -> tuple[str, int | str]:
    if row["session_id"] is not None:
        return ("session", row["session_id"])
    return ("run", row["run_utc"]) if row["run_utc"] is not None else ("own", row["id"])


def _earlier(rows: list[sqlite3.Row]) -> EarlierCheckIn:
    combined = combine_checkins([row_to_checkin(r) for r in rows])
    assert combined is not None  # a group has at least one row
    return EarlierCheckIn(combined, datetime.fromisoformat(rows[0]["at"]), rows[0]["session_id"])


def clinician_notes(conn: sqlite3.Connection, session_id: int) -> list[str]:
    """The clinician's notes on a session's check-ins, oldest first: for the clinician's views only."""
    rows = conn.execute("SELECT clinician_note FROM checkins WHERE session_id=? AND clinician_note != '' "
                        "ORDER BY time_utc, id", (session_id,))
    return [stored_note(r[0]) for r in rows]
