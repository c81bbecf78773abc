"""Words of the commands footfall suggests ("change it with `footfall runner set 'Anna Maria' ...`"), quoted so that
the command works when pasted into this computer's shell.

A POSIX shell gets shlex.quote: single quotes around a word that needs them. On Windows footfall cannot know which
shell the command is pasted into, cmd.exe or PowerShell (the README's shell), so a word is quoted to read the same
in both where that can be done: as the C runtime reads a command line (subprocess.list2cmdline: double quotes
around a word with a space, a `"` inside escaped), and in double quotes too when it holds a character that either
shell reads outside them (& | < > ^ ( ) % ! , ; = for cmd.exe; ' @ { } for PowerShell).

`$` and the backtick cannot be quoted for both. PowerShell expands `$name` and backtick escapes inside double quotes
as well (about_Quoting_Rules: only a single-quoted string is verbatim), so `"Ana$1"` reaches footfall as `Ana`, and
cmd.exe has no single quotes (it passes them on as part of the word). Such a word gets PowerShell's single quotes
(`'Ana$1'`, a `'` inside doubled): pasted into PowerShell it arrives whole, and pasted into cmd.exe footfall gets
the quotes too and says no runner or file has that name, where double quotes in PowerShell would silently name
another one (`Ana`). cmd.exe also expands `%NAME%` inside double quotes; a lone `%` ("50%") is kept.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Iterable

_SPECIAL_UNQUOTED = frozenset("&|<>^()%!,;='@{}")  # cmd.exe's or PowerShell's outside double quotes, not inside
_POWERSHELL_EXPANDS = frozenset("$`")  # inside double quotes too: `$name`, `$(...)`, backtick escapes


def shell_word(text: str) -> str:
    """`text` as one word of a command pasted into this computer's shell."""
    if sys.platform != "win32":
        return shlex.quote(text)
    if _POWERSHELL_EXPANDS & set(text):
        return "'" + text.replace("'", "''") + "'"  # PowerShell's verbatim string (see the module docstring)
    word = subprocess.list2cmdline([text])
    if word.startswith('"') or not _SPECIAL_UNQUOTED & set(text):
        return word
    return f'"{word}"'


def shell_join(words: Iterable[str]) -> str:
    """A whole command, each word as `shell_word` quotes it."""
    return " ".join(shell_word(word) for word in words)
