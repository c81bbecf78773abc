"""A footfall sensor over Bluetooth LE, through bleak (any bleak backend: the OS's, or the virtual radio's).

Data and status frames arrive as notifications; the callbacks only enqueue. When the link drops the source
reconnects with back-off (ReconnectPolicy) and emits LinkEvents, so the session can ask for a resend.

Every left sensor advertises `footfall-L`, so a name can match several sensors in range: the first connect by
name listens a little past the first sighting and refuses to guess between two. Once connected, the source is
pinned to that sensor's address and reconnects only to it.

A failed attempt leaves nothing connected (a link left up would hold one of the sensor's three central slots), and
only the current client's disconnect counts: one reconnect loop at a time. After connecting, the link's ATT MTU
(what bleak reports; on BlueZ it is not known without acquiring a characteristic, so nothing is said) is noted when
it is below the 241 a full data frame needs (docs/protocol.md "ATT MTU").
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import warnings
from collections.abc import Callable
from typing import Any

from footfall.errors import SourceError
from footfall.protocol.decode import mtu_note
from footfall.protocol.frames import FULL_FRAME_MTU
from footfall.sources.base import ReconnectPolicy, Source
from footfall.sources.gatt import CONTROL_UUID, DATA_UUID, STATUS_UUID, side_of_name

# a MAC (Linux, Windows) or a CoreBluetooth identifier (macOS), which bleak uses as the address there
_ADDRESS = re.compile(r"([0-9A-F]{2}[:-]){5}[0-9A-F]{2}|[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", re.IGNORECASE)


def looks_like_address(target: str) -> bool:
    return _ADDRESS.fullmatch(target) is not None


class _Sightings:
    """A scan's detection callback: every distinct address that matched, with its latest RSSI."""

    def __init__(self, matches: Callable[[Any, Any], bool]) -> None:
        self.matches = matches
        self.found: dict[str, tuple[Any, int | None]] = {}
        self.first = asyncio.Event()  # some sensor matched

    def __call__(self, device: Any, adv: Any) -> None:
        if self.matches(device, adv):
            self.found[device.address] = (device, getattr(adv, "rssi", None))
            self.first.set()

    def ranked(self) -> list[tuple[Any, int | None]]:
        """Strongest first; a sensor of unknown RSSI last."""
        return sorted(self.found.values(), key=lambda f: -f[1] if f[1] is not None else float("inf"))


NO_BLUETOOTH = "no Bluetooth on this computer"  # an OSError from bleak: no adapter, no BlueZ / D-Bus


