"""Which sensor a BleSource connects to when several share a name (every left sensor advertises `footfall-L`):
the first connect by name refuses to guess between two, and reconnects go back to the sensor first connected.

A scripted bleak scanner backend checks the timing of the ambiguity window; virtual shoes (the real firmware
under MicroPython on the virtual radio) check it end to end.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from bleak import BleakScanner
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner

from footfall.errors import SourceError
from footfall.sources.base import ReconnectPolicy
from footfall.sources.ble import BleSource
from footfall.virtual.radio import VirtualRadio, on_radio
from footfall.virtual.shoe import VirtualShoe, start_virtual_shoe

A, B = "C0:FF:EE:00:00:0A", "C0:FF:EE:00:00:0B"


# -- the ambiguity window, with a scripted scanner (no radio) --
class ScriptedScanner(BaseBleakScanner):
    """Plays `script`: (seconds after start, address, name, rssi) adverts, to the detection callbacks."""

    script: list[tuple[float, str, str, int]] = []

    def __init__(self, detection_callback: Any, service_uuids: Any, scanning_mode: str = "active", **_: Any) -> None:
        super().__init__(detection_callback, service_uuids)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.seen_devices = {}
        self._task = asyncio.get_running_loop().create_task(self._play())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _play(self) -> None:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        for at_s, address, name, rssi in self.script:
            await asyncio.sleep(max(0.0, t0 + at_s - loop.time()))
            adv = AdvertisementData(name, {}, {}, [], None, rssi, ())
            self.call_detection_callbacks(self.create_or_update_device(address, address, name, None, adv), adv)


def scripted(*adverts: tuple[float, str, str, int], target: str = "footfall-L", **kw: Any) -> BleSource:
    backend = type("Scripted", (ScriptedScanner,), {"script": list(adverts)})
    return BleSource(f"ble:{target}", target, scanner_backend=backend, **kw)


def find(source: BleSource, timeout_s: float = 5.0) -> tuple[Any, float]:
    """What the first connect would connect to, and how long finding it took."""
    async def main() -> Any:
        return await source._find(timeout_s)

    t0 = time.monotonic()
    device = asyncio.run(main())
    return device, time.monotonic() - t0


def test_a_second_sensor_inside_the_window_is_refused_strongest_first() -> None:
    source = scripted((0.0, A, "footfall-L", -70), (0.2, "11:22:33:44:55:66", "footfall-R", -40),
                      (1.0, B, "footfall-L", -52), (1.2, A, "footfall-L", -71))
    with pytest.raises(SourceError) as err:
        asyncio.run(source.open())  # the error comes out of open() as itself, not as "not found"
    assert str(err.value).startswith(f"2 sensors called 'footfall-L' in range: {B} (-52 dBm), {A} (-71 dBm)")
    assert f"ble:{B}" in err.value.hint and "footfall scan" in err.value.hint
    assert "footfall-R" not in str(err.value) and "11:22" not in str(err.value)


def test_a_sensor_seen_after_the_window_is_not_waited_for() -> None:
    device, took_s = find(scripted((0.3, A, "footfall-L", -60), (2.5, B, "footfall-L", -40)))
    assert device.address == A
    assert 1.7 < took_s < 2.4  # first sighting + the 1.5 s window


def test_the_window_ends_with_the_scan_timeout() -> None:
    source = scripted((0.3, A, "footfall-L", -60), (2.0, B, "footfall-L", -40), ambiguity_window_s=5.0)
    device, took_s = find(source, timeout_s=1.0)
    assert device.address == A and took_s < 1.5


def test_nothing_in_range_is_none_after_the_scan_timeout() -> None:
    device, took_s = find(scripted((0.1, A, "footfall-R", -60)), timeout_s=0.5)
    assert device is None and 0.4 < took_s < 1.0


@pytest.mark.parametrize("target", [B, B.lower()])
def test_an_address_skips_the_window(target: str) -> None:
    source = scripted((0.0, A, "footfall-L", -50), (0.2, B, "footfall-L", -60), (0.4, A, "footfall-L", -50),
                      target=target)
    device, took_s = find(source)
    assert device.address == B and took_s < 0.4


def test_once_pinned_only_that_address_matches() -> None:
    source = BleSource("ble:footfall-L", "footfall-L")
    mine, other = SimpleNamespace(address=A, name="footfall-L"), SimpleNamespace(address=B, name="footfall-L")
    adv = SimpleNamespace(local_name="footfall-L", rssi=-60)
    assert source._matches(mine, adv) and source._matches(other, adv)  # before the first connect: by name
    source._address = A  # as the first connect leaves it
    assert source._matches(SimpleNamespace(address=A.lower(), name=None), SimpleNamespace(local_name=None, rssi=-61))
    assert not source._matches(other, SimpleNamespace(local_name="footfall-L", rssi=-30))
    assert source.health.rssi_dbm == -61  # a rejected device's RSSI is not taken for ours


# -- end to end: virtual shoes running the firmware on the virtual radio --

@contextlib.asynccontextmanager
async def left_shoes(radio: VirtualRadio, n: int) -> AsyncIterator[list[VirtualShoe]]:
    shoes: list[VirtualShoe] = []
    try:
        shoes += [start_virtual_shoe("L", env=radio.env) for _ in range(n)]
        yield shoes
    finally:
        for shoe in shoes:
            shoe.cleanup()


async def advertising(radio: VirtualRadio, name: str, n: int, besides: str | None = None) -> set[str]:
    """The addresses advertising `name` (but `besides`), once there are at least `n` of them."""
    seen: set[str] = set()
    async with asyncio.timeout(10.0):
        while len(seen) < n:
            found = await BleakScanner.discover(timeout=0.5, return_adv=True, backend=radio.scanner_backend)
            seen |= {address for address, (_, adv) in found.items() if adv.local_name == name} - {besides}
    return seen


def ble(radio: VirtualRadio, target: str, **kw: Any) -> BleSource:
    return BleSource(f"ble:{target}", target, scanner_backend=radio.scanner_backend,
                     client_backend=radio.client_backend, **kw)


@pytest.mark.micropython
def test_two_shoes_called_footfall_l_need_an_address() -> None:
    async def body(radio: VirtualRadio) -> None:
        async with left_shoes(radio, 2):
            first, second = sorted(await advertising(radio, "footfall-L", 2))
            radio.set_rssi(first, -70)
            radio.set_rssi(second, -52)
            with pytest.raises(SourceError) as err:
                await ble(radio, "footfall-L").open()
            print(err.value)
            assert f"2 sensors called 'footfall-L' in range: {second} (-52 dBm), {first} (-70 dBm)" in str(err.value)
            source = ble(radio, first)
            await source.open()
            try:
                assert source.name == "footfall-L" and source.side == "L"
                assert source._client.address == first and source._address == first
                assert source.health.rssi_dbm == -70
            finally:
                await source.close()

    on_radio(body)


@pytest.mark.micropython
def test_reconnect_goes_back_to_the_first_shoe_not_another_of_its_name() -> None:
    async def body(radio: VirtualRadio) -> None:
        async with left_shoes(radio, 1):
            await advertising(radio, "footfall-L", 1)
            source = ble(radio, "footfall-L", policy=ReconnectPolicy(first_delay_s=0.2, max_delay_s=0.5, give_up_s=15))
            await source.open()
            try:
                mine = source._address
                assert mine is not None and source._client.address == mine
                async with left_shoes(radio, 1):  # another runner's left shoe arrives
                    other = await advertising(radio, "footfall-L", 1, besides=mine)
                    loop = asyncio.get_running_loop()
                    t0 = loop.time()
                    await radio.drop_link(mine, 3.0)  # out of range for 3 s while the other advertises
                    while source.health.reconnects < 1 or source._client is None:
                        await asyncio.sleep(0.05)
                    print(f"reconnected {loop.time() - t0:.1f} s after the drop; the other shoe was {other}")
                    assert source._client.address == mine and source._address == mine
            finally:
                await source.close()

    on_radio(body)


@pytest.mark.parametrize("error, says", [(FileNotFoundError(2, "No such file or directory"), "no Bluetooth on this"),
                                         (asyncio.TimeoutError(), "TimeoutError")])
def test_a_computer_without_bluetooth_is_said_so(error: Exception, says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No adapter (BlueZ's D-Bus socket missing) read "not found or connectable ([Errno 2] No such file or
    directory) (is it switched on and near?)", as if the sensor were off; a time-out still reads as one."""
    source = BleSource("ble:footfall-L", "footfall-L")

    async def fails(timeout_s: float) -> None:
        raise error

    monkeypatch.setattr(source, "_find", fails)
    assert asyncio.run(source._connect(0.1)) is False
    said = source.health.extra["last_error"]
    assert says in said
    if "Bluetooth" in says:  # said once, with the hint for it (not "is it switched on and near?")
        with pytest.raises(SourceError, match="no Bluetooth on this computer") as refused:
            asyncio.run(source.open())
        assert "adapter" in refused.value.hint and "near" not in str(refused.value)
