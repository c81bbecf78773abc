"""BleLink with several centrals: it advertises beside connections until 3 are connected, every central gets
the RSC measurement, the data goes to the one that last wrote a valid command, and the footpod sampling follows
whether any central is connected.

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
from ble import BleLink
import frame

class FakeBle:
    def __init__(self):
        self.adverts = []
        self.notified = []
        self.command = bytes((frame.CMD_STATUS, 9))
    def gatts_read(self, handle):
        return self.command
    def gatts_write(self, handle, value, send_update=False):
        pass
    def gatts_notify(self, conn, handle, data):
        self.notified.append((conn, handle))
    def gap_advertise(self, interval, adv_data=None, resp_data=None):
        self.adverts.append(interval)
    def gattc_exchange_mtu(self, conn):
        pass

class Settings:
    side = "L"

class Steps:
    def measurement(self):
        return b"\x04\x00\x02\xa6"

class Device:
    settings = Settings()
    idle = False
    battery = None
    steps = Steps()
    def __init__(self):
        self.wake = asyncio.Event()
        self.footpods = []
    def activity(self):
        pass
    def status(self):
        pass
    def footpod(self, wanted):
        self.footpods.append(wanted)

class Control:
    def handle(self, data, link):
        return frame.RESULT_OK if data[0] == frame.CMD_STATUS else frame.RESULT_UNKNOWN_OPCODE

async def settle(link):
    link._wake.set()
    await asyncio.sleep_ms(20)

async def main():
    ble, device = FakeBle(), Device()
    link = BleLink(device, Control(), asyncio.ThreadSafeFlag(), ble=ble)
    link.h_control, link.h_rsc, link.h_data = 7, 11, 3
    task = asyncio.create_task(link.run())
    for conn in (1, 2, 3):
        link._irq(1, (conn, 0, b"\0" * 6))
        await settle(link)
    print("ADVERTS_UP_TO_3", ble.adverts)
    link._irq(3, (2, 7))  # central 2 writes a command: it is the host
    await settle(link)
    print("HOST", (link.conn, link.ready()))
    ble.command = b"\xff\x01junk"  # garbage from central 3 does not take the data from the host
    link._irq(3, (3, 7))
    await settle(link)
    print("AFTER_GARBAGE", (link.conn, link.ready()))
    ble.command = bytes((frame.CMD_STATUS, 10))
    rsc = asyncio.create_task(link.notify_rsc(period_ms=10))
    await asyncio.sleep_ms(15)
    rsc.cancel()
    print("RSC_TO", sorted(set(c for c, h in ble.notified if h == 11)))
    link._irq(2, (1, 0, b"\0" * 6))
    await settle(link)
    print("AFTER_1_LEFT", (link.conn, link.ready(), ble.adverts[-1]))
    for conn in (2, 3):
        link._irq(2, (conn, 0, b"\0" * 6))
        await settle(link)
    print("ALL_LEFT", (link.conn, link.ready(), ble.adverts[-1]))
    print("FOOTPOD", device.footpods)
    task.cancel()

asyncio.run(main())
"""


def test_several_centrals_share_the_shoe() -> None:
    proc = run_micropython(SCRIPT, [SHIMS_DIR, FIRMWARE], timeout_s=30)
    out = proc.stdout.decode() + proc.stderr.decode()
    print(out)
    got = {line.split(" ", 1)[0]: ast.literal_eval(line.split(" ", 1)[1]) for line in out.splitlines()
           if line.split(" ", 1)[0] in ("ADVERTS_UP_TO_3", "HOST", "AFTER_GARBAGE", "RSC_TO", "AFTER_1_LEFT", "ALL_LEFT",
                                             "FOOTPOD")}
    assert got["ADVERTS_UP_TO_3"] == [1_000_000, 1_000_000]  # slowly beside 1 and 2 connections; none at 3
    assert got["HOST"] == (2, True) and got["AFTER_GARBAGE"] == (2, True)
    assert got["RSC_TO"] == [1, 2, 3]  # the watch gets cadence as well as the host
    assert got["AFTER_1_LEFT"] == (2, True, 1_000_000)  # another central leaving keeps the host's data flowing
    assert got["ALL_LEFT"] == (None, False, 100_000)  # nobody left: fast advertising again
    assert got["FOOTPOD"] == [True] * 5 + [False]  # 3 connects, 2 leaving with others left, the last
