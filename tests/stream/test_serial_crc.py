"""The CRC-16 of the USB-serial link is what refuses a damaged packet whose COBS and length are still fine.

Every other "corrupt" case in the suite is a COBS or length failure, so the CRC comparison itself could be deleted
on either side (host framing, firmware frame.py) without a failing test; these pin it.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.errors import ProtocolError
from footfall.protocol import framing

from .conftest import load_vectors

BAD_SERIAL = load_vectors("bad_serial.json")


def _flipped_packet(payload: bytes, bit: int) -> bytes:
    """The packet of `payload` with one bit of its payload-plus-CRC flipped before COBS (so COBS stays valid)."""
    crc = framing.crc16(payload)
    raw = bytearray(payload + bytes((crc & 0xFF, crc >> 8)))
    raw[bit // 8] ^= 1 << (bit % 8)
    return framing.cobs_encode(bytes(raw)) + b"\x00"


def test_one_flipped_payload_bit_is_refused_and_counted() -> None:
    good = framing.frame_packet(b"\x01\x02hello-footfall")
    bad = bytearray(good)
    bad[5] ^= 0x01  # a data byte inside the COBS body: not a code byte, not the delimiter
    reader = framing.PacketReader()
    assert reader.feed(bytes(bad)) == [] and reader.corrupt == 1
    with pytest.raises(ProtocolError, match="CRC mismatch"):
        framing.unframe_packet(bytes(bad))
    assert reader.feed(good) == [b"\x01\x02hello-footfall"] and reader.corrupt == 1  # the real one still passes


@given(payload=st.binary(min_size=1, max_size=300), data=st.data())
def test_any_single_bit_error_is_refused(payload: bytes, data: st.DataObject) -> None:
    bit = data.draw(st.integers(0, 8 * (len(payload) + 2) - 1), label="bit")
    packet = _flipped_packet(payload, bit)
    with pytest.raises(ProtocolError, match="CRC mismatch"):
        framing.unframe_packet(packet)
    reader = framing.PacketReader()
    assert reader.feed(packet) == [] and reader.corrupt == 1


@pytest.mark.parametrize("vector", BAD_SERIAL, ids=[v["name"] for v in BAD_SERIAL])
def test_bad_serial_vector_is_refused_by_host_and_firmware(fw_frame: ModuleType, vector: dict[str, Any]) -> None:
    packet = bytes.fromhex(vector["packet"])
    with pytest.raises(ProtocolError, match=vector["error"]):
        framing.unframe_packet(packet)
    with pytest.raises(ValueError, match=vector["error"]):
        fw_frame.parse_serial_packet(packet)
