"""The sensor powers off after config.OFF_AFTER_MIN unused (firmware 0.6): before, it only went idle, and
MicroPython keeps the CPU awake while BLE is on, so a sensor left on was flat in hours. The XIAO arms the IMU's
wake-up interrupt on INT1 and deep-sleeps until a move raises it; the M5StickC Plus2 releases its power-hold pin.

The rule runs under CPython on the chip model with a hand-moved clock (30 minutes take no time); the board's
part runs under the MicroPython unix port with the shims (machine, esp32) recording how the firmware powered down."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fw_rig import Rig, make_device

import config
import frame as F
from control import Control
from footfall.virtual.imu_model import SampleSource
from footfall.virtual.mpy import firmware_dir, run_micropython
from footfall.virtual.shoe import SHIMS_DIR, VIRTUAL_DIR
from power import PowerOff, check_idle, switch_off_for

# LSM6DSOX / LSM6DSO32 registers (DS12814 / DS12946)
CTRL1_XL, CTRL2_G, CTRL6_C, INT1_CTRL, FIFO_CTRL4 = 0x10, 0x11, 0x15, 0x0D, 0x0A
WAKE_UP_SRC, TAP_CFG0, TAP_CFG2, WAKE_UP_THS, WAKE_UP_DUR, MD1_CFG = 0x1B, 0x56, 0x58, 0x5B, 0x5C, 0x5E


# --- the rule --------------------------------------------------------------------------------------------------
class Switch:
    """A board's switch_off that records its calls (and, like an M5 on USB power, returns)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


def quiet(dev: Any, rig: Rig, minutes: float, off: PowerOff, connected: bool = False) -> bool:
    """Let `minutes` pass, then one pass of the watch task: the idle rule, then the power-off rule."""
    rig.clock.advance_s(minutes * 60)
    check_idle(dev, connected)
    return asyncio.run(off.check(lambda: connected))


def test_powers_off_after_off_after_min_without_connection_or_command(rig: Rig) -> None:
    dev = make_device(rig)
    switch = Switch()
    off = PowerOff(dev, switch)
    assert config.OFF_AFTER_MIN == 30 and config.IDLE_AFTER_MIN == 10
    assert not quiet(dev, rig, 10.5, off) and dev.idle  # idle first
    assert not quiet(dev, rig, config.OFF_AFTER_MIN - 11, off) and switch.calls == 0
    dev.cursor.skip_lost()
    while dev.cursor.peek() is not None:
        dev.cursor.advance()
    assert quiet(dev, rig, 1, off) and switch.calls == 1
    last = bytes(dev.cursor.peek())  # the state went out first, for a host still listening
    assert last[1] == F.TYPE_STATUS and last[33] & F.STATE_IDLE  # byte 33: state (docs/protocol.md)


def test_a_connection_or_a_command_within_the_window_keeps_it_on(rig: Rig) -> None:
    dev = make_device(rig)
    switch = Switch()
    off = PowerOff(dev, switch)
    assert not quiet(dev, rig, 25, off, connected=True)  # a central connected for 25 min: never even idle
    assert not dev.idle
    assert not quiet(dev, rig, 29, off)  # 29 min since it left
    Control(dev).handle(bytes([F.CMD_STATUS, 1]), config.LINK_USB)  # a command on any link counts
    assert not quiet(dev, rig, 29, off)
    assert not quiet(dev, rig, 0.5, off, connected=True)
    assert switch.calls == 0
    assert quiet(dev, rig, 30.5, off) and switch.calls == 1


def test_a_central_that_connects_during_the_last_status_frame_keeps_it_on(rig: Rig) -> None:
    """The status frame before switching off waits 200 ms for the pump: a watch connecting then is not cut off."""
    dev = make_device(rig)
    switch = Switch()
    off = PowerOff(dev, switch)
    assert not quiet(dev, rig, 10.5, off)
    rig.clock.advance_s(20 * 60)
    check_idle(dev, False)
    answers = iter([False, True])  # not connected when due, connected after the wait
    assert not asyncio.run(off.check(lambda: next(answers))) and switch.calls == 0
    answers = iter([False, False])  # nobody came: off
    assert asyncio.run(off.check(lambda: next(answers))) and switch.calls == 1


