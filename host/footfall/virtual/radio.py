"""The virtual radio: MicroPython firmware <-> bumble peripheral <-> in-memory link <-> bumble central <-> bleak.

No Bluetooth hardware is needed. Every firmware process (the real firmware under the MicroPython unix
port, with `host/footfall/virtual/mpy_shims` first on MICROPYPATH) connects its `bluetooth` shim to the
radio's TCP port on 127.0.0.1, named by the environment variable ``FOOTFALL_RADIO=host:port``
(``radio.env`` holds it; ``FOOTFALL_RADIO_MAC=c0ffee000001`` optionally fixes the shoe's address).
For each, the radio hosts a bumble peripheral Device on a shared `LocalLink`; a bumble central on the same
link drives the bleak backend, so ordinary bleak code talks to the firmware through a real ATT/L2CAP stack.
Notifications are paced (`footfall.virtual.pacing.PacingModel`: 15 ms connection interval, 4 packets per
event, 10 controller buffers -> `OSError(ENOMEM)` in the firmware when full, as NimBLE raises it).

Usage (everything on one asyncio loop; the firmware processes are the only other processes)::

    from bleak import BleakClient, BleakScanner
    from footfall.virtual.radio import VirtualRadio
    from footfall.virtual.shoe import ShoeConfig, VirtualShoe

    async with VirtualRadio() as radio:                             # pacing=PacingModel(...) to change the link
        with VirtualShoe(ShoeConfig(side="L"), radio_env=radio.env):  # the real firmware, on this radio
            device = await BleakScanner.find_device_by_name("footfall-L", backend=radio.scanner_backend)
            async with BleakClient(device, backend=radio.client_backend) as client:   # or the address string
                await client.start_notify(DATA_UUID, on_frame)
                await client.write_gatt_char(CONTROL_UUID, encode_command(CMD_START, 1), response=True)
                radio.drop_link("footfall-L", duration_s=2.0)       # walk out of range for 2 s

`BleakScanner.discover(return_adv=True, backend=radio.scanner_backend)` gives name, service UUIDs and RSSI
(-50 dBm unless `radio.set_rssi(name, dbm)`). `drop_link` shorter than the supervision timeout (0.72 s)
is a fade: data waits, nothing is lost; longer, both ends see a disconnect (reason 0x08), the shoe is not
heard (connects time out) until the end, then it advertises again. `radio.stats(name)` gives what went
over the air (packets, bytes, ENOMEM count, deepest queue). `radio.set_central_mtu(185)` caps the ATT MTU the
central takes (an iPhone's; 23 for a stack that never goes higher) for the connections made after it.
Writes from the central reach the firmware at connection events, up to N per event. When the radio
closes, every shim still attached to it kills its own MicroPython process (no orphaned shoes, even after
kill -9 of the host). The ATT write response goes out after the firmware's IRQ handler ran, as with
NimBLE on the ESP32. Known limits: no pairing/encryption; the scan response is merged into every
advertisement as an active scan would; handle numbers follow bumble, not NimBLE;
_IRQ_GATTS_READ_REQUEST is never raised; gatts_register_services may be called once.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import socket
from collections.abc import Awaitable, Callable, Coroutine
from types import TracebackType
from typing import Any

try:
    from bumble.controller import Controller
    from bumble.device import Device
    from bumble.link import LocalLink
except ImportError as exc:  # pip leaves bumble out on Windows on ARM64 (pyproject.toml): one line, not a traceback
    from footfall.virtual.mpy import no_virtual_radio

    raise no_virtual_radio() from exc

from footfall.errors import SourceError
from footfall.virtual.pacing import LinkStats, PacingModel
from footfall.virtual.radio_peripheral import Peripheral, make_device

CENTRAL_ADDRESS = "F0:0F:00:00:00:01"


class _QuietUnsubscribed(logging.Filter):
    """The firmware notifies characteristics nobody subscribed to (legal: gatts_notify ignores the CCCD);
    bumble warns about each one, which would scribble over a live terminal view."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "with no subscriber" not in record.getMessage()


