"""A BLE host at MTU 185 that held on through a USB session takes the stream back in frames its link carries
(qa18c F1): the USB claim had made frames full (19 samples) and nothing sized them for the host again, so its
first frames were too big and dropped. firmware/ble.py under CPython with a stand-in `bluetooth` module."""

from __future__ import annotations

import importlib
import sys
import types

import pytest
from fw_rig import Port, Rig, make_device

import frame as F
from control import Control
from device import SENT
from usb import UsbLink


class _Ble:
    """The raw BLE calls BleLink makes, recording nothing but what it needs."""

    value = b""

    def gatts_notify(self, conn: int, handle: int, data: bytes) -> None: ...
    def gatts_write(self, handle: int, value: bytes, *notify: bool) -> None: ...
    def gatts_read(self, handle: int) -> bytes:
        return self.value
    def gap_advertise(self, *args: object, **kwargs: object) -> None: ...
    def config(self, *args: object, **kwargs: object) -> None: ...
    def gattc_exchange_mtu(self, conn: int) -> None: ...


@pytest.fixture
def ble_module(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    bluetooth = types.ModuleType("bluetooth")
    bluetooth.UUID = lambda value: value  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bluetooth", bluetooth)
    if "micropython" not in sys.modules:  # frame.py and the rest fall back without it; ble.py imports const
        micropython = types.ModuleType("micropython")
        micropython.const = lambda value: value  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "micropython", micropython)
    monkeypatch.delitem(sys.modules, "ble", raising=False)
    return importlib.import_module("ble")


def test_a_ble_host_back_after_usb_gets_frames_its_link_carries(rig: Rig, ble_module: types.ModuleType) -> None:
    dev, fake = make_device(rig, nslots=256), _Ble()
    control = Control(dev)
    link = ble_module.BleLink(dev, control, types.SimpleNamespace(set=lambda: None), ble=fake)
    link.h_control, link.h_data, link.h_status = 7, 3, 5
    link._connected, link.advertise = (lambda conn: None), (lambda: None)
    dev.listeners.append(link)
    usb = UsbLink(dev, control, None, Port())

    def ble_command(command: bytes) -> None:
        fake.value = command
        link._irq(3, (1, 7))
        while link._commands:
            link._command(*link._commands.pop(0))

    link._irq(1, (1, 0, b"\0" * 6))
    link._irq(21, (1, 185))
    ble_command(bytes((F.CMD_START, 1)))
    assert dev.sampler.frame_samples == F.samples_for_mtu(185) == 14
    usb.feed(F.serial_packet(bytes([F.CMD_START, 2])))  # a cable takes the stream: full frames
    assert dev.sampler.frame_samples == F.MAX_SAMPLES
    usb.feed(F.serial_packet(bytes([F.CMD_STOP, 3])))
    ble_command(bytes((F.CMD_START, 4)))  # the BLE host, still connected, starts again
    assert dev.sampler.frame_samples == 14
    rig.clock.advance_s(0.2)
    dev.sampler.drain()
    dev.cursor.skip_lost()
    sent = []
    while (data := dev.cursor.peek()) is not None:
        sent.append(link.try_send(bytes(data)))
        dev.cursor.advance()
    assert sent and set(sent) == {SENT} and dev.cursor.dropped == 0