def test_woken_by_a_move_it_sleeps_again_soon_unless_someone_connects(rig: Rig) -> None:
    """A shoe walked in or picked up wakes the XIAO; nobody connecting, it sleeps again after OFF_AFTER_WAKE_MIN,
    without waiting to go idle (30 min at ~34 mA was ~17 mAh per wake). A connection or a command since the wake
    puts it back on the usual rule."""
    dev = make_device(rig)
    switch = Switch()
    off = PowerOff(dev, switch, woken=True)
    assert config.OFF_AFTER_WAKE_MIN == 3
    assert not quiet(dev, rig, 2.5, off) and not dev.idle
    assert quiet(dev, rig, 1, off) and switch.calls == 1
    dev = make_device(rig)
    off = PowerOff(dev, switch, woken=True)
    assert not quiet(dev, rig, 1, off, connected=True)  # a watch connected: the usual 30 min from now on
    assert not quiet(dev, rig, 5, off) and not quiet(dev, rig, 20, off) and switch.calls == 1
    assert quiet(dev, rig, 10, off) and switch.calls == 2


def test_never_during_a_session(rig: Rig) -> None:
    """A session keeps the sensor from idling (idle_after_min may be set longer than OFF_AFTER_MIN): no power off."""
    dev = make_device(rig, idle_after_min=60)
    switch = Switch()
    off = PowerOff(dev, switch)
    dev.start()
    assert not quiet(dev, rig, 45, off) and dev.streaming and switch.calls == 0
    dev.stop()


def test_a_board_that_stays_on_tries_again_after_another_span(rig: Rig) -> None:
    """An M5StickC Plus2 on USB power stays on when its hold pin is released: it stays idle, and tries again only
    after another OFF_AFTER_MIN (not every 10 s check)."""
    dev = make_device(rig)
    switch = Switch()
    off = PowerOff(dev, switch)
    assert not quiet(dev, rig, 10.5, off)
    assert quiet(dev, rig, 20, off) and switch.calls == 1 and dev.idle
    assert not quiet(dev, rig, 0.2, off) and not quiet(dev, rig, 29, off)
    assert quiet(dev, rig, 1, off) and switch.calls == 2


def test_each_board_profile_has_its_way_to_switch_off(rig: Rig) -> None:
    from boards import BOARDS

    imu = rig.imu()
    assert switch_off_for(BOARDS["xiao_esp32s3"], imu) is not None  # INT1 on GPIO3 and a wake-up interrupt
    assert switch_off_for(BOARDS["xiao_esp32s3_lsm6dsox"], imu) is not None
    assert switch_off_for(BOARDS["m5stickc_plus2"], Rig("mpu6886").imu()) is not None  # the hold pin
    neither = dict(BOARDS["xiao_esp32s3"], int1=None, hold=None)
    assert switch_off_for(neither, imu) is None
    dev = make_device(rig)
    off = PowerOff(dev, switch_off_for(neither, imu))
    assert not quiet(dev, rig, 120, off) and dev.idle  # stays idle, as before 0.6


