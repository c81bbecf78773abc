"""A small bleak backend driven by the virtual radio's bumble central (no Bluetooth hardware).

Use the classes bound to a radio: ``BleakScanner(backend=radio.scanner_backend)`` and
``BleakClient(device_or_address, backend=radio.client_backend)`` (see footfall.virtual.radio). The client
does what BlueZ does on connect: it exchanges the ATT MTU (517 offered) and discovers every service,
characteristic and descriptor.
"""

from __future__ import annotations

import uuid as uuidlib
from typing import TYPE_CHECKING, Any

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakError
try:
    from bumble import core
    from bumble.device import Advertisement, Connection, Peer
except ImportError as exc:  # pip leaves bumble out on Windows on ARM64 (pyproject.toml): one line, not a traceback
    from footfall.virtual.mpy import no_virtual_radio

    raise no_virtual_radio() from exc

from footfall.errors import SourceError
from footfall.virtual.radio_peripheral import address_of, parse_adv

if TYPE_CHECKING:
    from footfall.virtual.radio import VirtualRadio

CENTRAL_MTU = 517  # what BlueZ offers
_BASE_UUID = "-0000-1000-8000-00805f9b34fb"
_PROPERTY_NAMES = {
    0x01: "broadcast", 0x02: "read", 0x04: "write-without-response", 0x08: "write",
    0x10: "notify", 0x20: "indicate", 0x40: "authenticated-signed-writes", 0x80: "extended-properties",
}


def uuid_str(uuid: core.UUID) -> str:
    """A bumble UUID as bleak spells it: 128-bit, lower case."""
    raw = bytes(reversed(uuid.to_bytes(force_128=True)))
    return str(uuidlib.UUID(bytes=raw))


def _uuid16(raw: bytes, width: int) -> list[str]:
    out = []
    for i in range(0, len(raw) - width + 1, width):
        part = raw[i : i + width][::-1].hex()
        out.append(f"{int(part, 16):08x}{_BASE_UUID}" if width < 16 else str(uuidlib.UUID(hex=part)))
    return out


def advertisement_data(data: bytes, rssi: int, platform: Any) -> AdvertisementData:
    """Decode raw advertising data (Core Supplement Part A) into bleak's AdvertisementData."""
    name, uuids, sdata, mdata, tx = None, [], {}, {}, None
    for t, p in parse_adv(data):
        if t in (0x08, 0x09):
            name = p.decode("utf-8", "replace")
        elif t in (0x02, 0x03, 0x04, 0x05, 0x06, 0x07):
            uuids += _uuid16(p, {2: 2, 3: 2, 4: 4, 5: 4}.get(t, 16))
        elif t in (0x16, 0x20, 0x21) and p:
            width = {0x16: 2, 0x20: 4, 0x21: 16}[t]
            sdata[_uuid16(p[:width], width)[0]] = p[width:]
        elif t == 0xFF and len(p) >= 2:
            mdata[int.from_bytes(p[:2], "little")] = p[2:]
        elif t == 0x0A and p:
            tx = int.from_bytes(p[:1], "little", signed=True)
    return AdvertisementData(name, mdata, sdata, uuids, tx, rssi, (platform,))


class VirtualScanner(BaseBleakScanner):
    """bleak scanner over the radio's central; advertisement data includes the scan response."""

    radio: VirtualRadio

    def __init__(
        self, detection_callback: AdvertisementDataCallback | None, service_uuids: list[str] | None,
        scanning_mode: str = "active", **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)

    async def start(self) -> None:
        self.seen_devices = {}
        central = self.radio.central
        assert central is not None
        central.on(central.EVENT_ADVERTISEMENT, self._on_advertisement)
        self.radio.scanners.add(self)
        await self.radio.sync_scanning()

    async def stop(self) -> None:
        central = self.radio.central
        assert central is not None
        central.remove_listener(central.EVENT_ADVERTISEMENT, self._on_advertisement)
        self.radio.scanners.discard(self)
        await self.radio.sync_scanning()

    def _on_advertisement(self, adv: Advertisement) -> None:
        address = str(adv.address).split("/")[0]
        try:
            p = self.radio.peripheral(address)
        except SourceError:  # gone between its advert and now
            return
        data = adv.data_bytes + p.resp_data
        rssi = self.radio.rssi.get(address, adv.rssi)
        ad = advertisement_data(data, rssi, adv)
        if not self.is_allowed_uuid(ad.service_uuids):
            return
        device = self.create_or_update_device(address, address, ad.local_name, (self.radio, address), ad)
        self.call_detection_callbacks(device, ad)


