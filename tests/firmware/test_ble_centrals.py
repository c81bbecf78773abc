"""BleLink with several centrals: it advertises beside connections until 3 are connected, every central that
subscribed gets the RSC measurement (and no other: send_update, as NimBLE does it), the data goes to the host (the central whose valid command claimed the sensor) and every
other central is a guest that may only ask, and the footpod sampling follows whether any central is connected.

Runs firmware/ble.py under MicroPython with a fake `BLE` object (the raw API's IRQ calls made by hand)."""

from __future__ import annotations

import ast

import pytest

from footfall.virtual.mpy import FIRMWARE_DIR as FIRMWARE
from footfall.virtual.mpy import run_micropython
from footfall.virtual.shoe import SHIMS_DIR

pytestmark = pytest.mark.micropython

SCRIPT = r"""
import asyncio
import time
from ble import BleLink
import frame

class FakeBle:  # send_update notifies the centrals that wrote the CCCD, gatts_notify anyone (as NimBLE)
    def __init__(self):
        self.adverts = []
        self.notified = []
        self.command = b""
        self.subscribed = {1: (11,), 3: (11,), 2: ()}  # central 2 (the host) never enabled RSC notifications
    def gatts_read(self, handle):
        return self.command
    def gatts_write(self, handle, value, send_update=False):
        if send_update:
            for conn, handles in self.subscribed.items():
                if handle in handles:
                    self.notified.append((conn, handle, bytes(value)))
    def gatts_notify(self, conn, handle, data):
        self.notified.append((conn, handle, bytes(data)))
    def gap_advertise(self, interval, adv_data=None, resp_data=None):
        self.adverts.append(interval)
    def gattc_exchange_mtu(self, conn):
        pass

class Settings:
    side = "L"
    link = 0

class Steps:
    def measurement(self):
        return b"\x04\x00\x02\xa6"

class Ring:  # the last answer pushed, as Control leaves it: [version, type, cmd_id, result]
    head = 1
    last = b""
    def get(self, n):
        return self.last

class Sampler:
    frame_samples = 19  # set by the link when a host claims the sensor

class Cursor:
    pos = 0  # the link moves it past answers echoed to a central before it claimed

class Device:
    settings = Settings()
    streaming = False  # a host leaving keeps nothing (ble.py 0.7.4: kept only mid-stream)
    sampler = Sampler()
    cursor = Cursor()
    idle = False
    battery = None
    steps = Steps()
    def __init__(self):
        self.wake = asyncio.Event()
        self.footpods = []
        self.ring = Ring()
    def activity(self):
        pass
    def status(self):
        pass
    def footpod(self, wanted, grace=False):
        self.footpods.append((wanted, grace))
    def status_frame(self, cmd_id=0, result=0):
        return bytes((1, frame.TYPE_STATUS, cmd_id, result))

class Control:  # start, stop and status are valid, a resend is beyond the buffer; every call is recorded
    def usb_holds(self):
        return False
    def __init__(self, device):
        self.device = device
        self.calls = []
    def handle(self, data, link, answer=True):
        self.calls.append((data[0], answer))
        ok = data[0] in (frame.CMD_START, frame.CMD_STOP, frame.CMD_STATUS) and len(data) == 2
        result = frame.RESULT_OK if ok else frame.RESULT_UNKNOWN_OPCODE
        if data[0] == frame.CMD_RESEND and len(data) == 4:
            result = frame.RESULT_NOT_BUFFERED
        if answer:
            self.device.ring.last = bytes((1, frame.TYPE_STATUS, data[1], result))
        return result

async def settle(link):
    link._wake.set()
    await asyncio.sleep_ms(20)

async def write(link, ble, conn, command):
    ble.command, ble.notified[:] = command, []
    link._irq(3, (conn, 7))
    await settle(link)
    answers = [(c, d[2], d[3]) for c, h, d in ble.notified if h == 5]  # (to, cmd_id, result)
    return (link.conn, link.ready(), answers)

async def main():
    ble, device = FakeBle(), Device()
    control = Control(device)
    link = BleLink(device, control, asyncio.ThreadSafeFlag(), ble=ble)
    link.h_control, link.h_rsc, link.h_data, link.h_status = 7, 11, 3, 5
    task = asyncio.create_task(link.run())
    for conn in (1, 2, 3):
        link._irq(1, (conn, 0, b"\0" * 6))
        link._irq(21, (conn, 247))  # the MTU exchange at connect (firmware 0.7 streams on 48 and up)
        await settle(link)
    print("ADVERTS_UP_TO_3", ble.adverts)
    print("ASKED", await write(link, ble, 2, bytes((frame.CMD_STATUS, 9))))  # asking claims nothing
    print("HOST", await write(link, ble, 2, bytes((frame.CMD_START, 10))))  # start: central 2 is the host
    calls = len(control.calls)
    print("GARBAGE", await write(link, ble, 3, b"\xff\x01junk"))  # from a guest: refused, the host keeps it
    print("GUEST_STOP", await write(link, ble, 3, bytes((frame.CMD_STOP, 11))))
    print("GUEST_STATUS", await write(link, ble, 3, bytes((frame.CMD_STATUS, 12))))
    print("CALLS", control.calls[calls:])
    rsc = asyncio.create_task(link.notify_rsc(period_ms=10))
    await asyncio.sleep_ms(45)
    rsc.cancel()
    print("RSC_TO", sorted(set(c for c, h, d in ble.notified if h == 11)))
    print("RSC_EACH", [len([1 for c, h, d in ble.notified if h == 11 and c == k]) for k in (1, 2, 3)])
    link._irq(2, (1, 0, b"\0" * 6))
    await settle(link)
    print("AFTER_1_LEFT", (link.conn, link.ready(), ble.adverts[-1]))
    link._irq(2, (2, 0, b"\0" * 6))
    await settle(link)
    print("HOST_LEFT", await write(link, ble, 3, bytes((frame.CMD_RESEND, 13, 0, 0))))  # now 3 may claim it
    link._irq(2, (3, 0, b"\0" * 6))
    await settle(link)
    print("ALL_LEFT", (link.conn, link.ready(), ble.adverts[-1]))
    slower = asyncio.create_task(link.slow_down())
    await asyncio.sleep_ms(1100)
    still_fast = ble.adverts[-1]
    link._alone_since = time.ticks_add(time.ticks_ms(), -30_000)  # alone for 30 s
    await asyncio.sleep_ms(1100)
    print("SLOWING", (still_fast, ble.adverts[-1]))
    slower.cancel()
    for event in (1, 2):  # a watch comes and goes: it never claimed the sensor
        link._irq(event, (4, 0, b"\0" * 6))
        await settle(link)
    print("FOOTPOD", device.footpods)
    task.cancel()

asyncio.run(main())
"""


