"""End to end over the virtual radio: the real firmware in MicroPython (IMU model -> sampler -> frames ->
`bluetooth` shim) -> bumble peripheral -> paced in-memory link -> bumble central -> bleak -> host decoder.

The radio engineer's side of it (the firmware engineer's tests/firmware/test_ble_e2e.py has the plain
416/833 Hz zero-loss runs): a link loss that really costs frames on air, then reconnect and resend-from-seq
(command 0x07) with zero samples lost; RSC cadence from the realistic virtual runner; malformed control
writes each answered with an error and changing nothing."""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from bleak import BleakClient, BleakScanner
from fw_rig import runner_counts

from footfall.protocol import frames as ff
from footfall.protocol.decode import StreamDecoder
from footfall.sources.gatt import CONTROL_UUID as CTRL, DATA_UUID as DATA, RSC_MEASUREMENT_UUID as RSC_MEASUREMENT
from footfall.sources.gatt import STATUS_UUID as STAT
from footfall.virtual.pacing import PacingModel
from footfall.virtual.radio import VirtualRadio, on_radio
from footfall.virtual.shoe import ShoeConfig, VirtualShoe

pytestmark = pytest.mark.micropython

PACING = PacingModel(connection_interval_s=0.015, packets_per_interval=4, buffer_slots=10)


@dataclass
class Capture:
    """Frames from the data and status characteristics in arrival order (as a live source feeds them)."""

    frames: list[bytes] = field(default_factory=list)

    def __call__(self, _: object, data: bytearray) -> None:
        self.frames.append(bytes(data))

    def decoded(self) -> list[Any]:
        return [ff.decode_frame(f) for f in self.frames]

    def last_seq(self) -> int:
        return int(self.decoded()[-1].seq)

    def events(self, code: int) -> list[Any]:
        return [f for f in self.decoded() if isinstance(f, ff.EventFrame) and f.code == code]


def source(n: int = 3000, seed: int = 7) -> np.ndarray:
    """Random counts: every sample is distinct, so a lost, repeated or misplaced one cannot hide."""
    return np.random.default_rng(seed).integers(-32768, 32768, size=(n, 6), dtype=np.int64)



@contextlib.asynccontextmanager
async def shoe(radio: VirtualRadio, samples: np.ndarray, **config: Any) -> AsyncIterator[VirtualShoe]:
    with VirtualShoe(ShoeConfig(side="L", **config), samples=samples, radio_env=radio.env) as s:
        try:
            yield s
        finally:
            print(s.stderr()[-1500:])


async def connect(radio: VirtualRadio, capture: Capture, lost: Callable[[Any], None] | None = None) -> BleakClient:
    device = await BleakScanner.find_device_by_name("footfall-L", timeout=10, backend=radio.scanner_backend)
    assert device is not None
    client = BleakClient(device, lost, backend=radio.client_backend)
    await client.connect()
    await client.start_notify(STAT, capture)
    await client.start_notify(DATA, capture)
    return client


async def command(client: BleakClient, opcode: int, cmd_id: int, *args: int | str) -> None:
    await client.write_gatt_char(CTRL, ff.encode_command(opcode, cmd_id, *args), response=True)


async def until(predicate: Callable[[], bool], timeout_s: float) -> None:
    async with asyncio.timeout(timeout_s):
        while not predicate():
            await asyncio.sleep(0.02)


async def stop_and_settle(client: BleakClient, capture: Capture, cmd_id: int) -> None:
    await command(client, ff.CMD_STOP, cmd_id)
    await until(lambda: bool(capture.events(2)), 5)  # the "stopped" event is the last frame after the data


def check_every_sample(capture: Capture, samples: np.ndarray, produced: int | None, lost: int | None) -> None:
    """Exactly once, in order, bit-exact from the 'started' event to the 'stopped' one (the IMU samples for
    the RSC service around them); and the host decoder agrees (no gap, duplicate or error). `produced`, `lost`:
    the IMU model's counts at its stop (VirtualShoe.trace); None while it samples on (a watch's reconnect grace),
    where the firmware's own FIFO-overrun events stand for `lost`."""
    data = [f for f in capture.decoded() if isinstance(f, ff.DataFrame)]
    firsts = [f.first_index for f in data]
    assert firsts == sorted(firsts), "data frames out of order"
    got = np.concatenate([np.asarray(f.samples, dtype=np.int64) for f in data])
    assert lost == 0 or (lost is None and not capture.events(ff.EVENT_FIFO_OVERRUN)), "the IMU model's FIFO overran"
    start, stop = capture.events(ff.EVENT_STARTED)[0].sample_index, capture.events(ff.EVENT_STOPPED)[-1].sample_index
    assert firsts[0] == start and len(got) == stop - start and (produced is None or produced >= stop), (
        f"{len(got)} samples arrived, the session ran {start}..{stop}, the IMU model produced {produced}")
    want = samples[(start + np.arange(len(got))) % len(samples)]
    assert np.array_equal(got, want), "samples differ from what the IMU model produced"
    decoder = StreamDecoder(sensor="L")
    blocks = decoder.feed_many(capture.frames, [float(i) for i in range(len(capture.frames))])
    decoder.finish()
    print(decoder.report.summary())
    assert decoder.report.problems == 0 and decoder.report.missing_samples == 0
    assert sum(b.n for b in blocks) == len(got)


