"""The USB escape survives a reset (QA17 #2): closing the serial port resets some ESP32 boards, which started
the firmware again and shut mpremote out ("could not enter raw repl") at every retry. The escape writes a flag
file that main.py deletes first thing at boot, staying at the REPL that once. A board here is the MicroPython
unix port running firmware/main.py on a pty (tests/hardware/pty_device/rawrepl.py); a reset is a new process on
the same filesystem."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from footfall import flash
from footfall.cli import main
from footfall.protocol.frames import CMD_STATUS, encode_command
from footfall.protocol.framing import PacketReader, frame_packet
from footfall.virtual.mpy import firmware_dir, micropython_path, mpy_env

pytestmark = pytest.mark.micropython
pty = pytest.importorskip("pty", reason="no pseudo-terminal (pty) to stand in for a board on Windows")
tty = pytest.importorskip("tty", reason="no pseudo-terminal (pty) to stand in for a board on Windows")
RAWREPL = Path(__file__).parent / "pty_device" / "rawrepl.py"
FLAG = "repl_once"


class Board:
    """A board whose power-up (boot()) runs firmware/main.py, as a reset does, on the filesystem `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = ""
        self._slave = -1

    def boot(self) -> None:
        from footfall.virtual.shoe import SHIMS_DIR, VIRTUAL_DIR

        self.off()
        master, self._slave = pty.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        os.set_blocking(master, False)
        env = mpy_env([SHIMS_DIR, VIRTUAL_DIR, firmware_dir()])
        env.pop("FOOTFALL_RADIO", None)
        env["FOOTFALL_INT_PIN"] = "3"
        self.proc = subprocess.Popen([micropython_path(), str(RAWREPL), str(firmware_dir() / "main.py")],
                                     stdin=master, stdout=master, cwd=self.root, env=env)
        os.close(master)

    def off(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(5)
            os.close(self._slave)
            self.proc = None

    def runs_footfall(self, timeout_s: float = 10.0) -> bool:
        """True when the footfall firmware answers a status command within timeout_s."""
        with serial.Serial(self.port, timeout=0.2) as link:
            link.write(frame_packet(encode_command(CMD_STATUS, 7)))
            reader, deadline = PacketReader(), time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                if any(len(f) > 39 and f[39] == 7 for f in reader.feed(link.read(256))):
                    return True
        return False

    def at_repl(self) -> bool:
        proc = subprocess.run([flash.tool_path("mpremote"), "connect", self.port, "exec", "print(6 * 7)"],
                              capture_output=True, timeout=60)
        return proc.returncode == 0 and proc.stdout.strip() == b"42"


@pytest.fixture
def board(tmp_path: Path) -> Iterator[Board]:
    root = tmp_path / "board_fs"
    root.mkdir()
    (root / "settings.json").write_text('{"board": "xiao_esp32s3", "side": "L"}')
    b = Board(root)
    b.boot()
    yield b
    b.off()


def test_the_escape_keeps_the_repl_through_one_reset_and_the_next_starts_footfall(
        board: Board, capsys: pytest.CaptureFixture[str]) -> None:
    assert board.runs_footfall()
    assert main(["firmware", "repl", "--port", board.port]) == 0
    assert "stays there through one reset" in capsys.readouterr().out
    assert (board.root / FLAG).exists()
    board.boot()  # the port closed and the board reset before mpremote came
    assert board.at_repl(), "the reset started the firmware again: mpremote is shut out"
    assert not (board.root / FLAG).exists()  # one-shot: deleted first thing at that boot
    board.boot()  # the next reset
    assert board.runs_footfall()


def test_without_the_flag_a_reset_starts_footfall_as_before(board: Board) -> None:
    board.boot()
    assert board.runs_footfall() and not (board.root / FLAG).exists()


def test_an_install_after_the_escape_deletes_the_flag_so_the_new_firmware_starts(
        board: Board, capsys: pytest.CaptureFixture[str]) -> None:
    """No reset on closing the port (Linux, most USB bridges): the flag is still there when the install's own
    reset comes; it must not keep the freshly installed firmware at the REPL."""
    fw = firmware_dir()
    assert main(["firmware", "install", "--port", board.port, "--firmware-dir", str(fw), "--side", "L"]) == 0
    assert "stopped the footfall firmware" in capsys.readouterr().out
    assert not (board.root / FLAG).exists()
