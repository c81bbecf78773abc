"""A history written before its text was checked may hold control characters in a segment label, a check-in
note, a clinician note, a session's source or a cue. Every reader gets them escaped (the store's row readers), so
no terminal, export or client file carries them raw, and a runner export of such a history imports again. A
live session's source keeps its recording's whole path, which can be longer than a file name."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]
ESC = "\x1b[2J"


def _older_history(ff: Run, tmp_path: Path, db: Path) -> None:
    run = write_json(planned_run([(60, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "Eve")
    assert ff("history", "add", str(run), "--runner", "Eve")[0] == 0
    ff("history", "mark", "1", "baseline", "0", "30")
    ff("checkin", "--runner", "Eve", "--session", "1", "--after", "3", "--note", "fine", "--clinician-note", "ok")
    with sqlite3.connect(db) as conn:  # as an older version stored them, unchecked
        conn.execute("UPDATE segments SET label=?", (f"base{ESC}",))
        conn.execute("UPDATE checkins SET note=?, clinician_note=?", (f"a\nb{ESC}", f"c{ESC}"))
        conn.execute("UPDATE sessions SET source=?", (f"live: /{'d' * 300}/run{ESC}.ffr",))


def test_every_reader_gets_an_older_historys_control_characters_escaped(ff: Run, tmp_path: Path, db: Path) -> None:
    _older_history(ff, tmp_path, db)
    with Store(db) as store:
        texts = [store.segments(1)[0].label, store.checkin_for(1).note, *store.clinician_notes(1),  # type: ignore[union-attr]
                 store.session(1).source]
    assert texts[:3] == ["base\\x1b[2J", "a\nb\\x1b[2J", "c\\x1b[2J"] and texts[3].endswith("/run\\x1b[2J.ffr")
    for args in (("history", "show", "1"), ("checkin", "list"), ("advice", "1"), ("history",)):
        code, out, err = ff(*args)
        assert code == 0 and "\x1b" not in out + err, args


def test_a_runner_export_of_an_older_history_imports_again(ff: Run, tmp_path: Path, db: Path) -> None:
    _older_history(ff, tmp_path, db)
    assert ff("runner", "export", "Eve", "-o", str(tmp_path / "eve.json"))[0] == 0
    doc: dict[str, Any] = json.loads((tmp_path / "eve.json").read_text())
    assert "\x1b" not in json.dumps(doc, ensure_ascii=False)
    code, out, err = ff("runner", "import", str(tmp_path / "eve.json"), "--as", "Eve2")
    assert code == 0, err
