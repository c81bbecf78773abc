"""The one small interface every live source implements (BLE, serial, replay, virtual).

A source yields what arrived, in order: frames with their host arrival time, and link events (lost,
restored, gone). The notification callback of a transport only enqueues; the session consumes (bleak's
habit). A source that loses its link reconnects by itself with back-off and says so with link events; the
session then asks the device to resend what was missed.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Arrival:
    frame: bytes
    arrival_time_s: float  # host wall clock (time.time()), as recordings store it


@dataclass(frozen=True)
class LinkEvent:
    kind: str  # "lost", "restored", "gone" (given up for good), "note" (what the source says of itself: no change)
    time_s: float
    detail: str = ""


Item = Arrival | LinkEvent


@dataclass(frozen=True)
class ReconnectPolicy:
    """Back-off between reconnect attempts; after `give_up_s` without a link the source is gone."""

    first_delay_s: float = 0.2
    max_delay_s: float = 5.0
    factor: float = 2.0
    give_up_s: float = 60.0  # counted from the moment the link was lost

    def next_delay(self, delay_s: float) -> float:
        return min(delay_s * self.factor, self.max_delay_s)


@dataclass
class LinkHealth:
    """What the live view shows about a link."""

    connected: bool = False
    rssi_dbm: int | None = None
    reconnects: int = 0
    frames: int = 0
    last_arrival_s: float = 0.0
    battery_pct: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


class Source(ABC):
    """A stream of frames from one sensor, plus a way to send it control commands."""

    device = True  # False: no sensor behind it (a replayed recording), so commands change nothing

    def __init__(self, spec: str, name: str, side: str = "?") -> None:
        self.spec = spec
        self.name = name  # e.g. "footfall-L", a port, a file
        self.side = side  # "L", "R" or "?" until a status frame says
        self.health = LinkHealth()
        self._queue: asyncio.Queue[Item | None] = asyncio.Queue()

    @abstractmethod
    async def open(self) -> None:
        """Connect and start streaming; raises SourceError when the sensor cannot be reached."""

    @abstractmethod
    async def send(self, command: bytes) -> None:
        """Send one control command (docs/protocol.md); raises SourceError when the link is down."""

    async def close(self) -> None:
        """Stop streaming and release the link (idempotent)."""
        self._end()

    async def items(self) -> AsyncIterator[Item]:
        """Frames and link events as they come, until the source ends."""
        while (item := await self._queue.get()) is not None:
            yield item

    # -- for implementations --
    def _arrived(self, frame: bytes | bytearray, arrival_time_s: float | None = None) -> None:
        """Queue a frame; its arrival time is now, unless it is replayed with its recorded one."""
        self.health.frames += 1
        self.health.last_arrival_s = time.time()
        t = self.health.last_arrival_s if arrival_time_s is None else arrival_time_s
        self._queue.put_nowait(Arrival(bytes(frame), t))

    def _event(self, kind: str, detail: str = "") -> None:
        self.health.connected = kind == "restored" if kind != "note" else self.health.connected
        self._queue.put_nowait(LinkEvent(kind, time.time(), detail))

    def _end(self) -> None:
        self._queue.put_nowait(None)
