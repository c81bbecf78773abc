"""Hostile control writes: a second central flooding or reconfiguring the shoe while a host streams, a USB host
flooding while BLE carries the data, and `calibrate` while the sensor moves.

The BLE cases run the real ble.py, control.py and device.py under the MicroPython unix port on the register-level
IMU model, with a fake `BLE` object at the bottom (the raw API's IRQ calls made by hand, as test_ble_centrals.py);
the USB and calibration cases run the real firmware under CPython on the same models (as test_control.py)."""

from __future__ import annotations

import ast
import asyncio
import struct

import numpy as np
import pytest
from fw_rig import Port, Rig, frames_of, make_device, runner_counts

import config
import frame as F
from control import PENDING, Control
from footfall.virtual.mpy import FIRMWARE_DIR as FIRMWARE
from footfall.virtual.mpy import run_micropython
from footfall.virtual.shoe import SHIMS_DIR, VIRTUAL_DIR
from usb import UsbLink

HOST, GUEST, GONE = 1, 2, 3

BLE_SCRIPT = r"""
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

class FakeBle:  # gatts_notify to a central no longer connected fails, as on NimBLE
    def __init__(self):
        self.value = b""
        self.conns = []
        self.notified = []  # (conn, cmd_id, result) of every status frame notified
        self.stored = []  # (cmd_id, result) of every status frame stored as the characteristic's value
    def gatts_read(self, handle):
        return self.value
    def gatts_write(self, handle, value, send_update=False):
        if handle == H_STATUS:
            self.stored.append((value[39], value[40]))
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
        pass

def device():
    clock = FakeClock()
    model = LSM6DSOXModel(SampleSource(data=bytes(12 * 64)), clock_ns=clock.ns)
    imu = make_imu("lsm6dso32", ModelBus({0x6A: model}), 0x6A)
    s = config.Settings("xiao_esp32s3", imu.DEFAULT_RATE_HZ, imu.DEFAULT_ACC_RANGE_G, 2000, side="L")
    saved = []
    dev = Device(s, imu, Ring(256), boards={"xiao_esp32s3": {}}, save=saved.append, ticks=lambda: clock.t_ns // 1000000)
    return dev, saved

def stream_answers(dev, since):  # (cmd_id, result) of the status frames the ring got since `since`
    out = []
    for n in range(since, dev.ring.head):
        f = bytes(dev.ring.get(n))
        if f[1] == F.TYPE_STATUS:
            out.append((f[39], f[40]))
    return out

async def settle(link):
    link._wake.set()
    await asyncio.sleep_ms(20)

def flood(link, ble, conn, command, n):  # n writes before the task runs (the IRQ handler only)
    ble.value = command
    for _ in range(n):
        link._irq(3, (conn, H_CONTROL))

async def main():
    dev, saved = device()
    ble = FakeBle()
    link = BleLink(dev, Control(dev), asyncio.ThreadSafeFlag(), ble=ble)
    ble.conns = link.conns
    link.h_data, link.h_control, link.h_status = H_DATA, H_CONTROL, H_STATUS
    dev.listeners.append(link)
    task = asyncio.create_task(link.run())
    for conn in (1, 2, 3):
        link._irq(1, (conn, 0, b"\0" * 6))
        link._irq(21, (conn, 247))  # the MTU exchange at connect (firmware 0.7 streams on 48 and up)
    await settle(link)
    flood(link, ble, 1, bytes((F.CMD_START, 1)), 1)
    await settle(link)
    print("HOST", (link.conn, link.ready(), dev.streaming))

    # 1. a guest floods 20 stops before the handler runs: 16 queued (held), 4 beyond the queue (busy)
    head, ble.notified[:], ble.stored[:] = dev.ring.head, [], []
    flood(link, ble, 2, bytes((F.CMD_STOP, 42)), 20)
    await settle(link)
    print("FLOOD_TO_GUEST", sorted(ble.notified))
    print("FLOOD_IN_STREAM", stream_answers(dev, head))
    print("FLOOD_STORED", ble.stored)
    print("FLOOD_STATE", (dev.streaming, dev.cmd_id, dev.cmd_result, getattr(link, "unanswered", None)))

    # 2. a central floods 40 writes and leaves before the handler runs: nothing reaches the stream, all counted
    head, ble.notified[:] = dev.ring.head, []
    flood(link, ble, 3, bytes((F.CMD_STOP, 43)), 40)
    link._irq(2, (3, 0, b"\0" * 6))
    await settle(link)
    print("GONE", (ble.notified, stream_answers(dev, head), getattr(link, "unanswered", None), dev.streaming))

    # 3. a guest reconfiguring, renaming, sleeping, taking the link, calibrating: each held, nothing changes
    before = dev.settings.as_dict()
    head, ble.notified[:], ble.stored[:] = dev.ring.head, [], []
    hostile = [bytes((F.CMD_SET_RATE, 50)) + struct.pack("<H", 833),
               bytes((F.CMD_SET_RANGES, 51, 4)) + struct.pack("<H", 250),
               bytes((F.CMD_SET_SIDE, 52, ord("R"))), bytes((F.CMD_SLEEP, 53)), bytes((F.CMD_SELECT_LINK, 54, 1)),
               bytes((F.CMD_SET_PACE, 55)) + struct.pack("<H", 2000), bytes((F.CMD_CALIBRATE, 56)),
               bytes((F.CMD_TIME_SYNC, 57)) + struct.pack("<I", 1), bytes((F.CMD_RESEND, 58, 0, 0)),
               bytes((F.CMD_START, 59)), bytes((F.CMD_STOP, 60)), b"", b"\x0c"]
    for command in hostile:
        flood(link, ble, 2, command, 1)
        await settle(link)
    print("HOSTILE_TO_GUEST", ble.notified)
    print("HOSTILE_IN_STREAM", stream_answers(dev, head))
    print("HOSTILE_STORED", ble.stored)
    print("HOSTILE_STATE", (dev.settings.as_dict() == before, len(saved), dev.streaming, dev.idle, link._name,
                            link.conn))
    task.cancel()

asyncio.run(main())
"""


