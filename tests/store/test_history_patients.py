"""Patients kept apart (QA 15, H5): a report compares with another runner's session only when told to, a step file
of one runner's run is refused for another, and the writes on a global session number name whose run it was."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.coaching.scripted import Gait, planned_run
from footfall.store import Store

T0 = datetime(2026, 4, 20, 14, 52, tzinfo=timezone.utc)
ANNA, BEN = "P001 Anna K", "P002 Ben O"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Session 1 and 2: Anna's; session 3: Ben's."""
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        for name in (ANNA, BEN):
            store.add_runner(name)
        for k, runner in enumerate((ANNA, ANNA, BEN)):
            store.add_session(runner, planned_run([(60, Gait(cadence_spm=160 + 5 * k))], seed=k),
                              T0 + timedelta(days=k))
    return path


def _run(db: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main([*argv, "--db", str(db)])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_compare_with_another_runners_session_needs_other_runner(db: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    rc, _, err = _run(db, capsys, "report", "3", "--compare", "1", "-o", str(out))
    assert rc == 2 and "--compare 1 is P001 Anna K's session (2026-04-20 14:52), not P002 Ben O's" in err, err
    assert not out.exists()
    rc, _, err = _run(db, capsys, "report", "3", "--compare", "1", "--other-runner", "-o", str(out))
    assert rc == 0 and "warning:" in err and ANNA in out.read_text()
    rc, _, err = _run(db, capsys, "report", "2", "--compare", "1", "-o", str(tmp_path / "same.html"))
    assert rc == 0 and "warning" not in err


def test_a_step_export_of_one_runners_run_is_refused_for_another(db: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for suffix in (".json", ".csv"):
        export = tmp_path / f"anna{suffix}"
        assert _run(db, capsys, "history", "export", "1", "-o", str(export))[0] == 0
        rc, _, err = _run(db, capsys, "history", "add", str(export), "--runner", BEN)
        assert rc == 2 and "session 1, P001 Anna K's run" in err, (suffix, err)
    with Store(db) as store:
        assert len(store.sessions(BEN)) == 1


def test_mark_and_delete_name_the_runner_and_date(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(db, capsys, "history", "mark", "1", "baseline", "0", "30")
    assert rc == 0 and out.startswith("session 1 (P001 Anna K, 2026-04-20 14:52): baseline 0-30 s"), out
    rc, out, _ = _run(db, capsys, "history", "mark", "1", "baseline", "12.5", "30.25")
    assert out.strip().endswith("baseline 12.5-30.25 s (was 0-30 s)"), out  # said "12-30 s (was 0-30 s)"
    rc, out, _ = _run(db, capsys, "history", "delete", "3", "--yes")
    assert rc == 0 and out.startswith("session 3 (P002 Ben O, 2026-04-22 14:52) deleted\n"), out


def test_the_json_export_names_the_runner(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, capsys, "history", "export", "3", "-o", str(tmp_path / "s.json"))[0] == 0
    rc, _, err = _run(db, capsys, "history", "export", "3", "-o", str(tmp_path / "s.json"))
    assert rc != 0 and "already exists" in err  # the same name again: refused unless --force
    assert _run(db, capsys, "history", "export", "3", "-o", str(tmp_path / "s.json"), "--force")[0] == 0
    assert json.loads((tmp_path / "s.json").read_text())["meta"]["runner"] == BEN
