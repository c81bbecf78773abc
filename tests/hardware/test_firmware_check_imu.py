"""`footfall firmware check` on a board whose IMU is the wrong chip, or missing: the firmware's own words (event 7,
repeated before the answer to `status`) reach the check, which says which of the two it is (QA17 #3)."""

from __future__ import annotations

import pytest

from footfall.cli import main
from footfall.cli.firmware import imu_error_text


@pytest.mark.micropython
def test_check_names_a_wrong_chip_on_a_running_board(capsys: pytest.CaptureFixture[str]) -> None:
    """The event that began the fault went out long before the check listened: it hears the repeat. (With the
    data on BLE the repeat comes straight back on USB: tests/firmware/test_imu_discovery.py.)"""
    from footfall.virtual.shoe import ShoeConfig, VirtualShoe

    # an LSM6DS3 breakout (WHO_AM_I 0x69) where the profile wants an LSM6DSO32, at the profile's address
    with VirtualShoe(ShoeConfig(side="R", link=1), radio_env={"FOOTFALL_IMU_WHO_AM_I": "0x69"}) as shoe:
        code = main(["firmware", "check", "--port", shoe.serial_port, "--timeout-s", "10"])
        out, err = capsys.readouterr()
        assert code == 0, err + shoe.stderr()
    print(out)
    assert "imu          a chip answers at 0x6A but says WHO_AM_I 0x69: not an LSM6DSO32" in out
    assert "(0x69 is what an LSM6DS3 or LSM6DS33 says)" in out and "wiring" not in out


@pytest.mark.micropython
def test_check_of_a_board_without_a_chip_says_no_ack(capsys: pytest.CaptureFixture[str]) -> None:
    from footfall.virtual.shoe import ShoeConfig, VirtualShoe

    with VirtualShoe(ShoeConfig(side="R", link=1, imu="none")) as shoe:
        assert main(["firmware", "check", "--port", shoe.serial_port, "--timeout-s", "10"]) == 0
    out = capsys.readouterr().out
    assert "the IMU is not answering on I2C (errno 19 ENODEV, no ACK): check the wiring" in out


@pytest.mark.parametrize("value,words", [
    (0x03_68_68_06, "a chip answers at 0x68 but says WHO_AM_I 0x68: not an MPU6886 (0x68 is what an MPU-6050 says)"),
    (0x01_6B_6A_06, "a chip answers at 0x6B but says WHO_AM_I 0x6A: not an LSM6DSOX (0x6A is what an LSM6DS3TR-C"),
    (0x02_6A_42_06, "says WHO_AM_I 0x42: not an LSM6DSO32; check the chip on the breakout, or the --board"),
    (116, "not answering on I2C (errno 116 ETIMEDOUT)"),
    (5, "not answering on I2C (errno 5 EIO)"),
])
def test_event_7_values_in_words(value: int, words: str) -> None:
    assert words in imu_error_text(value)
