"""`footfall advice --runner NAME`: a runner does not know session numbers, so the runner's latest session is
advised; a number given with it must be theirs, and neither given is a one-line question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json

Run = Callable[..., tuple[int, str, str]]


def _two_runs(ff: Run, tmp_path: Path) -> None:
    for n, (name, day) in enumerate((("ana", "03"), ("ana", "05"), ("bo", "04"))):
        run = write_json(planned_run([(90, Gait(cadence_spm=150 + 10 * n))]), tmp_path / f"r{n}.json",
                         {"start_utc": f"2026-11-{day}T10:00:00Z"})
        ff("runner", "add", name)
        assert ff("history", "add", str(run), "--runner", name)[0] == 0


def test_advice_for_a_runner_is_their_latest_session(ff: Run, tmp_path: Path) -> None:
    _two_runs(ff, tmp_path)
    code, out, err = ff("advice", "--runner", "ana")
    assert code == 0 and err == "" and out.startswith("session 2: ")
    assert ff("advice", "--runner", "bo")[1].startswith("session 3: ")


def test_a_session_of_someone_else_or_no_session_at_all_is_refused_in_one_line(ff: Run, tmp_path: Path) -> None:
    _two_runs(ff, tmp_path)
    code, out, err = ff("advice", "3", "--runner", "ana")
    assert code != 0 and out == "" and "session 3 is not ana's" in err and len(err.splitlines()) == 1
    code, _, err = ff("advice")
    assert code != 0 and "give its number, or --runner NAME" in err
    assert ff("advice", "1", "--runner", "ana")[1].startswith("session 1: ")
