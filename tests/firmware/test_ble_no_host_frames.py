"""While no BLE host holds the sensor, data frames fit MTU 185 (ble.py `_OUTAGE_MTU`, 14 samples) however the BLE
stream began: a `start` from a central that left before it was handled (the lead of stop 19: 0.7.2 cut 19-sample
frames for a host that was gone, and a host back at an iPhone's MTU 185 lost each as too big), or `select link` BLE
over USB in the middle of a USB stream. Real Device, Control and BleLink under the MicroPython unix port, a fake
`BLE` object and the register-level chip model."""

from __future__ import annotations

import pytest

import frame as F
from footfall.virtual.mpy import firmware_dir, run_micropython
from footfall.virtual.shoe import SHIMS_DIR, VIRTUAL_DIR

pytestmark = pytest.mark.micropython

SCRIPT = """
import config
import frame as F
from ble import BleLink
from control import Control
from device import Device
from imu import make_imu
from imu_model import FakeClock, ModelBus, SampleSource
from imu_model_lsm6dsox import LSM6DSOXModel
from ring import Ring
from usb import UsbLink

class FakeBle:
    value = b""
    def gatts_notify(self, conn, handle, data): pass
    def gatts_write(self, handle, value, *update): pass
    def gatts_read(self, handle): return self.value
    def gap_advertise(self, *a, **k): pass
    def config(self, *a, **k): pass
    def gattc_exchange_mtu(self, conn): pass

class Flag:
    def set(self): pass

class Port:
    def write(self, data): return len(data)

def rig():
    clock = FakeClock()
    model = LSM6DSOXModel(SampleSource(data=bytes(range(256)) * 48), clock_ns=clock.ns)
    imu = make_imu("lsm6dso32", ModelBus({0x6A: model}), 0x6A)
    dev = Device(config.Settings("xiao_esp32s3", 416, 32, 2000), imu, Ring(256), boards={"xiao_esp32s3": {}},
                 save=lambda s: None, ticks=lambda: clock.t_ns // 1000000)
    control, fake = Control(dev), FakeBle()
    link = BleLink(dev, control, Flag(), ble=fake)
    link.h_control, link.h_data, link.h_status = 7, 3, 5
    link._connected = lambda conn: None
    link.advertise = lambda: None
    dev.listeners.append(link)
    return clock, dev, control, fake, link

def ble_write(link, fake, conn, command):
    fake.value = command
    link._irq(3, (conn, 7))

def handle(link):
    while link._commands:
        link._command(*link._commands.pop(0))

def data_sizes(clock, dev):
    clock.advance_s(0.3)
    dev.sampler.drain()
    sizes = []
    while (f := dev.cursor.peek()) is not None:
        if f[1] == F.TYPE_DATA:
            sizes.append(len(f))
        dev.cursor.advance()
    return sorted(set(sizes))

# a host at MTU 247 writes start and leaves before the task handles it
clock, dev, control, fake, link = rig()
link._irq(1, (1, 0, bytes(6))); link._irq(21, (1, 247))
ble_write(link, fake, 1, bytes((F.CMD_START, 1)))
link._irq(2, (1, 0, bytes(6)))
handle(link)
print("GONE", (dev.streaming, link.conn, dev.sampler.frame_samples, data_sizes(clock, dev)))

# a USB stream handed to BLE with `select link` while no BLE host holds the sensor
clock, dev, control, fake, link = rig()
usb = UsbLink(dev, control, None, Port())
usb.feed(F.serial_packet(bytes((F.CMD_START, 2))))
usb.feed(F.serial_packet(bytes((F.CMD_SELECT_LINK, 3, config.LINK_BLE))))
print("HANDED", (dev.streaming, dev.settings.link, dev.sampler.frame_samples, data_sizes(clock, dev)))
"""


def _run() -> dict[str, tuple[object, ...]]:
    import ast

    proc = run_micropython(SCRIPT, path=[SHIMS_DIR, VIRTUAL_DIR, firmware_dir()], timeout_s=60)
    out = proc.stdout.decode()
    print(out, proc.stderr.decode()[-2000:])
    assert proc.returncode == 0
    return {key: ast.literal_eval(rest) for key, _, rest in (line.partition(" ") for line in out.splitlines())}


def test_frames_for_no_host_fit_mtu_185() -> None:
    got = _run()
    limit = 185 - F.NOTIFY_HEADER_BYTES
    streaming, host, samples, sizes = got["GONE"]
    assert streaming and host is None and samples == F.samples_for_mtu(185)
    assert sizes and max(sizes) <= limit, sizes  # type: ignore[call-overload]
    streaming, link, samples, sizes = got["HANDED"]
    assert streaming and link == 0 and samples == F.samples_for_mtu(185)
    assert sizes and max(sizes) <= limit, sizes  # type: ignore[call-overload]