def known_mtu(client: Any) -> int | None:
    """The link's ATT MTU as bleak reports it; None when bleak only guesses (BlueZ says 23, with a warning,
    until a characteristic was acquired)."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        mtu = int(client.mtu_size)
    return None if any("MTU" in str(w.message) for w in said) else mtu


class BleSource(Source):
    def __init__(self, spec: str, target: str, *, scanner_backend: type | None = None,
                 client_backend: type | None = None, policy: ReconnectPolicy = ReconnectPolicy(),
                 scan_timeout_s: float = 10.0, ambiguity_window_s: float = 1.5) -> None:
        super().__init__(spec, target, side_of_name(target))
        self.target = target
        self.policy = policy
        self.scan_timeout_s = scan_timeout_s
        self.ambiguity_window_s = ambiguity_window_s  # a sensor connected elsewhere advertises once a second
        self._address: str | None = None  # pinned on the first connect: reconnects go back to this sensor
        self._scanner_backend = scanner_backend
        self._client_backend = client_backend
        self._client: Any = None
        self._closing = False
        self._reconnector: asyncio.Task[None] | None = None

    async def open(self) -> None:
        if not await self._connect():
            why = str(self.health.extra.get("last_error") or "")
            if why.startswith(NO_BLUETOOTH):
                raise SourceError(why, hint="is there a Bluetooth adapter, switched on, with BlueZ running on Linux?")
            raise SourceError(f"no footfall sensor {self.target!r} found or connectable" + (f" ({why})" if why else ""),
                              hint="is it switched on and near? try `footfall scan`")
        self._event("restored", "connected")

    async def send(self, command: bytes) -> None:
        """Write a command; SourceError when the link is down or the write fails (the transport's error as cause)."""
        from bleak.exc import BleakError

        if self._client is None or not self._client.is_connected:
            raise SourceError(f"{self.name}: not connected")
        try:
            await self._client.write_gatt_char(CONTROL_UUID, command, response=True)
        except (BleakError, TimeoutError, EOFError, OSError) as exc:  # EOFError: the D-Bus link closed mid-write
            raise SourceError(f"{self.name}: command not sent ({type(exc).__name__}: {exc})") from exc

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
        """Find and connect; False (the reason in health.extra) if not. SourceError if the name is ambiguous."""
        from bleak.exc import BleakError

        try:
            device = await self._find(scan_timeout_s or self.scan_timeout_s)
            if device is None:
                return False
            self._client = await self._link(device)
            if not self._client.is_connected:  # it dropped while subscribing: its callback was not ours yet
                self._client = None
                raise BleakError("link lost while subscribing")
        except (BleakError, OSError, asyncio.TimeoutError) as exc:  # OSError: no adapter, no BlueZ / D-Bus
            said = str(exc) or type(exc).__name__
            if isinstance(exc, OSError) and not isinstance(exc, asyncio.TimeoutError):
                said = f"{NO_BLUETOOTH} ({said})"
            self.health.extra["last_error"] = said
            return False
        self._address = device.address
        self.name = device.name or self.target
        self.side = side_of_name(self.name) if self.side == "?" else self.side
        return True

    async def _link(self, device: Any) -> Any:
        from bleak import BleakClient

        client = BleakClient(device, disconnected_callback=self._on_disconnect, backend=self._client_backend)
        await client.connect()
        try:
            await client.start_notify(STATUS_UUID, self._on_frame)
            await client.start_notify(DATA_UUID, self._on_frame)
        except BaseException:
            with contextlib.suppress(Exception):  # the link may be gone already; the subscription error is the news
                await client.disconnect()
            raise
        self._note_mtu(client)
        return client

    def _note_mtu(self, client: Any) -> None:
        """Keep the link's MTU in the health figures; say once what a small one means."""
        mtu = known_mtu(client)
        self.health.extra["att_mtu"] = mtu
        if mtu is not None and mtu < FULL_FRAME_MTU and self.health.extra.get("att_mtu_noted") != mtu:
            self.health.extra["att_mtu_noted"] = mtu
            self._event("note", mtu_note(mtu))

    def _scan_kw(self) -> dict[str, Any]:
        return {"backend": self._scanner_backend} if self._scanner_backend else {}

    async def _find(self, timeout_s: float) -> Any:
        """The device to connect to: by address (pinned or given) the first sighting, by name the only one."""
        from bleak import BleakScanner

        if self._address is None and not looks_like_address(self.target):
            return await self._find_only(timeout_s)
        return await BleakScanner.find_device_by_filter(self._matches, timeout=timeout_s, **self._scan_kw())

    async def _find_only(self, timeout_s: float) -> Any:
        from bleak import BleakScanner

        seen = _Sightings(self._matches)
        scanner = BleakScanner(detection_callback=seen, **self._scan_kw())
        await scanner.start()
        try:
            await self._listen(seen, timeout_s)
        finally:
            await scanner.stop()
        return self._only(seen)

    async def _listen(self, seen: _Sightings, timeout_s: float) -> None:
        """Until the first match, then `ambiguity_window_s` more, within `timeout_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        try:
            await asyncio.wait_for(seen.first.wait(), timeout_s)
        except asyncio.TimeoutError:
            return
        await asyncio.sleep(max(0.0, min(self.ambiguity_window_s, deadline - loop.time())))

    def _only(self, seen: _Sightings) -> Any:
        """The one sensor seen; SourceError if several."""
        ranked = seen.ranked()
        if len(ranked) > 1:
            listed = ", ".join(f"{d.address} ({rssi} dBm)" if rssi is not None else d.address for d, rssi in ranked)
            example = ranked[0][0].address
            raise SourceError(f"{len(ranked)} sensors called {self.target!r} in range: {listed}",
                              hint=f"name yours by address, e.g. ble:{example}; `footfall scan` lists them")
        if not ranked:
            return None
        device, rssi = ranked[0]
        self.health.rssi_dbm = rssi if rssi is not None else self.health.rssi_dbm
        return device

    def _matches(self, device: Any, adv: Any) -> bool:
        """Our sensor: once connected, only the pinned address; before, the target name or address."""
        if self._address is not None:
            ok = device.address.upper() == self._address.upper()
        else:
            names = {device.name, getattr(adv, "local_name", None)}
            ok = self.target in names or device.address.upper() == self.target.upper()
        if ok and adv is not None and getattr(adv, "rssi", None) is not None:
            self.health.rssi_dbm = adv.rssi
        return ok

    def _on_frame(self, _char: Any, data: bytearray) -> None:
        self._arrived(data)

    def _on_disconnect(self, client: Any) -> None:
        """The current client's link dropped: reconnect. A stale client's drop (one that failed or was replaced)
        and a drop while a reconnect loop runs (it dropped during that loop's own attempt) change nothing."""
        if self._closing or client is not self._client or self._reconnecting():
            return
        self._client = None
        self._event("lost", "link lost")
        self._reconnector = asyncio.get_running_loop().create_task(self._reconnect())

    def _reconnecting(self) -> bool:
        return self._reconnector is not None and not self._reconnector.done()

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
