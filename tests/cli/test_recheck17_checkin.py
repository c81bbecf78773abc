"""qa17 physio re-check N11: an examination-only check-in is listed as such (not "red flags: not asked"), and the
"nothing to check in" hint names --clinician-note."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json

Run = Callable[..., tuple[int, str, str]]


def _anna(ff: Run, tmp_path: Path) -> None:
    run = write_json(planned_run([(120, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "Anna Berg")
    ff("history", "add", str(run), "--runner", "Anna Berg")
    ff("checkin", "--runner", "Anna Berg", "--session", "1", "--after", "6", "--swelling")


def test_an_examination_only_checkin_is_listed_as_such(ff: Run, tmp_path: Path) -> None:
    _anna(ff, tmp_path)
    code, out, err = ff("checkin", "--runner", "Anna Berg", "--session", "1", "--examined")
    assert code == 0, err
    assert "check-in saved: examined by a professional (examination only)" in out
    listed = ff("checkin", "list")[1].splitlines()
    assert "red flags: swelling" in listed[0] and "not asked" not in listed[1]
    assert listed[1].endswith("session 1: examined by a professional (examination only)")


def test_an_empty_clinician_note_is_refused_with_a_hint_naming_it(ff: Run, tmp_path: Path) -> None:
    _anna(ff, tmp_path)
    code, _, err = ff("checkin", "--runner", "Anna Berg", "--clinician-note", "")
    assert code == 2 and "nothing to check in" in err and "--clinician-note" in err
