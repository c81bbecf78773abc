"""BleLink never drops a control write silently: beyond the 16 it queues, a command is answered 'busy'.

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
        self.value = b""
    def gatts_read(self, handle):
        return self.value

class Settings:
    side = "L"
    link = 0

class Sampler:
    frame_samples = 19  # set by the link when a host claims the sensor

class Cursor:
    pos = 0  # the link moves it past answers echoed to a central before it claimed

class Device:
    settings = Settings()
    streaming = False  # a host leaving keeps nothing (ble.py 0.7.4: kept only mid-stream)
    sampler = Sampler()
    cursor = Cursor()
    def __init__(self):
        self.answers = []
        self.wake = asyncio.Event()
    def answer(self, cmd_id, result):
        self.answers.append((cmd_id, result))
    def activity(self):
        pass
    def footpod(self, wanted, grace=False):
        pass

class Control:
    def usb_holds(self):
        return False
    def __init__(self, device):
        self.device = device
    def handle(self, data, link):
        self.device.answer(data[1], frame.RESULT_OK)
        return frame.RESULT_OK

async def main():
    ble, device = FakeBle(), Device()
    link = BleLink(device, Control(device), asyncio.ThreadSafeFlag(), ble=ble)
    link.h_control = 7
    link._irq(1, (1, 0, b"\0" * 6))
    link._irq(21, (1, 247))  # the MTU exchange at connect (firmware 0.7 streams on 48 and up)
    for cmd_id in range(1, 21):  # 20 writes before the task runs: 16 queue, 4 are refused
        ble.value = bytes((frame.CMD_START, cmd_id))
        link._irq(3, (1, 7))
    link._connected = lambda conn: None
    link.advertise = lambda: None
    task = asyncio.create_task(link.run())
    await asyncio.sleep_ms(50)
    task.cancel()
    print("ANSWERS", sorted(device.answers))
    print("READY", link.ready())

asyncio.run(main())
"""


def test_commands_beyond_the_queue_are_answered_busy() -> None:
    import frame as F

    proc = run_micropython(SCRIPT, [SHIMS_DIR, FIRMWARE], timeout_s=30)
    out = proc.stdout.decode() + proc.stderr.decode()
    print(out)
    line = next(x for x in out.splitlines() if x.startswith("ANSWERS"))
    answers = ast.literal_eval(line.split(" ", 1)[1])  # (id, result) tuples printed by the script
    assert answers == sorted([(i, F.RESULT_OK) for i in range(1, 17)] + [(i, F.RESULT_BUSY) for i in range(17, 21)])
    assert "READY True" in out