def _ble_run() -> dict[str, object]:
    proc = run_micropython(BLE_SCRIPT, [SHIMS_DIR, VIRTUAL_DIR, FIRMWARE], timeout_s=60)
    out = proc.stdout.decode() + proc.stderr.decode()
    print(out)
    got = {key: ast.literal_eval(rest) for key, _, rest in (line.partition(" ") for line in out.splitlines())
           if key.isupper() and rest[:1] in "([{"}
    assert "HOSTILE_STATE" in got, out
    return got


@pytest.fixture(scope="module")
def ble_run() -> dict[str, object]:
    return _ble_run()


@pytest.mark.micropython
def test_a_guest_flood_is_answered_to_the_guest_and_never_enters_the_host_stream(ble_run: dict) -> None:
    """QA: the 4 writes beyond the 16 queued went into the host's stream (its recording) as 'busy' with the
    guest's cmd_id, and the guest never heard of them. Now every one is answered to the guest alone."""
    assert ble_run["HOST"] == (HOST, True, True)
    held, busy = F.RESULT_HELD, F.RESULT_BUSY
    assert ble_run["FLOOD_TO_GUEST"] == sorted([(GUEST, 42, held)] * 16 + [(GUEST, 42, busy)] * 4)
    assert ble_run["FLOOD_IN_STREAM"] == []  # the host's stream and recording are untouched
    assert ble_run["FLOOD_STORED"] == []  # so is the status characteristic's value the host reads
    assert ble_run["FLOOD_STATE"] == (True, 1, F.RESULT_OK, 0)  # still streaming; the last command is the host's


@pytest.mark.micropython
def test_writes_that_cannot_be_answered_are_dropped_and_counted(ble_run: dict) -> None:
    """40 writes from a central that leaves before the handler runs: 16 queued (nobody left to answer), 16 refused
    (gone), 8 beyond both queues. None reaches the host's stream, each is counted."""
    assert ble_run["GONE"] == ([], [], 40, True)


@pytest.mark.micropython
def test_a_guest_cannot_reconfigure_rename_sleep_or_calibrate_the_hosts_sensor(ble_run: dict) -> None:
    got = ble_run["HOSTILE_TO_GUEST"]
    assert [c for c, _, _ in got] == [GUEST] * 13
    assert [(i, r) for _, i, r in got][:11] == [(i, F.RESULT_HELD) for i in range(50, 61)]
    assert [r for _, _, r in got][11:] == [F.RESULT_HELD, F.RESULT_BAD_LENGTH]  # an empty write; a short status
    assert ble_run["HOSTILE_IN_STREAM"] == [] and ble_run["HOSTILE_STORED"] == []
    assert ble_run["HOSTILE_STATE"] == (True, 0, True, False, "footfall-L", HOST)


# --- USB ---------------------------------------------------------------------------------------------------------
def test_every_command_in_one_usb_read_is_answered_over_usb(rig: Rig) -> None:
    """While BLE carries the data, USB answers wait in a queue that held 4, but a 64-byte read holds up to 13
    commands (here 9 of 2 bytes and 2 of 1): the rest went unanswered, silently. Now it holds what one read can."""
    dev = make_device(rig)  # BLE selected
    port = Port()
    ctl = Control(dev)
    usb = UsbLink(dev, ctl, None, port)
    ctl.replies[config.LINK_USB] = usb.reply  # as main.build wires it
    chunk = b"".join(F.serial_packet(bytes((F.CMD_STATUS, i))) for i in range(1, 10))  # 6 bytes each
    chunk += b"".join(F.serial_packet(bytes((F.CMD_STATUS,))) for _ in range(2))  # 5 bytes each: bad length
    assert len(chunk) == 64
    usb.feed(chunk)
    asyncio.run(usb._send_replies())
    answers = [F.parse_serial_packet(p) for p in bytes(port.data).split(b"\0") if p]
    expected = [(i, F.RESULT_OK) for i in range(1, 10)] + [(0, F.RESULT_BAD_LENGTH)] * 2
    assert [(a[39], a[40]) for a in answers] == expected
    assert usb.unanswered == 0


