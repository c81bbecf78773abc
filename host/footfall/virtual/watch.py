"""A virtual watch: a second central on the virtual radio that pairs with a shoe as a footpod.

Like a running watch, it reads only the standard Running Speed and Cadence service (it subscribes to RSC
Measurement and never writes a footfall command), so tests can check what a watch alone sees. It also counts
any footfall data notification that reaches it (none should). `command()` makes it a second footfall host in
range instead: it writes a command and returns the status frame that answers it. `connect(subscribe=False)`
makes a central that never enables RSC notifications (never writes the CCCD) but still counts any RSC
measurement notified to it: per the Bluetooth spec it must get none.
"""

from __future__ import annotations

import asyncio
import struct
from typing import TYPE_CHECKING

try:
    from bumble.core import UUID
    from bumble.device import Peer
except ImportError as exc:  # pip leaves bumble out on Windows on ARM64 (pyproject.toml): one line, not a traceback
    from footfall.virtual.mpy import no_virtual_radio

    raise no_virtual_radio() from exc

from footfall.protocol.frames import StatusFrame
from footfall.sources.gatt import CONTROL_UUID, DATA_UUID, STATUS_UUID
from footfall.virtual.radio_peripheral import address_of
from footfall.virtual.radio_peripheral import make_device

if TYPE_CHECKING:
    from footfall.virtual.radio import VirtualRadio

RSC_MEASUREMENT = UUID("2A53")


class VirtualWatch:
    """Connects to one shoe, keeps every RSC Measurement (flags, speed, cadence) in `measurements`."""

    def __init__(self) -> None:
        self.measurements: list[tuple[int, float, int]] = []  # (flags, speed m/s, cadence steps/min)
        self.data_notifications = 0
        self.answers: asyncio.Queue[StatusFrame] = asyncio.Queue()  # status frames notified to it
        self._peer: Peer | None = None

    async def connect(self, radio: VirtualRadio, name: str, address: str = "F0:0D:00:00:00:01",
                      timeout_s: float = 10.0, subscribe: bool = True) -> None:
        """Connect once the shoe is on the radio (it may still be booting), as a watch scans until it is.
        `subscribe` False: listen for RSC notifications without writing the CCCD (a central that never asked)."""
        device, _ = make_device(radio.link, "watch", address)
        await device.power_on()
        deadline = asyncio.get_running_loop().time() + timeout_s
        while not any(name in (p.name, p.adv_name()) for p in radio.peripherals) \
                and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
        self._peer = Peer(await device.connect(address_of(radio.peripheral(name).address)))
        await self._peer.discover_all()
        (measurement,) = self._peer.get_characteristics_by_uuid(RSC_MEASUREMENT)
        if subscribe:
            await self._peer.subscribe(measurement, self._on_measurement)
        else:
            self._peer.gatt_client.notification_subscribers.setdefault(measurement.handle, set()).add(
                self._on_measurement)
        (data,) = self._peer.get_characteristics_by_uuid(UUID(DATA_UUID))
        self._peer.gatt_client.notification_subscribers.setdefault(data.handle, set()).add(self._on_data)
        (status,) = self._peer.get_characteristics_by_uuid(UUID(STATUS_UUID))
        self._peer.gatt_client.notification_subscribers.setdefault(status.handle, set()).add(self._on_status)

    async def command(self, command: bytes, timeout_s: float = 5.0) -> StatusFrame:
        """Write a footfall command as a second host would; the status frame answering it (by its cmd_id)."""
        assert self._peer is not None
        (control,) = self._peer.get_characteristics_by_uuid(UUID(CONTROL_UUID))
        await self._peer.write_value(control, command, with_response=True)
        while (answer := await asyncio.wait_for(self.answers.get(), timeout_s)).cmd_id != command[1]:
            pass
        return answer

    def _on_measurement(self, value: bytes) -> None:
        flags, speed, cadence = struct.unpack("<BHB", bytes(value)[:4])
        self.measurements.append((flags, speed / 256, cadence))

    def _on_data(self, _value: bytes) -> None:
        self.data_notifications += 1

    def _on_status(self, value: bytes) -> None:
        self.answers.put_nowait(StatusFrame.from_bytes(bytes(value)))

    async def cadence_near(self, cadence_spm: float, timeout_s: float, within_spm: float = 4) -> int:
        """Wait until the last measurement's cadence is within `within_spm`; the last cadence seen (-1: none)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s  # a loaded machine paces the MicroPython unix port slower
        while (not self.measurements or abs(self.measurements[-1][2] - cadence_spm) > within_spm) \
                and loop.time() < deadline:
            await asyncio.sleep(0.25)
        return self.measurements[-1][2] if self.measurements else -1

    async def disconnect(self) -> None:
        if self._peer is not None:
            await self._peer.connection.disconnect()
            self._peer = None
