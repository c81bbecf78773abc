"""The firmware's pure modules under the real MicroPython unix port (mpy_selftest.py does the checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.virtual.mpy import firmware_dir, run_micropython
from footfall.virtual.shoe import VIRTUAL_DIR

pytestmark = pytest.mark.micropython


def test_pure_modules_under_micropython() -> None:
    script = (Path(__file__).parent / "mpy_selftest.py").read_text()
    proc = run_micropython(script, path=[VIRTUAL_DIR, firmware_dir()], timeout_s=120)
    out = proc.stdout.decode()
    print(out, proc.stderr.decode()[-2000:])
    assert proc.returncode == 0 and out.rstrip().endswith("ALL OK")
    assert out.count("ok ") == 12


def test_main_imports_without_touching_hardware() -> None:
    # importing main must only define things: no I2C, no radio, no tasks (the shim would say so)
    script = "import main\nimport machine\nprint(machine._IMU is None, machine._started[0])\n"
    proc = run_micropython(script, path=[VIRTUAL_DIR / "mpy_shims", VIRTUAL_DIR, firmware_dir()])
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().split() == ["True", "False"]


def test_watermark_interrupt_reaches_the_driver_through_the_shim() -> None:
    script = """
import time
from machine import Pin, I2C
from imu import make_imu
imu = make_imu("lsm6dso32", I2C(0), 0x6A)
hits = [0]
def on_int1(pin):
    hits[0] += 1
Pin(3, Pin.IN).irq(on_int1, Pin.IRQ_RISING)
imu.configure(416, 32, 2000)
imu.start(38)
buf = bytearray(imu.max_batch * 12)
t0 = time.ticks_ms()
seen = 0
while time.ticks_diff(time.ticks_ms(), t0) < 1000:
    if hits[0] > seen:
        seen = hits[0]
        while imu.drain(buf)[0]:
            pass
    time.sleep_ms(1)
print(hits[0])
"""
    import os

    env_before = os.environ.get("FOOTFALL_INT_PIN")
    os.environ["FOOTFALL_INT_PIN"] = "3"
    try:
        proc = run_micropython(script, path=[VIRTUAL_DIR / "mpy_shims", VIRTUAL_DIR, firmware_dir()])
    finally:
        if env_before is None:
            os.environ.pop("FOOTFALL_INT_PIN")
        else:
            os.environ["FOOTFALL_INT_PIN"] = env_before
    assert proc.returncode == 0, proc.stderr.decode()
    irqs = int(proc.stdout.decode().split()[-1])
    print(f"{irqs} watermark interrupts in 1 s (416 Hz / 38 samples = 10.9 expected)")
    assert 9 <= irqs <= 11


def test_firmware_without_its_imu_comes_up_and_reports_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A loose wire at power-up: the firmware still comes up (USB and BLE answer), its status says IMU 0 and an
    imu_error event carries ENODEV, and the sampler probes for the chip (test_faults has it appear later)."""
    monkeypatch.setenv("FOOTFALL_IMU", "none")  # no chip answers on the shim's I2C bus
    monkeypatch.chdir(tmp_path)
    script = """
import main, frame, struct
device, ble, usb = main.build()
imu = struct.unpack(frame.STATUS_FMT, device.status_frame())[8]
errors = []
while device.cursor.peek() is not None:
    f = bytes(device.cursor.peek())
    device.cursor.advance()
    if f[1] == frame.TYPE_EVENT and f[4] == frame.EVENT_IMU_ERROR:
        errors.append(struct.unpack(frame.EVENT_FMT, f)[5])
print('FAULT', device.sampler.fault, 'IMU', imu, 'EVENTS', errors)
"""
    proc = run_micropython(script, path=[VIRTUAL_DIR / "mpy_shims", VIRTUAL_DIR, firmware_dir()])
    out = proc.stdout.decode() + proc.stderr.decode()
    assert "FAULT 19 IMU 0 EVENTS [19]" in out, out


def test_an_interrupt_during_an_i2c_transfer_loses_no_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    # The shim delivers the INT pin's poll between bytecodes, so it can land inside a FIFO read. Here every
    # sample the model takes from its source first reads the INT pin, as such a poll would, and every look at
    # the clock makes one more sample due. Re-entering the model mixed up its FIFO: the rare bit-exact USB
    # failure, one sample fewer than the model produced. Every sample must come out once, in order.
    script = """
import machine
from machine import Pin, I2C
from imu import make_imu
from imu_model import SampleSource
imu = make_imu("lsm6dso32", I2C(0), 0x6A)
model = machine.imu_model()
model.source = SampleSource(data=b"".join(bytes([i & 255, i >> 8]) + bytes(10) for i in range(600)))
t = [0]
def clock():
    t[0] += 1_000_000_000 // 416 + 1
    return t[0]
model.clock_ns = clock
pin = Pin(3, Pin.IN)
take = model.source.next
def next_sample():
    pin.value()
    return take()
model.source.next = next_sample
imu.configure(416, 32, 2000)
imu.start(38)
buf = bytearray(imu.max_batch * 12)
got = []
def drain():
    n = imu.drain(buf)[0]
    got.extend(buf[12 * i] | buf[12 * i + 1] << 8 for i in range(n))
    return n
for _ in range(40):
    drain()
imu.stop()
while drain():
    pass
print(model.produced, model.lost, len(got), got == list(range(len(got))))
"""
    monkeypatch.setenv("FOOTFALL_INT_PIN", "3")
    proc = run_micropython(script, path=[VIRTUAL_DIR / "mpy_shims", VIRTUAL_DIR, firmware_dir()])
    text = proc.stdout.decode()[-300:]  # a traceback ends "maximum recursion depth exceeded" without the guard
    print("produced, lost, drained, in order:", text)
    out = text.split()
    assert proc.returncode == 0 and out[3] == "True", text
    assert int(out[0]) == int(out[2]) > 40 and out[1] == "0", text
