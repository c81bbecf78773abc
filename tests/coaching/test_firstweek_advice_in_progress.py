"""impl19 runner: `footfall advice N` in a second terminal while session N was still running said "This session
has no running to judge: no steps were found", as if the run had none. It now says first that the session has
not finished and how many steps the advice rests on."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.coaching.scripted import Gait, planned_run
from footfall.store import Store
from footfall.store.live import LiveSessionWriter


def test_advice_of_a_session_in_progress_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite"
    with Store(db) as store:
        store.add_runner("kai")
        writer = LiveSessionWriter(store, "kai", None)
        assert main(["advice", str(writer.session_id), "--db", str(db)]) == 0
        out = capsys.readouterr().out
        print(out)
        assert out.startswith(f"note: session {writer.session_id} has not finished")
        assert "rests on the 0 steps stored so far" in out


def test_a_finished_session_has_no_such_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite"
    with Store(db) as store:
        store.add_runner("kai")
        sid = store.add_session("kai", planned_run([(300, Gait())], seed=1),
                                datetime(2026, 11, 20, 7, tzinfo=timezone.utc)).id
    assert main(["advice", str(sid), "--db", str(db)]) == 0
    assert "has not finished" not in capsys.readouterr().out