def test_several_centrals_share_the_shoe() -> None:
    proc = run_micropython(SCRIPT, [SHIMS_DIR, FIRMWARE], timeout_s=30)
    out = proc.stdout.decode() + proc.stderr.decode()
    print(out)
    got = {key: ast.literal_eval(rest) for key, _, rest in (line.partition(" ") for line in out.splitlines())
           if key.isupper() and rest[:1] in "([{"}
    ok, held = 0, 6
    assert got["ADVERTS_UP_TO_3"] == [1_000_000, 1_000_000]  # slowly beside 1 and 2 connections; none at 3
    assert got["ASKED"] == (None, False, [(2, 9, ok)])  # answered straight back; no data goes to it yet
    assert got["HOST"] == (2, True, [])  # its answer is in the ring, which now goes to it
    assert got["GARBAGE"] == (2, True, [(3, 1, held)])  # only to the guest, the host keeps the data
    assert got["GUEST_STOP"] == (2, True, [(3, 11, held)])  # a second host in range cannot stop the session
    assert got["GUEST_STATUS"] == (2, True, [(3, 12, ok)])
    assert got["CALLS"] == [(0x0C, False)]  # only the guest's status reached Control, answered outside the ring
    assert got["RSC_TO"] == [1, 3]  # the subscribed centrals only (Bluetooth Core Vol 3 Part G 3.3.3.3)
    assert got["RSC_EACH"][1] == 0 and got["RSC_EACH"][0] == got["RSC_EACH"][2] >= 2  # one per tick each
    assert got["AFTER_1_LEFT"] == (2, True, 1_000_000)  # another central leaving keeps the host's data flowing
    assert got["HOST_LEFT"] == (3, True, [])  # the host gone, another central claims the sensor: a resend from
    # further back than the ring holds (result 5, as after a long outage) is carried out, so it claims it too
    # nobody left: fast advertising again, at 25 ms for the first 30 s (RSCP 5.1.1: 20-30 ms), then 100 ms
    assert (got["ALL_LEFT"], got["SLOWING"]) == ((None, False, 25_000), (25_000, 100_000))
    # 3 connects, 2 leaving with others left, the last (the host: the sampling stops at once), a watch coming and
    # leaving (the sampling goes on for config.RECONNECT_GRACE_S, in case it is back after a dropout)
    assert [wanted for wanted, _ in got["FOOTPOD"]] == [True] * 5 + [False, True, False]
    assert (got["FOOTPOD"][5], got["FOOTPOD"][7]) == ((False, False), (False, True))
