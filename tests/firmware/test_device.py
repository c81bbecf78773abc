"""Sampler, ring, device and control on the chip model, under CPython: frames, overrun, resend, commands."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from fw_rig import Rig, frames_of, make_device

import frame as F


def data_samples(frames: list[bytes]) -> tuple[list[int], np.ndarray]:
    starts, blocks = [], []
    for f in frames:
        if f[1] == F.TYPE_DATA:
            _, _, _, first, n, _ = struct.unpack_from(F.DATA_HEADER_FMT, f)
            starts.append((first, n))
            blocks.append(np.frombuffer(f[10 : 10 + 12 * n], "<i2").reshape(n, 6))
    return starts, np.concatenate(blocks) if blocks else np.zeros((0, 6))


def jumps_of(starts: list[tuple[int, int]]) -> list[int]:
    return [b[0] - (a[0] + a[1]) for a, b in zip(starts, starts[1:]) if b[0] != a[0] + a[1]]


def run(dev, rig: Rig, seconds: float, step_s: float = 0.05) -> None:
    for _ in range(int(seconds / step_s)):
        rig.clock.advance_s(step_s)
        dev.sampler.drain()


def test_frames_are_full_continuous_and_bit_exact(rig: Rig) -> None:
    dev = make_device(rig)
    dev.start()
    run(dev, rig, 1.0)
    dev.stop()
    frames = frames_of(dev)
    seqs = [f[2] | f[3] << 8 for f in frames]
    assert seqs == list(range(len(frames)))
    starts, samples = data_samples(frames)
    assert len(samples) == rig.model.produced == 416
    assert np.array_equal(samples, rig.expected(0, len(samples)))
    assert all(n == F.MAX_SAMPLES for _, n in starts[:-1]) and not jumps_of(starts)  # full frames until the stop
    assert frames[0][1] == F.TYPE_EVENT and frames[0][4] == F.EVENT_STARTED
    assert frames[-1][1] == F.TYPE_EVENT and frames[-1][4] == F.EVENT_STOPPED


def test_sample_index_continues_across_stop_and_start(rig: Rig) -> None:
    dev = make_device(rig)
    for _ in range(3):
        dev.start()
        run(dev, rig, 0.3)
        dev.stop()
    starts, samples = data_samples(frames_of(dev))
    assert len(samples) == rig.model.produced
    assert np.array_equal(samples, rig.expected(0, len(samples)))


def test_overrun_gives_an_event_and_a_gap_of_the_right_size(rig: Rig) -> None:
    dev = make_device(rig, nslots=256)
    dev.start()
    run(dev, rig, 0.2)
    rig.clock.advance_s(1.5)  # the drain task was starved
    run(dev, rig, 0.2)
    dev.stop()
    frames = frames_of(dev)
    events = [struct.unpack_from(F.EVENT_FMT, f) for f in frames if f[1] == F.TYPE_EVENT]
    overruns = [e for e in events if e[3] == F.EVENT_FIFO_OVERRUN]
    assert len(overruns) == 1 and dev.fifo_overruns == 1
    lost_reported = overruns[0][5]
    print(f"overrun: model lost {rig.model.lost} samples, firmware reported {lost_reported}")
    assert abs(lost_reported - rig.model.lost) <= 2
    starts, samples = data_samples(frames)
    jumps = jumps_of(starts)
    assert len(jumps) == 1 and abs(jumps[0] - rig.model.lost) <= 2


def test_resend_rewinds_and_reports_what_is_gone(rig: Rig) -> None:
    dev = make_device(rig, nslots=32)
    dev.start()
    run(dev, rig, 2.0)
    first = frames_of(dev)
    assert dev.resend(first[-5][2] | first[-5][3] << 8) == 0
    again = frames_of(dev)
    assert again[:5] == first[-5:]
    oldest = dev.ring.oldest
    lost = dev.resend(0)  # long gone from a 32-frame ring
    assert lost == oldest + 1  # frames 0..oldest-1, and the one the frames-dropped event displaced
    assert dev.cursor.pos == dev.ring.oldest
    again = frames_of(dev)
    assert len(again) == 32 and again[-1][1] == F.TYPE_EVENT and again[-1][4] == F.EVENT_FRAMES_DROPPED


def test_ring_wrap_counts_dropped_frames(rig: Rig) -> None:
    dev = make_device(rig, nslots=16)
    dev.start()
    run(dev, rig, 1.0)  # ~25 frames into a 16-slot ring nobody reads
    behind = dev.ring.oldest - dev.cursor.pos
    dev._report_lost()  # what the link pump does before sending
    assert behind > 0 and dev.cursor.dropped == behind + 1
    frames = frames_of(dev)
    assert len(frames) == 16 and frames[-1][4] == F.EVENT_FRAMES_DROPPED
    assert struct.unpack_from(F.EVENT_FMT, frames[-1])[5] == behind + 1


def test_a_link_slower_than_the_data_loses_no_slot_to_frames_dropped_events(rig: Rig) -> None:
    """A link that cannot keep up (a high rate over a slow connection) loses frames all the time. An event per
    frame sent would displace a data frame each: at most one a second (the host counts the gaps by seq anyway)."""
    dev = make_device(rig, nslots=16)
    dev.start()
    sent = []
    for _ in range(60):  # 6 s; the link takes 10 frames/s, the IMU makes 416 / 19 = 22
        run(dev, rig, 0.1)
        dev._report_lost()  # what the link pump does before each frame
        if (data := dev.cursor.peek()) is not None:
            sent.append(bytes(data))
            dev.cursor.advance()
    events = dev.ring.head - (rig.model.produced + F.MAX_SAMPLES - 1) // F.MAX_SAMPLES - 1  # all but data, started
    print(f"{len(sent)} frames sent, {dev.cursor.dropped} lost; {events} frames-dropped events made (an event per "
          "frame sent: 47 made, 105 lost)")
    assert events <= 6 and dev.cursor.dropped <= 60 * 1.2 + 16  # ~12 data frames a second too many, and no more


def test_status_frame_carries_settings_and_scales(rig: Rig) -> None:
    dev = make_device(rig, side="R", rate_hz=833)
    st = struct.unpack(F.STATUS_FMT, dev.status_frame())
    assert st[3] == 833 and st[4] == 32 and st[5] == 2000
    assert st[6] == pytest.approx(0.976e-3 * 9.80665, rel=1e-3)
    assert st[8] == F.IMU_LSM6DSO32 and st[9] == ord("R")


@pytest.mark.parametrize("kind", ["lsm6dso32", "mpu6886"])
def test_status_pairs_the_device_clock_with_the_samples_the_chip_has_taken(kind: str) -> None:
    rig = Rig(kind)
    dev = make_device(rig)
    dev.start()
    for wait_s in (0.013, 0.05, 0.031):  # drained or not, the pair counts what the chip made by then
        rig.clock.advance_s(wait_s)
        st = struct.unpack(F.STATUS_FMT, dev.status_frame())
        assert (st[15], st[16]) == (rig.clock.t_ns // 1_000_000, rig.model.produced)  # device_time_ms, index
        dev.sampler.drain()
    dev.stop()
    st = struct.unpack(F.STATUS_FMT, dev.status_frame())
    assert st[16] == rig.model.produced == dev.sampler.sample_count  # stopped: everything was read
