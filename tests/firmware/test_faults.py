"""Faults the firmware must survive and report (CPython, chip models on a hand-moved clock): an I2C error in
the sampler (a glitch, a dead chip), a FIFO overrun whose latched flag a status frame read first, and a
resend to a seq the device never sent."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from fw_rig import Rig, frames_of, make_device
from test_device import data_samples, jumps_of

import config
import frame as F
from control import Control


def loop(dev, rig: Rig, seconds: float, step_s: float = 0.05) -> None:
    """What Sampler.run does, on the rig's clock: drain every step; after a fault, probe when retry_ms says."""
    end = rig.clock.t_ns + int(seconds * 1e9)
    while rig.clock.t_ns < end:
        s = dev.sampler
        if getattr(s, "fault", 0):
            rig.clock.advance_s(s.retry_ms() / 1000)
            s.recover()
        else:
            rig.clock.advance_s(step_s)
            s.drain()


def events(frames: list[bytes], code: int) -> list[tuple]:
    return [struct.unpack_from(F.EVENT_FMT, f) for f in frames if f[1] == F.TYPE_EVENT and f[4] == code]


def statuses(frames: list[bytes]) -> list[tuple]:
    return [struct.unpack(F.STATUS_FMT, f) for f in frames if f[1] == F.TYPE_STATUS]


def command(dev, opcode: int, cmd_id: int, *args: object) -> int:
    return Control(dev).handle(F.encode_command(opcode, cmd_id, *args), config.LINK_USB)


def index_offset(rig: Rig, first: int, block: np.ndarray) -> int | None:
    """How far the claimed index `first` of `block` is from where the samples really are in the source."""
    for d in range(-3, 4):
        if np.array_equal(block, rig.expected(first + d, len(block))):
            return d
    return None


@pytest.mark.parametrize("kind", ["lsm6dso32", "mpu6886"])
def test_a_bus_glitch_is_reported_and_costs_a_gap_of_about_its_own_length(kind: str) -> None:
    rig = Rig(kind, n=4000)
    dev = make_device(rig, nslots=256)
    rate = dev.imu.rate_hz
    dev.start()
    loop(dev, rig, 0.5)
    model = rig.bus.models.pop(rig.addr)  # the wire stops answering for 150 ms
    loop(dev, rig, 0.15)
    assert dev.sampler.fault == 19  # ENODEV, as the ESP32 reports a missing ACK
    rig.bus.models[rig.addr] = model
    loop(dev, rig, 0.5)
    assert not dev.sampler.fault
    dev.stop()
    frames = frames_of(dev)
    assert [e[5] for e in events(frames, F.EVENT_IMU_ERROR)] == [19, 0]  # down, then back
    assert not events(frames, F.EVENT_FIFO_OVERRUN)
    assert [s[8] for s in statuses(frames)] == [0, dev.imu.IMU_ID]  # the status says so while it is down
    starts, samples = data_samples(frames)
    jumps = jumps_of(starts)
    # the glitch, the samples since the last good drain (one 50 ms step here) and the probe delay: no more
    assert len(jumps) == 1 and 0.15 * rate <= jumps[0] <= (0.15 * 1.25 + 0.05 + 0.02) * rate, jumps
    # every sample sits at its own index (to the estimate's sample): the gap is neither hidden nor invented
    k = next(i for i, (a, b) in enumerate(zip(starts, starts[1:])) if b[0] != a[0] + a[1]) + 1
    before = sum(n for _, n in starts[:k])
    assert index_offset(rig, starts[0][0], samples[:before]) == 0
    assert index_offset(rig, starts[k][0], samples[before:]) in (-1, 0, 1)


