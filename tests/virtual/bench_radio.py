"""Benchmark of the virtual radio (prints figures; not collected by pytest).

    .venv/bin/python tests/virtual/bench_radio.py

1. the small MicroPython peripheral: one-way latency (gatts_notify -> bleak callback) at a light load, and
   the notification rate the pacing model lets through under overload;
2. the real firmware at 416 and 833 Hz under several pacing models: notifications/s, bytes/s, ENOMEM/s.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import numpy as np
from bleak import BleakClient, BleakScanner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from radio_harness import CTRL, DATA, STAT, find, peripheral, stream  # noqa: E402

from footfall.protocol import frames as ff  # noqa: E402
from footfall.virtual.pacing import PacingModel  # noqa: E402
from footfall.virtual.radio import VirtualRadio  # noqa: E402
from footfall.virtual.shoe import ShoeConfig, VirtualShoe  # noqa: E402

MODELS = [PacingModel(), PacingModel(connection_interval_s=0.030, packets_per_interval=2),
          PacingModel(connection_interval_s=0.050, packets_per_interval=1)]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1e3


async def small_peripheral(model: PacingModel) -> None:
    async with VirtualRadio(model) as radio, peripheral(radio):
        async with BleakClient(await find(radio, "footfall-T"), backend=radio.client_backend) as client:
            light = await stream(client, 120, 50000, 238, timeout_s=10)  # 20/s: within every model
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            heavy = await stream(client, 1500, 1000, 238, timeout_s=15)  # asks for 1000/s
            rate = len(heavy.counters) / (loop.time() - t0)
            stats = radio.stats("footfall-T")
            print(f"{model.connection_interval_s * 1e3:.0f} ms x {model.packets_per_interval}: latency at 20/s "
                  f"median {pct(light.latency_s, 50):.1f} ms, p99 {pct(light.latency_s, 99):.1f} ms; "
                  f"overload: {rate:.0f} notifications/s through (model max {model.max_packets_per_s:.0f}), "
                  f"{stats.enomem} ENOMEM, in order: {heavy.counters == list(range(len(heavy.counters)))}")


async def firmware(model: PacingModel, rate_hz: int, seconds: float = 4.0) -> None:
    samples = np.random.default_rng(1).integers(-32768, 32768, size=(3000, 6))
    async with VirtualRadio(model) as radio:
        with VirtualShoe(ShoeConfig(side="L", rate_hz=rate_hz), samples=samples, radio_env=radio.env) as shoe:
            device = await BleakScanner.find_device_by_name("footfall-L", timeout=10, backend=radio.scanner_backend)
            frames: list[bytes] = []
            async with BleakClient(device, backend=radio.client_backend) as client:
                for uuid in (STAT, DATA):
                    await client.start_notify(uuid, lambda _, d: frames.append(bytes(d)))
                await client.write_gatt_char(CTRL, ff.encode_command(ff.CMD_START, 1), response=True)
                loop = asyncio.get_running_loop()
                t0 = loop.time()
                await asyncio.sleep(seconds)
                elapsed = loop.time() - t0
                stats = radio.stats("footfall-L")
                await client.write_gatt_char(CTRL, ff.encode_command(ff.CMD_STOP, 2), response=True)
                await asyncio.sleep(0.5)
            produced, _ = shoe.trace()
            got = sum(len(ff.decode_frame(f).samples) for f in frames if f[1] == ff.TYPE_DATA)
            print(f"  firmware {rate_hz} Hz, {model.connection_interval_s * 1e3:.0f} ms x {model.packets_per_interval}: "
                  f"{stats.packets_sent / elapsed:.1f} notifications/s, {stats.bytes_sent / elapsed:.0f} B/s, "
                  f"ENOMEM {stats.enomem / elapsed:.1f}/s, max queued {stats.max_queued}, "
                  f"samples {got}/{produced} arrived by the stop")


async def main() -> None:
    logging.getLogger("bumble").setLevel(logging.ERROR)
    for model in MODELS:
        await small_peripheral(model)
    for model in MODELS:
        for rate in (416, 833):
            await firmware(model, rate)


if __name__ == "__main__":
    asyncio.run(main())
