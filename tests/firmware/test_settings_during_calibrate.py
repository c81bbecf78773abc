"""QA17 hostile #3: a rate or range change while a `calibrate` is pending.

The firmware configured the IMU for the new rate and then stopped the stream, whose calibration answer carried the
old rate with the new chip rate: the host dropped it as corrupt (the calibrate's answer lost, "1 corrupt" on a
healthy device). When the FIFO already held the rest of the window, the stop's drain completed the calibration
inside the change and put the chip back at the old rate under the new label. Now every status frame decodes and
describes one configuration, the calibrate is answered once (4: cancelled, the stream restarted), and a
calibration asked after the change completes at the new settings. The same sequence runs under MicroPython in
test_settings_during_calibrate_mpy.py."""

from __future__ import annotations

import struct

import pytest
from fw_rig import Rig, frames_of, make_device
from test_hostile_control import PRIOR, answers_of, still_counts

import config
import frame as F
from control import PENDING, Control
from footfall.protocol.decode import StreamDecoder
from footfall.protocol.encode import scales
from footfall.protocol.frames import StatusFrame, decode_frame

CHANGES = {  # name: (command bytes after opcode and id, the settings it leads to: rate, acc range, gyro range)
    "rate": (F.CMD_SET_RATE, struct.pack("<H", 833), (833, 32, 2000)),
    "slower rate": (F.CMD_SET_RATE, struct.pack("<H", 104), (104, 32, 2000)),
    "ranges": (F.CMD_SET_RANGES, bytes([16]) + struct.pack("<H", 1000), (416, 16, 1000)),
}


def run_change(change: str, fifo_s: float) -> tuple:
    """Stream, calibrate (id 2), let the FIFO fill for `fifo_s` undrained, change (id 3): (device, rig, frames)."""
    rig = Rig(counts=still_counts())
    dev = make_device(rig, cal=list(PRIOR))
    ctl = Control(dev)
    ctl.handle(bytes([F.CMD_START, 1]), config.LINK_BLE)
    rig.clock.advance_s(0.05)
    dev.sampler.drain()
    assert ctl.handle(bytes([F.CMD_CALIBRATE, 2]), config.LINK_BLE) == PENDING
    rig.clock.advance_s(fifo_s)  # 0.6 s: the FIFO holds the whole window when the change comes
    opcode, args, _ = CHANGES[change]
    assert ctl.handle(bytes([opcode, 3]) + args, config.LINK_USB) == F.RESULT_OK  # rate, ranges: USB only (0.7.4)
    for _ in range(5):
        rig.clock.advance_s(0.05)
        dev.sampler.drain()
    return dev, rig, frames_of(dev)


def assert_consistent(status: StatusFrame) -> None:
    acc, gyr = scales(status.imu, status.acc_range_g, status.gyr_range_dps)
    assert status.acc_mps2_per_count == pytest.approx(acc, rel=1e-6), status
    assert status.gyr_radps_per_count == pytest.approx(gyr, rel=1e-2), status  # the datasheet's, a little above
    assert status.rate_mhz == pytest.approx(1000 * status.rate_hz, rel=0.01), status


@pytest.mark.parametrize("fifo_s", [0.1, 0.6], ids=["window open", "window in the fifo"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_during_calibrate_answers_it_cancelled_in_a_valid_frame(change: str, fifo_s: float) -> None:
    dev, rig, frames = run_change(change, fifo_s)
    decoder = StreamDecoder(sensor="L")
    for f in frames:
        decoder.feed(f)
    statuses = [decode_frame(f) for f in frames if f[1] == F.TYPE_STATUS]
    for status in statuses:
        assert isinstance(status, StatusFrame)
        assert_consistent(status)
    assert decoder.report.corrupt == 0 and decoder.report.problems == 0, decoder.report.summary()
    assert answers_of(frames, 2) == [F.RESULT_BUSY] and answers_of(frames, 3) == [F.RESULT_OK]
    rate_hz, acc_g, gyr_dps = CHANGES[change][2]
    last = statuses[-1]
    assert (last.rate_hz, last.acc_range_g, last.gyr_range_dps) == (rate_hz, acc_g, gyr_dps)
    assert (dev.imu.rate_hz, dev.imu.acc_range_g, dev.imu.gyr_range_dps) == (rate_hz, acc_g, gyr_dps)
    assert rig.model.rate_hz == pytest.approx(rate_hz, rel=0.01)  # the chip samples at what the label says
    assert dev.streaming and dev.saved[-1]["rate_hz"] == rate_hz
    assert dev.settings.cal == (list(PRIOR) if change != "ranges" else None)  # the old one stays, or none


def test_the_cancelled_answer_comes_before_the_stream_restarts_and_describes_the_old_rate() -> None:
    _, _, frames = run_change("rate", 0.1)
    events = [struct.unpack(F.EVENT_FMT, f)[3] if f[1] == F.TYPE_EVENT else None for f in frames]
    busy = next(i for i, f in enumerate(frames) if f[1] == F.TYPE_STATUS and f[39] == 2)
    stopped = events.index(F.EVENT_STOPPED)
    started = len(events) - 1 - events[::-1].index(F.EVENT_STARTED)  # the restart's (the start command's first)
    status = decode_frame(frames[busy])
    assert isinstance(status, StatusFrame)
    assert busy < stopped < started and status.rate_hz == 416


def test_a_calibration_asked_after_the_change_completes_at_the_new_settings() -> None:
    dev, rig, _ = run_change("ranges", 0.1)
    ctl = Control(dev)
    assert ctl.handle(bytes([F.CMD_CALIBRATE, 4]), config.LINK_BLE) == PENDING
    for _ in range(20):
        rig.clock.advance_s(0.05)
        dev.sampler.drain()
    frames = frames_of(dev)
    assert answers_of(frames, 4) == [F.RESULT_OK]
    status = decode_frame([f for f in frames if f[1] == F.TYPE_STATUS][-1])
    assert isinstance(status, StatusFrame)
    assert (status.acc_range_g, status.gyr_range_dps) == (16, 1000) and status.state & F.STATE_CALIBRATED
    assert dev.saved[-1]["cal"] == dev.settings.cal and dev.settings.acc_range_g == 16


def test_an_unsupported_rate_changes_nothing_and_the_calibration_goes_on() -> None:
    rig = Rig(counts=still_counts())
    dev = make_device(rig)
    ctl = Control(dev)
    ctl.handle(bytes([F.CMD_START, 1]), config.LINK_BLE)
    assert ctl.handle(bytes([F.CMD_CALIBRATE, 2]), config.LINK_BLE) == PENDING
    new = dev.settings.copy()
    new.rate_hz = 1000  # an MPU6886 rate, not an LSM6DSO32 one
    with pytest.raises(ValueError):
        dev.apply(new)
    assert dev.imu.rate_hz == dev.settings.rate_hz == 416 and dev.streaming and dev.saved == []
    for _ in range(20):
        rig.clock.advance_s(0.05)
        dev.sampler.drain()
    assert answers_of(frames_of(dev), 2) == [F.RESULT_OK]
