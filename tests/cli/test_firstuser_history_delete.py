"""`footfall history delete N` asks first (notes qa16 finding 11: it deleted at once, and a mistyped number lost a
real run with its steps, cues and marks): on a terminal it shows the session and what goes with it and asks; in a
script it refuses without --yes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from footfall.cli import main


class Terminal(io.StringIO):
    """Standard input as a terminal on which the user types `answer`."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db, run = tmp_path / "h.sqlite", tmp_path / "run.ffr"
    assert main(["simulate", "-o", str(run), "--duration", "20"]) == 0
    assert main(["runner", "add", "ana", "--db", str(db)]) == 0
    assert main(["history", "add", str(run), "--runner", "ana", "--db", str(db)]) == 0
    assert main(["history", "mark", "1", "baseline", "0", "10", "--db", str(db)]) == 0
    assert main(["checkin", "--runner", "ana", "--session", "1", "--before", "1", "--after", "2", "--no-red-flags",
                 "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def _sessions(db: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["history", "list", "--db", str(db)]) == 0
    return capsys.readouterr().out


def test_without_a_terminal_it_needs_yes(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "delete", "1", "--db", str(history)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("footfall history delete: error: not deleting session 1 (ana, ") and "add --yes" in err
    assert re.search(r"its \d+ steps, 0 cues and 1 marked segment go with it; its check-in stays in the runner's "
                     r"history, no longer attached to a run", err), err
    assert "run.ffr" in _sessions(history, capsys)  # still there
    assert main(["history", "delete", "1", "--yes", "--db", str(history)]) == 0
    assert ") deleted\n" in capsys.readouterr().out  # (then: compacted, the session gone from the file)
    assert "no sessions" in _sessions(history, capsys)


@pytest.mark.parametrize("answer, deleted", [("y\n", True), ("yes\n", True), ("\n", False), ("n\n", False),
                                             ("", False)])
def test_on_a_terminal_it_asks(history: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                               answer: str, deleted: bool) -> None:
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    assert main(["history", "delete", "1", "--db", str(history)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("deleting session 1 (ana, ") and "there is no undo" in out
    assert out.strip().endswith("no longer in the file" if deleted else "nothing deleted")
    assert ("no sessions" in _sessions(history, capsys)) is deleted


def test_the_help_says_what_is_removed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["history", "delete", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "with its steps, cues and marked segments" in text and "check-ins stay" in text and "--yes" in text
