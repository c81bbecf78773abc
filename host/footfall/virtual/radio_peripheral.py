"""One firmware's side of the virtual radio: a bumble peripheral driven by the MicroPython `bluetooth` shim.

The shim (mpy_shims/bluetooth.py) sends one JSON object per line; this class turns them into bumble
calls (GATT server, advertising, notifications through the pacer) and sends IRQs back.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

try:
    from bumble import gatt, hci
    from bumble.controller import Controller
    from bumble.device import Connection, Device
    from bumble.host import Host
    from bumble.transport.common import AsyncPipeSink
except ImportError as exc:  # pip leaves bumble out on Windows on ARM64 (pyproject.toml): one line, not a traceback
    from footfall.virtual.mpy import no_virtual_radio

    raise no_virtual_radio() from exc

from footfall.virtual.pacing import Pacer, PacingModel

if TYPE_CHECKING:
    from footfall.virtual.radio import VirtualRadio

log = logging.getLogger(__name__)

IRQ_CENTRAL_CONNECT = 1
IRQ_CENTRAL_DISCONNECT = 2
IRQ_GATTS_INDICATE_DONE = 20
IRQ_MTU_EXCHANGED = 21
CONNECTION_TIMEOUT = 0x08  # HCI error code: the supervision timeout expired
WRITE_HANDLER_TIMEOUT_S = 10.0  # a firmware stuck this long in its IRQ handler: answer the write anyway


class _Controller(Controller):
    """bumble's controller, plus what a real one does when a pending connection is cancelled (Core v5.4
    Vol 4, Part E, 7.8.13): the attempt ends with a Connection Complete event, status 0x02."""

    def on_hci_le_create_connection_cancel_command(self, command: Any) -> Any:
        pending, self.pending_le_connection = self.pending_le_connection, None
        if pending is not None:
            asyncio.get_running_loop().call_soon(self._connection_cancelled, pending)
        return super().on_hci_le_create_connection_cancel_command(command)

    def _connection_cancelled(self, pending: Any) -> None:
        self.send_hci_packet(
            hci.HCI_LE_Connection_Complete_Event(
                status=hci.HCI_ErrorCode.UNKNOWN_CONNECTION_IDENTIFIER_ERROR,
                connection_handle=0, role=hci.Role.CENTRAL,
                peer_address_type=pending.peer_address.address_type, peer_address=pending.peer_address,
                connection_interval=0, peripheral_latency=0, supervision_timeout=0, central_clock_accuracy=0,
            )
        )


def make_device(link: Any, name: str, address: str) -> tuple[Device, Controller]:
    """A bumble Device with its own controller on the shared in-memory link."""
    controller = _Controller(name, link=link, public_address=address)
    controller.le_acl_data_packet_length = 251  # LE Data Length Extension, as on the ESP32-S3 and phones
    device = Device(address=hci.Address(address), host=Host(controller, AsyncPipeSink(controller)))
    device.name = name
    return device, controller


def addr_bytes(address: hci.Address) -> bytes:
    """A bumble address as MicroPython shows it: 6 bytes, most significant first."""
    return bytes.fromhex(str(address).split("/")[0].replace(":", ""))


class Peripheral:
    """The bumble peripheral of one firmware process, fed by its shim's socket."""

    def __init__(self, radio: VirtualRadio, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.radio = radio
        self.reader, self.writer = reader, writer
        self.device: Device | None = None
        self.controller: Controller | None = None
        self.address = ""
        self.name = ""
        self.adv_data = b""
        self.resp_data = b""
        self.values: dict[int, bytes] = {}
        self.attrs: dict[int, gatt.Characteristic[Any]] = {}
        self.conns: dict[int, Connection] = {}
        self.out_of_range = False
        self.pacer = Pacer(radio.pacing, self._give_credits)
        self.pending_writes: dict[int, tuple[int, asyncio.Future[None]]] = {}
        self._write_keys = itertools.count(1)

    def adv_name(self) -> str | None:
        """The local name the firmware advertises (advertising data, then scan response)."""
        return adv_local_name(self.adv_data) or adv_local_name(self.resp_data)

    @property
    def model(self) -> PacingModel:
        return self.radio.pacing

    # -- socket --
    def send(self, msg: dict[str, Any]) -> None:
        if not self.writer.is_closing():
            self.writer.write((json.dumps(msg) + "\n").encode())

    def irq(self, event: int, *args: Any) -> None:
        self.send({"ev": "irq", "e": event, "a": list(args)})

    def _give_credits(self, n: int) -> None:
        self.send({"ev": "credit", "n": n})

    async def serve(self) -> None:
        """Handle the shim's requests until it goes away, then take the peripheral off the air."""
        try:
            while line := await self.reader.readline():
                await self._handle(json.loads(line))
        except ConnectionError:  # the firmware process died or was killed: same as going away
            pass
        finally:
            await self.close()

    async def close(self) -> None:
        await self.pacer.stop()
        self._release_writes()
        if self.controller is not None and self.controller in self.radio.link.controllers:
            self._drop_connections(hci.HCI_ErrorCode.REMOTE_USER_TERMINATED_CONNECTION_ERROR)
            self.radio.link.remove_controller(self.controller)
            self.controller.le_legacy_advertiser.stop()  # no advertising timers left on the caller's loop
            for advertising_set in self.controller.advertising_sets.values():
                advertising_set.stop()
        self.writer.close()

    async def _handle(self, msg: dict[str, Any]) -> None:
        handler: Callable[[dict[str, Any]], Awaitable[Any]] | None = getattr(self, "_op_" + msg["op"], None)
        try:
            if handler is None:
                raise ValueError(f"unknown operation {msg['op']!r}")
            reply = await handler(msg)
        except Exception as exc:  # a bad request must not take the whole shoe off the air
            log.exception("virtual radio: %s failed", msg.get("op"))
            reply = {"error": str(exc)}
        if "id" in msg:
            self.send({"id": msg["id"], **(reply or {})})

    # -- operations from the shim --
    async def _op_hello(self, msg: dict[str, Any]) -> dict[str, Any]:
        if self.device is None:  # first active(True); later ones (after active(False)) reuse the radio
            self.address = self.radio.allocate_address(msg.get("mac"))
            self.device, self.controller = make_device(self.radio.link, f"shoe-{self.address}", self.address)
            self.device.on(self.device.EVENT_CONNECTION, self._on_connection)
            self.device.gatt_server.on(self.device.gatt_server.EVENT_CHARACTERISTIC_SUBSCRIPTION, self._on_cccd)
            await self.device.power_on()
            self.pacer.start()
        await self._op_config(msg)
        # Buffers still held by queued packets come back as credits later: the shim starts from the rest.
        return {"mac": self.address.replace(":", "").lower(), "slots": self.model.buffer_slots - self.pacer.held()}

    async def _op_config(self, msg: dict[str, Any]) -> None:
        assert self.device is not None
        cfg = msg["cfg"]
        self.name = str(cfg.get("gap_name", ""))
        self.device.gatt_server.max_mtu = int(cfg.get("mtu", 256))

    async def _op_register(self, msg: dict[str, Any]) -> dict[str, Any]:
        assert self.device is not None
        handles = []
        for svc_uuid, chars in msg["services"]:
            characteristics = [self._characteristic(*c) for c in chars]
            service = gatt.Service(_uuid(svc_uuid), characteristics)
            self.device.add_service(service)
            handles.append(self._handles_of(characteristics))
        return {"handles": handles}

    def _characteristic(self, uuid: str, flags: int, descs: list[list[Any]]) -> gatt.Characteristic[Any]:
        props = gatt.Characteristic.Properties(flags & 0xFF)
        perms = gatt.Characteristic.Permissions(0)
        if flags & 0x02:
            perms |= gatt.Characteristic.READABLE
        if flags & 0x0C:
            perms |= gatt.Characteristic.WRITEABLE
        descriptors = [gatt.Descriptor(_uuid(d[0]), _perms(d[1]), _Value(self)) for d in descs]
        char: gatt.Characteristic[Any] = gatt.Characteristic(_uuid(uuid), props, perms, _Value(self), descriptors)
        return char

    def _handles_of(self, characteristics: list[gatt.Characteristic[Any]]) -> list[int]:
        handles: list[int] = []
        for char in characteristics:
            for attr in (char, *char.descriptors):
                assert isinstance(attr.value, _Value)
                attr.value.handle = attr.handle
                self.values[attr.handle] = b""
                self.attrs[attr.handle] = char
                handles.append(attr.handle)
        return handles

    async def _op_adv(self, msg: dict[str, Any]) -> None:
        assert self.device is not None
        if msg.get("adv") is not None:
            self.adv_data = bytes.fromhex(msg["adv"])
        if msg.get("resp") is not None:
            self.resp_data = bytes.fromhex(msg["resp"])
        await self._stop_advertising()
        if msg["interval_us"] is None:
            return
        interval_ms = max(20.0, msg["interval_us"] / 1000.0)
        await self.device.start_advertising(
            advertising_data=self.adv_data,
            scan_response_data=self.resp_data,
            advertising_interval_min=interval_ms,
            advertising_interval_max=interval_ms,
        )

    async def _stop_advertising(self) -> None:
        assert self.device is not None
        try:
            await self.device.stop_advertising()
        except Exception as exc:  # bumble refuses to stop what the controller already stopped on connect
            log.debug("stop advertising: %s", exc)

    async def _op_write(self, msg: dict[str, Any]) -> None:
        # the value only: the shim sends a send_update's notifications itself, to the subscribed centrals
        self.values[msg["h"]] = bytes.fromhex(msg["v"])

    async def _op_dropped(self, msg: dict[str, Any]) -> None:
        self.pacer.stats.updates_dropped += 1

    async def _op_notify(self, msg: dict[str, Any]) -> None:
        conn = self.conns.get(msg["c"])
        if conn is None:  # gone since the shim last heard: the packet is lost, its buffer freed
            self._give_credits(1)
            return
        assert self.device is not None
        value, attr = bytes.fromhex(msg["v"]), self.attrs[msg["h"]]
        self.pacer.put(msg["c"], len(value), _later(self._notify, conn, attr, value))

    async def _notify(self, conn: Connection, attr: gatt.Characteristic[Any], value: bytes) -> None:
        assert self.device is not None
        await self.device.gatt_server.notify_subscriber(conn, attr, value, force=True)

    async def _op_indicate(self, msg: dict[str, Any]) -> None:
        conn = self.conns.get(msg["c"])
        if conn is None:
            self._give_credits(1)
            return
        value, attr = bytes.fromhex(msg["v"]), self.attrs[msg["h"]]
        self.pacer.put(msg["c"], len(value), _later(self._indicate, conn, attr, value, msg["c"], msg["h"]))

    async def _indicate(self, conn: Connection, attr: gatt.Characteristic[Any], value: bytes, c: int, h: int) -> None:
        async def confirm() -> None:
            assert self.device is not None
            try:
                await self.device.gatt_server.indicate_subscriber(conn, attr, value, force=True)
                self.irq(IRQ_GATTS_INDICATE_DONE, c, h, 0)
            except Exception:  # timeout or disconnection: NimBLE reports a non-zero status
                self.irq(IRQ_GATTS_INDICATE_DONE, c, h, 14)

        self.radio.spawn(confirm())

    async def _op_disconnect(self, msg: dict[str, Any]) -> None:
        conn = self.conns.get(msg["c"])
        if conn is not None:
            self.radio.spawn(conn.disconnect())

    async def _op_mtu(self, msg: dict[str, Any]) -> None:
        conn = self.conns.get(msg["c"])
        assert self.device is not None
        if conn is not None:
            mtu = self.device.gatt_server.max_mtu
            self.radio.spawn(conn.gatt_client.request_mtu(mtu))

    async def _op_active(self, msg: dict[str, Any]) -> None:
        await self._stop_advertising()
        self._drop_connections(hci.HCI_ErrorCode.REMOTE_USER_TERMINATED_CONNECTION_ERROR)

    async def _op_enomem(self, msg: dict[str, Any]) -> None:
        self.pacer.stats.enomem += 1

    # -- events from bumble --
    def _on_connection(self, conn: Connection) -> None:
        self.conns[conn.handle] = conn
        conn.on(conn.EVENT_DISCONNECTION, lambda reason: self._on_disconnection(conn, reason))
        conn.on(conn.EVENT_CONNECTION_ATT_MTU_UPDATE, lambda: self.irq(IRQ_MTU_EXCHANGED, conn.handle, conn.att_mtu))
        peer = conn.peer_address
        self.irq(IRQ_CENTRAL_CONNECT, conn.handle, int(peer.address_type) & 1, "#" + addr_bytes(peer).hex())

    def _on_cccd(self, bearer: Any, characteristic: gatt.Characteristic[Any], notify: bool, indicate: bool) -> None:
        """A central wrote a CCCD: the shim keeps it for send_update (the firmware hears nothing, as on MicroPython)."""
        conn = getattr(bearer, "connection", bearer)  # an EATT channel belongs to its connection
        self.send({"ev": "cccd", "c": conn.handle, "h": characteristic.handle, "f": int(notify) | int(indicate) << 1})

    def _on_disconnection(self, conn: Connection, reason: int) -> None:
        self.conns.pop(conn.handle, None)
        self.pacer.discard(conn.handle)  # credits go back before the IRQ, as the mbufs are freed first
        self._release_writes(conn.handle)
        peer = conn.peer_address
        self.irq(IRQ_CENTRAL_DISCONNECT, conn.handle, int(peer.address_type) & 1, "#" + addr_bytes(peer).hex())

    async def on_central_write(self, conn: Connection, handle: int, value: bytes) -> None:
        """A write from the central. bumble sends the ATT write response when this returns: after the
        firmware's IRQ handler ran (the shim acks), as NimBLE on the ESP32 calls the handler first."""
        self.values[handle] = value
        key = next(self._write_keys)
        done = asyncio.get_running_loop().create_future()
        self.pending_writes[key] = (conn.handle, done)
        msg = {"ev": "write", "c": conn.handle, "h": handle, "v": value.hex(), "k": key}
        self.pacer.receive(conn.handle, lambda: self.send(msg))  # the firmware hears it at a connection event
        try:
            await asyncio.wait_for(done, WRITE_HANDLER_TIMEOUT_S)
        except TimeoutError:
            log.warning("virtual radio: the firmware did not handle a write within %.0f s", WRITE_HANDLER_TIMEOUT_S)
        finally:
            self.pending_writes.pop(key, None)

    async def _op_ack(self, msg: dict[str, Any]) -> None:
        _, done = self.pending_writes.get(msg["k"], (0, None))
        if done is not None and not done.done():
            done.set_result(None)

    def _release_writes(self, conn_handle: int | None = None) -> None:
        """Writes the firmware will never handle (connection or process gone) complete now."""
        for c, done in list(self.pending_writes.values()):
            if (conn_handle is None or c == conn_handle) and not done.done():
                done.set_result(None)

    # -- link loss --
    def set_out_of_range(self, out: bool) -> None:
        """Out of range: nothing passes either way, connection events fail, adverts are not heard."""
        self.out_of_range = out
        for c in self.conns:
            self.pacer.pause(c, out)

    def expire_supervision(self) -> None:
        """The supervision timeout ran out while out of range: both ends see the link drop."""
        self._drop_connections(CONNECTION_TIMEOUT)

    def _drop_connections(self, reason: int) -> None:
        if self.controller is None:
            return
        for cc in list(self.controller.le_connections.values()):
            self.radio.drop_central_side(cc.self_address, cc.peer_address, reason)
            self.controller.on_le_disconnected(cc, reason)


class _Value(gatt.CharacteristicValue[Any]):
    """Value callbacks of one attribute; its handle is known only once bumble numbers the service."""

    def __init__(self, p: Peripheral) -> None:
        self.handle = 0
        super().__init__(
            read=lambda conn: p.values.get(self.handle, b""),
            write=lambda conn, data: p.on_central_write(conn, self.handle, bytes(data)),
        )


def _later(fn: Callable[..., Awaitable[None]], *args: Any) -> Callable[[], Awaitable[None]]:
    return lambda: fn(*args)


def _uuid(text: str) -> Any:
    from bumble.core import UUID

    return UUID(text.replace("0x", "")) if text.startswith("0x") else UUID(text)


def _perms(flags: int) -> Any:
    perms = gatt.Descriptor.Permissions(0)
    if flags & 0x02:
        perms |= gatt.Descriptor.READABLE
    if flags & 0x0C:
        perms |= gatt.Descriptor.WRITEABLE
    return perms


def parse_adv(data: bytes) -> list[tuple[int, bytes]]:
    """Split advertising data into (AD type, payload) structures; stops at a malformed length."""
    out, i = [], 0
    while i < len(data) and data[i] and i + 1 + data[i] <= len(data):
        n = data[i]
        out.append((data[i + 1], bytes(data[i + 2 : i + 1 + n])))
        i += 1 + n
    return out


def adv_local_name(data: bytes) -> str | None:
    for ad_type, payload in parse_adv(data):
        if ad_type in (0x08, 0x09):  # shortened / complete local name
            return payload.decode("utf-8", "replace")
    return None


def address_of(address: str) -> hci.Address:
    """A virtual shoe's address as bumble names it (the radio gives each a random static address)."""
    return hci.Address(address, hci.Address.RANDOM_DEVICE_ADDRESS)
