"""firmware/board_check.py on the unix port with the virtual shoe's hardware shims: it checks the board named in
settings.json (as `footfall firmware install --board` leaves it) at its IMU's default rate. It used to take the
XIAO and 416 Hz whatever the board: on an M5StickC Plus2 it probed the XIAO's pins, and 416 Hz is no MPU6886 rate
(ValueError)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from footfall.virtual.mpy import firmware_dir, micropython_path, mpy_env
from footfall.virtual.shoe import SHIMS_DIR, VIRTUAL_DIR

pytestmark = pytest.mark.micropython

# board -> (the chip the virtual board carries, its I2C address, the rate the check must sample at)
BOARDS = {"xiao_esp32s3": ("lsm6dso32", "0x6A", 416), "m5stickc_plus2": ("mpu6886", "0x68", 500),
          "xiao_esp32s3_lsm6dsox": ("lsm6dsox", "0x6A", 416)}


def run_check(tmp_path: Path, board: str, imu: str, addr: str, settings: dict[str, object]) -> str:
    (tmp_path / "settings.json").write_text(json.dumps(settings))
    env = mpy_env([SHIMS_DIR, VIRTUAL_DIR, firmware_dir()])
    env.pop("FOOTFALL_RADIO", None)
    env.update({"FOOTFALL_IMU": imu, "FOOTFALL_IMU_ADDR": addr, "FOOTFALL_VBAT_MV": "3900"})
    proc = subprocess.run([micropython_path(), "-X", "heapsize=8M", str(firmware_dir() / "board_check.py")],
                          cwd=tmp_path, env=env, capture_output=True, timeout=60, check=False)
    return proc.stdout.decode() + proc.stderr.decode()


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_board_check_checks_the_stored_board_at_its_imus_default_rate(tmp_path: Path, board: str) -> None:
    imu, addr, rate_hz = BOARDS[board]
    out = run_check(tmp_path, board, imu, addr, {"board": board, "side": "L", "rate_hz": 833})
    print(out)
    assert "Traceback" not in out
    assert f"board {board} IMU {imu}" in out
    assert f"I2C scan: ['{addr.lower()}']" in out
    m = re.search(r"rate ([\d.]+) Hz over 2 s \(set (\d+),", out)
    assert m, out
    achieved, set_hz = float(m.group(1)), int(m.group(2))
    assert set_hz == rate_hz  # the chip's default, not the session's stored rate (a check of the board)
    assert 0.75 * rate_hz < achieved < 1.05 * rate_hz  # loose: a loaded machine runs the unix port late
    assert re.search(r"overruns 0\b", out) and "battery 3900 mV" in out
    gc_line = r"garbage collection [\d.]+ ms with a ring of \d+ frames \(room: 97 ms at 500 Hz, 48 ms at 1000 Hz\)"
    assert bool(re.search(gc_line, out)) == (board == "m5stickc_plus2")  # only where a timer drains the FIFO


def test_board_check_without_settings_checks_the_reference_board(tmp_path: Path) -> None:
    out = run_check(tmp_path, "xiao_esp32s3", "lsm6dso32", "0x6A", {})
    print(out)
    assert "board xiao_esp32s3 IMU lsm6dso32" in out and "set 416," in out and "Traceback" not in out


def run_check_env(tmp_path: Path, board: str, extra: dict[str, str]) -> str:
    (tmp_path / "settings.json").write_text(json.dumps({"board": board}))
    env = mpy_env([SHIMS_DIR, VIRTUAL_DIR, firmware_dir()])
    env.pop("FOOTFALL_RADIO", None)
    env.update({"FOOTFALL_VBAT_MV": "3900", **extra})
    proc = subprocess.run([micropython_path(), "-X", "heapsize=8M", str(firmware_dir() / "board_check.py")],
                          cwd=tmp_path, env=env, capture_output=True, timeout=60, check=False)
    return proc.stdout.decode() + proc.stderr.decode()


@pytest.mark.parametrize("board,imu,alt", [("xiao_esp32s3", "lsm6dso32", "0x6B"), ("m5stickc_plus2", "mpu6886", "0x69")])
def test_board_check_finds_a_chip_at_the_alternate_address_and_says_so(tmp_path: Path, board: str, imu: str,
                                                                       alt: str) -> None:
    out = run_check_env(tmp_path, board, {"FOOTFALL_IMU": imu, "FOOTFALL_IMU_ADDR": alt})
    print(out)
    assert f"answers at {alt} (not at 0x6" in out and "pin is high" in out
    assert "Traceback" not in out and re.search(r"overruns 0\b", out)


def test_board_check_names_a_wrong_chip_instead_of_a_traceback(tmp_path: Path) -> None:
    out = run_check_env(tmp_path, "xiao_esp32s3", {"FOOTFALL_IMU": "lsm6dso32", "FOOTFALL_IMU_WHO_AM_I": "0x69"})
    print(out)
    assert "a chip answers at 0x6A but says WHO_AM_I 0x69: not an LSM6DSO32" in out
    assert "Traceback" not in out and "rate " not in out


def test_board_check_clears_the_escapes_flag_so_the_next_reset_starts_footfall(tmp_path: Path) -> None:
    """`footfall firmware repl` leaves a flag that keeps the REPL through one reset; the guide's bench check ends
    with `mpremote reset`, which must start footfall again."""
    (tmp_path / "repl_once").write_text("1")
    out = run_check_env(tmp_path, "xiao_esp32s3", {"FOOTFALL_IMU": "lsm6dso32"})
    assert "rate " in out and not (tmp_path / "repl_once").exists()


def test_board_check_without_a_chip_names_both_addresses(tmp_path: Path) -> None:
    out = run_check_env(tmp_path, "xiao_esp32s3", {"FOOTFALL_IMU": "none"})
    print(out)
    assert "no LSM6DSO32 answers at 0x6A or 0x6B (errno 19)" in out and "Traceback" not in out
