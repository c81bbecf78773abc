"""Suggested commands work when pasted (qa18 finding 12): a POSIX shell gets shlex quoting, Windows (cmd.exe and
PowerShell) double quotes, since cmd.exe passes single quotes on as part of the word."""

from __future__ import annotations

import shlex
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall import shell
from footfall.cli.history import _recover_hint
from footfall.csvfile.columns import step_file_hint
from footfall.coaching.reminder import answer_command
from footfall.store.rows import Session


@pytest.fixture(params=["linux", "darwin", "win32"])
def platform(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(shell.sys, "platform", request.param)
    return str(request.param)


def _split(command: str, platform: str) -> list[str]:
    """The words a pasted command gives the program: as the C runtime splits them on Windows."""
    if platform != "win32":
        return shlex.split(command)
    return _windows_split(command)


def _windows_split(command: str) -> list[str]:
    """The C runtime's argv rules for what list2cmdline writes: "..." groups, \\" is a quote."""
    words, word, quoted, i, any_ = [], "", False, 0, False
    while i < len(command):
        c = command[i]
        if c == "\\" and command[i + 1:i + 2] == '"':
            word, i, any_ = word + '"', i + 2, True
            continue
        if c == '"':
            quoted, any_ = not quoted, True
        elif c in " \t" and not quoted:
            if any_:
                words.append(word)
            word, any_ = "", False
        else:
            word, any_ = word + c, True
        i += 1
    return [*words, word] if any_ else words


WORDS = ["ana", "Anna Maria", r"C:\Users\Anna Maria\runs\läuf 1.ffr", "/home/ana/My Runs/run.ffr", "Tom&Jerry",
         "O'Brien", "", "50%"]


@pytest.mark.parametrize("word", WORDS)
def test_every_word_comes_back_whole(platform: str, word: str) -> None:
    assert _split(f"footfall runner set {shell.shell_word(word)} x", platform) == ["footfall", "runner", "set", word,
                                                                                   "x"]


def test_windows_uses_double_quotes_and_posix_single(platform: str) -> None:
    quoted = shell.shell_word("Anna Maria")
    assert quoted == ('"Anna Maria"' if platform == "win32" else "'Anna Maria'")
    plain = shell.shell_word(r"C:\runs\a.ffr")
    assert plain == (r"C:\runs\a.ffr" if platform == "win32" else r"'C:\runs\a.ffr'")  # shlex: \ and : unsafe
    assert shell.shell_word("Tom&Jerry") == ('"Tom&Jerry"' if platform == "win32" else "'Tom&Jerry'")
    assert shell.shell_join(["a b", "c"]) == f"{quoted.replace('Anna Maria', 'a b')} c"


def test_windows_quoting_is_what_subprocess_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shell.sys, "platform", "win32")
    for word in ("a b", 'say "hi"', "tab\there", r"ends\ "):
        assert shell.shell_word(word) == subprocess.list2cmdline([word])


def test_the_hints_quote_their_words(platform: str) -> None:
    q = shell.shell_word
    path = r"C:\Users\Anna Maria\run.ffr" if platform == "win32" else "/home/ana/My Runs/run.ffr"
    assert f"`footfall history add {q(path)} --runner NAME`" in step_file_hint(Path(path))
    assert answer_command("Anna Maria") == f"footfall checkin --runner {q('Anna Maria')} --examined"
    session = Session(id=7, runner_id=1, shoe_id=None, start_utc=datetime(2026, 11, 21, tzinfo=timezone.utc),
                      duration_s=0.0, distance_m=0.0, source=f"live: {path}", summary={}, finished=False)
    hint = _recover_hint(session, "Anna Maria")
    assert f"`footfall history add {q(path)} --runner {q('Anna Maria')}` completes it" in hint
