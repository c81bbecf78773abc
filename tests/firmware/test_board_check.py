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


def test_board_check_without_settings_checks_the_reference_board(tmp_path: Path) -> None:
    out = run_check(tmp_path, "xiao_esp32s3", "lsm6dso32", "0x6A", {})
    print(out)
    assert "board xiao_esp32s3 IMU lsm6dso32" in out and "set 416," in out and "Traceback" not in out
