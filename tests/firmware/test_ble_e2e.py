"""End to end over BLE: firmware in MicroPython -> `bluetooth` shim -> virtual radio (bumble, paced at
15 ms / 4 packets per interval) -> bleak -> StreamDecoder. Zero loss at 416 and 833 Hz, across a link loss
with reconnect and resend, and under a tight pacing that makes the firmware meet ENOMEM. (RSC cadence from
the virtual runner, fuzzed control writes over BLE and a second link-loss case: test_e2e_ble.py.)"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Awaitable, Callable

import numpy as np
import pytest
from bleak import BleakClient, BleakScanner
from fw_rig import random_counts

import frame as F
from footfall.protocol import frames as ff
from footfall.protocol.decode import StreamDecoder
from footfall.sources.gatt import CONTROL_UUID as CTRL, DATA_UUID as DATA
from footfall.sources.gatt import STATUS_UUID as STAT
from footfall.virtual.pacing import PacingModel
from footfall.virtual.radio import VirtualRadio
from footfall.virtual.shoe import ShoeConfig, VirtualShoe

pytestmark = pytest.mark.micropython

RSC_LOC = "00002a5d-0000-1000-8000-00805f9b34fb"


def run(body: Callable[[VirtualRadio, VirtualShoe], Awaitable[None]], samples: np.ndarray, timeout_s: float = 60,
        pacing: PacingModel | None = None, **cfg: object) -> None:
    async def main() -> None:
        async with asyncio.timeout(timeout_s):
            async with VirtualRadio(pacing) as radio:
                shoe = VirtualShoe(ShoeConfig(**cfg), samples=samples, radio_env=radio.env)  # type: ignore[arg-type]
                try:
                    shoe.start()
                    await body(radio, shoe)
                finally:
                    shoe.cleanup()

    asyncio.run(main())


class Session:
    """One bleak connection: data + status notifications in arrival order, commands with ids."""

    def __init__(self, client: BleakClient, frames: list[bytes]) -> None:
        self.client = client
        self.frames = frames
        self.cmd_id = 0

    @classmethod
    async def open(cls, radio: VirtualRadio, name: str, frames: list[bytes]) -> Session:
        device = await BleakScanner.find_device_by_name(name, timeout=10, backend=radio.scanner_backend)
        assert device is not None, f"{name} not advertising"
        client = BleakClient(device, backend=radio.client_backend)
        await client.connect()
        await client.start_notify(DATA, lambda _c, d: frames.append(bytes(d)))
        await client.start_notify(STAT, lambda _c, d: frames.append(bytes(d)))
        return cls(client, frames)

    async def command(self, opcode: int, *args: object, timeout_s: float = 5.0) -> tuple:
        self.cmd_id = self.cmd_id % 255 + 1
        cmd_id = self.cmd_id
        seen = len(self.frames)  # the answer arrives after the write (ids restart in a new session)
        await self.client.write_gatt_char(CTRL, F.encode_command(opcode, cmd_id, *args), response=True)
        for _ in range(int(timeout_s / 0.01)):
            for f in reversed(self.frames[seen:]):
                if f[1] == F.TYPE_STATUS and f[39] == cmd_id:
                    return struct.unpack(F.STATUS_FMT, f)
            await asyncio.sleep(0.01)
        raise AssertionError(f"no answer to command {opcode}")


def session_start(frames: list[bytes]) -> int:
    """The sample index of the 'started' event: where the session's data begins."""
    return next(e.sample_index for e in map(ff.decode_frame, frames)
                if isinstance(e, ff.EventFrame) and e.code == ff.EVENT_STARTED)


def decoded_counts(frames: list[bytes]) -> tuple[np.ndarray, StreamDecoder]:
    decoder = StreamDecoder(sensor="L")
    blocks = [b for f in frames for b in decoder.feed(f)]
    acc = np.concatenate([b.acc_mps2 for b in blocks]) / decoder.status.acc_mps2_per_count
    gyr = np.concatenate([b.gyr_radps for b in blocks]) / decoder.status.gyr_radps_per_count
    return np.rint(np.hstack([acc, gyr])).astype(np.int64), decoder


TIGHT = PacingModel(connection_interval_s=0.03, packets_per_interval=1, buffer_slots=2)  # 33 packets/s


@pytest.mark.parametrize("rate_hz,pacing", [(416, None), (833, None), (416, TIGHT)], ids=["416", "833", "416-tight"])
def test_stream_zero_loss(rate_hz: int, pacing: PacingModel | None) -> None:
    counts = random_counts(2999, seed=rate_hz)

    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        frames: list[bytes] = []
        s = await Session.open(radio, "footfall-L", frames)
        assert s.client.mtu_size == 247, s.client.mtu_size
        assert await s.client.read_gatt_char(RSC_LOC) == b"\x01"  # Sensor Location: Top of shoe
        await s.command(F.CMD_START)
        await asyncio.sleep(3.0)
        stop = await s.command(F.CMD_STOP)
        readable = await s.client.read_gatt_char(STAT)
        assert readable[39] == s.cmd_id, readable.hex()  # the readable value is the latest status
        await s.client.disconnect()
        got, decoder = decoded_counts(frames)
        produced, lost = shoe.trace(wait_s=5)  # the IMU stops once the last central has gone
        start = session_start(frames)  # it sampled for the RSC service since the connection
        stats = radio.stats("footfall-L")
        print(f"{rate_hz} Hz over BLE: {produced} produced, session {start}..{stop[16]}, {len(got)} decoded, "
              f"{decoder.report.summary()}; {stats.packets_sent} packets, {stats.bytes_sent} bytes, {stats.enomem} ENOMEM")
        assert lost == 0, f"FIFO overrun in the model: {lost} samples"
        assert decoder.report.problems == 0, decoder.report.summary()
        assert len(got) == stop[16] - start and produced >= stop[16], (len(got), start, stop[16], produced)
        assert len(got) >= int(2.5 * rate_hz), len(got)
        assert np.array_equal(got, counts[(start + np.arange(len(got))) % len(counts)])
        if pacing is TIGHT:
            assert stats.enomem > 0  # the firmware met ENOMEM, backed off and retried

    run(body, counts, pacing=pacing, side="L", rate_hz=rate_hz)


def test_set_side_is_refused_over_ble_and_over_usb_renames_the_advertisement_and_persists() -> None:
    """0.7.4: over BLE (no pairing: any central in range) `set side` is answered 4 and changes nothing (QA19 privacy
    1: a stranger renamed a left sensor footfall-R for good); over USB it renames the advertisement and is saved."""
    from test_usb_e2e import Host

    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        s = await Session.open(radio, "footfall-?", [])
        assert (await s.command(F.CMD_SET_SIDE, "R"))[-2] == F.RESULT_BUSY  # cmd_result (rate_mhz comes last)
        await s.client.disconnect()
        assert '"side": "?"' in (shoe.workdir / "settings.json").read_text()
        usb = await asyncio.to_thread(lambda: Host(shoe.serial_port, shoe).command(F.CMD_SET_SIDE, "R"))
        assert usb[-2] == F.RESULT_OK
        device = await BleakScanner.find_device_by_name("footfall-R", timeout=10, backend=radio.scanner_backend)
        assert device is not None
        assert '"side": "R"' in (shoe.workdir / "settings.json").read_text()

    run(body, random_counts(100), side="?")
