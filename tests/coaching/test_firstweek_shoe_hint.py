"""impl19 runner: the advice of a run without a pair said "add your pair (`footfall shoes add`)", a command that
fails for want of its two arguments, and after a demo without --runner no pair added could ever count the run.
The hint now gives commands that work when pasted, with the runner's name filled in."""

from __future__ import annotations

import re
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.coaching.knowledge import Category
from footfall.coaching.routine import shoe_advice
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.shell import shell_word
from footfall.store import Store

T0 = datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)


def _commands(text: str) -> list[str]:
    return re.findall(r"`([^`]*)`", text)


def test_a_stored_run_names_its_runner_in_the_command(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("Ana Lund")
        sid = store.add_session("Ana Lund", planned_run([(600, Gait())], seed=1), T0).id
        [shoes] = [a for a in advice_for_session(store, sid, limit=None).advice if a.category is Category.SHOES]
    print(shoes.message)
    assert f"footfall shoes add {shell_word('Ana Lund')} PAIR" in _commands(shoes.message)
    assert "footfall shoes add" not in _commands(shoes.message)  # the bare command that failed
    assert shoes.citations() == []  # still a note that cites nothing


def test_a_run_in_no_history_says_how_to_store_one() -> None:
    msg = shoe_advice(None).message
    print(msg)
    assert "footfall runner add NAME" in _commands(msg) and "footfall shoes add NAME PAIR" in _commands(msg)
    assert "--runner NAME --shoe PAIR" in _commands(msg)


@pytest.mark.skipif(sys.platform == "win32", reason="the pasted command is split as a POSIX shell splits it")
def test_the_suggested_command_works_when_pasted(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    assert main(["runner", "add", "Ana Lund", "--db", str(db)]) == 0
    msg = shoe_advice(None, runner_name="Ana Lund").message
    [add] = [c for c in _commands(msg) if c.startswith("footfall shoes add")]
    argv = shlex.split(add.replace("PAIR", "Ghost"))[1:] + ["--db", str(db)]
    assert main(argv) == 0
    with Store(db) as store:
        assert store.shoe_named("Ana Lund", "Ghost").name == "Ghost"