logging.getLogger("bumble.gatt_client").addFilter(_QuietUnsubscribed())


class _Link(LocalLink):
    """The in-memory air. A peripheral out of range is not heard advertising; data to or from it waits
    (the link layer retransmits until the fade ends) and is lost only if the supervision timeout expires."""

    def __init__(self) -> None:
        super().__init__()
        self.muted: set[Controller] = set()
        self.held: list[tuple[Controller, Callable[[], None]]] = []

    def send_acl_data(self, sender_controller: Any, destination_address: Any, transport: Any, data: bytes) -> None:
        dest = self.find_le_controller(destination_address)
        send = functools.partial(super().send_acl_data, sender_controller, destination_address, transport, data)
        faded = next((c for c in (sender_controller, dest) if c in self.muted), None)
        if faded is None:
            send()
        else:
            self.held.append((faded, send))

    def send_advertising_pdu(self, sender_controller: Any, packet: Any) -> None:
        if sender_controller not in self.muted:
            super().send_advertising_pdu(sender_controller, packet)

    def fade(self, controller: Controller, faded: bool) -> None:
        """Start or end a fade; at its end the held data goes through, in order."""
        if faded:
            self.muted.add(controller)
            return
        self.muted.discard(controller)
        mine = [send for c, send in self.held if c is controller]
        self.held = [(c, send) for c, send in self.held if c is not controller]
        for send in mine:
            send()

    def forget(self, controller: Controller) -> None:
        """The supervision timeout expired: what was held for this link is lost."""
        self.held = [(c, send) for c, send in self.held if c is not controller]


