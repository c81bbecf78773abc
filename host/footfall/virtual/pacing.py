"""The virtual radio's pacing model: connection events, packets per event, controller buffers.

A BLE link moves data only at connection events, one every connection interval, and a controller sends
a limited number of packets per event. Packets wait in a small pool of buffers; when the pool is full
NimBLE's `ble_gattc_notify_custom` fails with BLE_HS_ENOMEM, which MicroPython raises as `OSError(ENOMEM)`.
The pool lives in the shim as credits (so ENOMEM is raised synchronously, as on the chip); this module
holds the queue of packets in flight and sends them at the modelled rate, returning one credit per packet
sent or discarded.

Reference: Bluetooth Core Specification v5.4, Vol 6, Part B, 4.5.1 (connection events) and 4.5.2
(supervision timeout).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PacingModel:
    """Link timing. Defaults: a typical phone/PC central (15 ms interval) with NimBLE on an ESP32-S3."""

    connection_interval_s: float = 0.015
    packets_per_interval: int = 4
    buffer_slots: int = 10
    supervision_timeout_s: float = 0.72

    def __post_init__(self) -> None:
        if self.connection_interval_s <= 0 or self.packets_per_interval < 1 or self.buffer_slots < 1:
            raise ValueError(f"invalid pacing model {self}")

    @property
    def max_packets_per_s(self) -> float:
        return self.packets_per_interval / self.connection_interval_s


Send = Callable[[], Awaitable[None]]


@dataclass
class LinkStats:
    """What went over one peripheral's links, for the report and the tests."""

    packets_sent: int = 0
    packets_discarded: int = 0
    enomem: int = 0
    max_queued: int = 0
    bytes_sent: int = 0
    events: int = 0
    send_errors: int = 0  # packets bumble failed to send (lost, their buffers freed)
    updates_dropped: int = 0  # send_update notifications lost for want of a buffer (NimBLE drops them unseen)


@dataclass
class _Packet:
    conn: int
    size: int
    send: Send
    credit: bool


@dataclass
class Pacer:
    """Queues packets per connection and sends up to N per connection event, every interval."""

    model: PacingModel
    give_credits: Callable[[int], None]
    stats: LinkStats = field(default_factory=LinkStats)
    _queue: deque[_Packet] = field(default_factory=deque)
    _incoming: list[tuple[int, Callable[[], None]]] = field(default_factory=list)
    _paused: set[int] = field(default_factory=set)
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def put(self, conn: int, size: int, send: Send, credit: bool = True) -> None:
        """Queue one packet for `conn`; `credit` says whether it holds one of the shim's buffer slots."""
        self._queue.append(_Packet(conn, size, send, credit))
        self.stats.max_queued = max(self.stats.max_queued, len(self._queue))

    def receive(self, conn: int, deliver: Callable[[], None]) -> None:
        """A packet from the central: the peripheral gets it at the next connection event."""
        self._incoming.append((conn, deliver))

    def held(self) -> int:
        """Buffer slots held by queued packets."""
        return sum(p.credit for p in self._queue)

    def pause(self, conn: int, paused: bool) -> None:
        """No connection event succeeds while the link is out of range: packets wait (and buffers fill)."""
        (self._paused.add if paused else self._paused.discard)(conn)

    def discard(self, conn: int) -> None:
        """The connection is gone: its queued packets are lost, their buffers freed."""
        gone = [p for p in self._queue if p.conn == conn]
        self._queue = deque(p for p in self._queue if p.conn != conn)
        self._paused.discard(conn)
        self.stats.packets_discarded += len(gone)
        self._incoming = [(c, d) for c, d in self._incoming if c != conn]
        self._credit(sum(p.credit for p in gone))

    def _credit(self, n: int) -> None:
        if n:
            self.give_credits(n)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_t = loop.time()
        while True:
            next_t += self.model.connection_interval_s
            await asyncio.sleep(max(0.0, next_t - loop.time()))
            next_t = max(next_t, loop.time() - self.model.connection_interval_s)
            await self._event()

    async def _event(self) -> None:
        """One connection event on every connection: send up to N of its packets, in order."""
        self.stats.events += 1
        incoming, self._incoming = self._incoming, []
        heard: dict[int, int] = {}
        for conn, deliver in incoming:  # up to N packets from the central per event, too
            if conn in self._paused or heard.get(conn, 0) >= self.model.packets_per_interval:
                self._incoming.append((conn, deliver))
            else:
                heard[conn] = heard.get(conn, 0) + 1
                deliver()
        budget: dict[int, int] = {}
        keep: deque[_Packet] = deque()
        sent: list[_Packet] = []
        while self._queue:
            p = self._queue.popleft()
            used = budget.get(p.conn, 0)
            if p.conn in self._paused or used >= self.model.packets_per_interval:
                keep.append(p)
                continue
            budget[p.conn] = used + 1
            sent.append(p)
        self._queue = keep
        try:
            for p in sent:
                await self._send(p)
        finally:  # the buffers are free whatever happened to the packets: a lost credit would stall the link
            self._credit(sum(p.credit for p in sent))

    async def _send(self, p: _Packet) -> None:
        """One packet; a failing send loses that packet (logged), never the pacer task and the link with it."""
        try:
            await p.send()
        except Exception as exc:  # noqa: BLE001 - whatever bumble raises for one packet
            self.stats.send_errors += 1
            log.warning("virtual radio: a packet on connection %d was lost: %r", p.conn, exc)
            return
        self.stats.packets_sent += 1
        self.stats.bytes_sent += p.size