def test_an_imu_that_cannot_wake_the_board_leaves_it_to_the_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deep sleep with no working wake-up source would last until the battery is gone, and staying idle (0.7.2) kept
    the radio on until it was: it sleeps on the timer instead, hourly (and sleeps again soon after, unused)."""
    import sys
    import types

    from power import sleep_until_moved

    calls: list[str] = []

    class Pin:
        IN = 1

        def __init__(self, *args: Any) -> None:
            pass

    machine = types.SimpleNamespace(Pin=Pin, deepsleep=lambda ms=0: calls.append(f"deepsleep {ms}"))
    esp32 = types.SimpleNamespace(WAKEUP_ANY_HIGH=True, wake_on_ext0=lambda pin, level: calls.append("ext0"))
    monkeypatch.setitem(sys.modules, "machine", machine)
    monkeypatch.setitem(sys.modules, "esp32", esp32)

    class DeadImu:
        def wake_on_motion(self, sleep_ms: Any) -> None:
            raise OSError(19)  # ENODEV: the chip does not answer on I2C

    sleep_until_moved(DeadImu(), 3)
    assert calls == ["deepsleep 3600000"]  # no ext0 armed: the timer alone wakes it


# --- the IMU's wake-up interrupt ---------------------------------------------------------------------------------
def counts(rows: list[tuple[int, int, int]]) -> SampleSource:
    """Accelerometer counts (gyro 0) played in a loop."""
    data = np.array([(x, y, z, 0, 0, 0) for x, y, z in rows], dtype="<i2")
    return SampleSource(data=data.tobytes())


def armed(kind: str) -> tuple[Rig, Any]:
    rig = Rig(kind)
    imu = rig.imu()
    imu.configure(416, imu.DEFAULT_ACC_RANGE_G, 2000)
    imu.start(38)  # streaming until now: the arming must undo the FIFO and its watermark interrupt
    rig.clock.advance_s(0.2)
    rig.model.source = counts([(0, 0, 8192)])  # lying still: 1 g on z at +-4 g (and 2 g at +-2 g: counts are counts)
    imu.wake_on_motion(lambda ms: rig.clock.advance_s(ms / 1000))
    return rig, imu


@pytest.mark.parametrize("kind,wk_ths", [("lsm6dso32", 1), ("lsm6dsox", 2)])
def test_the_driver_arms_the_wake_up_interrupt_on_int1(kind: str, wk_ths: int) -> None:
    rig, _ = armed(kind)
    regs = rig.model.regs
    assert regs[CTRL1_XL] == 0x20  # 26 Hz, the smallest range (code 0: +-4 g on the DSO32, +-2 g on the DSOX)
    assert regs[CTRL6_C] & 0x10  # XL_HM_MODE: high performance off -> low-power mode at 26 Hz
    assert regs[CTRL2_G] == 0 and regs[FIFO_CTRL4] & 0x07 == 0 and regs[INT1_CTRL] == 0  # gyro off, bypass, no FIFO irq
    assert regs[WAKE_UP_THS] == wk_ths and regs[WAKE_UP_DUR] == 0  # 62.5 mg of slope, a single sample
    assert regs[TAP_CFG0] == 0x41  # LIR + INT_CLR_ON_READ, slope filter
    assert regs[TAP_CFG2] & 0x80 and regs[MD1_CFG] == 0x20  # INTERRUPTS_ENABLE; wake-up routed to INT1
    assert rig.model.rate_hz == pytest.approx(26.04, abs=0.01) and rig.model.fifo.count == 0
    assert not rig.model.int1()  # the start of the filter was cleared: low until something moves


def test_the_wake_up_model_raises_int1_on_a_move_and_not_while_still() -> None:
    rig, imu = armed("lsm6dso32")
    rig.clock.advance_s(60)
    assert not rig.model.int1()  # still: no slope
    rig.model.source = counts([(0, 0, 8192), (0, 0, 9100)])  # 0.11 g steps: a slope of 55 mg, under 62.5 mg
    rig.clock.advance_s(10)
    assert not rig.model.int1()
    rig.model.source = counts([(0, 0, 8192), (0, 0, 9300)])  # 0.135 g steps: 68 mg of slope, over
    rig.clock.advance_s(0.1)
    assert rig.model.int1()
    rig.model.source = counts([(0, 0, 8192)])
    rig.clock.advance_s(1)
    assert rig.model.int1()  # latched: it holds until read
    src = rig.bus.readfrom_mem(rig.addr, WAKE_UP_SRC, 1)[0]
    assert src & 0x08 and src & 0x01  # WU_IA, Z_WU
    assert not rig.model.int1() and rig.bus.readfrom_mem(rig.addr, WAKE_UP_SRC, 1)[0] == 0


def test_a_higher_threshold_ignores_what_a_lower_one_catches() -> None:
    rig, _ = armed("lsm6dso32")
    rig.model.source = counts([(0, 0, 8192), (1500, 0, 8192)])  # x jumps 0.18 g: slope 750 counts
    rig.bus.writeto_mem(rig.addr, WAKE_UP_THS, bytes([2]))  # 125 mg = 1024 counts of slope
    rig.clock.advance_s(1)
    assert not rig.model.int1()
    rig.bus.writeto_mem(rig.addr, WAKE_UP_THS, bytes([1]))  # 62.5 mg = 512 counts
    rig.clock.advance_s(1)
    assert rig.model.int1() and rig.bus.readfrom_mem(rig.addr, WAKE_UP_SRC, 1)[0] == 0x0C  # WU_IA, X_WU


def test_streaming_after_a_wake_up_arming_is_the_fifo_as_before() -> None:
    rig, imu = armed("lsm6dso32")
    rig.model.source = SampleSource(data=rig.counts.astype("<i2").tobytes())
    imu.start(38)  # the reset clears the wake-up set-up
    assert rig.model.regs[TAP_CFG2] == 0 and rig.model.regs[MD1_CFG] == 0 and rig.model.regs[CTRL6_C] == 0
    before, period = rig.model.produced, 1 / rig.model.rate_hz
    rig.clock.advance_s(37.5 * period)
    assert not rig.model.int1()  # 37 samples, under the 38-sample watermark
    rig.clock.advance_s(period)
    assert rig.model.int1() and rig.model.produced - before == rig.model.fifo.count // 2 == 38


# --- the boards, under MicroPython with the shims -----------------------------------------------------------------
XIAO_SCRIPT = """
import asyncio, struct, time
import config, esp32, machine, main, power
from imu_model import SampleSource

device, ble, usb = main.build()
t = [time.ticks_ms()]
device._ticks = lambda: t[0]  # a hand-moved clock: 30 minutes in no time
off = power.PowerOff(device, power.switch_off_for(main.board_of(device.settings.board), device.imu))

def minutes(m):
    t[0] = time.ticks_add(t[0], int(m * 60000))
    power.check_idle(device, False)
    return asyncio.run(off.check(lambda: False))