class VirtualRadio:
    """An in-memory BLE radio hosting virtual shoes; see the module docstring for usage."""

    def __init__(self, pacing: PacingModel | None = None, host: str = "127.0.0.1") -> None:
        self.pacing = pacing or PacingModel()
        self.host = host
        self.port = 0
        self.link = _Link()
        self.peripherals: list[Peripheral] = []
        self.rssi: dict[str, int] = {}
        self.scanners: set[Any] = set()
        self._past_stats: dict[str, LinkStats] = {}
        self.connect_lock = asyncio.Lock()
        self._scan_lock = asyncio.Lock()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._serving: set[asyncio.Task[Any]] = set()  # one per connected shoe (its peripheral's serve loop)
        self._addresses = itertools.count(1)
        self.central: Device | None = None
        self.central_controller: Controller | None = None
        self.central_mtu: int | None = None  # None: what BlueZ offers (bleak_backend.CENTRAL_MTU)

    async def sync_scanning(self) -> None:
        """Scan exactly while some bleak scanner is registered in `scanners`. Serialised: bumble's
        `is_scanning` flips only once the controller has answered, so a scanner starting while another one's
        stop was in flight used to see "scanning", skip its start, and stay deaf after the stop."""
        assert self.central is not None
        async with self._scan_lock:
            if self.scanners and not self.central.is_scanning:
                await self.central.start_scanning(filter_duplicates=False)
            elif not self.scanners and self.central.is_scanning:
                await self.central.stop_scanning()

    def set_central_mtu(self, mtu: int) -> None:
        """The largest ATT MTU the central takes, offered in its own exchange and answered to the shoe's (an iPhone
        settles on 185; some stacks answer 23). Applies to connections made after the call."""
        assert self.central is not None, "inside `async with VirtualRadio()`"
        self.central_mtu = self.central.gatt_server.max_mtu = mtu

    # -- lifetime --
    async def __aenter__(self) -> VirtualRadio:
        self.central, self.central_controller = make_device(self.link, "central", CENTRAL_ADDRESS)
        await self.central.power_on()
        self._server = await asyncio.start_server(self._accept, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.close()
        if self.central is not None and self.central.is_scanning:
            await self.central.stop_scanning()
        if self._serving:  # shoes whose process ended finish their last request (e.g. advertising) first:
            await asyncio.wait(list(self._serving), timeout=1.0)  # cancelling it mid-command upsets bumble
        for p in list(self.peripherals):
            await p.close()
        for t in list(self._tasks):
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point a firmware process's `bluetooth` shim at this radio."""
        return {"FOOTFALL_RADIO": self.address}

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:  # small JSON lines both ways: no Nagle delay
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peripheral = Peripheral(self, reader, writer)
        self.peripherals.append(peripheral)
        task = asyncio.current_task()
        if task is not None:
            self._serving.add(task)
        try:
            await peripheral.serve()
        finally:
            self._serving.discard(task)
            self.peripherals.remove(peripheral)
            self._past_stats[peripheral.name] = self._past_stats[peripheral.address] = peripheral.pacer.stats

    def allocate_address(self, mac_hex: str | None) -> str:
        """The shoe's address: FOOTFALL_RADIO_MAC if given, else C0:FF:EE:00:00:nn (random static)."""
        raw = bytes.fromhex(mac_hex) if mac_hex else bytes([0xC0, 0xFF, 0xEE, 0, 0, next(self._addresses)])
        return ":".join(f"{b:02X}" for b in raw)

    # -- for the bleak backend --
    def peripheral(self, name_or_address: str) -> Peripheral:
        for p in self.peripherals:
            if name_or_address in (p.name, p.address) or p.adv_name() == name_or_address:
                return p
        raise SourceError(f"no virtual shoe {name_or_address!r} on this radio")

    def set_rssi(self, name_or_address: str, rssi_dbm: int) -> None:
        self.rssi[self.peripheral(name_or_address).address] = rssi_dbm

    def stats(self, name_or_address: str) -> LinkStats:
        """What went over the air for this shoe (kept after its process ended)."""
        try:
            return self.peripheral(name_or_address).pacer.stats
        except SourceError:
            if name_or_address in self._past_stats:
                return self._past_stats[name_or_address]
            raise

    @functools.cached_property
    def scanner_backend(self) -> type:
        """The bleak scanner backend class bound to this radio: `BleakScanner(backend=radio.scanner_backend)`."""
        from footfall.virtual.bleak_backend import scanner_for

        return scanner_for(self)

    @functools.cached_property
    def client_backend(self) -> type:
        """The bleak client backend class bound to this radio: `BleakClient(x, backend=radio.client_backend)`."""
        from footfall.virtual.bleak_backend import client_for

        return client_for(self)

    # -- link loss --
    def drop_link(self, name_or_address: str, duration_s: float) -> asyncio.Task[None]:
        """Take the shoe out of range for `duration_s`: after the supervision timeout both ends see the
        link drop (reason 0x08); once back in range it advertises and can be reconnected. Returns the
        task that ends when the shoe is back in range (awaiting it is optional)."""
        p = self.peripheral(name_or_address)
        return self.spawn(self._outage(p, duration_s))

    async def _outage(self, p: Peripheral, duration_s: float) -> None:
        assert p.controller is not None
        self.link.fade(p.controller, True)
        p.set_out_of_range(True)
        try:
            timeout_s = self.pacing.supervision_timeout_s
            await asyncio.sleep(min(duration_s, timeout_s))
            if duration_s >= timeout_s:
                self.link.forget(p.controller)
                p.expire_supervision()
                await asyncio.sleep(duration_s - timeout_s)
        finally:
            self.link.fade(p.controller, False)
            p.set_out_of_range(False)

    def drop_central_side(self, peripheral_address: Any, central_address: Any, reason: int) -> None:
        """The central's controller notices the same loss (or the peripheral going away)."""
        cc = self.central_controller
        if cc is None:
            return
        for conn in list(cc.le_connections.values()):
            if conn.peer_address == peripheral_address or str(conn.peer_address) == str(peripheral_address):
                cc.on_le_disconnected(conn, reason)


def on_radio(body: Callable[[VirtualRadio], Awaitable[None]], pacing: PacingModel | None = None,
             timeout_s: float = 30.0) -> None:
    """`body(radio)` on a fresh virtual radio in an event loop of its own, failing after `timeout_s` (tests and
    scripts: a hung link cannot hang them)."""

    async def main() -> None:
        async with asyncio.timeout(timeout_s):
            async with VirtualRadio(pacing) as radio:
                await body(radio)

    asyncio.run(main())
