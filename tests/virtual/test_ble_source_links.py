"""BleSource's links with a scripted bleak client backend (QA 18, F2/F3): a subscription that fails after connect()
leaves nothing connected, a stale client's disconnect changes nothing, one reconnect loop at a time, and the
link's ATT MTU is noted when it is below what full frames need (not when bleak only guesses it, as on BlueZ)."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.exc import BleakError

from footfall.sources.base import LinkEvent, ReconnectPolicy
from footfall.sources.ble import BleSource, known_mtu

FAST = ReconnectPolicy(first_delay_s=0.05, max_delay_s=0.1, give_up_s=1.5)


class Script:
    """What the next clients do: subscriptions that fail (dropping the link first, or not), the MTU they report."""

    def __init__(self) -> None:
        self.clients: list[Stub] = []
        self.fail_notify = 0
        self.drop_in_notify = False
        self.mtu: int | None = 247  # None: bleak's BlueZ guess (23, with a warning)


SCRIPT = Script()


class _Services:
    def get_characteristic(self, _spec: Any) -> object:
        return object()


class Stub(BaseBleakClient):
    def __init__(self, device: Any, **kwargs: Any) -> None:
        super().__init__(device, **kwargs)
        self.connected = False
        SCRIPT.clients.append(self)

    async def connect(self, pair: bool = False, **kwargs: Any) -> None:
        self.connected = True
        self.services = _Services()  # type: ignore[assignment]

    async def disconnect(self) -> None:
        self.connected = False

    def drop(self) -> None:
        """The OS reports the link lost."""
        self.connected = False
        assert self._disconnected_callback is not None
        self._disconnected_callback()

    @property
    def is_connected(self) -> bool:
        return self.connected

    @property
    def mtu_size(self) -> int:
        if SCRIPT.mtu is None:
            warnings.warn("Using default MTU value. Call _acquire_mtu() or set _mtu_size first to avoid this warning.")
            return 23
        return SCRIPT.mtu

    async def start_notify(self, characteristic: Any, callback: Any, **kwargs: Any) -> None:
        if SCRIPT.fail_notify > 0:
            SCRIPT.fail_notify -= 1
            if SCRIPT.drop_in_notify:
                self.drop()
            raise BleakError("Notify acquired")

    async def stop_notify(self, *args: Any) -> None: ...
    async def write_gatt_char(self, *args: Any, **kwargs: Any) -> None: ...
    async def read_gatt_char(self, *args: Any, **kwargs: Any) -> bytearray: return bytearray()
    async def read_gatt_descriptor(self, *args: Any, **kwargs: Any) -> bytearray: return bytearray()
    async def write_gatt_descriptor(self, *args: Any, **kwargs: Any) -> None: ...
    async def pair(self, *args: Any, **kwargs: Any) -> None: ...
    async def unpair(self) -> None: ...

    @property
    def name(self) -> str:
        return "footfall-L"


def source() -> BleSource:
    global SCRIPT
    SCRIPT = Script()
    src = BleSource("ble:footfall-L", "footfall-L", client_backend=Stub, policy=FAST)
    device = BLEDevice("C0:FF:EE:00:00:0A", "footfall-L", None)

    async def find(_timeout_s: float) -> BLEDevice:
        return device

    src._find = find  # type: ignore[method-assign]
    return src


def events(src: BleSource) -> list[LinkEvent]:
    out = []
    while not src._queue.empty():
        item = src._queue.get_nowait()
        if isinstance(item, LinkEvent):
            out.append(item)
    return out


def connected() -> int:
    return sum(c.connected for c in SCRIPT.clients)


def test_a_failed_subscription_leaves_nothing_connected() -> None:
    async def main() -> None:
        src = source()
        SCRIPT.fail_notify = 1
        assert not await src._connect()
        assert len(SCRIPT.clients) == 1 and connected() == 0
        assert "Notify acquired" in str(src.health.extra["last_error"])

    asyncio.run(main())


def test_failed_reconnects_leak_no_link_and_a_stale_drop_leaves_the_good_one() -> None:
    async def main() -> None:
        src = source()
        assert await src._connect()
        SCRIPT.fail_notify = 10**6  # every reconnect's subscription fails while its link stays up
        SCRIPT.clients[-1].drop()
        await asyncio.sleep(0.6)
        assert len(SCRIPT.clients) > 3 and connected() == 0, (len(SCRIPT.clients), connected())
        SCRIPT.fail_notify = 0
        await asyncio.sleep(0.4)
        assert connected() == 1 and src._client._backend is SCRIPT.clients[-1]
        SCRIPT.clients[1].drop()  # a client of a failed attempt reports its drop late
        await asyncio.sleep(0.2)
        assert src._client._backend is SCRIPT.clients[-1] and src._client.is_connected
        assert [e.kind for e in events(src)] == ["lost", "restored"]
        src._closing = True

    asyncio.run(main())


def test_a_drop_during_a_reconnects_subscription_starts_no_second_loop() -> None:
    async def main() -> None:
        src = source()
        assert await src._connect()
        SCRIPT.fail_notify, SCRIPT.drop_in_notify = 1, True
        SCRIPT.clients[-1].drop()
        await asyncio.sleep(1.0)
        assert connected() == 1 and src.health.reconnects == 1, (connected(), src.health.reconnects)
        assert [e.kind for e in events(src)] == ["lost", "restored"]
        src._closing = True

    asyncio.run(main())


def test_a_small_mtu_is_noted_once_and_a_guessed_one_not_at_all() -> None:
    async def main() -> None:
        src = source()
        SCRIPT.mtu = 185
        assert await src._connect() and await src._connect()
        notes = [e.detail for e in events(src) if e.kind == "note"]
        assert len(notes) == 1 and "ATT MTU 185" in notes[0] and "14 samples" in notes[0], notes
        assert src.health.extra["att_mtu"] == 185
        src = source()
        SCRIPT.mtu = None  # BlueZ: bleak does not know without acquiring a characteristic
        assert await src._connect()
        assert events(src) == [] and src.health.extra["att_mtu"] is None
        SCRIPT.mtu = 247
        assert known_mtu(SCRIPT.clients[-1]) == 247

    asyncio.run(main())
