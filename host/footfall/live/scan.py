"""Find nearby footfall sensors: name, side, address, RSSI, and (after a short connection) battery, firmware
version and whether it is streaming (a session holds it: firmware 0.4.1 refreshes its status on each connection)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import Any

from footfall.errors import FootfallError, SourceError
from footfall.protocol.frames import STATE_STREAMING, StatusFrame
from footfall.sources.gatt import (
    BATTERY_LEVEL_UUID,
    FIRMWARE_REVISION_UUID,
    NAME_PREFIX,
    SERIAL_NUMBER_UUID,
    STATUS_UUID,
    side_of_name,
)


@dataclass(frozen=True)
class Found:
    name: str
    side: str
    address: str
    rssi_dbm: int | None
    battery_pct: int | None = None
    firmware: str | None = None
    streaming: bool | None = None  # a session is running on it (its host may be reconnecting): in use
    serial: str | None = None  # the radio's address (firmware 0.5.1 on): macOS shows apps a per-host id instead


async def scan(timeout_s: float = 5.0, details: bool = True, scanner_backend: type | None = None,
               client_backend: type | None = None) -> list[Found]:
    from bleak import BleakScanner

    from bleak.exc import BleakError

    kw: dict[str, Any] = {"backend": scanner_backend} if scanner_backend else {}
    try:
        seen = await BleakScanner.discover(timeout=timeout_s, return_adv=True, **kw)
    except (BleakError, OSError) as exc:  # no adapter, no BlueZ / D-Bus, radio switched off
        raise SourceError(f"cannot scan for Bluetooth devices: {exc or type(exc).__name__}",
                          hint="is there a Bluetooth adapter, switched on (and BlueZ running on Linux)?") from None
    found = [Found(adv.local_name or dev.name or "", side_of_name(adv.local_name or dev.name), dev.address, adv.rssi)
             for dev, adv in seen.values() if (adv.local_name or dev.name or "").startswith(NAME_PREFIX)]
    if details:
        found = list(await asyncio.gather(*(_details(f, seen, client_backend) for f in found)))
    return sorted(found, key=lambda f: f.name)


async def _details(found: Found, seen: dict[str, Any], client_backend: type | None) -> Found:
    from bleak import BleakClient
    from bleak.exc import BleakError

    device = next(dev for dev, _ in seen.values() if dev.address == found.address)
    kw: dict[str, Any] = {"backend": client_backend} if client_backend else {}
    try:
        async with BleakClient(device, timeout=10.0, **kw) as client:
            battery = (await client.read_gatt_char(BATTERY_LEVEL_UUID))[0]
            firmware = (await client.read_gatt_char(FIRMWARE_REVISION_UUID)).decode(errors="replace")
            status = bytes(await client.read_gatt_char(STATUS_UUID))
            serial = await _serial(client)
    except (BleakError, OSError, asyncio.TimeoutError, IndexError):
        return found
    return replace(found, battery_pct=battery, firmware=firmware, streaming=_streaming(status), serial=serial)


async def _serial(client: Any) -> str | None:
    """The Serial Number characteristic, None where the firmware (before 0.5.1) has none."""
    from bleak.exc import BleakError

    try:
        return str((await client.read_gatt_char(SERIAL_NUMBER_UUID)).decode(errors="replace"))
    except BleakError:
        return None


def _streaming(status: bytes) -> bool | None:
    try:
        return bool(StatusFrame.from_bytes(status).state & STATE_STREAMING)
    except FootfallError:
        return None
