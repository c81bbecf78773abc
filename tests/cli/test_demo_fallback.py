"""`footfall demo` where MicroPython's unix port cannot run (Windows, Intel Macs, Linux ARM; notes qa15 finding 1):
the virtual runner is replayed in process at real time, with the same live view, coaching, recording and summary.

Windows is emulated by taking away the POSIX modules the virtual shoe needs (pty needs termios).
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import pytest

import footfall.virtual
import footfall.virtual.mpy as mpy
from footfall.cli import main
from footfall.recording.file import open_recording

REPLAYED = "the virtual runner is replayed without running the firmware"


@pytest.fixture
def no_pty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows' standard library, as far as the virtual shoe goes: no pty, tty or termios."""
    for name in ("pty", "tty", "termios"):
        monkeypatch.setitem(sys.modules, name, None)


def test_demo_replays_the_virtual_runner_where_the_firmware_cannot_run(
        no_pty: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "demo.ffr"
    start_s = time.monotonic()
    assert main(["demo", "--duration", "8", "--record", str(record), "--stats"]) == 0
    elapsed_s = time.monotonic() - start_s
    out = " ".join(capsys.readouterr().out.split())  # as one line: the console wraps at its width
    assert f"MicroPython's unix port is not available here (Windows: no pty): {REPLAYED}" in out
    assert "link L:" in out and "link R:" in out  # the same summary: both feet, analysed and advised
    assert "After the run" in out and f"recording: {record}" in out
    assert elapsed_s > 7.0  # at real time, as the firmware would stream it
    assert "(this process: decode, record, analyse, view, replay)" in out  # there is no virtual radio
    recording = open_recording(record)
    assert set(recording.sensors) == {"L", "R"}
    assert recording.meta["demo"] is True and recording.meta["firmware"] is False


def test_an_intel_mac_is_told_why_and_what_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mpy, "find_tool", lambda name: None)
    monkeypatch.setattr(mpy.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(mpy.sys, "platform", "darwin")
    assert mpy.unix_port_problem() == ("MicroPython's unix port is not available for darwin x86_64 (only for "
                                       "Linux x86-64 and Apple-Silicon macOS)")
    with pytest.raises(mpy.FootfallError, match="footfall demo` replays the virtual runner"):
        mpy.micropython_path()


def test_virtual_shoe_names_the_fallback_where_the_firmware_cannot_run(
        no_pty: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["virtual-shoe", "--side", "L", "--duration-s", "5"]) == 2
    err = capsys.readouterr().err
    assert "MicroPython's unix port is not available here (Windows: no pty)" in err and "footfall demo" in err
    assert "Traceback" not in err


def test_the_virtual_shoe_module_imports_without_pty(no_pty: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(footfall.virtual, "shoe", importlib.import_module("footfall.virtual.shoe"), raising=False)
    monkeypatch.delitem(sys.modules, "footfall.virtual.shoe")
    assert importlib.import_module("footfall.virtual.shoe").VirtualShoe is not None
