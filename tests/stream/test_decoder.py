"""StreamDecoder on streams with known trouble: every problem counted, no sample invented or misplaced."""

from __future__ import annotations

import numpy as np
import pytest

from footfall import protocol
from footfall.protocol.decode import StreamDecoder
from footfall.protocol.frames import EVENT_FIFO_OVERRUN, EVENT_FRAMES_DROPPED, EventFrame

from .streams import ACC_SCALE, GYR_SCALE, check_blocks, data, status, stream


def run(frames: list[bytes], **kwargs: object) -> tuple[StreamDecoder, list[int]]:
    dec = StreamDecoder("L", **kwargs)  # type: ignore[arg-type]
    blocks = [b for k, f in enumerate(frames) for b in dec.feed(f, k * 0.01)]
    dec.finish()
    return dec, check_blocks(blocks)


def test_clean_stream_delivers_everything_in_si() -> None:
    dec, idx = run(stream(50))
    assert idx == list(range(50 * 19))
    assert dec.report.problems == 0 and dec.report.samples == 950
    blocks = dec.feed(data(51, 950), 1.0)
    assert blocks[0].side == "L" and blocks[0].rate_hz == 416
    assert np.allclose(blocks[0].gyr_radps[:, 0], 7 * GYR_SCALE)
    assert blocks[0].meta["arrival_time_s"] == 1.0


def test_blocks_run_at_the_chip_s_own_rate_and_older_status_frames_at_the_nominal_one() -> None:
    trimmed = protocol.StatusFrame(0, 416, 16, 2000, ACC_SCALE, GYR_SCALE, 2, "L", rate_mhz=422937)
    dec = StreamDecoder("L")
    dec.feed(bytes(trimmed))
    assert dec.feed(data(1, 0), 0.1)[0].rate_hz == 422.937
    dec.feed(bytes(protocol.StatusFrame(2, 416, 16, 2000, ACC_SCALE, GYR_SCALE, 2, "L", rate_mhz=416687)))
    assert dec.feed(data(3, 19), 0.2)[0].rate_hz == 416.687 and dec.report.config_changes == 1
    before_rate = bytes(trimmed)[:protocol.STATUS_BYTES_BEFORE_RATE]  # firmware 0.1 sent 41 bytes
    assert protocol.decode_frame(before_rate) == protocol.StatusFrame(0, 416, 16, 2000, ACC_SCALE, GYR_SCALE, 2, "L")
    old = StreamDecoder("L")
    old.feed(before_rate)
    assert old.feed(data(1, 0), 0.1)[0].rate_hz == 416.0 and old.report.problems == 0
    for size in (40, 44, 46):
        with pytest.raises(protocol.ProtocolError):
            protocol.decode_frame(bytes(trimmed).ljust(size, b"\0")[:size])
    for absurd_mhz in (1, 207_999, 832_001, 0xFFFFFFFF):  # a corrupt rate must not time the samples
        raw = bytes(trimmed)[:-4] + absurd_mhz.to_bytes(4, "little")
        with pytest.raises(protocol.ProtocolError, match="rate_mhz"):
            protocol.decode_frame(raw)
        dec = StreamDecoder("L")
        assert dec.feed(raw) == [] and dec.report.corrupt == 1 and dec.status is None


def test_lost_frames_leave_a_gap() -> None:
    frames = stream(20)
    del frames[5:8]  # data frames 5, 6, 7 (seq 5..7, samples 76..132)
    dec, idx = run(frames)
    r = dec.report
    assert (r.gaps, r.missing_frames, r.missing_samples) == (1, 3, 57)
    assert idx == [i for i in range(20 * 19) if not 76 <= i < 133]


def test_lost_status_frame_is_a_seq_gap_without_sample_gap() -> None:
    frames = stream(10)
    frames.insert(5, status(5))
    frames = frames[:5] + frames[6:]  # drop it again: seq 5 never arrives, the samples continue
    frames = [f if k < 5 else data(k + 1, (k - 1) * 19) for k, f in enumerate(frames)]
    dec, idx = run(frames)
    assert (dec.report.missing_frames, dec.report.gaps, len(idx)) == (1, 0, 190)


def test_duplicates_are_dropped_and_counted() -> None:
    frames = stream(10)
    frames = frames[:4] + [frames[3], frames[3]] + frames[4:] + [frames[2]]
    dec, idx = run(frames)
    assert dec.report.duplicates == 3
    assert idx == list(range(190))


def test_reordered_frame_is_counted_not_delivered_late() -> None:
    frames = stream(10)
    frames[4], frames[5] = frames[5], frames[4]  # data seq 4 arrives after seq 5
    dec, idx = run(frames)
    r = dec.report
    assert (r.reordered, r.missing_frames, r.late_samples, r.gaps, r.missing_samples) == (1, 0, 19, 1, 19)
    assert idx == [i for i in range(190) if not 57 <= i < 76]


@pytest.mark.parametrize("seq0", [65530, 65535])
def test_sequence_wraps(seq0: int) -> None:
    dec, idx = run(stream(20, seq0=seq0))
    assert dec.report.seq_wraps == 1 and dec.report.problems == 0
    assert idx == list(range(380))


