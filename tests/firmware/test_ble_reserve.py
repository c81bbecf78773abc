"""A BLE host's sensor kept for it through a dropout, and settings that change what the sensor is taken over USB
only (firmware 0.7.4; QA19 privacy finding 1). Before: any central in range claimed a sensor whose host had just
dropped (the seconds before `footfall live` reconnects), stopped it or put it to sleep, and the runner's own host
came back to 'held'; any central could rename an idle left sensor `footfall-R` for good, so later sessions stored
the feet swapped.

The real ble.py, control.py and device.py run under the MicroPython unix port on the register-level IMU model, with
the fake `BLE` object of test_hostile_control.py at the bottom (the raw API's IRQ calls made by hand) and the
device's clock moved by hand."""

from __future__ import annotations

import ast

import pytest

import config
import frame as F
from footfall.virtual.mpy import FIRMWARE_DIR as FIRMWARE
from footfall.virtual.mpy import run_micropython
from footfall.virtual.shoe import SHIMS_DIR, VIRTUAL_DIR

pytestmark = pytest.mark.micropython

OWNER, STRANGER = b"\x00\xa0\xa0\xa0\xa0\xa0\xa0", b"\x00\x5e\x5e\x5e\x5e\x5e\x5e"  # address type + address

SCRIPT = r"""
import asyncio
import struct
import config
import frame as F
from ble import BleLink
from control import Control
from device import Device
from imu import make_imu
from imu_model import FakeClock, ModelBus, SampleSource
from imu_model_lsm6dsox import LSM6DSOXModel
from ring import Ring

H_DATA, H_CONTROL, H_STATUS = 3, 7, 5
OWNER, STRANGER = ADDRESSES

class FakeBle:
    def __init__(self):
        self.value = b""
        self.conns = []
        self.notified = []  # (conn, cmd_id, result) of every status frame notified
        self.names = []
    def gatts_read(self, handle):
        return self.value
    def gatts_write(self, handle, value, send_update=False):
        pass
    def gatts_notify(self, conn, handle, data):
        if conn not in self.conns:
            raise OSError(107)
        if handle == H_STATUS:
            self.notified.append((conn, data[39], data[40]))
    def gap_advertise(self, *args, **kwargs):
        pass
    def gattc_exchange_mtu(self, conn):
        pass
    def config(self, **kwargs):
        if "gap_name" in kwargs:
            self.names.append(kwargs["gap_name"])

class Sensor:
    def __init__(self):
        self.clock = FakeClock()
        model = LSM6DSOXModel(SampleSource(data=bytes(12 * 64)), clock_ns=self.clock.ns)
        imu = make_imu("lsm6dso32", ModelBus({0x6A: model}), 0x6A)
        s = config.Settings("xiao_esp32s3", imu.DEFAULT_RATE_HZ, imu.DEFAULT_ACC_RANGE_G, 2000, side="L")
        self.saved = []
        self.dev = Device(s, imu, Ring(256), boards={"xiao_esp32s3": {}}, save=self.saved.append,
                          ticks=lambda: self.clock.t_ns // 1000000)
        self.ble = FakeBle()
        self.link = BleLink(self.dev, Control(self.dev), asyncio.ThreadSafeFlag(), ble=self.ble)
        self.ble.conns = self.link.conns
        self.link.h_data, self.link.h_control, self.link.h_status = H_DATA, H_CONTROL, H_STATUS
        self.dev.listeners.append(self.link)
        self.task = asyncio.create_task(self.link.run())
        self.ids = 100

    async def settle(self):
        self.link._wake.set()
        await asyncio.sleep_ms(20)

    async def connect(self, conn, addr, mtu=247):
        self.link._irq(1, (conn, addr[0], addr[1:]))
        self.link._irq(21, (conn, mtu))
        await self.settle()

    async def drop(self, conn):
        self.link._irq(2, (conn, 0, b"\0" * 6))
        await self.settle()

    def write(self, conn, opcode, args=b""):
        self.ids += 1
        self.ble.value = bytes((opcode, self.ids)) + args
        self.link._irq(3, (conn, H_CONTROL))
        return self.ids

    async def ask(self, conn, opcode, args=b""):  # the result notified to `conn` for this command (None: none)
        cmd_id = self.write(conn, opcode, args)
        await self.settle()
        got = [r for c, i, r in self.ble.notified if c == conn and i == cmd_id]
        if not got and conn == self.link.conn:  # the host's answers go in its stream
            got = [r for i, r in stream_answers(self.dev) if i == cmd_id]
        return got[-1] if got else None

    def state(self):
        return (self.dev.streaming, self.dev.idle, self.link.conn, self.dev.settings.side, len(self.saved))

def stream_answers(dev):
    out = []
    for n in range(max(0, dev.ring.head - 200), dev.ring.head):
        f = bytes(dev.ring.get(n))
        if f[1] == F.TYPE_STATUS:
            out.append((f[39], f[40]))
    return out

RATE = struct.pack("<H", 833)
RANGES = bytes((16,)) + struct.pack("<H", 1000)

def out(key, *values):
    print(key, repr(values))

async def asks(sensor, conn, commands):  # (no await in a comprehension on MicroPython)
    got = []
    for op, args in commands:
        got.append(await sensor.ask(conn, op, args))
    return got

async def dropout(sensor):  # the owner (conn 1) streams, then its link drops without a stop
    await sensor.connect(1, OWNER)
    assert await sensor.ask(1, F.CMD_START) == F.RESULT_OK
    await sensor.drop(1)

async def main():
    # 1. a stranger at an idle sensor: the settings that change what it is are refused and claim nothing
    s = Sensor()
    await s.connect(2, STRANGER)
    got = await asks(s, 2, ((F.CMD_SET_SIDE, b"R"), (F.CMD_SET_RATE, RATE), (F.CMD_SET_RANGES, RANGES),
                            (F.CMD_SELECT_LINK, b"\x01")))
    out("IDLE_SETTINGS", got, s.state(), s.dev.settings.rate_hz, s.dev.settings.link, s.link._name, s.ble.names)
    s.task.cancel()

    # 2. the owner drops mid-stream; a stranger connects first: only asking is answered, the session runs on
    s = Sensor()
    await dropout(s)
    await s.connect(2, STRANGER)
    got = await asks(s, 2, ((F.CMD_STOP, b""), (F.CMD_SLEEP, b""), (F.CMD_START, b""), (F.CMD_CALIBRATE, b""),
                            (F.CMD_STATUS, b""), (F.CMD_SET_PACE, struct.pack("<H", 2000))))
    out("KEPT", got, s.state(), s.dev.settings.pace_permille)
    # the owner back on another connection (an iPhone's MTU 185 this time): its resend and start claim it
    await s.connect(3, OWNER, mtu=185)
    resend = await s.ask(3, F.CMD_RESEND, struct.pack("<H", 0))
    start = await s.ask(3, F.CMD_START)
    out("OWNER_BACK", (resend in (F.RESULT_OK, F.RESULT_NOT_BUFFERED), start), s.state(), s.link.ready(),
          s.dev.sampler.frame_samples == F.samples_for_mtu(185))
    out("STRANGER_AFTER", await s.ask(2, F.CMD_STOP), s.state())
    s.task.cancel()

    # 3. the time runs out: the sensor is free again, the stranger's start claims it
    s = Sensor()
    await dropout(s)
    await s.connect(2, STRANGER)
    s.clock.advance_s(config.RESERVE_S - 1)
    before = await s.ask(2, F.CMD_STOP)
    s.clock.advance_s(1.001)
    after = await s.ask(2, F.CMD_STOP)
    out("EXPIRED", (before, after), s.state())
    s.task.cancel()

    # 4. a clean stop frees it at once: sent and handled before the drop, or written just before the drop
    for race in (False, True):
        s = Sensor()
        await s.connect(1, OWNER)
        await s.ask(1, F.CMD_START)
        s.write(1, F.CMD_STOP)
        if not race:
            await s.settle()
        await s.drop(1)
        await s.connect(2, STRANGER)
        out("CLEAN_STOP_RACE" if race else "CLEAN_STOP", await s.ask(2, F.CMD_START), s.state())
        s.task.cancel()

    # 5. a host that never streamed (it only set the pace) keeps nothing
    s = Sensor()
    await s.connect(1, OWNER)
    await s.ask(1, F.CMD_SET_PACE, struct.pack("<H", 1100))
    await s.drop(1)
    await s.connect(2, STRANGER)
    out("NOT_STREAMING", await s.ask(2, F.CMD_START), s.state())
    s.task.cancel()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def run() -> dict[str, object]:
    script = SCRIPT.replace("ADDRESSES", repr((OWNER, STRANGER)))
    proc = run_micropython(script, [SHIMS_DIR, VIRTUAL_DIR, FIRMWARE], timeout_s=120)
    out = proc.stdout.decode() + proc.stderr.decode()
    print(out)
    got = {key: ast.literal_eval(rest) for key, _, rest in (line.partition(" ") for line in out.splitlines())
           if key.replace("_", "").isupper() and rest[:1] == "("}
    assert "NOT_STREAMING" in got, out
    return got


def test_a_stranger_cannot_rename_or_reconfigure_an_idle_sensor_over_ble(run: dict) -> None:
    got, state, rate_hz, link, name, names = run["IDLE_SETTINGS"]
    assert got == [F.RESULT_BUSY] * 4  # answered to it alone
    assert state == (False, False, None, "L", 0)  # no claim, side kept, nothing saved
    assert (rate_hz, link, name, names) == (416, config.LINK_BLE, "footfall-L", [])


def test_a_host_that_drops_mid_stream_has_its_sensor_kept_from_a_stranger(run: dict) -> None:
    got, state, pace = run["KEPT"]
    held = F.RESULT_HELD
    assert got == [held, held, held, held, F.RESULT_OK, held]  # stop, sleep, start, calibrate; status; set pace
    assert state == (True, False, None, "L", 0) and pace == 1000  # still streaming, for nobody yet


def test_the_owner_reconnecting_on_another_connection_and_mtu_claims_it_back(run: dict) -> None:
    claimed, state, ready, fits_185 = run["OWNER_BACK"]
    assert claimed == (True, F.RESULT_OK)
    assert state == (True, False, 3, "L", 0) and ready and fits_185
    assert run["STRANGER_AFTER"] == (F.RESULT_HELD, (True, False, 3, "L", 0))  # a guest, as ever


def test_the_sensor_is_free_again_when_the_reserve_time_is_over(run: dict) -> None:
    (before, after), state = run["EXPIRED"]
    assert (before, after) == (F.RESULT_HELD, F.RESULT_OK)
    assert state == (False, False, 2, "L", 0)  # the stranger's stop claimed it and stopped it


@pytest.mark.parametrize("key", ["CLEAN_STOP", "CLEAN_STOP_RACE"])
def test_a_clean_stop_frees_the_sensor_at_once(run: dict, key: str) -> None:
    result, state = run[key]
    assert result == F.RESULT_OK and state == (True, False, 2, "L", 0)


def test_a_host_that_was_not_streaming_keeps_nothing(run: dict) -> None:
    result, state = run["NOT_STREAMING"]
    assert result == F.RESULT_OK and state[:3] == (True, False, 2)
