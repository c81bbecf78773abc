"""The XIAO with an LSM6DSOX breakout (hardware/README.md's alternative) has its own board profile,
`xiao_esp32s3_lsm6dsox`: both ST chips answer WHO_AM_I 0x6C, so only the profile says which one is fitted, and
the DSO32 profile read a DSOX's accelerations twice too large (its +-32 g code is the DSOX's +-16 g). The
register-level check is test_imu_drivers.py::test_a_dsox_board_profile_scales_the_dsox_range."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from test_usb_e2e import Host

import frame as F
from footfall.virtual.shoe import ShoeConfig, VirtualShoe

G = 9.80665


@pytest.mark.micropython
def test_the_firmware_on_a_dsox_board_reports_the_dsox_range_and_scale() -> None:
    with VirtualShoe(ShoeConfig(board="xiao_esp32s3_lsm6dsox", side="R", link=1)) as shoe:
        host = Host(shoe.serial_port, shoe)
        status = host.command(F.CMD_STATUS)
        names = ("rate_hz", "acc_range_g", "gyr_range_dps", "acc_mps2_per_count", "imu")
        got = dict(zip(names, (status[3], status[4], status[5], status[6], status[8])))
        print(f"status on xiao_esp32s3_lsm6dsox: {got}")
        assert got["imu"] == 1 and got["acc_range_g"] == 16 and got["rate_hz"] == 416  # LSM6DSOX at its default
        assert got["acc_mps2_per_count"] == pytest.approx(16 * G / 32768)  # 0.488 mg/LSB, as the chip measures
        assert host.command(F.CMD_SET_RANGES, 32, 2000)[-2] == F.RESULT_BAD_VALUE  # no +-32 g on a DSOX
        assert host.command(F.CMD_SET_RANGES, 2, 2000)[-2] == F.RESULT_OK


def test_install_accepts_the_dsox_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import footfall.cli
    from footfall.cli import main

    monkeypatch.setattr(footfall.cli, "COMMANDS", ["firmware"])  # only the command under test's modules
    assert main(["firmware", "install", "--port", "/dev/ttyNONE", "--board", "xiao_esp32s3_lsm6dsox",
                 "--dry-run", "--build-dir", str(tmp_path / "build")]) == 0
    out = capsys.readouterr().out
    assert "board xiao_esp32s3_lsm6dsox:" in out
    assert "xiao_esp32s3_lsm6dsox" in out.split("mpremote connect /dev/ttyNONE exec", 1)[1]  # the prelude sets it


def test_the_dsox_profile_is_the_xiao_wiring_with_another_chip() -> None:
    from boards import BOARDS

    dsox, dso32 = BOARDS["xiao_esp32s3_lsm6dsox"], BOARDS["xiao_esp32s3"]
    assert dsox["imu"] == "lsm6dsox" and dso32["imu"] == "lsm6dso32"
    assert {k: v for k, v in dsox.items() if k != "imu"} == {k: v for k, v in dso32.items() if k != "imu"}
    assert struct.calcsize(F.STATUS_FMT) == F.STATUS_BYTES
