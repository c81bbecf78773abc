"""Property tests: round trips, arbitrary garbage (only FootfallError escapes) and serial resynchronisation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall import protocol

from footfall.protocol import framing
from footfall.errors import FootfallError, ProtocolError, RecordingError
from footfall.recording.file import RecordingWriter, open_recording

from .streams import check_blocks, stream

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFFFFFF)
samples = st.integers(1, 19).flatmap(
    lambda n: st.lists(st.lists(st.integers(-32768, 32767), min_size=6, max_size=6), min_size=n, max_size=n))
data_frames = st.builds(protocol.DataFrame, u16, u32, samples, st.sampled_from([0, 1]))
f32 = st.floats(2.0**-30, 1024.0, allow_nan=False, width=32)
status_frames = st.builds(
    protocol.StatusFrame, u16, st.integers(1, 0xFFFF), st.integers(0, 255), u16, f32, f32, st.integers(0, 255),
    st.sampled_from("LR?"), st.tuples(*[st.integers(0, 255)] * 3), st.sampled_from([*range(101), 255]), u16, u32,
    u32, st.integers(0, 15), u16, u16, st.integers(0, 100), st.integers(0, 255), st.integers(0, 5))
event_frames = st.builds(protocol.EventFrame, u16, st.integers(1, 6), u32, u32)


@FAST
@given(st.one_of(data_frames, status_frames, event_frames))
def test_frame_round_trip(frame: protocol.Frame) -> None:
    raw = bytes(frame)
    assert len(raw) <= protocol.MAX_FRAME_BYTES
    again = protocol.decode_frame(raw)
    assert again == frame and bytes(again) == raw


@FAST
@given(st.binary(max_size=300))
def test_garbage_raises_only_protocol_error(data: bytes) -> None:
    try:
        frame = protocol.decode_frame(data)
    except ProtocolError:
        return
    assert bytes(frame) == data  # whatever decodes is canonical


@FAST
@given(data_frames, st.integers(0, 237), st.integers(0, 255))
def test_flipped_or_cut_frames_never_escape(frame: protocol.DataFrame, pos: int, value: int) -> None:
    raw = bytearray(bytes(frame))
    for bad in (bytes(raw[: pos % len(raw)]), bytes(raw[: pos % len(raw)]) + bytes([value]) + bytes(raw[pos % len(raw) + 1:])):
        try:
            frame = protocol.decode_frame(bad)
        except ProtocolError:
            continue
        assert bytes(frame) == bad  # a change the checks cannot see (a sample's value) still decodes as written


@FAST
@given(st.lists(st.binary(max_size=260), max_size=30))
def test_decoder_never_raises_on_garbage(chunks: list[bytes]) -> None:
    dec = protocol.StreamDecoder("x")
    for chunk in stream(3) + chunks:
        dec.feed(chunk)
    dec.finish()
    r = dec.report
    assert r.frames == 4 + len(chunks)


ops = st.lists(st.tuples(st.sampled_from(["drop", "dup", "swap", "junk"]), st.integers(0, 10_000)), max_size=25)


@FAST
@given(ops, st.sampled_from([0, 65500]), st.sampled_from([0, 2**32 - 300]))
def test_decoder_invariants_under_loss_duplication_reordering(actions: list[tuple[str, int]], seq0: int,
                                                             index0: int) -> None:
    frames = stream(40, seq0=seq0, index0=index0)
    for op, k in actions:
        i = 1 + k % (len(frames) - 1)
        if op == "drop" and len(frames) > 2:
            del frames[i]
        elif op == "dup":
            frames.insert(min(len(frames), i + 1 + k % 7), frames[i])  # a copy comes after its original
        elif op == "swap" and i + 1 < len(frames):
            frames[i], frames[i + 1] = frames[i + 1], frames[i]
        elif op == "junk":
            frames.insert(i, bytes([1, 1]) + k.to_bytes(3, "little"))
    dec = protocol.StreamDecoder("L")
    idx = check_blocks([b for f in frames for b in dec.feed(f)])  # right samples at right indices, never back
    assert len(idx) == len(set(idx)) == dec.report.samples
    assert {i & 0xFFFFFFFF for i in idx} <= {i & 0xFFFFFFFF for i in range(index0, index0 + 40 * 19)}
    if not any(op in ("drop", "swap") for op, _ in actions):
        assert len(idx) == 40 * 19  # duplicates and junk alone lose nothing


@FAST
@given(st.lists(st.binary(min_size=1, max_size=250), min_size=1, max_size=8), st.binary(max_size=400),
       st.lists(st.integers(1, 50), max_size=20))
def test_packet_reader_resynchronises(payloads: list[bytes], garbage: bytes, cuts: list[int]) -> None:
    """Garbage, then packets: every packet after the garbage's end is recovered, in order, across any
    chunking of the byte stream."""
    wire = garbage + b"\x00" + b"".join(framing.frame_packet(p) for p in payloads)
    reader = framing.PacketReader()
    got: list[bytes] = []
    pos = 0
    for cut in cuts:
        got += reader.feed(wire[pos : pos + cut])
        pos += cut
    got += reader.feed(wire[pos:])
    it = iter(got)
    assert all(any(p == g for g in it) for p in payloads)  # payloads are a subsequence of what came out
    assert got[-len(payloads):] == payloads


@FAST
@given(st.binary(min_size=1, max_size=300).filter(lambda b: 0 not in b), st.binary(min_size=1, max_size=100),
       st.binary(min_size=1, max_size=100))
def test_packet_reader_recovers_after_unterminated_garbage(garbage: bytes, p1: bytes, p2: bytes) -> None:
    reader = framing.PacketReader()
    got = reader.feed(garbage + framing.frame_packet(p1) + framing.frame_packet(p2))
    assert got[-1] == p2 and reader.corrupt + reader.packets >= 2
    assert reader.resyncs == (1 if reader.corrupt else 0)


@FAST
@given(st.binary(max_size=600))
def test_unframe_garbage_raises_only_footfall_errors(data: bytes) -> None:
    try:
        framing.unframe_packet(data)
    except FootfallError:
        pass
    reader = framing.PacketReader()
    reader.feed(data)
    assert reader.packets + reader.corrupt <= data.count(0) + 1


def test_overlong_garbage_is_bounded() -> None:
    reader = framing.PacketReader()
    for _ in range(100):
        assert reader.feed(bytes(range(1, 256)) * 4) == []
    assert len(reader._buf) <= reader.max_packet_bytes
    assert reader.feed(b"\x00" + framing.frame_packet(b"ok")) == [b"ok"] and reader.corrupt == 1
    assert np.isfinite(reader.resyncs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8), st.integers(0, 10**6),
       st.binary(max_size=64))
def test_damaged_recordings_open_or_raise_recording_error(tmp_path_factory: pytest.TempPathFactory,
                                                          flips: list[tuple[int, int]], cut: int,
                                                          tail: bytes) -> None:
    """Any damage to a recording: it opens (damage reported) or raises RecordingError, nothing else."""
    path = tmp_path_factory.mktemp("ffr") / "r.ffr"
    with RecordingWriter(path, {"runner": "fuzz"}) as w:
        for k, f in enumerate(stream(30)):
            w.write_frame("L", f, k * 0.05)
    data = bytearray(path.read_bytes())
    for pos, value in flips:
        data[pos % len(data)] = value
    path.write_bytes(bytes(data[: len(data) - cut % 400]) + tail)
    try:
        rec = open_recording(path)
    except RecordingError:
        return
    report = rec.report
    check_blocks([b for s in rec.sensors for b in rec.blocks(s)])
    assert report.frames <= 31 + len(tail) // 18
