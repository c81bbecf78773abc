"""Segments too short to trust (QA 15, M3): a segment under 30 s or with under 10 steps of a foot carries a note in
`history show` and in the report; a --phases phase under 30 s is warned about when the plan is read."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

import pytest

import footfall.cli as cli
from footfall.cli.common import coach_options
from footfall.coaching.phases import PhasePlan
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.build import write_report
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Session 1, 240 s: baseline 0-120 s, a 5 s cue at 120-125 s."""
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        store.add_runner("ana")
        store.add_session("ana", planned_run([(240, Gait())], seed=1), T0)
        store.add_segment(1, "baseline", 0, 120)
        store.add_segment(1, "cue", 120, 125)
    return path


def test_history_show_notes_a_short_segment(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["history", "show", "1", "--db", str(db)]) == 0
    notes = [line.strip() for line in capsys.readouterr().out.splitlines() if line.strip().startswith("note:")]
    assert len(notes) == 2 and notes[0].startswith("note: cue: ") and "in 5 s" in notes[0], notes
    assert "rough" in notes[0] and notes[1].startswith("note: cue: no Δ (under 10 running steps")  # qa17 N5


def test_the_report_notes_a_short_segment(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        text = write_report(store, 1, tmp_path / "r.html").read_text()
    section = text.split('<section id="segments">')[1].split("</section>")[0]
    assert section.count('<p class="note">') == 1 and "cue: " in section and "in 5 s" in section


def test_a_short_phase_is_warned_about_when_the_plan_is_read(capsys: pytest.CaptureFixture[str]) -> None:
    assert PhasePlan.parse("baseline:2m,cue:2m").warnings() == []
    assert [w.split(":")[1].strip() for w in PhasePlan.parse("baseline:100,cue:5,retest:15").warnings()] == [
        "'cue' lasts 5 s", "'retest' lasts 15 s"]
    args = argparse.Namespace(audio=None, phases="baseline:100,cue:5", runner_name=None, shoe=None, db=None,
                              sound=None)
    coach_options(args)
    err = capsys.readouterr().err
    assert "warning: --phases: 'cue' lasts 5 s" in err, err
