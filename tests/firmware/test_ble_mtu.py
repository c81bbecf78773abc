"""The link's ATT MTU (firmware 0.7): the real firmware in MicroPython on the virtual radio, with the central's MTU
capped as an iPhone (185) or a stack that answers 23 would. Data frames fit the host's MTU, so no sample is lost;
below 48 the sensor refuses to stream and its answer, cut to MTU - 3 bytes, names the MTU to the host decoder. The
documented handshake (read the status characteristic, then `start`) gives a stream without a problem."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from fw_rig import random_counts
from test_ble_e2e import Session, decoded_counts, run, session_start

import frame as F
from footfall.protocol import frames as ff
from footfall.protocol.decode import StreamDecoder
from footfall.sources.gatt import CONTROL_UUID as CTRL, STATUS_UUID as STAT
from footfall.virtual.radio import VirtualRadio
from footfall.virtual.shoe import VirtualShoe

pytestmark = pytest.mark.micropython


async def capped_session(radio: VirtualRadio, mtu: int, frames: list[bytes]) -> Session:
    radio.set_central_mtu(mtu)
    s = await Session.open(radio, "footfall-L", frames)
    assert s.client.mtu_size == min(mtu, 247), s.client.mtu_size
    return s


@pytest.mark.parametrize("mtu", [247, 185, 48])
def test_frames_fit_the_mtu_and_no_sample_is_lost(mtu: int) -> None:
    counts = random_counts(2999, seed=mtu)

    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        frames: list[bytes] = []
        s = await capped_session(radio, mtu, frames)
        before = ff.StatusFrame.from_bytes(bytes(await s.client.read_gatt_char(STAT)))  # the handshake's read
        assert before.state & ff.STATE_STREAMING == 0
        assert (await s.command(F.CMD_START))[-2] == F.RESULT_OK
        await asyncio.sleep(2.0)
        stop = await s.command(F.CMD_STOP)
        await s.client.disconnect()
        got, decoder = decoded_counts(frames)
        start = session_start(frames)
        data_sizes = {len(f) for f in frames if f[1] == F.TYPE_DATA}
        full = F.DATA_HEADER_BYTES + F.SAMPLE_BYTES * F.samples_for_mtu(mtu)
        assert max(data_sizes) == full <= mtu - 3, (data_sizes, mtu)
        assert decoder.report.problems == 0, decoder.report.summary()  # no duplicate, reorder or cut frame
        assert len(got) == stop[16] - start >= 800, (len(got), start, stop[16])
        assert np.array_equal(got, counts[(start + np.arange(len(got))) % len(counts)])

    run(body, counts, side="L", rate_hz=416)


def test_status_then_start_gives_each_frame_once_and_in_order() -> None:
    """The older documented handshake (write `status`, then `start`): the answer echoed to the asker before it
    claimed is not sent again by the ring (firmware 0.6.2: 1 duplicate, 2 reordered)."""
    counts = random_counts(2999, seed=4)

    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        frames: list[bytes] = []
        s = await capped_session(radio, 247, frames)
        asked = await s.command(F.CMD_STATUS)
        await s.command(F.CMD_START)
        await asyncio.sleep(1.0)
        await s.command(F.CMD_STOP)
        await s.client.disconnect()
        seqs = [f[2] | f[3] << 8 for f in frames]
        assert seqs == list(range(asked[2], asked[2] + len(frames))), seqs[:8]
        got, decoder = decoded_counts(frames)
        assert decoder.report.problems == 0 and len(got) > 300, decoder.report.summary()

    run(body, counts, side="L", rate_hz=416)


def test_below_the_smallest_mtu_the_sensor_refuses_to_stream_and_says_so() -> None:
    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        frames: list[bytes] = []
        s = await capped_session(radio, 23, frames)
        await s.client.write_gatt_char(CTRL, F.encode_command(F.CMD_START, 9), response=True)
        await asyncio.sleep(1.5)
        status = ff.StatusFrame.from_bytes(bytes(await s.client.read_gatt_char(STAT)))  # a long read: whole
        await s.client.disconnect()
        assert status.state & ff.STATE_STREAMING == 0  # nothing started that nobody could receive
        assert [f[1] for f in frames] == [F.TYPE_STATUS] and len(frames[0]) == 20, frames  # 'busy', cut to 20
        decoder = StreamDecoder(sensor="L")
        for f in frames:
            decoder.feed(f)
        assert decoder.report.truncated == 1 and decoder.report.samples == 0
        note = decoder.truncation_note()
        assert note is not None and "ATT MTU 23 " in note and "will not stream" in note, note

    run(body, random_counts(500), side="L", rate_hz=416)


async def _dropout(radio: VirtualRadio, first: list[bytes]) -> int:
    """A 247 host streams 1 s, then its link drops for 0.5 s: the last seq it received."""
    s = await capped_session(radio, 247, first)
    await s.command(F.CMD_START)
    await asyncio.sleep(1.0)
    await s.client.disconnect()
    await asyncio.sleep(0.5)  # frames made meanwhile wait in the ring
    return max(f[2] | f[3] << 8 for f in first)


def test_a_host_back_with_a_smaller_mtu_gets_the_whole_outage() -> None:
    """Frames made while no host holds the sensor fit MTU 185 (firmware 0.7.1): a host that left at 247 and comes
    back at 185 resends the outage whole (0.7.0 had made them for 247, and lost every one: ~70 frames here).
    Only the frames the sensor made at 247 before it saw the link drop can be lost (docs/protocol.md), one every
    45 ms at 416 Hz: none on a quiet machine, 2 once under a loaded CI run. They must be reported by the sensor
    (frames-dropped), never lost silently or cut."""
    counts = random_counts(2999, seed=3)

    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        first: list[bytes] = []
        last = await _dropout(radio, first)
        frames: list[bytes] = []
        s = await capped_session(radio, 185, frames)
        await s.command(F.CMD_RESEND, (last + 1) & 0xFFFF)
        await asyncio.sleep(1.5)
        await s.command(F.CMD_STOP)
        await s.client.disconnect()
        assert max(len(f) for f in frames) <= 182 and 178 in {len(f) for f in frames}
        got, decoder = decoded_counts(first + frames)
        r = decoder.report
        assert r.truncated == 0 and r.missing_frames == r.device_dropped_frames <= 3, r.summary()
        assert len(got) > 900 and r.gaps == (1 if r.missing_frames else 0), r.summary()

    run(body, counts, side="L", rate_hz=416)


def test_a_resend_to_a_host_with_a_smaller_mtu_reports_the_frames_it_cannot_carry() -> None:
    """Frames made for a 247 host cannot be cut for a 185 host that asks for them again: they are reported lost in a
    frames-dropped event (never sent cut), and the frames made after it claimed fit it."""
    counts = random_counts(2999, seed=3)

    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        first: list[bytes] = []
        await _dropout(radio, first)
        big = [f[2] | f[3] << 8 for f in first if f[1] == F.TYPE_DATA and len(f) > 182]
        frames: list[bytes] = []
        s = await capped_session(radio, 185, frames)
        await s.command(F.CMD_RESEND, big[0])  # from the frames made for the 247 host on
        await asyncio.sleep(1.5)
        await s.command(F.CMD_STOP)
        await s.client.disconnect()
        assert max(len(f) for f in frames) <= 182
        dropped = [ff.decode_frame(f) for f in frames if f[1] == F.TYPE_EVENT and f[4] == F.EVENT_FRAMES_DROPPED]
        r = decoded_counts(frames)[1].report
        assert sum(e.value for e in dropped) >= len(big) > 10 and r.truncated == 0, (len(big), r.summary())
        assert 178 in {len(f) for f in frames}  # 14 samples a frame once the 185 host claimed

    run(body, counts, side="L", rate_hz=416)


def test_a_resend_after_a_status_still_names_where_the_stream_begins() -> None:
    """A host back after a dropout that asks `status` before its `resend` (the docs say: resend first) still gets
    every frame from the seq it named: the resend is not skipped past the echoed answer. That answer, newer than
    the frames resent, arrives ahead of them, so they come reordered: why the docs put `resend` first."""
    counts = random_counts(2999, seed=5)

    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        frames: list[bytes] = []
        s = await capped_session(radio, 185, frames)
        await s.command(F.CMD_START)
        await asyncio.sleep(1.0)
        await s.client.disconnect()
        await asyncio.sleep(0.5)
        last = frames[-1][2] | frames[-1][3] << 8
        s = await capped_session(radio, 185, frames)
        await s.command(F.CMD_STATUS)
        await s.command(F.CMD_RESEND, (last + 1) & 0xFFFF)
        await asyncio.sleep(1.0)
        await s.command(F.CMD_STOP)
        await s.client.disconnect()
        _, decoder = decoded_counts(frames)
        r = decoder.report
        assert r.missing_frames == r.truncated == r.device_dropped_frames == 0 and r.reordered > 0, r.summary()

    run(body, counts, side="L", rate_hz=416)
