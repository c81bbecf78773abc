"""`footfall runner export --for-client` (qa19 privacy #8): a copy handed to the client (a subject access or
portability request) leaves out the clinician's notes, which footfall keeps out of every client output; without it
the export says it includes them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json

Run = Callable[..., tuple[int, str, str]]


def _eve(ff: Run, tmp_path: Path) -> None:
    run = write_json(planned_run([(60, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "Eve")
    assert ff("history", "add", str(run), "--runner", "Eve")[0] == 0
    assert ff("checkin", "--runner", "Eve", "--session", "1", "--after", "3", "--note", "sore",
              "--clinician-note", "SECRETCLIN watch the tibia")[0] == 0


def test_a_copy_for_the_client_leaves_the_clinicians_notes_out(ff: Run, tmp_path: Path) -> None:
    _eve(ff, tmp_path)
    code, out, _ = ff("runner", "export", "Eve", "-o", str(tmp_path / "c.json"), "--for-client")
    text = (tmp_path / "c.json").read_text()
    assert code == 0 and "SECRETCLIN" not in text and "sore" in text
    assert json.loads(text)["checkins"][0]["clinician_note"] == ""
    assert "the clinician's notes are left out (--for-client)" in out


def test_a_full_export_keeps_them_and_says_so(ff: Run, tmp_path: Path) -> None:
    _eve(ff, tmp_path)
    code, out, _ = ff("runner", "export", "Eve", "-o", str(tmp_path / "c.json"))
    assert code == 0 and "SECRETCLIN" in (tmp_path / "c.json").read_text()
    assert "it includes the clinician's notes; `--for-client` leaves them out" in out
