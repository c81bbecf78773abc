"""The end of a live session as a first-time user read it (notes qa16 findings 3 and 14): no empty "sources:"
lines, and a session cut short by Ctrl-C says so, with the time it ran and the time it was set for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.report.console import clock_text, stopped_early


@pytest.fixture(scope="module")
def run_ffr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("run") / "run.ffr"
    assert main(["simulate", "-o", str(path), "--duration", "40"]) == 0
    return path


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_an_entry_that_cites_nothing_has_no_sources_line(run_ffr: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The shoe entry printed "   sources: " with nothing after it."""
    assert main(["live", f"replay:{run_ffr}", "--speed", "0", "--duration", "12"]) == 0
    out = capsys.readouterr().out
    assert "Shoes: No shoe recorded" in out  # the entry that cites nothing is there ...
    assert not [line for line in _lines(out) if line.strip() == "sources:"]  # ... without an empty source line
    assert "sources: " in out  # the others still cite theirs
    assert "stopped early" not in out  # it ran its 12 s


@pytest.mark.skipif(os.name == "nt", reason="Windows sends no SIGINT to a child (Ctrl-C goes to a whole console)")
def test_ctrl_c_says_the_session_was_stopped_early(run_ffr: Path) -> None:
    """The summary of a demo stopped after 12 of 40 s never said it was cut short."""
    proc = subprocess.Popen([sys.executable, "-m", "footfall", "live", f"replay:{run_ffr}", "--duration", "30"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while " steps/min · " not in proc.stdout.readline():  # the first status line: the session runs
        assert time.monotonic() < deadline and proc.poll() is None
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "stopped early (Ctrl-C) at 0:0" in out and " of 0:30\n" in out
    assert out.index("stopped early") < out.index("link L:")  # before the link summary


@pytest.mark.parametrize("stopped_by, elapsed_s, planned_s, said", [
    ("Ctrl-C", 12.4, 40.0, "stopped early (Ctrl-C) at 0:12 of 0:40"),
    ("SIGTERM", 725.0, 3725.0, "stopped early (SIGTERM) at 12:05 of 1:02:05"),
    (None, 12.0, 40.0, None),  # every source gone: the link reports say why
    ("Ctrl-C", 39.8, 40.0, None),  # at the very end: not cut short
    ("Ctrl-C", 12.0, None, None),  # `live` with no --duration ends with Ctrl-C as planned
])
def test_stopped_early_text(stopped_by: str | None, elapsed_s: float, planned_s: float | None,
                            said: str | None) -> None:
    assert stopped_early(stopped_by, elapsed_s, planned_s) == said


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 12.9, 605, 3723)] == ["0:00", "0:12", "10:05", "1:02:03"]