class VirtualClient(BaseBleakClient):
    """bleak client over the radio's central: connect, GATT discovery, read, write, notify."""

    radio: VirtualRadio

    def __init__(self, address_or_ble_device: BLEDevice | str, **kwargs: Any) -> None:
        super().__init__(
            address_or_ble_device,
            disconnected_callback=kwargs.get("disconnected_callback"),
            timeout=kwargs.get("timeout", 10.0),
        )
        self._conn: Connection | None = None
        self._peer: Peer | None = None
        self._closing = False

    @property
    def name(self) -> str:
        return self.radio.peripheral(self.address).adv_name() or self.address

    @property
    def mtu_size(self) -> int:
        return self._conn.att_mtu if self._conn is not None else 23

    @property
    def is_connected(self) -> bool:
        return self._conn is not None

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        central = self.radio.central
        assert central is not None
        async with self.radio.connect_lock:  # one pending LE connection at a time, as in a controller
            try:
                conn = await central.connect(address_of(self.address), timeout=self._timeout)
            except core.TimeoutError as exc:
                raise TimeoutError(f"virtual radio: {self.address} did not answer") from exc
        self._conn, self._peer, self._closing = conn, Peer(conn), False
        conn.on(conn.EVENT_DISCONNECTION, self._on_disconnection)
        try:
            await self._peer.request_mtu(self.radio.central_mtu or CENTRAL_MTU)
            await self._peer.discover_all()
            self.services = self._collection(self._peer)
        except Exception:
            await self.disconnect()
            raise

    def _on_disconnection(self, reason: int) -> None:
        unsolicited = not self._closing
        self._conn = self._peer = None
        if unsolicited and self._disconnected_callback is not None:
            self._disconnected_callback()

    async def disconnect(self) -> None:
        conn, self._closing = self._conn, True
        if conn is not None:
            try:
                await conn.disconnect()
            except Exception:  # already gone: nothing left to close
                pass
        self._conn = self._peer = None

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("the virtual radio does not pair")

    async def unpair(self) -> None:
        raise NotImplementedError("the virtual radio does not pair")

    def _collection(self, peer: Peer) -> BleakGATTServiceCollection:
        coll = BleakGATTServiceCollection()
        for s in peer.services:
            service = BleakGATTService(s, s.handle, uuid_str(s.uuid))
            coll.add_service(service)
            for c in s.characteristics:
                props = [n for bit, n in _PROPERTY_NAMES.items() if int(c.properties) & bit]
                char = BleakGATTCharacteristic(
                    c, c.handle, uuid_str(c.uuid), props, lambda: self.mtu_size - 3, service  # type: ignore[arg-type]
                )
                coll.add_characteristic(char)
                for d in c.descriptors:
                    coll.add_descriptor(BleakGATTDescriptor(d, d.handle, uuid_str(d.type), char))
        return coll

    def _live_peer(self) -> Peer:
        if self._peer is None:
            raise BleakError("Not connected")
        return self._peer

    async def read_gatt_char(self, characteristic: BleakGATTCharacteristic, **kwargs: Any) -> bytearray:
        return bytearray(await self._live_peer().read_value(characteristic.obj))

    async def read_gatt_descriptor(self, descriptor: BleakGATTDescriptor, **kwargs: Any) -> bytearray:
        return bytearray(await self._live_peer().read_value(descriptor.obj))

    async def write_gatt_char(self, characteristic: BleakGATTCharacteristic, data: Any, response: bool) -> None:
        try:
            await self._live_peer().write_value(characteristic.obj, bytes(data), with_response=response)
        except core.BaseBumbleError as exc:  # as bleak's own backends do: the stack's error becomes a BleakError
            raise BleakError(f"write failed: {type(exc).__name__}: {exc}") from exc

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: Any) -> None:
        await self._live_peer().write_value(descriptor.obj, bytes(data), with_response=True)

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        def on_value(value: bytes) -> None:
            callback(bytearray(value))

        peer = self._live_peer()
        if getattr(characteristic.obj, "footfall_subscriber", None) is not None:
            await self.stop_notify(characteristic)  # one callback per characteristic, as in bleak's backends
        characteristic.obj.footfall_subscriber = on_value
        await peer.subscribe(characteristic.obj, on_value)
        # A value the server pushes either way reaches the callback, as BlueZ delivers it.
        peer.gatt_client.indication_subscribers.setdefault(characteristic.handle, set()).add(on_value)
        peer.gatt_client.notification_subscribers.setdefault(characteristic.handle, set()).add(on_value)

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        peer = self._live_peer()
        subscriber = getattr(characteristic.obj, "footfall_subscriber", None)
        for subs in (peer.gatt_client.indication_subscribers, peer.gatt_client.notification_subscribers):
            subs.get(characteristic.handle, set()).discard(subscriber)
        await peer.unsubscribe(characteristic.obj, subscriber)
        characteristic.obj.footfall_subscriber = None


def scanner_for(radio: VirtualRadio) -> type[VirtualScanner]:
    """A VirtualScanner class bound to `radio` (bleak instantiates backends itself)."""
    return type("VirtualScanner", (VirtualScanner,), {"radio": radio})


def client_for(radio: VirtualRadio) -> type[VirtualClient]:
    """A VirtualClient class bound to `radio`."""
    return type("VirtualClient", (VirtualClient,), {"radio": radio})

