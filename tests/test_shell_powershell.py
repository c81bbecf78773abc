"""A suggested command pasted into PowerShell (qa18b B7): PowerShell expands `$name` and backtick escapes inside
double quotes, so a word holding `$` or a backtick gets PowerShell's single quotes, and every other word's double
quotes read the same in PowerShell as in cmd.exe."""

from __future__ import annotations

import re

import pytest

from footfall import shell
from footfall.coaching.reminder import answer_command

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_VARIABLE = re.compile(r"\$(\{[^}]*\}|\([^)]*\)|[A-Za-z0-9_?^$:]+)")  # $name, ${name}, $(expr): all unset here


def _double_quoted(body: str) -> str:
    """What PowerShell makes of the inside of "..." (or of a bare word): variables expanded (to nothing: none is
    set), backtick escapes read, "" as one quote."""
    body = _VARIABLE.sub("", body.replace('""', '"'))
    return re.sub(r"`(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def _powershell_reads(word: str) -> str:
    """The one argument PowerShell passes to footfall for `word` as typed (the forms shell_word writes)."""
    if word.startswith("'") and word.endswith("'") and len(word) > 1:
        return word[1:-1].replace("''", "'")  # verbatim
    if word.startswith('"') and word.endswith('"') and len(word) > 1:
        return _double_quoted(word[1:-1])
    return _double_quoted(word)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shell.sys, "platform", "win32")


def test_the_model_sees_what_the_review_saw() -> None:
    assert _powershell_reads('"Ana$1"') == "Ana"  # the old quoting: another runner's name
    assert _powershell_reads('"a`tb"') == "a\tb"


DOLLARS = ["Ana$1", "Anna $x Maria", "it's $5", "cost `n", r"\\nas\c$\runs\a b.ffr", "$(rm x)", "Tom&$y"]


@pytest.mark.parametrize("word", DOLLARS)
def test_a_word_with_a_dollar_or_backtick_reaches_footfall_whole_from_powershell(windows: None, word: str) -> None:
    quoted = shell.shell_word(word)
    assert quoted.startswith("'") and quoted.endswith("'")
    assert _powershell_reads(quoted) == word


@pytest.mark.parametrize("word", DOLLARS)
def test_in_cmd_such_a_word_keeps_its_quotes_and_so_names_nothing_else(windows: None, word: str) -> None:
    """cmd.exe passes single quotes on: footfall gets `'Ana$1'`, a name no runner has, not `Ana`."""
    quoted = shell.shell_word(word)
    assert quoted != word and quoted.replace("''", "'")[1:-1] == word


@pytest.mark.parametrize("word", ["ana", "Anna Maria", r"C:\Users\Anna Maria\läuf 1.ffr", "Tom&Jerry", "O'Brien",
                                  "50%", "", "{x}", "@home"])
def test_other_words_read_the_same_in_powershell(windows: None, word: str) -> None:
    assert _powershell_reads(shell.shell_word(word)) == word


def test_the_examined_answer_is_pasteable_in_powershell(windows: None) -> None:
    assert answer_command("Ana$1") == "footfall checkin --runner 'Ana$1' --examined"


def test_posix_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shell.sys, "platform", "linux")
    assert shell.shell_word("Ana$1") == "'Ana$1'" and shell.shell_word("it's") == "'it'\"'\"'s'"
