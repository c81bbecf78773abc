"""A non-ASCII name or path under a locale that is not UTF-8 (qa18 finding 5).

With LC_ALL=C and UTF-8 mode off, Python keeps the bytes of such an argument as lone surrogates, which SQLite
cannot store: the command says what to set, in one line, instead of ending in a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from footfall.cli import main

pytestmark = pytest.mark.skipif(os.name == "nt", reason="Windows passes arguments as Unicode: nothing to decode")


def _footfall(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(HOME=str(home), LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "footfall", *argv], env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=120, cwd=home)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    assert _footfall(tmp_path, "runner", "add", "ana").returncode == 0
    return tmp_path


def _one_clear_line(proc: subprocess.CompletedProcess[str], command: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"footfall {command}: error:")
    assert "LANG=C.UTF-8" in lines[0] and "PYTHONUTF8=1" in lines[0]


def test_a_non_ascii_runner_name_says_what_to_set(home: Path) -> None:
    _one_clear_line(_footfall(home, "progress", "--runner", "Łukasz"), "progress")


def test_a_non_ascii_file_name_says_what_to_set_and_stores_nothing(home: Path) -> None:
    recording = home / "läuf é.ffr"
    assert main(["simulate", "-o", str(recording), "--duration", "20"]) == 0  # here the locale is UTF-8
    proc = _footfall(home, "history", "add", str(recording), "--runner", "ana", "--start",
                     "2026-11-21T07:00:00Z")
    _one_clear_line(proc, "history add")
    assert "no sessions" in _footfall(home, "history", "list").stdout