def test_a_dead_imu_leaves_the_device_answering_and_reporting_the_fault() -> None:
    rig = Rig("lsm6dso32")
    dev = make_device(rig, nslots=256)
    command(dev, F.CMD_START, 1)
    loop(dev, rig, 0.3)
    model = rig.bus.models.pop(rig.addr)  # a broken wire
    loop(dev, rig, 6.0)
    assert dev.sampler.retry_ms() == 1000  # probed once a second by now, not hammered
    assert command(dev, F.CMD_STATUS, 2) == F.RESULT_OK
    st = struct.unpack(F.STATUS_FMT, dev.status_frame())
    assert st[8] == 0 and st[17] & F.STATE_STREAMING  # imu 0 (not answering); still meant to stream
    assert command(dev, F.CMD_STOP, 3) == F.RESULT_OK and not dev.streaming
    assert command(dev, F.CMD_START, 4) == F.RESULT_OK and dev.streaming  # started, streaming once it answers
    loop(dev, rig, 2.0)
    frames = frames_of(dev)
    # reported when it failed, not at every probe; and again just before the answer to `status` (command 2),
    # for a host that was not listening then (footfall firmware check)
    assert [e[5] for e in events(frames, F.EVENT_IMU_ERROR)] == [19, 19]
    rig.bus.models[rig.addr] = model  # the wire is fixed
    loop(dev, rig, 1.5)
    frames = frames_of(dev)
    assert [e[5] for e in events(frames, F.EVENT_IMU_ERROR)] == [0]
    assert data_samples(frames)[1].shape[0] > 0.4 * 416  # streaming again
    assert struct.unpack(F.STATUS_FMT, dev.status_frame())[8] == F.IMU_LSM6DSO32


def test_an_imu_that_fails_at_start_streams_once_it_answers() -> None:
    rig = Rig("mpu6886")
    dev = make_device(rig)
    model = rig.bus.models.pop(rig.addr)
    assert command(dev, F.CMD_START, 1) == F.RESULT_OK
    loop(dev, rig, 0.2)
    rig.bus.models[rig.addr] = model
    loop(dev, rig, 0.5)
    dev.stop()
    frames = frames_of(dev)
    codes = [(f[4], struct.unpack_from(F.EVENT_FMT, f)[5]) for f in frames if f[1] == F.TYPE_EVENT]
    assert codes[:3] == [(F.EVENT_STARTED, 0), (F.EVENT_IMU_ERROR, 19), (F.EVENT_IMU_ERROR, 0)]
    starts, samples = data_samples(frames)
    # the chip's first samples, after a gap as long as the time it did not answer (the index keeps time)
    assert 0.2 * 500 <= starts[0][0] <= 0.35 * 500 and not jumps_of(starts)  # + the last probe interval
    assert np.array_equal(samples, rig.expected(0, len(samples)))


@pytest.mark.parametrize("kind,freq_fine", [("lsm6dso32", -7), ("mpu6886", 0)])
def test_an_imu_missing_at_power_up_is_reported_and_used_once_it_answers(kind: str, freq_fine: int) -> None:
    """A loose wire at power-up: the device comes up answering, says IMU 0 with an imu_error event, and once the
    chip answers (the wire pressed home) streams from it; the ST chip's trim is read then (rate_mhz)."""
    rig = Rig(kind, freq_fine=freq_fine)
    model = rig.bus.models.pop(rig.addr)
    dev = make_device(rig)
    assert dev.sampler.fault == 19
    assert command(dev, F.CMD_START, 1) == F.RESULT_OK  # accepted: streaming once the chip answers
    loop(dev, rig, 1.0)
    st, early = struct.unpack(F.STATUS_FMT, dev.status_frame()), frames_of(dev)
    assert st[8] == 0 and not data_samples(early)[0]
    assert [e[5] for e in events(early, F.EVENT_IMU_ERROR)] == [19]  # reported once, at power-up
    rig.bus.models[rig.addr] = model
    loop(dev, rig, 1.0)
    dev.stop()
    frames = frames_of(dev)
    assert [e[5] for e in events(frames, F.EVENT_IMU_ERROR)] == [0]
    starts, samples = data_samples(frames)
    assert samples.shape[0] > 0.7 * dev.imu.rate_hz and not jumps_of(starts)
    assert np.array_equal(samples, rig.expected(0, len(samples)))  # the chip's own first samples
    st = struct.unpack(F.STATUS_FMT, dev.status_frame())
    want_mhz = 6667 * (10000 + 15 * freq_fine) // (10 << 4) if kind == "lsm6dso32" else 0  # 416 Hz: ODR code 6
    assert st[8] == dev.imu.IMU_ID and st[-1] == want_mhz, (st[8], st[-1])


