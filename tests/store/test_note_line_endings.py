"""qa19b review: a check-in note pasted with Windows line endings (\\r\\n) was refused ("holds the control
character '\\r'") under a hint that line breaks are fine; an older history's such note read back with a literal
"\\r" in the client's report. Line breaks are taken, stored and read as \\n."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from footfall.coaching.checkin import CheckIn
from footfall.coaching.scripted import Gait, planned_run
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]


def test_a_windows_note_is_taken_as_lines(ff: Run, db: Path) -> None:
    ff("runner", "add", "ana")
    code, _, err = ff("checkin", "--runner", "ana", "--before", "2", "--note", "left ankle\r\nstiff\rafter\u2028run")
    assert code == 0, err
    with Store(db) as store:
        assert [c.checkin.note for c in store.checkins_until("ana", datetime.now(timezone.utc))] == ["left ankle\nstiff\nafter\nrun"]


def test_an_older_historys_carriage_returns_read_back_as_line_breaks(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        sid = store.add_session("ana", planned_run([(30, Gait())])).id
        store.add_checkin("ana", CheckIn(1, 2, note="ok"), session_id=sid, clinician_note="fine")
    with sqlite3.connect(tmp_path / "h.sqlite") as conn:  # as an older version stored it, unchecked
        conn.execute("UPDATE checkins SET note=?, clinician_note=?", ("felt ok\r\nthen sore", "watch\rit"))
    with Store(tmp_path / "h.sqlite") as store:
        assert store.checkin_for(sid).note == "felt ok\nthen sore"  # type: ignore[union-attr]
        assert store.clinician_notes(sid) == ["watch\nit"]