def test_sample_index_wraps_and_is_unwrapped() -> None:
    start = 2**32 - 100
    dec, idx = run(stream(20, index0=start))
    assert dec.report.index_wraps == 1 and dec.report.problems == 0
    assert idx == list(range(start, start + 380))  # beyond 2**32: unwrapped, never back to 0


def test_gap_across_index_wrap() -> None:
    start = 2**32 - 40
    frames = stream(6, index0=start)
    del frames[3]
    dec, idx = run(frames)
    assert dec.report.missing_samples == 19 and idx[-1] == start + 6 * 19 - 1


def test_truncated_corrupt_and_unknown_version_are_counted() -> None:
    frames = stream(10)
    frames[3] = frames[3][:-5]  # truncated: samples 38..56 lost
    frames[5] = b"\x01\x01" + frames[5][2:8] + b"\x00" + frames[5][9:]  # count 0: corrupt
    frames[7] = b"\x02" + frames[7][1:]  # version 2
    frames.append(b"\x01\x09\x00\x00")  # unknown frame type
    dec, idx = run(frames)
    r = dec.report
    assert (r.truncated, r.corrupt, r.unknown_version) == (1, 2, 1)
    assert r.missing_frames == 3 and r.gaps == 3 and len(idx) == 190 - 57


def test_data_before_status_waits_for_the_scales() -> None:
    frames = stream(5)
    frames = frames[1:3] + frames[:1] + frames[3:]  # status arrives third (and is itself reordered)
    dec, idx = run(frames)
    assert idx == list(range(95))
    assert dec.report.reordered == 1


def test_no_status_at_all_drops_and_counts() -> None:
    dec, idx = run(stream(5)[1:])
    assert idx == [] and dec.report.unscaled_frames == 5


@pytest.mark.parametrize("seq0", [1000, 5])
def test_device_restart_continues_after_the_last_sample(seq0: int) -> None:
    """A reboot (seq and sample counter back to 0, device clock back) is counted; nothing is lost."""
    before, after = stream(10, seq0=seq0, index0=5000), stream(5)
    dec = StreamDecoder("L")
    first = [b for f in before for b in dec.feed(f)]
    dec.feed(bytes(protocol.StatusFrame(seq0 + 11, 416, 16, 2000, ACC_SCALE, GYR_SCALE, 2, "L", device_time_ms=60000)))
    after[0] = bytes(protocol.StatusFrame(0, 416, 16, 2000, ACC_SCALE, GYR_SCALE, 2, "L", device_time_ms=100))
    second = [b for f in after for b in dec.feed(f)]
    assert dec.report.restarts == 1
    assert check_blocks(first) == list(range(5000, 5190))
    idx = [i for b in second for i in range(b.first_index, b.end_index)]
    assert idx == list(range(5190, 5190 + 95))  # continues after the last sample: no overlap, no going back
    ax = np.rint(np.vstack([b.acc_mps2 for b in second])[:, 0] / ACC_SCALE)
    assert np.array_equal(ax, np.arange(95))  # and they are the rebooted device's samples 0..94


def test_overlapping_frame_delivers_only_new_samples() -> None:
    frames = stream(3) + [data(4, 50, 19)]  # samples 50..68, of which 50..56 were delivered
    dec, idx = run(frames)
    assert idx == list(range(69)) and dec.report.late_samples == 7


def test_device_events_are_reported() -> None:
    frames = stream(3) + [bytes(EventFrame(4, EVENT_FIFO_OVERRUN, 57, 12)), bytes(EventFrame(5, EVENT_FRAMES_DROPPED, 57, 3))]
    dec, _ = run(frames)
    assert dec.report.fifo_overrun_samples == 12 and dec.report.device_dropped_frames == 3
    assert [e.name for e in dec.events] == ["fifo_overrun", "frames_dropped"]
    assert "12 fifo overrun samples" in dec.report.summary()


def test_no_gyro_flag_gives_nan_gyro() -> None:
    dec = StreamDecoder("L")
    dec.feed(status(0))
    (block,) = dec.feed(data(1, 0, 5, flags=1))
    assert np.isnan(block.gyr_radps).all() and np.isfinite(block.acc_mps2).all()


def test_feed_many_matches_feed() -> None:
    frames = stream(40)
    del frames[10]
    frames.insert(20, frames[19])
    one, many = StreamDecoder("L"), StreamDecoder("L")
    a = [b for f in frames for b in one.feed(f)]
    b = many.feed_many(frames, [0.0] * len(frames))
    assert len(b) == 2 and check_blocks(a) == check_blocks(b)
    assert one.report == many.report


def test_resent_old_status_is_not_a_restart() -> None:
    """A status frame lost and resent later carries an older device clock; that is no reboot."""
    def st(seq: int, ms: int) -> bytes:
        return bytes(protocol.StatusFrame(seq, 416, 16, 2000, ACC_SCALE, GYR_SCALE, 2, "L", device_time_ms=ms))

    frames = [st(0, 1000)] + [data(k, (k - 1) * 19) for k in range(1, 5)] + [st(5, 5000)]
    frames += [data(k, (k - 2) * 19) for k in range(6, 10)] + [st(10, 9000)]
    lost = frames.pop(5)
    dec, idx = run(frames + [lost, data(11, 8 * 19)])
    r = dec.report
    assert (r.restarts, r.reordered, r.missing_frames) == (0, 1, 0)
    assert idx == list(range(9 * 19))
