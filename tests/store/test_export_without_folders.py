"""qa19 privacy #7, the rest: a live session keeps its recording's whole path (it completes an unfinished session
from it), and an older history kept whole paths for every session. What leaves the computer (history export,
runner export) names the file without its folders, which can name another client, a birth date or a login."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json
from footfall.store.matching import without_folders

Run = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("source, out", [
    ("live: /home/kim/clients/Eve Smith/eve_1990.ffr", "live: eve_1990.ffr"),
    ("live: C:\\Users\\kim\\Eve Smith\\run.ffr", "live: run.ffr"), ("live", "live"),
    ("/data/clients/Eve/run.ffr", "run.ffr"), ("run.ffr", "run.ffr"), ("", ""),
])
def test_a_source_leaves_without_its_folders(source: str, out: str) -> None:
    assert without_folders(source) == out


def test_the_exports_name_the_recording_without_its_folders(ff: Run, tmp_path: Path, db: Path) -> None:
    run = write_json(planned_run([(60, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "Eve")
    assert ff("history", "add", str(run), "--runner", "Eve")[0] == 0
    with sqlite3.connect(db) as conn:  # as a live session (or an older history) keeps it
        conn.execute("UPDATE sessions SET source=?", ("live: /home/kim/clients/Eve Smith/eve_1990.ffr",))
    assert ff("history", "export", "1", "-o", str(tmp_path / "s.json"))[0] == 0
    assert ff("runner", "export", "Eve", "-o", str(tmp_path / "c.json"))[0] == 0
    for name in ("s.json", "c.json"):
        text = (tmp_path / name).read_text()
        assert "Eve Smith" not in text and "/home/kim" not in text, name
    assert json.loads((tmp_path / "c.json").read_text())["sessions"][0]["source"] == "live: eve_1990.ffr"
