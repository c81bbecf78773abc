"""`footfall history show N` says what each figure rests on, the line `footfall analyse` ends with, counted from
the stored steps the session's figures were computed from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from footfall.analysis.summary import counts_text, summarise
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]


def test_history_show_prints_the_counts_of_the_stored_steps(ff: Run, tmp_path: Path, db: Path) -> None:
    run = write_json(planned_run([(90, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    assert ff("runner", "add", "ana")[0] == 0 and ff("history", "add", str(run), "--runner", "ana")[0] == 0
    code, out, err = ff("history", "show", "1")
    assert code == 0 and err == ""
    with Store(db) as s:
        expected = counts_text(summarise(s.steps(1)))
    assert f"  {expected}\n" in out and "figures rest on (both feet): cadence " in expected
    assert out.index("figures rest on") < out.index("cues given")
