"""Fixtures for the hardware tests: a pty pair standing in for a board's USB serial port."""

from __future__ import annotations

import os
import pty
import subprocess
import tty
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from footfall.virtual.mpy import micropython_path

RAWREPL = Path(__file__).parent / "pty_device" / "rawrepl.py"


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


@pytest.fixture
def pty_board(pty_port: PtyPort, tmp_path: Path) -> Iterator[PtyBoard]:
    root = tmp_path / "board_fs"
    root.mkdir()
    proc = subprocess.Popen([micropython_path(), str(RAWREPL)], stdin=pty_port.master, stdout=pty_port.master,
                            cwd=root)
    pty_port.close_master()  # the child holds the board's end now
    yield PtyBoard(pty_port.path, root, proc)
    if proc.poll() is None:
        proc.kill()
    proc.wait(5)


@pytest.fixture(autouse=True)
def only_the_firmware_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """`footfall.cli.main` as the user runs it, but building only the `firmware` command's parser, so these
    tests do not depend on the other commands' modules being importable at the time."""
    import footfall.cli

    monkeypatch.setattr(footfall.cli, "COMMANDS", ["firmware"])
