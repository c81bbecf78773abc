"""Helpers for the virtual radio's tests and benchmark: run tests/virtual/mpy_peripheral.py on a radio."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import struct
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from bleak import BleakClient, BleakScanner

from footfall.virtual.mpy import micropython_path
from footfall.virtual.radio import VirtualRadio

HERE = Path(__file__).resolve().parent
SHIMS = HERE.parents[1] / "host" / "footfall" / "virtual" / "mpy_shims"
DATA = "f00f0001-3c6d-4b8e-9a5b-1f2e3d4c5b6a"
CTRL = "f00f0002-3c6d-4b8e-9a5b-1f2e3d4c5b6a"
STAT = "f00f0003-3c6d-4b8e-9a5b-1f2e3d4c5b6a"


@contextlib.asynccontextmanager
async def peripheral(radio: VirtualRadio, name: str = "footfall-T") -> AsyncIterator[asyncio.subprocess.Process]:
    """The small MicroPython peripheral on `radio`, in its own process group, killed on the way out."""
    env = dict(os.environ, **radio.env, MICROPYPATH=f"{SHIMS}:.frozen", PERIPHERAL_NAME=name)
    proc = await asyncio.create_subprocess_exec(
        micropython_path(), str(HERE / "mpy_peripheral.py"), env=env,
        stdout=asyncio.subprocess.DEVNULL, start_new_session=True,
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        await proc.wait()


async def find(radio: VirtualRadio, name: str, timeout_s: float = 5.0) -> object:
    device = await BleakScanner.find_device_by_name(name, timeout=timeout_s, backend=radio.scanner_backend)
    assert device is not None, f"{name} not found"
    return device


@dataclass
class Received:
    """Frames of the test peripheral as they arrived: counters and one-way latency."""

    counters: list[int] = field(default_factory=list)
    latency_s: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    def __call__(self, _: object, data: bytearray) -> None:
        n, sent_ns = struct.unpack_from("<IQ", data)
        self.counters.append(n)
        self.latency_s.append((time.time_ns() - sent_ns) / 1e9)
        self.sizes.append(len(data))


def go(count: int, period_us: int, size: int) -> bytes:
    return b"G" + struct.pack("<IHB", count, period_us, size)


async def stream(client: BleakClient, count: int, period_us: int, size: int, timeout_s: float) -> Received:
    """Ask for `count` frames and wait until they are all in (or the time is up)."""
    got = Received()
    await client.start_notify(DATA, got)
    await client.write_gatt_char(CTRL, go(count, period_us, size), response=True)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout_s):
            while len(got.counters) < count:
                await asyncio.sleep(0.02)
    return got
