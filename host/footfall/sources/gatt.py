"""The sensor's GATT layout (docs/protocol.md, "BLE GATT layout") and the standard RSC measurement."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from footfall.errors import ProtocolError

SERVICE_UUID = "f00f0000-3c6d-4b8e-9a5b-1f2e3d4c5b6a"
DATA_UUID = "f00f0001-3c6d-4b8e-9a5b-1f2e3d4c5b6a"
CONTROL_UUID = "f00f0002-3c6d-4b8e-9a5b-1f2e3d4c5b6a"
STATUS_UUID = "f00f0003-3c6d-4b8e-9a5b-1f2e3d4c5b6a"
RSC_MEASUREMENT_UUID = "00002a53-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_UUID = "00002a19-0000-1000-8000-00805f9b34fb"
FIRMWARE_REVISION_UUID = "00002a26-0000-1000-8000-00805f9b34fb"
SERIAL_NUMBER_UUID = "00002a25-0000-1000-8000-00805f9b34fb"
NAME_PREFIX = "footfall-"


@dataclass(frozen=True)
class RscMeasurement:
    """Bluetooth SIG Running Speed and Cadence measurement (characteristic 0x2A53)."""

    speed_mps: float
    cadence_spm: int
    running: bool
    stride_length_m: float | None = None
    distance_m: float | None = None

    @classmethod
    def from_bytes(cls, data: bytes) -> RscMeasurement:
        if len(data) < 4:
            raise ProtocolError(f"RSC measurement of {len(data)} bytes is too short", data=bytes(data))
        flags, speed, cadence = struct.unpack_from("<BHB", data)
        pos, stride, distance = 4, None, None
        if flags & 0x01:
            if len(data) < pos + 2:
                raise ProtocolError("RSC measurement truncated before stride length", data=bytes(data))
            stride = struct.unpack_from("<H", data, pos)[0] / 100.0
            pos += 2
        if flags & 0x02:
            if len(data) < pos + 4:
                raise ProtocolError("RSC measurement truncated before distance", data=bytes(data))
            distance = struct.unpack_from("<I", data, pos)[0] / 10.0
        return cls(speed / 256.0, cadence, bool(flags & 0x04), stride, distance)


def side_of_name(name: str | None) -> str:
    """'footfall-L' -> 'L'; anything else -> '?'."""
    if name and name.startswith(NAME_PREFIX) and name[len(NAME_PREFIX):] in ("L", "R"):
        return name[len(NAME_PREFIX):]
    return "?"