@pytest.mark.parametrize("kind", ["lsm6dso32", "mpu6886"])
def test_overrun_is_reported_when_a_status_frame_read_the_fifo_first(kind: str) -> None:
    rig = Rig(kind, n=4000)
    dev = make_device(rig, nslots=256)
    dev.start()
    loop(dev, rig, 0.2)
    rig.clock.advance_s(1.0)  # the event loop stalls (a slow flash write)...
    assert command(dev, F.CMD_STATUS, 5) == F.RESULT_OK  # ...and a status command is handled before the drain
    dev.sampler.drain()  # at once: no newer overwrite sets the flag again
    loop(dev, rig, 0.2)
    dev.stop()
    frames = frames_of(dev)
    overruns = events(frames, F.EVENT_FIFO_OVERRUN)
    assert rig.model.lost > 0 and len(overruns) == 1 and dev.fifo_overruns == 1
    assert abs(overruns[0][5] - rig.model.lost) <= 2
    jumps = jumps_of(data_samples(frames)[0])
    assert len(jumps) == 1 and abs(jumps[0] - rig.model.lost) <= 2


def test_an_overrun_bit_read_by_fifo_samples_is_kept_for_the_next_drain() -> None:
    rig = Rig("lsm6dso32")

    class LatchedOnly(type(rig.model)):  # a chip whose only overrun flag is the clear-on-read latched one
        def _read_reg(self, reg: int) -> int:
            value = super()._read_reg(reg)
            return value & ~0x40 if reg == 0x3B else value

    rig.model.__class__ = LatchedOnly
    imu = rig.imu()
    imu.start(38)
    rig.clock.advance_s(1.0)
    assert imu.fifo_samples() == 256  # this read resets FIFO_OVR_LATCHED...
    n, overrun = imu.drain(bytearray(imu.max_batch * 12))
    assert n > 0 and overrun  # ...and the driver kept it for the drain
    assert imu.drain(bytearray(imu.max_batch * 12))[1] is False  # reported once


def test_lsm6dsox_model_fifo_status2_follows_the_datasheet(rig: Rig) -> None:
    imu = rig.imu()
    imu.start(38)
    status2 = bytearray(1)
    rig.clock.advance_s(1.0)  # 416 samples into a 256-sample FIFO: overwrites
    rig.bus.readfrom_mem_into(rig.addr, 0x3B, status2)
    assert status2[0] & 0x48 == 0x48  # FIFO_OVR_IA and FIFO_OVR_LATCHED
    rig.bus.readfrom_mem_into(rig.addr, 0x3B, status2)
    assert status2[0] & 0x48 == 0x40  # the latched bit is reset by the read, OVR_IA holds while full
    rig.bus.readfrom_mem_into(rig.addr, 0x78, bytearray(7))  # one word out: no longer completely filled
    rig.bus.readfrom_mem_into(rig.addr, 0x3B, status2)
    assert status2[0] & 0x48 == 0


def test_resend_to_a_seq_never_sent_is_a_bad_value_and_changes_nothing(rig: Rig) -> None:
    dev = make_device(rig, nslots=64)
    dev.start()
    loop(dev, rig, 1.0)
    sent = frames_of(dev)  # the link sent everything so far
    loop(dev, rig, 0.3)  # more frames wait in the ring, not sent yet
    pos, head, dropped = dev.cursor.pos, dev.ring.head, dev.cursor.dropped
    last_seq = pos - 1
    for cmd_id, seq in enumerate([(last_seq + 100) & 0xFFFF, (last_seq + 2) & 0xFFFF, 0xFFFF], 1):
        # a previous boot's last seq + 1 lands ahead of what went out (or before power-on)
        assert command(dev, F.CMD_RESEND, cmd_id, seq) == F.RESULT_BAD_VALUE, seq
        assert (dev.cursor.pos, dev.cursor.dropped) == (pos, dropped)
        assert dev.ring.head == head + cmd_id  # only the answer, no frames-dropped event
    frames = frames_of(dev)
    assert not events(frames, F.EVENT_FRAMES_DROPPED) and not events(frames, F.EVENT_RESEND_DONE)
    assert [s[-2] for s in statuses(frames)][-3:] == [F.RESULT_BAD_VALUE] * 3
    # the next seq is not ahead: nothing to resend, done at once; and an old one still rewinds
    assert command(dev, F.CMD_RESEND, 9, dev.cursor.pos & 0xFFFF) == F.RESULT_OK
    assert command(dev, F.CMD_RESEND, 10, sent[-3][2] | sent[-3][3] << 8) == F.RESULT_OK
    again = frames_of(dev)
    assert again[:3] == sent[-3:] and events(again, F.EVENT_RESEND_DONE)