def test_link_loss_then_resend_loses_nothing() -> None:
    samples = source(seed=11)

    async def body(radio: VirtualRadio) -> None:
        async with shoe(radio, samples, rate_hz=416) as s:
            capture = Capture()
            gone = asyncio.Event()
            client = await connect(radio, capture, lambda _: gone.set())
            await command(client, ff.CMD_START, 1)
            await asyncio.sleep(1.0)
            radio.drop_link("footfall-L", duration_s=1.5)
            await asyncio.wait_for(gone.wait(), 3)
            before = len(capture.frames)
            client = await connect(radio, capture)  # the shoe advertises again once back in range
            await command(client, ff.CMD_RESEND, 3, (capture.last_seq() + 1) & 0xFFFF)
            await asyncio.sleep(1.0)
            await stop_and_settle(client, capture, 4)
            await client.disconnect()
            print(f"{before} frames before the loss, {len(capture.frames) - before} after; "
                  f"{radio.stats('footfall-L').packets_discarded} lost on air and resent")
            assert radio.stats("footfall-L").packets_discarded > 0  # the loss did cost frames on air
            assert capture.events(5), "no resend-finished event"
            check_every_sample(capture, samples, *s.trace(wait_s=5))

    on_radio(body, PACING, timeout_s=40)


def test_rsc_measurement_decodes_to_the_runners_cadence() -> None:
    cadence_spm = 166.0
    samples = runner_counts(cadence_spm, 20.0, 416)

    async def body(radio: VirtualRadio) -> None:
        async with shoe(radio, samples, rate_hz=416, acc_range_g=16):
            capture, rsc = Capture(), []
            client = await connect(radio, capture)
            await client.start_notify(RSC_MEASUREMENT, lambda _, d: rsc.append(bytes(d)))
            await command(client, ff.CMD_START, 1)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 20.0  # 7 s is enough on an idle machine; a loaded one paces the unix port slower
            await asyncio.sleep(7.0)
            while (not rsc or abs(rsc[-1][3] - cadence_spm) > 4) and loop.time() < deadline:
                await asyncio.sleep(0.5)
            flags, speed, cadence = struct.unpack("<BHB", rsc[-1][:4])
            print(f"RSC: cadence {cadence} steps/min (runner {cadence_spm}), speed {speed / 256:.2f} m/s, flags {flags:#x}")
            assert abs(cadence - cadence_spm) <= 4
            assert flags & 0x04  # running
            await client.disconnect()

    on_radio(body, PACING, timeout_s=40)


def malformed_commands(seed: int = 3, n: int = 60) -> list[bytes]:
    """Writes that are not valid commands: unknown opcodes, wrong lengths, out-of-range values, junk."""
    rng = np.random.default_rng(seed)
    out = [b"", b"\x03", b"\x03\x05\x01", b"\x03\x05" + struct.pack("<H", 1234), b"\x04\x05\x07" + struct.pack("<H", 2000),
           b"\x05\x05X", b"\x0b\x05\x07", b"\x01\x05\x00", b"\xff" * 64, bytes(range(200))]
    for _ in range(n):
        op = int(rng.integers(0x0E, 0x100))  # unknown opcodes (0x0D sets the pace factor)
        out.append(bytes([op]) + rng.integers(0, 256, size=int(rng.integers(0, 12)), dtype=np.uint8).tobytes())
    return out


def test_fuzzed_control_writes_leave_the_firmware_running_and_unchanged() -> None:
    async def body(radio: VirtualRadio) -> None:
        async with shoe(radio, source(500), rate_hz=416) as s:
            capture = Capture()
            client = await connect(radio, capture)
            before = ff.decode_frame(bytes(await client.read_gatt_char(STAT)))
            for junk in malformed_commands():
                await client.write_gatt_char(CTRL, junk, response=bool(len(junk) % 2))
            await command(client, ff.CMD_STATUS, 99)
            await until(lambda: any(isinstance(f, ff.StatusFrame) and f.cmd_id == 99 for f in capture.decoded()), 5)
            after = ff.decode_frame(bytes(await client.read_gatt_char(STAT)))
            assert s.alive(), s.stderr()
            errors = [f for f in capture.decoded() if isinstance(f, ff.StatusFrame) and f.cmd_result != 0]
            print(f"{len(errors)} error answers to {len(malformed_commands())} malformed writes")
            assert errors
            keys = ("rate_hz", "acc_range_g", "gyr_range_dps", "side", "state")
            assert [getattr(after, k) for k in keys] == [getattr(before, k) for k in keys]
            assert after.cmd_id == 99 and after.cmd_result == 0
            await client.disconnect()

    on_radio(body, PACING, timeout_s=40)
