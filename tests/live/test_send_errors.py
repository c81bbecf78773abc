"""`Source.send` raises SourceError when the link is down (sources/base.py), whatever the transport raised, so the
session catches SourceError alone: a bug is no longer hidden as "command failed" (QA 16, finding 2).

Fakes at the lowest layer: a bleak client and a pyserial port that raise what the real ones raise."""

from __future__ import annotations

import asyncio

import pytest
from bleak.exc import BleakError
from serial import SerialException

from footfall.errors import SourceError
from footfall.protocol.frames import CMD_START, encode_command
from footfall.live.session import LiveParams, LiveSession
from footfall.sources.ble import BleSource
from footfall.sources.serial import SerialSource

TRANSPORT_ERRORS = [BleakError("Not connected"), TimeoutError("no answer"), EOFError(), OSError(12, "ENOMEM")]


class FakeClient:
    """A connected bleak client whose GATT write raises `error`."""

    is_connected = True

    def __init__(self, error: BaseException | None) -> None:
        self.error = error
        self.writes: list[bytes] = []

    async def write_gatt_char(self, _uuid: str, data: bytes, response: bool) -> None:
        self.writes.append(bytes(data))
        if self.error is not None:
            raise self.error


class FakePort:
    """An open pyserial port whose write raises `error`."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def write(self, _data: bytes) -> int:
        raise self.error


def _ble(error: BaseException | None) -> BleSource:
    source = BleSource("ble:footfall-L", "footfall-L")
    source._client = FakeClient(error)
    return source


@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=lambda e: type(e).__name__)
def test_ble_send_wraps_transport_errors(error: BaseException) -> None:
    with pytest.raises(SourceError, match="footfall-L: command not sent") as caught:
        asyncio.run(_ble(error).send(encode_command(CMD_START, 1)))
    assert caught.value.__cause__ is error


@pytest.mark.parametrize("error", [SerialException("device reports readiness to read but returned no data"),
                                   OSError(5, "Input/output error")], ids=lambda e: type(e).__name__)
def test_serial_send_wraps_transport_errors(error: BaseException) -> None:
    source = SerialSource("serial:/dev/ttyACM0", "/dev/ttyACM0")
    source._serial = FakePort(error)
    with pytest.raises(SourceError, match="/dev/ttyACM0: command not sent") as caught:
        asyncio.run(source.send(encode_command(CMD_START, 1)))
    assert caught.value.__cause__ is error


class FakeBleSensor(BleSource):
    """A BleSource already connected through a fake client (no scan)."""

    def __init__(self, error: BaseException | None) -> None:
        super().__init__("ble:footfall-L", "footfall-L")
        self.fake = FakeClient(error)

    async def open(self) -> None:
        self._client = self.fake
        self._event("restored", "connected")


def _run(source: BleSource) -> LiveSession:
    session = LiveSession([source], None, LiveParams(duration_s=0.5, footpod_pace=False))
    asyncio.run(asyncio.wait_for(session.run(), 30))
    return session


def test_a_link_error_on_send_is_a_note_and_the_session_goes_on() -> None:
    source = FakeBleSensor(BleakError("Not connected"))
    session = _run(source)
    notes = list(session.state.notes)
    assert any("command 0x1 not sent: footfall-L: command not sent (BleakError: Not connected)" in n for n in notes)
    assert len(source.fake.writes) >= 2  # start, then stop at the end: the session went on


def test_a_bug_behind_send_is_not_swallowed() -> None:
    """Before, `except Exception` turned it into a note ("command 0x1 failed: RuntimeError")."""
    with pytest.raises(RuntimeError, match="a bug"):
        _run(FakeBleSensor(RuntimeError("a bug")))


def test_the_virtual_radio_s_bleak_backend_raises_bleak_errors_as_bleak_s_own_backends_do() -> None:
    """bumble's errors (a refused ATT write, a lost connection) left the virtual client as themselves, which the
    BLE source does not wrap; bleak's real backends raise BleakError, and so does the fake now."""
    from bumble import core

    from footfall.virtual.bleak_backend import VirtualClient

    class Peer:
        async def write_value(self, *_: object, **__: object) -> None:
            raise core.ConnectionError(0x08, core.BT_LE_TRANSPORT, None, "link lost")  # type: ignore[arg-type]

    client = VirtualClient("00:00:00:00:00:01")
    client._peer = Peer()  # type: ignore[assignment]
    characteristic = type("Characteristic", (), {"obj": None})()
    with pytest.raises(BleakError, match="ConnectionError"):
        asyncio.run(client.write_gatt_char(characteristic, b"\x01", response=True))  # type: ignore[arg-type]
