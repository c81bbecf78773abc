"""What transports read of a frame before the decoder does (its type, its sequence number, a status frame's side)
comes from protocol/frames.py's structs, not from byte offsets of their own (QA 16, finding 10)."""

from __future__ import annotations

import numpy as np
import pytest

from footfall.protocol.frames import (
    RESULT_HELD,
    STATUS_BYTES_BEFORE_RATE,
    TYPE_DATA,
    TYPE_STATUS,
    DataFrame,
    EventFrame,
    StatusFrame,
    frame_seq,
    frame_type,
    status_side,
)
from footfall.protocol.framing import frame_packet
from footfall.live.session import _is_held
from footfall.sources.serial import SerialSource


def _status(side: str, seq: int = 7, **kw: int) -> bytes:
    return bytes(StatusFrame(seq, 416, 16, 2000, 0.0048, 0.0011, 2, side, **kw))


@pytest.mark.parametrize("side", ["L", "R", "?"])
def test_the_side_peek_reads_what_the_decoder_reads(side: str) -> None:
    frame = _status(side)
    assert status_side(frame) == StatusFrame.from_bytes(frame).side == side
    assert status_side(frame[:STATUS_BYTES_BEFORE_RATE]) == side  # firmware 0.1: no rate_mhz


def test_peeks_at_other_frames() -> None:
    data = bytes(DataFrame(300, 0, np.zeros((2, 6), np.int16)))
    assert frame_type(data) == TYPE_DATA and frame_seq(data) == 300 and status_side(data) is None
    event = bytes(EventFrame(65535, 1, 0))
    assert frame_seq(event) == 65535 and status_side(event) is None
    assert frame_type(_status("L")) == TYPE_STATUS and frame_seq(_status("L", seq=513)) == 513
    assert frame_type(b"\x01") is None and frame_seq(b"\x01\x01\x00") is None and status_side(b"\x01\x02") is None
    assert frame_seq(b"\x09\x01\x05\x00") is None  # another protocol version: not ours to read
    assert status_side(_status("R")[:18]) is None  # cut before the side byte


def test_the_serial_source_learns_its_side_from_a_status_packet() -> None:
    source = SerialSource("serial:/dev/null", "/dev/null")
    source._chunk(frame_packet(bytes(DataFrame(1, 0, np.zeros((1, 6), np.int16)))))
    assert source.side == "?" and not source._status_seen.is_set()
    source._chunk(frame_packet(_status("R")))
    assert source.side == "R" and source._status_seen.is_set()


def test_a_held_answer_is_recognised() -> None:
    assert _is_held(_status("L", cmd_result=RESULT_HELD))
    assert not _is_held(_status("L")) and not _is_held(b"\x01") and not _is_held(bytes(EventFrame(1, 1, 0)))
