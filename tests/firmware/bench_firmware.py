"""Benchmark (prints figures, asserts nothing): firmware frame encoding under MicroPython vs CPython, the
radio budget at 416/833 Hz, the ring buffer's reach and RAM, and (with --ble) the measured virtual air.

    .venv/bin/python tests/firmware/bench_firmware.py [--ble]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRMWARE = HERE.parents[1] / "firmware"
sys.path.insert(0, str(FIRMWARE))

import frame  # noqa: E402  # the firmware's own frame layout (firmware/ on the path above)

# the same source runs in both VMs; `now_us` is defined per VM before it
BENCH = """
import frame
payload = bytearray(range(228))
slot = bytearray(240)
N = 3000

def bench(fn):
    t0 = now_us()
    for i in range(N):
        fn(i)
    return (now_us() - t0) / N

enc = bench(lambda i: frame.encode_data_into(slot, i & 0xFFFF, i * 19, payload))
ser = bench(lambda i: frame.serial_packet(slot[:238]) if i < 600 else None) * N / 600
st = bench(lambda i: frame.encode_status(i & 0xFFFF, 416, 32, 2000, 0.0095, 0.0012, 2, "L"))
print("RESULT", enc, ser, st)
"""
MPY_PRELUDE = "import time\ndef now_us():\n    return time.ticks_us()\n"
CPY_PRELUDE = "import time\ndef now_us():\n    return time.perf_counter() * 1e6\n"

RING_SLOTS = 2048
SLOT_BYTES = 240
LL_OVERHEAD = 1 + 4 + 2 + 3  # preamble, access address, LL header, CRC (unencrypted, LE 1M PHY)
L2CAP_ATT = 4 + 3  # L2CAP header + ATT notification opcode and handle


def encode_times() -> tuple[list[float], list[float]]:
    from footfall.virtual.mpy import run_micropython

    proc = run_micropython(MPY_PRELUDE + BENCH, path=[FIRMWARE], timeout_s=300)
    mpy = [float(x) for x in re.search(r"RESULT (.*)", proc.stdout.decode()).group(1).split()]  # type: ignore[union-attr]
    out: dict[str, object] = {}
    import io
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf):
        exec(CPY_PRELUDE + BENCH, out)
    cpy = [float(x) for x in buf.getvalue().split()[1:]]
    return mpy, cpy


def air_budget(rate_hz: int, status_period_s: float = 5.0) -> tuple[float, float, float]:
    """(notifications/s, frame bytes/s, bytes/s on air incl. L2CAP/ATT/LL overhead) with full frames."""
    data_per_s = rate_hz / 19
    status_per_s = 1 / status_period_s
    frame_bytes = data_per_s * (10 + 12 * 19) + status_per_s * frame.STATUS_BYTES
    notif = data_per_s + status_per_s + 1  # + 1 RSC measurement a second (4 bytes)
    air = frame_bytes + 4 + notif * (L2CAP_ATT + LL_OVERHEAD)
    return notif, frame_bytes, air


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ble", action="store_true", help="also measure over the virtual radio (~10 s)")
    args = parser.parse_args()
    mpy, cpy = encode_times()
    for name, m, c in zip(("data frame encode_data_into", "USB serial_packet (COBS+CRC) of a data frame",
                           "status frame encode_status"), mpy, cpy):
        print(f"{name}: MicroPython unix {m:.1f} us, CPython {c:.1f} us -> {m / c:.2f}x CPython")
    for rate in (416, 833):
        notif, fb, air = air_budget(rate)
        print(f"{rate} Hz: {notif:.1f} notifications/s, {fb:.0f} frame bytes/s, ~{air:.0f} bytes/s on air "
              f"(+{100 * (air / (rate * 12) - 1):.0f}% over the 12-byte samples)")
    ram = RING_SLOTS * SLOT_BYTES + 2 * RING_SLOTS
    for rate in (416, 833):
        print(f"ring {RING_SLOTS} frames: {RING_SLOTS * 19 / rate:.1f} s at {rate} Hz")
    fixed = 64 * 12 + 19 * 12 + 128 * 7
    print(f"ring RAM {ram / 1024:.0f} KiB (+ {fixed} bytes of sampler/driver buffers)")
    if args.ble:
        measure_ble()


def measure_ble() -> None:
    import asyncio

    from bleak import BleakClient, BleakScanner

    import frame as F
    from footfall.virtual.radio import VirtualRadio
    from footfall.virtual.shoe import ShoeConfig, VirtualShoe

    async def one(rate: int) -> None:
        async with VirtualRadio() as radio:
            with VirtualShoe(ShoeConfig(side="L", rate_hz=rate), radio_env=radio.env):
                dev = await BleakScanner.find_device_by_name("footfall-L", timeout=10, backend=radio.scanner_backend)
                async with BleakClient(dev, backend=radio.client_backend) as client:
                    for uuid in ("f00f0001-3c6d-4b8e-9a5b-1f2e3d4c5b6a", "f00f0003-3c6d-4b8e-9a5b-1f2e3d4c5b6a",
                                 "00002a53-0000-1000-8000-00805f9b34fb"):
                        await client.start_notify(uuid, lambda _c, _d: None)
                    await client.write_gatt_char("f00f0002-3c6d-4b8e-9a5b-1f2e3d4c5b6a",
                                                 F.encode_command(F.CMD_START, 1), response=True)
                    await asyncio.sleep(1.0)
                    s = radio.stats("footfall-L")
                    p0, b0, e0, t0 = s.packets_sent, s.bytes_sent, s.enomem, time.monotonic()
                    await asyncio.sleep(5.0)
                    s = radio.stats("footfall-L")
                    p1, b1, e1, t1 = s.packets_sent, s.bytes_sent, s.enomem, time.monotonic()
                dt = t1 - t0
                print(f"virtual radio at {rate} Hz: {(p1 - p0) / dt:.1f} notifications/s, "
                      f"{(b1 - b0) / dt:.0f} bytes/s of ATT values, {e1 - e0} ENOMEM")

    for rate in (416, 833):
        asyncio.run(one(rate))


if __name__ == "__main__":
    main()
