"""QA17 hostile #3 under the real MicroPython unix port: a rate or range change while a `calibrate` is pending
(the CPython rig's cases in test_settings_during_calibrate.py), once on the chip model with a hand-moved clock and
once end to end (VirtualShoe: the firmware's main over its USB pty, the host's decoder reading)."""

from __future__ import annotations

import pytest
from test_hostile_control import still_counts
from test_settings_during_calibrate import assert_consistent
from test_usb_e2e import Host

import frame as F
from footfall.protocol.decode import StreamDecoder
from footfall.protocol.frames import StatusFrame, decode_frame
from footfall.virtual.mpy import firmware_dir, run_micropython
from footfall.virtual.shoe import VIRTUAL_DIR, ShoeConfig, VirtualShoe

pytestmark = pytest.mark.micropython

SCRIPT = """
import struct
import config
import frame as F
from control import Control
from device import Device
from imu import make_imu
from imu_model import FakeClock, ModelBus, SampleSource
from imu_model_lsm6dsox import LSM6DSOXModel
from ring import Ring

still = b"".join(struct.pack("<hhhhhh", 100 + i % 3, -50, 1024 - i % 2, 12, -8 + i % 2, 5) for i in range(997))
CHANGES = {"rate": b"\\x03\\x03" + struct.pack("<H", 833), "ranges": b"\\x04\\x03\\x10" + struct.pack("<H", 1000)}
for name in ("rate", "ranges"):
    for fifo_ms in (100, 600):
        clock = FakeClock()
        model = LSM6DSOXModel(SampleSource(data=still), clock_ns=clock.ns)
        imu = make_imu("lsm6dso32", ModelBus({0x6A: model}), 0x6A)
        s = config.Settings("xiao_esp32s3", 416, 32, 2000)
        dev = Device(s, imu, Ring(256), boards={"xiao_esp32s3": {}}, save=lambda x: None,
                     ticks=lambda: clock.t_ns // 1000000)
        ctl = Control(dev)
        ctl.handle(b"\\x01\\x01", config.LINK_BLE)
        clock.advance_s(0.05)
        dev.sampler.drain()
        assert ctl.handle(b"\\x09\\x02", config.LINK_BLE) == -1
        clock.advance_s(fifo_ms / 1000)
        assert ctl.handle(CHANGES[name], config.LINK_USB) == 0  # rate, ranges: USB only (0.7.4)
        for _ in range(5):
            clock.advance_s(0.05)
            dev.sampler.drain()
        while True:
            f = dev.cursor.peek()
            if f is None:
                break
            print("F", name, fifo_ms, bytes(f).hex())
            dev.cursor.advance()
        print("S", name, fifo_ms, imu.rate_hz, imu.acc_range_g, model.rate_hz, dev.settings.rate_hz)
"""


def test_a_change_during_calibrate_under_micropython() -> None:
    proc = run_micropython(SCRIPT, path=[VIRTUAL_DIR, firmware_dir()], timeout_s=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    runs: dict[tuple[str, str], list[bytes]] = {}
    ends = {}
    for line in proc.stdout.decode().splitlines():
        kind, name, fifo_ms, *rest = line.split()
        if kind == "F":
            runs.setdefault((name, fifo_ms), []).append(bytes.fromhex(rest[0]))
        else:
            ends[(name, fifo_ms)] = [float(v) for v in rest]
    assert len(runs) == len(ends) == 4
    for key, frames in runs.items():
        statuses = [decode_frame(f) for f in frames if f[1] == F.TYPE_STATUS]  # ProtocolError: a corrupt one
        for status in statuses:
            assert isinstance(status, StatusFrame)
            assert_consistent(status)
        answers = [(s.cmd_id, s.cmd_result) for s in statuses if s.cmd_id in (2, 3)]
        assert answers == [(2, F.RESULT_BUSY), (3, F.RESULT_OK)], (key, answers)
        rate_hz, acc_g, model_hz, settings_hz = ends[key]
        assert rate_hz == settings_hz == (833 if key[0] == "rate" else 416), (key, ends[key])
        assert acc_g == (32 if key[0] == "rate" else 16) and model_hz == pytest.approx(rate_hz, rel=0.01)


def test_a_change_during_calibrate_over_usb_reaches_the_host_whole() -> None:
    """QA's run: the decoder counted the calibrate's answer corrupt and never saw it."""
    shoe = VirtualShoe(ShoeConfig(side="L"), samples=still_counts()).start()
    try:
        host = Host(shoe.serial_port, shoe)
        host.command(F.CMD_SELECT_LINK, 1)
        host.command(F.CMD_START)
        host.pump_for(0.3)
        since = len(host.frames)
        cal_id = host.send(F.CMD_CALIBRATE)  # answered when its window is over: not waited for
        rate = host.command(F.CMD_SET_RATE, 833)
        host.pump(lambda: host.answer(cal_id, since) is not None, 5)
        host.pump_for(1.0)
        stop = host.command(F.CMD_STOP)
    finally:
        shoe.cleanup()
    decoder = StreamDecoder(sensor="L")
    for f in host.frames:
        decoder.feed(f)
    calibrate = host.answer(cal_id, since)
    assert calibrate is not None and calibrate[-2] == F.RESULT_BUSY and rate[-2] == F.RESULT_OK
    assert stop[3] == 833  # rate_hz
    assert decoder.report.corrupt == 0 and host.reader.corrupt == 0, decoder.report.summary()
    assert decoder.status is not None and decoder.status.sample_rate_hz == pytest.approx(833, rel=0.01)
