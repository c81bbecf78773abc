"""USB serial framing: each packet is COBS(payload || crc16 LE) || 0x00 (docs/protocol.md).

COBS (Cheshire & Baker, "Consistent Overhead Byte Stuffing", IEEE/ACM Trans. Networking 1999) removes every
0x00 from the packet so 0x00 can only mean "end of packet": a reader that starts mid-packet or meets
garbage is back in step at the next 0x00. The CRC is CRC-16/CCITT-FALSE (binascii.crc_hqx with init 0xFFFF).
firmware/frame.py has the same framing for the device side.
"""

from __future__ import annotations

import binascii

from footfall.errors import ProtocolError

MAX_PACKET_BYTES = 512  # longest encoded packet the reader accepts (a frame is at most 244 + 2 + 2)


def crc16(data: bytes, crc: int = 0xFFFF) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor."""
    return binascii.crc_hqx(data, crc)


def cobs_encode(data: bytes) -> bytes:
    """Stuff `data` so that the result contains no 0x00."""
    out = bytearray()
    pieces = bytes(data).split(b"\x00")
    for k, piece in enumerate(pieces):
        while len(piece) >= 254:  # a full block has code 0xFF and no implied zero after it
            out.append(0xFF)
            out += piece[:254]
            piece = piece[254:]
            if not piece and k == len(pieces) - 1:
                return bytes(out)  # a full block ending the data needs no empty block after it
        out.append(len(piece) + 1)
        out += piece
    return bytes(out)


def cobs_decode(data: bytes) -> bytes:
    """Undo cobs_encode; raises ProtocolError on a 0x00 inside or a block that runs past the end."""
    out = bytearray()
    i, size = 0, len(data)
    while i < size:
        code = data[i]
        if code == 0 or i + code > size:
            raise ProtocolError("bad COBS block", data=bytes(data))
        out += data[i + 1 : i + code]
        i += code
        if code < 0xFF and i < size:
            out.append(0)
    if 0 in data:
        raise ProtocolError("zero byte inside a COBS packet", data=bytes(data))
    return bytes(out)


def frame_packet(payload: bytes) -> bytes:
    """One frame (or command) as sent on the serial link, delimiter included."""
    crc = crc16(payload)
    return cobs_encode(bytes(payload) + bytes((crc & 0xFF, crc >> 8))) + b"\x00"


def unframe_packet(packet: bytes) -> bytes:
    """Payload of one packet (with or without its trailing 0x00); raises ProtocolError when corrupt."""
    if packet[-1:] == b"\x00":
        packet = packet[:-1]
    raw = cobs_decode(packet)
    if len(raw) < 3:
        raise ProtocolError(f"packet of {len(raw)} bytes is too short to hold a CRC", data=raw)
    body, crc = raw[:-2], raw[-2] | (raw[-1] << 8)
    if crc16(body) != crc:
        raise ProtocolError("CRC mismatch", data=raw)
    return body


class PacketReader:
    """Incremental reader: feed it whatever the serial port returned, get back the valid payloads.

    Packets that fail COBS, CRC or length checks are dropped and counted in `corrupt`; `resyncs` counts the
    times the reader got back in step (a valid packet after one or more bad ones). A run of bytes longer
    than MAX_PACKET_BYTES without a delimiter is discarded as it comes, so memory stays bounded.
    """

    def __init__(self, max_packet_bytes: int = MAX_PACKET_BYTES) -> None:
        self.max_packet_bytes = max_packet_bytes
        self.packets = 0
        self.corrupt = 0
        self.resyncs = 0
        self.bytes_in = 0
        self._buf = bytearray()
        self._overlong = False
        self._out_of_step = False

    def feed(self, chunk: bytes) -> list[bytes]:
        self.bytes_in += len(chunk)
        self._buf += chunk
        *complete, rest = self._buf.split(b"\x00")
        self._buf = bytearray(rest)
        payloads = [p for p in map(self._packet, complete) if p is not None]
        if len(self._buf) > self.max_packet_bytes:
            self._buf.clear()
            self._overlong = True
        return payloads

    def _packet(self, raw: bytes | bytearray) -> bytes | None:
        if self._overlong:  # the tail of a run we already discarded
            self._overlong = False
            self._bad()
            return None
        if not raw:
            return None  # back-to-back delimiters: a sender may use them to flush the line
        try:
            payload = unframe_packet(bytes(raw))
        except ProtocolError:
            self._bad()
            return None
        self.packets += 1
        if self._out_of_step:
            self.resyncs += 1
            self._out_of_step = False
        return payload

    def _bad(self) -> None:
        self.corrupt += 1
        self._out_of_step = True
        return None
