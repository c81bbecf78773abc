"""A footfall sensor on USB serial: COBS + CRC16 framed packets (docs/protocol.md), read through pyserial.

A reader thread does the blocking reads and hands chunks to the event loop; the framing reader drops
corrupt packets (counted) and resynchronises on the next delimiter.

No link has to be selected first: the firmware answers a command on the link it came in on (so the status
command learns the side even while BLE carries the data), and the session's `start` selects the link it
came in on, USB here. A BLE host takes the data back once this session has stopped (firmware 0.4.1: while a
USB host streams, BLE may only ask).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from typing import Any

from footfall.errors import SourceError
from footfall.protocol.frames import CMD_STATUS, encode_command, status_side
from footfall.protocol.framing import PacketReader, frame_packet
from footfall.sources.base import Source

ESPRESSIF_VID = 0x303A  # the ESP32-S3's own USB (a footfall sensor)
USUAL_PORT_NAMES = "/dev/ttyACM* on Linux, /dev/cu.usbmodem* on macOS, COMn (COM3, COM5, ...) on Windows"


def port_hint(ports: Iterable[Any] | None = None) -> str:
    """What to check when a port cannot be opened: the serial ports this computer has (pyserial's comports(), an
    Espressif board first and marked) and the names a board usually gets on each system."""
    if ports is None:
        try:
            from serial.tools.list_ports import comports

            ports = comports()
        except Exception:  # noqa: BLE001 - listing is only a courtesy; the hint must not fail
            ports = []
    found = sorted(ports, key=lambda p: getattr(p, "vid", None) != ESPRESSIF_VID)
    names = []
    for p in found:
        description = getattr(p, "description", "") or ""
        about = [d for d in (description if description != "n/a" else "",
                             "Espressif, likely the sensor" if getattr(p, "vid", None) == ESPRESSIF_VID else "") if d]
        names.append(f"{p.device} ({', '.join(about)})" if about else str(p.device))
    listed = "; ".join(names) if names else "none found"
    return f"check the cable and the port name: ports here: {listed}; a sensor is usually {USUAL_PORT_NAMES}"


class SerialSource(Source):
    def __init__(self, spec: str, port: str, baudrate: int = 921600) -> None:
        super().__init__(spec, port)
        self.port = port
        self.baudrate = baudrate
        self.reader = PacketReader()
        self._serial: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status_seen = asyncio.Event()

    async def open(self) -> None:
        import serial

        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=0.05)
        except (serial.SerialException, OSError) as exc:
            raise SourceError(f"cannot open serial port {self.port}: {exc}",
                              hint=port_hint()) from None
        loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._read_loop, args=(loop,), name=f"serial {self.port}",
                                        daemon=True)
        self._thread.start()
        self._event("restored", "port open")
        await self._learn_side()

    async def _learn_side(self, timeout_s: float = 3.0) -> None:
        """Ask for a status frame so the sensor says which foot it is on (frames meanwhile are kept)."""
        await self.send(encode_command(CMD_STATUS, 1))
        try:
            await asyncio.wait_for(self._status_seen.wait(), timeout_s)
        except asyncio.TimeoutError:
            raise SourceError(f"{self.port}: no footfall sensor answers on this port",
                              hint="is it a footfall sensor with firmware 0.3 or later? "
                                   f"(footfall firmware check --port {self.port})") from None

    async def send(self, command: bytes) -> None:
        """Write a command; SourceError when the port is not open or the write fails (the transport's error as
        cause: a pulled cable, a port closed under us)."""
        from serial import SerialException

        if self._serial is None:
            raise SourceError(f"{self.port}: not open")
        packet = frame_packet(command)
        try:
            await asyncio.to_thread(self._serial.write, packet)
        except (SerialException, OSError) as exc:
            raise SourceError(f"{self.port}: command not sent ({type(exc).__name__}: {exc})") from exc

    async def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 1.0)
        if self._serial is not None:
            self._serial.close()
            self._serial = None
        await super().close()

    def _read_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        import serial

        while not self._stop.is_set():
            try:
                chunk = self._serial.read(4096)
            except (serial.SerialException, OSError, TypeError):
                if not self._stop.is_set():
                    loop.call_soon_threadsafe(self._gone)
                return
            if chunk:
                loop.call_soon_threadsafe(self._chunk, chunk)

    def _chunk(self, chunk: bytes) -> None:
        for packet in self.reader.feed(chunk):
            side = status_side(packet)
            if side is not None:
                self.side = side if side in ("L", "R") else self.side
                self._status_seen.set()
            self._arrived(packet)
        self.health.extra["corrupt_packets"] = self.reader.corrupt

    def _gone(self) -> None:
        self._event("gone", "serial port closed")
        self._end()
