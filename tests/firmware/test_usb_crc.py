"""A USB command damaged on the wire (one bit flipped, COBS still valid) is refused by its CRC: counted as a bad
packet and never executed. Without this check a corrupted SELECT_LINK, SLEEP or CALIBRATE would run."""

from __future__ import annotations

from fw_rig import Port, Rig, make_device

import config
import frame as F
from control import Control
from usb import UsbLink


def _flipped(packet: bytes, pos: int) -> bytes:
    """`packet` with its COBS body re-made around one flipped bit of the command, so only the CRC can tell."""
    raw = bytearray(F.cobs_decode(packet[:-1]))
    raw[pos] ^= 0x01
    return F.cobs_encode(bytes(raw)) + b"\x00"


def test_a_command_with_a_flipped_bit_is_not_executed(rig: Rig) -> None:
    dev = make_device(rig)  # BLE selected, as on every board with a radio
    usb = UsbLink(dev, Control(dev), None, Port())
    good = F.serial_packet(bytes([F.CMD_SELECT_LINK, 7, config.LINK_USB]))
    usb.feed(_flipped(good, 1))  # the seq byte: still a well-formed command, only the CRC is wrong
    assert usb.bad_packets == 1 and dev.settings.link == config.LINK_BLE and dev.saved == []
    usb.feed(good)  # the same command undamaged is executed
    assert usb.bad_packets == 1 and dev.settings.link == config.LINK_USB
