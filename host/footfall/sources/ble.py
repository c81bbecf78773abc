"""A footfall sensor over Bluetooth LE, through bleak (any bleak backend: the OS's, or the virtual radio's).

Data and status frames arrive as notifications; the callbacks only enqueue. When the link drops the source
reconnects with back-off (ReconnectPolicy) and emits LinkEvents, so the session can ask for a resend.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from footfall.errors import SourceError
from footfall.sources.base import ReconnectPolicy, Source
from footfall.sources.gatt import CONTROL_UUID, DATA_UUID, STATUS_UUID, side_of_name


class BleSource(Source):
    def __init__(self, spec: str, target: str, *, scanner_backend: type | None = None,
                 client_backend: type | None = None, policy: ReconnectPolicy = ReconnectPolicy(),
                 scan_timeout_s: float = 10.0) -> None:
        super().__init__(spec, target, side_of_name(target))
        self.target = target
        self.policy = policy
        self.scan_timeout_s = scan_timeout_s
        self._scanner_backend = scanner_backend
        self._client_backend = client_backend
        self._client: Any = None
        self._closing = False
        self._reconnector: asyncio.Task[None] | None = None

    async def open(self) -> None:
        if not await self._connect():
            why = self.health.extra.get("last_error")
            raise SourceError(f"no footfall sensor {self.target!r} found or connectable" + (f" ({why})" if why else ""),
                              hint="is it switched on and near? try `footfall scan`")
        self._event("restored", "connected")

    async def send(self, command: bytes) -> None:
        if self._client is None or not self._client.is_connected:
            raise SourceError(f"{self.name}: not connected")
        await self._client.write_gatt_char(CONTROL_UUID, command, response=True)

    async def close(self) -> None:
        self._closing = True
        if self._reconnector is not None:
            self._reconnector.cancel()
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.disconnect()
            except Exception:  # noqa: BLE001 - closing anyway; the link may already be gone
                pass
        await super().close()

    async def _connect(self, scan_timeout_s: float | None = None) -> bool:
        from bleak import BleakClient, BleakScanner
        from bleak.exc import BleakError

        try:
            scan: dict[str, Any] = {"backend": self._scanner_backend} if self._scanner_backend else {}
            device = await BleakScanner.find_device_by_filter(self._matches, timeout=scan_timeout_s or self.scan_timeout_s,
                                                              **scan)
            if device is None:
                return False
            client = BleakClient(device, disconnected_callback=self._on_disconnect, backend=self._client_backend)
            await client.connect()
            await client.start_notify(STATUS_UUID, self._on_frame)
            await client.start_notify(DATA_UUID, self._on_frame)
        except (BleakError, OSError, asyncio.TimeoutError) as exc:  # OSError: no adapter, no BlueZ / D-Bus
            self.health.extra["last_error"] = str(exc) or type(exc).__name__
            return False
        self._client = client
        self.health.rssi_dbm = getattr(device, "rssi", None) or self.health.rssi_dbm
        self.name = device.name or self.target
        self.side = side_of_name(self.name) if self.side == "?" else self.side
        return True

    def _matches(self, device: Any, adv: Any) -> bool:
        if adv is not None and getattr(adv, "rssi", None) is not None:
            self.health.rssi_dbm = adv.rssi
        names = {device.name, getattr(adv, "local_name", None)}
        return self.target in names or device.address.upper() == self.target.upper()

    def _on_frame(self, _char: Any, data: bytearray) -> None:
        self._arrived(data)

    def _on_disconnect(self, _client: Any) -> None:
        if self._closing:
            return
        self._client = None
        self._event("lost", "link lost")
        self._reconnector = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        lost_at, delay = time.monotonic(), self.policy.first_delay_s
        while (remaining := self.policy.give_up_s - (time.monotonic() - lost_at)) > 0:
            await asyncio.sleep(min(delay, remaining))
            if self._closing:
                return
            if await self._connect(min(self.scan_timeout_s, max(remaining - delay, 0.5))):
                self.health.reconnects += 1
                self._event("restored", "reconnected")
                return
            delay = self.policy.next_delay(delay)
        self._event("gone", f"no link for {self.policy.give_up_s:.0f} s")
        self._end()
