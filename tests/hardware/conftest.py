"""Fixtures for the hardware tests: a pty pair standing in for a board's USB serial port."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from footfall.virtual.mpy import firmware_dir, micropython_path, mpy_env

RAWREPL = Path(__file__).parent / "pty_device" / "rawrepl.py"
NO_PTY = "no pseudo-terminal (pty) to stand in for a serial port on Windows"


@dataclass
class PtyPort:
    """`path` is what the host opens (like /dev/ttyACM0); `master` is the board's side of the cable."""

    path: str
    master: int

    def close_master(self) -> None:
        if self.master >= 0:
            os.close(self.master)
            self.master = -1


@pytest.fixture
def pty_port() -> Iterator[PtyPort]:
    # imported here, not at the top, so that the hardware tests that need no pty still run on Windows
    pty = pytest.importorskip("pty", reason=NO_PTY)
    tty = pytest.importorskip("tty", reason=NO_PTY)
    master, slave = pty.openpty()
    tty.setraw(slave)  # a USB CDC port carries bytes, no line discipline
    port = PtyPort(os.ttyname(slave), master)
    yield port
    os.close(slave)
    port.close_master()


@dataclass
class PtyBoard:
    """The MicroPython unix port speaking the raw REPL on a pty; `root` is its filesystem."""

    port: str
    root: Path
    process: subprocess.Popen[bytes]


def _board(port: PtyPort, root: Path, args: list[str], env: dict[str, str] | None = None) -> Iterator[PtyBoard]:
    proc = subprocess.Popen([micropython_path(), str(RAWREPL), *args], stdin=port.master, stdout=port.master,
                            cwd=root, env=env)
    port.close_master()  # the child holds the board's end now
    yield PtyBoard(port.path, root, proc)
    if proc.poll() is None:
        proc.kill()
    proc.wait(5)


@pytest.fixture
def pty_board(pty_port: PtyPort, tmp_path: Path) -> Iterator[PtyBoard]:
    root = tmp_path / "board_fs"
    root.mkdir()
    yield from _board(pty_port, root, [])


@pytest.fixture
def footfall_board(pty_port: PtyPort, tmp_path: Path) -> Iterator[PtyBoard]:
    """A board with the footfall firmware installed and running (its main.py, on the shim hardware of the
    virtual shoe, without a radio); when main.py returns, the raw REPL as above."""
    from footfall.virtual.shoe import SHIMS_DIR, VIRTUAL_DIR

    root = tmp_path / "board_fs"
    root.mkdir()
    (root / "settings.json").write_text('{"board": "xiao_esp32s3", "side": "L"}')
    os.set_blocking(pty_port.master, False)  # as in the virtual shoe: the firmware backs off on a full port
    env = mpy_env([SHIMS_DIR, VIRTUAL_DIR, firmware_dir()])
    env.pop("FOOTFALL_RADIO", None)
    env["FOOTFALL_INT_PIN"] = "3"
    yield from _board(pty_port, root, [str(firmware_dir() / "main.py")], env)


@pytest.fixture(autouse=True)
def only_the_firmware_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """`footfall.cli.main` as the user runs it, but building only the `firmware` command's parser, so these
    tests do not depend on the other commands' modules being importable at the time."""
    import footfall.cli

    monkeypatch.setattr(footfall.cli, "COMMANDS", ["firmware"])
