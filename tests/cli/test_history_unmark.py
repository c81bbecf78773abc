"""`footfall history unmark N LABEL` (qa17 physio re-check #6): removes one marked segment without asking (a mark
is cheap to set again), says what it removed, and refuses a label the session has not marked, listing the marked
ones. Its steps and other marks stay."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def marked(ff: Run, tmp_path: Path) -> Run:
    """ana's session 1 (2 min) marked baseline 0-60 s and retest 60-120 s."""
    run = write_json(planned_run([(120, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    assert ff("runner", "add", "ana")[0] == 0
    assert ff("history", "add", str(run), "--runner", "ana")[0] == 0
    for label, start, end in (("baseline", "0", "60"), ("retest", "60", "120")):
        assert ff("history", "mark", "1", label, start, end)[0] == 0
    return ff


def test_unmark_removes_the_segment_and_says_what_it_was(marked: Run, db: Path) -> None:
    with Store(db) as s:
        steps = len(s.steps(1))
    code, out, err = marked("history", "unmark", "1", "retest")
    assert code == 0 and err == ""
    assert out == "session 1 (ana, 2026-11-03 10:00): retest 60-120 s unmarked\n"
    with Store(db) as s:
        assert [g.label for g in s.segments(1)] == ["baseline"] and len(s.steps(1)) == steps


def test_unmark_refuses_a_label_not_marked_and_lists_the_marked_ones(marked: Run, db: Path) -> None:
    code, out, err = marked("history", "unmark", "1", "cue")
    assert code != 0 and out == ""
    assert "session 1 has no segment 'cue' (marked: baseline, retest)" in err
    with Store(db) as s:
        assert [g.label for g in s.segments(1)] == ["baseline", "retest"]


def test_unmark_twice_says_none_are_left(marked: Run) -> None:
    for label in ("baseline", "retest"):
        assert marked("history", "unmark", "1", label)[0] == 0
    code, _, err = marked("history", "unmark", "1", "retest")
    assert code != 0 and "(marked: none)" in err
