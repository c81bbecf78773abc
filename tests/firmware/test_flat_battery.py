"""A flat cell switches the sensor off (0.7.3): 0.7.2 had no cut-off, so a XIAO below its regulator's ~3.3 V
browned out and booted again and again with its radio on until the cell's own protection cut it. Below
power.CUTOFF_MV three measurements in a row (30 s: not a dip under a radio burst), or once when its timer wakes it, the board stops
the IMU, sends a status frame and switches off: the XIAO deep-sleeps woken by its timer alone (hourly: a cell on
charge reads above the cut-off), the M5StickC Plus2 releases its hold pin. main.py under the MicroPython unix
port with the virtual board's shims (test_power_off.run_board)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_power_off import line, run_board

from power import Battery

pytestmark = pytest.mark.micropython

_XIAO = {"FOOTFALL_IMU": "lsm6dso32", "FOOTFALL_IMU_ADDR": "0x6A", "FOOTFALL_INT_PIN": "3"}

BOOT_SCRIPT = """
import asyncio, main
try:
    asyncio.run(main.main())
except SystemExit:
    print("OFF")
"""

# boots on a good cell and streams; then each measurement (16 ADC reads) reads the next voltage: one dip, a
# recovery, then three in a row below the cut-off
RUN_SCRIPT = """
import asyncio, main, power

device, ble, usb = main.build()
device.start()
class Adc:
    reads = 0
    def read_uv(self):
        self.reads += 1
        volts = (3280, 3600, 3290, 3280, 3270, 3260, 3250)
        return volts[min((self.reads - 1) // 16, len(volts) - 1)] * 500
adc = device.battery._adc = Adc()
flat_off = power.flat_off_for(main.board_of(device.settings.board))

async def run():
    asyncio.create_task(power.watch(device, device.battery, lambda: False, period_ms=10, flat_off=flat_off))
    await asyncio.sleep_ms(2000)

try:
    asyncio.run(run())
except SystemExit:
    print("OFF", adc.reads // 16, device.streaming, device.sampler.running, device.ring.head > 0)
"""


def test_a_flat_cell_woken_by_its_timer_sleeps_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, log = run_board(BOOT_SCRIPT, tmp_path, monkeypatch, "xiao_esp32s3", FOOTFALL_VBAT_MV="3250",
                         FOOTFALL_RESET_CAUSE="4", **_XIAO)  # DEEPSLEEP_RESET: the hourly look
    assert "OFF" in out.splitlines() and log == ["deepsleep 3600000"]  # no ext0: a move does not wake it


POWER_ON_SCRIPT = """
import asyncio, main

radio = []
add_radio = main.add_radio
main.add_radio = lambda *args: radio.append(1) or add_radio(*args)

async def run():
    try:
        await asyncio.wait_for(main.main(), 1)
    except asyncio.TimeoutError:
        print("RUNNING", len(radio))

try:
    asyncio.run(run())
except SystemExit:
    print("OFF")
"""


def test_a_flat_reading_at_power_on_leaves_the_board_reachable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """qa19 review: one low reading at a power-on (a XIAO on USB with its switch off: the BAT pad may read low)
    put it to sleep for an hour before `footfall firmware install` could reach it. Now two more readings 10 s apart
    decide, with USB listening and the radio still off (a brownout's reboot loop needs its current)."""
    out, log = run_board(POWER_ON_SCRIPT, tmp_path, monkeypatch, "xiao_esp32s3", FOOTFALL_VBAT_MV="3250", **_XIAO)
    assert out.endswith("RUNNING 0\n") and log == []  # listening on USB, the radio not yet up


WINDOW_SCRIPT = POWER_ON_SCRIPT.replace("import asyncio, main", "import asyncio, main\nmain._FLAT_WINDOW_MS = 20")


@pytest.mark.parametrize("later_mv, off", [("3250", True), ("3600", False)])
def test_after_a_flat_reading_at_power_on_two_more_decide(later_mv: str, off: bool, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Flat three times: off (a brownout's reboot does not loop with the radio on); a cell that reads well again
    (on charge): the radio comes up and the sensor runs."""
    out, log = run_board(WINDOW_SCRIPT, tmp_path, monkeypatch, "xiao_esp32s3", FOOTFALL_VBAT_MV="3250",
                         FOOTFALL_VBAT_MV_LATER=later_mv, **_XIAO)
    assert (log == ["deepsleep 3600000"]) is off and ("OFF" in out.splitlines()) is off
    assert off or out.endswith("RUNNING 1\n")  # the radio added: it runs


def test_a_good_cell_at_boot_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = "import main\ndevice, ble, usb = main.build()\nprint('FLAT', device.battery.flat(1))\n"
    out, log = run_board(script, tmp_path, monkeypatch, "xiao_esp32s3", FOOTFALL_VBAT_MV="3350", **_XIAO)
    assert line(out, "FLAT") == "False" and log == []


def test_a_cell_falling_flat_while_streaming_switches_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, log = run_board(RUN_SCRIPT, tmp_path, monkeypatch, "xiao_esp32s3", **_XIAO)
    assert log == ["deepsleep 3600000"]
    # off at the fifth measurement (the third low one in a row), the session and the IMU stopped, a status queued
    assert line(out, "OFF") == "5 False False True"


def test_a_dip_or_an_adc_that_reads_nothing_is_not_flat() -> None:
    class Adc:
        mv = 3200

        def read_uv(self) -> int:
            if not self.mv:
                raise OSError(5)
            return self.mv * 500

    adc = Adc()
    bat = Battery(adc, 2.0)
    for mv in (3200, 3200, 3800, 3200, 0, 3200):
        adc.mv = mv
        bat.update()
        assert not bat.flat()
    bat.update()
    assert bat.flat(2) and not bat.flat()
    bat.update()
    assert bat.flat()


M5_USB_SCRIPT = """
import asyncio, main, power

device, ble, usb = main.build()
class Adc:
    def read_uv(self):
        return 3250 * 500
device.battery._adc = Adc()
flat_off = power.flat_off_for(main.board_of(device.settings.board))

async def run():
    asyncio.create_task(power.watch(device, device.battery, lambda: False, period_ms=10, flat_off=flat_off))
    await asyncio.sleep_ms(1000)  # switched off once (the status frame's 200 ms, the hold released for 500 ms)
    device.start()  # the runner starts a session on USB power, the cell still low
    await asyncio.sleep_ms(1000)  # many more measurements
    print("STREAMING", device.streaming)

asyncio.run(run())
"""


def test_an_m5_on_usb_with_a_flat_cell_is_switched_off_once_not_every_period(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """qa19 review: an M5StickC Plus2 on USB power stays on when its hold pin is released, and a cell below the
    cut-off had every session stopped again at each measurement (with a 0.5 s blocking release each time)."""
    out, log = run_board(M5_USB_SCRIPT, tmp_path, monkeypatch, "m5stickc_plus2", FOOTFALL_IMU="mpu6886",
                         FOOTFALL_IMU_ADDR="0x68", FOOTFALL_INT_PIN="-1", FOOTFALL_HOLD_PIN="4", FOOTFALL_USB_POWER="1")
    assert log == ["hold 4 released usb: stays on"] and line(out, "STREAMING") == "True"

