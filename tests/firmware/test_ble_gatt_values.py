"""What a watch reads from the standard services before any footfall command: Sensor Location, Battery Level and
Device Information.

Runs firmware/ble.py under MicroPython with a fake `BLE` object that records the characteristic values."""

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

class FakeBle:
    def __init__(self):
        self.values = {}
        self.cfg = {}
    def active(self, on):
        pass
    def config(self, *args, **kw):
        if args == ("mac",):
            return (0, b"\xf0\x0d\x00\x00\x00\x01")
        self.cfg.update(kw)
    def irq(self, handler):
        pass
    def gatts_register_services(self, services):
        return ((1, 2, 3), (4, 5, 6), (7,), (8, 9, 10, 11))
    def gatts_set_buffer(self, handle, size):
        pass
    def gatts_write(self, handle, value, send_update=False):
        self.values[handle] = bytes(value)
    def gap_advertise(self, interval, adv_data=None, resp_data=None):
        pass
    def gattc_exchange_mtu(self, conn):
        pass

class NoPairingBle(FakeBle):  # a port built without pairing support: MicroPython raises for the unknown keys
    def config(self, *args, **kw):
        if "bond" in kw or "io" in kw:
            raise ValueError("unknown config param")
        return FakeBle.config(self, *args, **kw)

class Settings:
    side = "L"

class Battery:
    pct = 255
    mv = 0

class Device:
    settings = Settings()
    idle = False
    def __init__(self):
        self.battery = Battery()
    def status_frame(self):
        return b"status"
    def status(self):
        pass
    def activity(self):
        pass

ble, device = FakeBle(), Device()
link = BleLink(device, None, asyncio.ThreadSafeFlag(), ble=ble)
device.battery.pct = 73
link.start()
print("LOCATION", ble.values[6][0])
print("AT_START", ble.values[7][0])
print("DEVICE_INFO", [ble.values[h].decode() for h in (8, 9, 10, 11)])
import config
print("VERSION", repr("%d.%d.%d" % config.FW_VERSION))
device.battery.pct = 64  # the battery task measured again before a watch connects
link.conns.append(1)
link._connected(1)
print("AT_CONNECT", ble.values[7][0])
device.battery.pct = 255  # the ADC reads nothing
link._connected(1)
print("UNKNOWN", ble.values[7][0])
ble2, device2 = FakeBle(), Device()  # an ADC that never read anything (e.g. no divider, on USB power)
link2 = BleLink(device2, None, asyncio.ThreadSafeFlag(), ble=ble2)
link2.start()
print("NEVER_READ", ble2.values[7][0])
print("PAIRING", sorted((k, v) for k, v in ble.cfg.items() if k in ("bond", "io")))
ble3 = NoPairingBle()
BleLink(Device(), None, asyncio.ThreadSafeFlag(), ble=ble3).start()
print("WITHOUT_PAIRING", sorted(ble3.values))
"""


def test_a_watch_reads_top_of_shoe_and_the_real_battery_level_at_connect() -> None:
    proc = run_micropython(SCRIPT, [SHIMS_DIR, FIRMWARE], timeout_s=30)
    out = proc.stdout.decode() + proc.stderr.decode()
    print(out)
    got = {key: ast.literal_eval(rest) for key, _, rest in (line.partition(" ") for line in out.splitlines())
           if key in ("LOCATION", "AT_START", "AT_CONNECT", "UNKNOWN", "NEVER_READ", "DEVICE_INFO", "VERSION",
                      "PAIRING", "WITHOUT_PAIRING")}
    # Bluetooth SIG org.bluetooth.characteristic.sensor_location: 1 Top of shoe (6 is Right Crank)
    assert got["LOCATION"] == 1
    assert (got["AT_START"], got["AT_CONNECT"]) == (73, 64)  # not 0 until the first RSC tick
    # Battery Level allows 0..100 only (others reserved): a reading that failed keeps the last valid one (a watch
    # does not see a low battery jump to full), and before any valid reading the sensor says full, not empty
    assert got["UNKNOWN"] == 64
    assert got["NEVER_READ"] == 100
    # manufacturer, model, serial number (the radio's address: macOS shows apps a per-host UUID, not the address,
    # so this is how a clinic with several kits tells its sensors apart there) and firmware revision
    assert got["DEVICE_INFO"] == ["footfall project", "footfall", "F0:0D:00:00:00:01", got["VERSION"]]
    # pairing explicit (firmware 0.6.1): no bonding, IO capability NoInputNoOutput (3 in MicroPython's numbering),
    # so a collector that asks to pair gets Just Works without a PIN; a port without pairing support still starts
    assert got["PAIRING"] == [("bond", False), ("io", 3)]
    assert got["WITHOUT_PAIRING"] == [3, 5, 6, 7, 8, 9, 10, 11]  # status, RSC feature and location, battery, DIS
    assert got["VERSION"] == "0.7.5"