print("EARLY", minutes(config.OFF_AFTER_MIN - 0.5), device.idle)
try:
    minutes(1)
    print("STILL ON")
except SystemExit:
    pass
model = machine.imu_model()
print("REGS", [model.regs[r] for r in (0x10, 0x11, 0x15, 0x0A, 0x0D, 0x56, 0x58, 0x5B, 0x5C, 0x5E)])
print("EXT0", esp32.calls)
pin = machine.Pin(3, machine.Pin.IN)
time.sleep_ms(300)
print("STILL", pin.value())
model.source = SampleSource(data=struct.pack("<6h", 0, 0, 0, 0, 0, 0) + struct.pack("<6h", 0, 0, 4000, 0, 0, 0))
time.sleep_ms(300)
print("MOVED", pin.value())
"""


def run_board(script: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, board: str,
              **env: str) -> tuple[str, list[str]]:
    """Run `script` on `board` (settings.json in a temp dir) with the shims; its output and the power log."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "settings.json").write_text(json.dumps({"board": board, "side": "L"}))
    log = tmp_path / "power.log"
    monkeypatch.setenv("FOOTFALL_POWER_LOG", str(log))
    monkeypatch.delenv("FOOTFALL_RADIO", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    proc = run_micropython(script, path=[SHIMS_DIR, VIRTUAL_DIR, firmware_dir()], timeout_s=60)
    out = proc.stdout.decode(errors="replace")
    print(out[-3000:], proc.stderr.decode()[-3000:])
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return out, log.read_text().splitlines() if log.exists() else []


def line(out: str, key: str) -> str:
    return next(x for x in out.splitlines() if x.startswith(key + " ")).split(" ", 1)[1]


@pytest.mark.micropython
@pytest.mark.parametrize("board", ["xiao_esp32s3", "xiao_esp32s3_lsm6dsox"])
def test_the_xiao_deep_sleeps_until_the_imu_feels_a_move(board: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    imu = "lsm6dsox" if board.endswith("lsm6dsox") else "lsm6dso32"
    out, log = run_board(XIAO_SCRIPT, tmp_path, monkeypatch, board, FOOTFALL_IMU=imu, FOOTFALL_IMU_ADDR="0x6A",
                         FOOTFALL_INT_PIN="3")
    assert line(out, "EARLY") == "False True"  # idle, not off, half a minute before OFF_AFTER_MIN
    assert "STILL ON" not in out
    regs = json.loads(line(out, "REGS"))
    wk_ths = 2 if imu == "lsm6dsox" else 1
    assert regs == [0x20, 0, 0x10, 0, 0, 0x41, 0x80, wk_ths, 0, 0x20]
    assert log == ["esp32.wake_on_ext0 pin=3 level=high now=0", "deepsleep 0"]  # INT1 low as it sleeps
    assert line(out, "STILL") == "0" and line(out, "MOVED") == "1"  # what would wake it


M5_SCRIPT = """
import asyncio, time
import config, machine, main, power

device, ble, usb = main.build()
t = [time.ticks_ms()]
device._ticks = lambda: t[0]
off = power.PowerOff(device, power.switch_off_for(main.board_of(device.settings.board), device.imu))

def minutes(m):
    t[0] = time.ticks_add(t[0], int(m * 60000))
    power.check_idle(device, False)
    return asyncio.run(off.check(lambda: False))

print("EARLY", minutes(config.OFF_AFTER_MIN - 0.5))
try:
    print("TRIED", minutes(1), device.idle, minutes(1))
except SystemExit:
    print("OFF")
print("HOLD", [v for pin, v in machine.Pin.log if pin == 4])
"""


@pytest.mark.micropython
@pytest.mark.parametrize("usb_power", [False, True])
def test_the_m5_releases_its_hold_pin(usb_power: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, log = run_board(M5_SCRIPT, tmp_path, monkeypatch, "m5stickc_plus2", FOOTFALL_IMU="mpu6886",
                         FOOTFALL_IMU_ADDR="0x68", FOOTFALL_INT_PIN="-1", FOOTFALL_HOLD_PIN="4",
                         FOOTFALL_USB_POWER="1" if usb_power else "0")
    assert line(out, "EARLY") == "False"
    if usb_power:  # stays on: held again, idle, and no second try 1 min later
        assert line(out, "TRIED") == "True True False" and json.loads(line(out, "HOLD")) == [1, 0, 1]
        assert log == ["hold 4 released usb: stays on"]
    else:  # held at boot, released after OFF_AFTER_MIN: the supply goes
        assert "OFF" in out.splitlines() and json.loads(line(out, "HOLD")) == [1, 0]
        assert log == ["hold 4 released battery: off"]
