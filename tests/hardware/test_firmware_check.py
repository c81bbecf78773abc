"""`footfall firmware check` against a pty: the test plays the sensor, answering the status command.

The sensor side frames with its own COBS + CRC-16/CCITT-FALSE written from docs/protocol.md, so the CLI
(footfall.protocol.framing) is checked against the spec rather than against itself.
"""

from __future__ import annotations

import asyncio
import os
import struct
import threading
import time

import pytest

from footfall import protocol
from footfall.cli import main


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def cobs(data: bytes) -> bytes:
    out, block = bytearray(), bytearray()
    for byte in data:
        if byte == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
        else:
            block.append(byte)
            if len(block) == 254:
                out += b"\xff" + block
                block = bytearray()
    return bytes(out + bytes([len(block) + 1]) + block)


def uncobs(data: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(data):
        code = data[i]
        out += data[i + 1:i + code]
        i += code
        if code < 0xFF and i < len(data):
            out.append(0)
    return bytes(out)


def packet(frame: bytes) -> bytes:
    return cobs(frame + struct.pack("<H", crc16_ccitt_false(frame))) + b"\x00"


def status_frame(seq: int, cmd_id: int) -> bytes:
    """A 45-byte status frame laid out field by field from the table in docs/protocol.md."""
    return struct.pack("<BBHHBHffBc3BBHIIBHHBBBI", 1, 0x02, seq, 833, 32, 2000, 0.009576807, 0.001221730,
                       2, b"L", 0, 2, 0, 87, 3980, 123456, 98765, 0x01 | 0x08, 2, 0, 5, cmd_id, 0, 845876)


class FakeSensor(threading.Thread):
    """Reads packets from the board's end of the pty; answers a status command like the firmware does."""

    def __init__(self, fd: int, noise: bytes = b"") -> None:
        super().__init__(daemon=True)
        self.fd, self.noise, self.commands = fd, noise, []
        self.answer_with: int | None = None

    def run(self) -> None:
        os.write(self.fd, self.noise)  # REPL chatter and a corrupt packet before the answer
        buf = b""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and b"\x00" not in buf:
            buf += os.read(self.fd, 256)
        raw = uncobs(buf.split(b"\x00")[0])
        body, crc = raw[:-2], struct.unpack("<H", raw[-2:])[0]
        assert crc16_ccitt_false(body) == crc
        self.commands.append(body)
        os.write(self.fd, packet(status_frame(seq=41, cmd_id=body[1])))


def test_check_prints_the_status_frame_that_answers(pty_port, capsys: pytest.CaptureFixture[str]) -> None:
    noise = b"MicroPython v1.24 on ESP32S3\r\n>>> " + b"\x05\x01\x02\x03\x00"
    sensor = FakeSensor(pty_port.master, noise)
    sensor.start()
    assert main(["firmware", "check", "--port", pty_port.path, "--timeout-s", "5"]) == 0
    sensor.join(5)
    assert len(sensor.commands) == 1 and sensor.commands[0][0] == protocol.CMD_STATUS
    out = capsys.readouterr().out
    print(out)
    for expected in ("LSM6DSO32", "side         L", "0.2.0", "845.876 Hz (set to 833 Hz)", "+-32 g, +-2000 dps", "87 % (3980 mV)",
                     "streaming, calibrated", "fifo overruns 2", f"last command id {sensor.commands[0][1]}"):
        assert expected in out


def test_check_gives_up_with_one_clear_line(pty_port, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    assert main(["firmware", "check", "--port", pty_port.path, "--timeout-s", "0.5"]) == 2
    assert time.monotonic() - started < 3
    err = capsys.readouterr().err
    assert "no status frame from" in err and "firmware install" in err


def test_check_on_a_missing_port_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "check", "--port", "/dev/footfall-no-such-port", "--timeout-s", "0.2"]) == 2
    assert "cannot open /dev/footfall-no-such-port" in capsys.readouterr().err


@pytest.mark.micropython
@pytest.mark.parametrize("board", ["xiao_esp32s3", "m5stickc_plus2"])
def test_check_against_the_real_firmware_on_the_virtual_shoe(board: str, capsys: pytest.CaptureFixture[str]) -> None:
    from footfall.virtual.shoe import ShoeConfig, VirtualShoe

    with VirtualShoe(ShoeConfig(board=board, side="R", link=1)) as shoe:
        code = main(["firmware", "check", "--port", shoe.serial_port, "--timeout-s", "10"])
        out, err = capsys.readouterr()
        assert code == 0, err + shoe.stderr()
    print(out)
    assert f"last command id {0xC5} -> result 0" in out  # the answer to our command, not a periodic frame
    imu = {"xiao_esp32s3": "LSM6DSO32", "m5stickc_plus2": "MPU6886"}[board]
    assert f"imu          {imu}" in out and "side         R" in out


@pytest.mark.micropython
def test_check_a_board_with_a_radio_whose_data_goes_over_ble(capsys: pytest.CaptureFixture[str]) -> None:
    """Every real board has a radio, so its data goes over BLE. The check is answered over USB all the same
    (a command is answered on the link it came in on), and it leaves the sensor as it was."""
    from footfall.virtual.radio import VirtualRadio
    from footfall.virtual.shoe import ShoeConfig, VirtualShoe

    async def check() -> tuple[int, str]:
        async with VirtualRadio() as radio:
            with VirtualShoe(ShoeConfig(side="L"), radio_env=radio.env) as shoe:
                code = await asyncio.to_thread(main, ["firmware", "check", "--port", shoe.serial_port])
                return code, shoe.stderr() + (shoe.workdir / "settings.json").read_text()

    code, after = asyncio.run(asyncio.wait_for(check(), 60))
    out, err = capsys.readouterr()
    print(out)
    assert code == 0, err + after
    assert f"last command id {0xC5} -> result 0" in out and "imu          LSM6DSO32" in out
    assert "data link    BLE" in out and "state        stopped" in out
    assert '"link"' not in after  # nothing selected, nothing saved


@pytest.mark.micropython
def test_check_a_board_whose_imu_does_not_answer_at_power_up(capsys: pytest.CaptureFixture[str]) -> None:
    """A loose IMU wire at power-up: the firmware comes up all the same and the check says what is wrong."""
    from footfall.virtual.shoe import ShoeConfig, VirtualShoe

    with VirtualShoe(ShoeConfig(side="R", link=1, imu="none")) as shoe:
        code = main(["firmware", "check", "--port", shoe.serial_port, "--timeout-s", "10"])
        out, err = capsys.readouterr()
        assert code == 0, err + shoe.stderr()
    print(out)
    assert "the IMU is not answering on I2C" in out and "side         R" in out


def test_imu_code_0_says_it_may_be_a_dead_chip() -> None:
    """A board whose IMU stopped answering reports `imu` 0, the virtual shoe's code: the check said "virtual"."""
    from footfall.cli.firmware import _imu_text

    assert "not answering" in _imu_text(0) and _imu_text(2) == "LSM6DSO32" and _imu_text(9) == "code 9"


@pytest.mark.parametrize("argv", [["firmware", "check", "--port", "/dev/x", "--timeout-s", "-1"],
                                  ["firmware", "repl", "--port", "/dev/x", "--timeout-s", "nan"]])
def test_timeouts_must_be_times_above_zero(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """They waited "within -1 s" and "nan s" before."""
    with pytest.raises(SystemExit):
        main(argv)
    assert "is not a time above 0 s" in capsys.readouterr().err
