"""Words of the commands footfall suggests ("change it with `footfall runner set 'Anna Maria' ...`"), quoted so that
the command works when pasted into this computer's shell.

A POSIX shell gets shlex.quote: single quotes around a word that needs them. On Windows single quotes are no
quotes to cmd.exe (it passes them on), so a word is quoted as the C runtime reads a command line
(subprocess.list2cmdline: double quotes around a word with a space, a `"` inside escaped), and a word holding one of
cmd.exe's own characters (& | < > ^ ...) is put in double quotes too, where cmd.exe leaves them alone.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Iterable

_CMD_SPECIAL = frozenset("&|<>^()%!,;=`'$@{}")  # cmd.exe (and PowerShell) read these outside double quotes


def shell_word(text: str) -> str:
    """`text` as one word of a command pasted into this computer's shell."""
    if sys.platform != "win32":
        return shlex.quote(text)
    word = subprocess.list2cmdline([text])
    if word.startswith('"') or not _CMD_SPECIAL & set(text):
        return word
    return f'"{word}"'


def shell_join(words: Iterable[str]) -> str:
    """A whole command, each word as `shell_word` quotes it."""
    return " ".join(shell_word(word) for word in words)
