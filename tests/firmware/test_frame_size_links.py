"""The data-frame size across links (firmware 0.7.1): a USB host that takes the stream gets full frames again after a
small-MTU BLE host, and the pump lets the sampler run while it skips frames too big for the link."""

from __future__ import annotations

import asyncio

from fw_rig import Port, Rig, make_device

import config
import frame as F
from control import Control
from device import TOO_BIG
from usb import UsbLink


def test_a_usb_host_gets_full_frames_after_a_small_mtu_ble_host(rig: Rig) -> None:
    dev = make_device(rig)
    dev.sampler.frame_samples = F.samples_for_mtu(F.MIN_MTU)  # what a BLE host at MTU 48 left: 2 samples a frame
    usb = UsbLink(dev, Control(dev), None, Port())
    usb.feed(F.serial_packet(bytes([F.CMD_STATUS, 1])))  # asking takes nothing
    assert dev.sampler.frame_samples == 2
    usb.feed(F.serial_packet(bytes([F.CMD_START, 2])))
    assert dev.settings.link == config.LINK_USB and dev.sampler.frame_samples == F.MAX_SAMPLES


class _Unfit:
    """A BLE link on which no frame fits (the host came back with a smaller MTU than they were made for)."""

    LINK = config.LINK_BLE

    def ready(self) -> bool:
        return True

    def try_send(self, data: bytes) -> int:
        return TOO_BIG


def test_the_pump_yields_while_it_skips_frames_too_big_for_the_link(rig: Rig) -> None:
    """0.7.0 skipped a whole backlog without an await: the sampler (here a task counting its turns) waited for it."""
    dev = make_device(rig, nslots=64)
    for _ in range(60):
        dev.status()  # a backlog of 60 frames
    turns: list[int] = []

    async def other() -> None:
        while True:
            turns.append(dev.cursor.pos)  # where the pump was each time another task ran
            await asyncio.sleep(0)

    async def main() -> None:
        pump = asyncio.create_task(dev.pump(_Unfit()))
        watcher = asyncio.create_task(other())
        await asyncio.sleep(0.05)
        pump.cancel()
        watcher.cancel()

    asyncio.run(main())
    skipped = [p for p in turns if 0 < p < 60]
    assert dev.cursor.dropped >= 60 and len(set(skipped)) > 30, turns[:20]