# --- calibrate ---------------------------------------------------------------------------------------------------
STILL = np.array([100, -50, 1024, 12, -8, 5])  # 1 g on z at 32 g, a gyro bias of ~1 dps


def still_counts(n: int = 3000, seed: int = 1, noise: tuple[float, float] = (3.0, 1.5)) -> np.ndarray:
    """A sensor at rest: constant counts plus noise (3 mg per axis, 0.1 dps)."""
    rng = np.random.default_rng(seed)
    sd = np.array([noise[0]] * 3 + [noise[1]] * 3)
    return np.rint(STILL + rng.normal(0, 1, (n, 6)) * sd).astype(np.int64)


def turning_counts(n: int = 3000) -> np.ndarray:
    """Still accelerometer, the gyro steady at 200 counts (14 dps) about z: a yaw the accelerometer does not see."""
    out = still_counts(n)
    out[:, 5] += 200
    return out


def answers_of(frames: list[bytes], cmd_id: int) -> list[int]:
    return [f[40] for f in frames if f[1] == F.TYPE_STATUS and f[39] == cmd_id]


def calibrate(rig: Rig, prior: list[int] | None = None) -> tuple:
    """Stream, calibrate (cmd 5) and run past the window: (at once, later answers, cal, calibrated bit, saves)."""
    dev = make_device(rig, cal=prior)
    ctl = Control(dev)
    ctl.handle(bytes([F.CMD_START, 4]), config.LINK_BLE)
    saves = len(dev.saved)
    now = ctl.handle(bytes([F.CMD_CALIBRATE, 5]), config.LINK_BLE)
    assert answers_of(frames_of(dev), 5) == []  # answered only when the window is over
    for _ in range(20):
        rig.clock.advance_s(0.05)
        dev.sampler.drain()
    return now, answers_of(frames_of(dev), 5), dev.settings.cal, bool(dev.state_bits() & F.STATE_CALIBRATED), \
        dev.saved[saves:]


def test_calibrate_held_still_saves_the_mean_and_answers_ok() -> None:
    rig = Rig(counts=still_counts())
    now, later, cal, calibrated, saves = calibrate(rig)
    expected = rig.expected(0, config.CAL_SAMPLES).mean(axis=0)
    assert now == PENDING and later == [F.RESULT_OK] and calibrated and len(saves) == 1
    assert all(abs(a - b) <= 1 for a, b in zip(cal, expected)), (cal, expected)


PRIOR = [1, 2, 1000, 3, 4, 5]


@pytest.mark.parametrize("counts", [runner_counts(170, 8, 416), turning_counts(), still_counts(noise=(40.0, 1.5))],
                         ids=["running", "turning", "shaking"])
def test_calibrate_while_moving_answers_busy_and_keeps_the_previous_calibration(counts: np.ndarray) -> None:
    """QA: calibrate while the sensor moved answered OK, saved a meaningless calibration and set the bit."""
    for prior, bit in ((None, False), (PRIOR, True)):
        now, later, cal, calibrated, saves = calibrate(Rig(counts=counts), prior)
        assert (now, later, cal, calibrated, saves) == (PENDING, [F.RESULT_BUSY], prior, bit, [])


def test_calibrate_stopped_refused_or_repeated_is_answered_busy() -> None:
    rig = Rig(counts=still_counts())
    dev = make_device(rig)
    ctl = Control(dev)
    ctl.handle(bytes([F.CMD_START, 1]), config.LINK_BLE)
    assert ctl.handle(bytes([F.CMD_CALIBRATE, 2]), config.LINK_USB) == F.RESULT_BUSY  # the stream is not on USB
    assert ctl.handle(bytes([F.CMD_CALIBRATE, 3]), config.LINK_BLE) == PENDING
    assert ctl.handle(bytes([F.CMD_CALIBRATE, 4]), config.LINK_BLE) == F.RESULT_BUSY  # one under way
    ctl.handle(bytes([F.CMD_STOP, 5]), config.LINK_BLE)  # before the window is full
    frames = frames_of(dev)
    assert answers_of(frames, 3) == [F.RESULT_BUSY] and answers_of(frames, 4) == [F.RESULT_BUSY]
    assert dev.settings.cal is None and not any("cal" in s and s["cal"] for s in dev.saved)
    status = struct.unpack(F.STATUS_FMT, [f for f in frames if f[1] == F.TYPE_STATUS][-1])
    assert status[-3:-1] == (5, F.RESULT_OK)  # the stop's own answer comes last
