"""Which link hears what: a command is answered on the link it came in on (as well as on the selected one),
`start` selects the link it came in on, and the USB escape leaves the firmware for the REPL.

Every real board has a radio, so the settings default to BLE: before, a sensor answered a status command
over USB only when USB had been selected, `select link` answered on the new link, and nothing could stop a
running firmware for mpremote (Ctrl-C off, every byte read by the firmware).
"""

from __future__ import annotations

import asyncio
import json

import pytest
from fw_rig import Rig, frames_of, make_device, random_counts
from test_ble_e2e import Session, run
from test_usb_e2e import Host

import config
import frame as F
from control import Control
from device import BUSY
from footfall import flash
from footfall.virtual.radio import VirtualRadio
from footfall.virtual.shoe import ShoeConfig, VirtualShoe
from usb import REPL_ACK, REPL_ESCAPE, LeaveForRepl, UsbLink


def control_with_replies(rig: Rig, **settings: object) -> tuple[Control, dict[int, list[bytes]]]:
    dev = make_device(rig, **settings)
    ctl = Control(dev)
    sent: dict[int, list[bytes]] = {config.LINK_BLE: [], config.LINK_USB: []}
    for link, out in sent.items():
        ctl.replies[link] = out.append
    return ctl, sent


def test_a_command_from_the_other_link_is_answered_there_too(rig: Rig) -> None:
    ctl, sent = control_with_replies(rig)  # BLE selected, as on every board with a radio
    ctl.handle(bytes([F.CMD_STATUS, 9]), config.LINK_USB)
    ring = [f for f in frames_of(ctl.device) if f[1] == F.TYPE_STATUS]
    assert sent[config.LINK_USB] == ring[-1:] and ring[-1][39] == 9  # the ring's answer, same seq and bytes
    ctl.handle(bytes([F.CMD_STATUS, 10]), config.LINK_BLE)  # from the selected link: the ring is enough
    assert len(sent[config.LINK_USB]) == 1 and sent[config.LINK_BLE] == []


def test_select_link_is_answered_on_the_link_that_asked(rig: Rig) -> None:
    ctl, sent = control_with_replies(rig, link=config.LINK_USB)
    assert ctl.handle(bytes([F.CMD_SELECT_LINK, 4, config.LINK_BLE]), config.LINK_USB) == F.RESULT_OK
    assert [f[39] for f in sent[config.LINK_USB]] == [4] and ctl.device.settings.link == config.LINK_BLE


def test_start_selects_the_link_it_came_in_on(rig: Rig) -> None:
    ctl, sent = control_with_replies(rig)
    dev = ctl.device
    ctl.handle(bytes([F.CMD_START, 1]), config.LINK_USB)  # `footfall live serial:` on a board with a radio
    assert dev.streaming and dev.settings.link == config.LINK_USB and dev.saved[-1]["link"] == config.LINK_USB
    assert sent[config.LINK_USB] == []  # USB is selected now: the ring carries the answer
    ctl.handle(bytes([F.CMD_STATUS, 2]), config.LINK_BLE)  # a BLE host asks: answered over BLE
    assert [f[39] for f in sent[config.LINK_BLE]] == [2]
    ctl.handle(bytes([F.CMD_START, 3]), config.LINK_BLE)  # ... and starts: the data comes back to BLE
    assert dev.settings.link == config.LINK_BLE and dev.saved[-1]["link"] == config.LINK_BLE


class Trickle:
    """A serial port that takes at most `n` bytes a write."""

    def __init__(self, n: int) -> None:
        self.n, self.data = n, bytearray()

    def write(self, data: bytes) -> int:
        self.data += bytes(data[: self.n])
        return min(self.n, len(data))


def test_an_answer_half_written_is_finished_before_the_next_frame(rig: Rig) -> None:
    dev = make_device(rig)
    port = Trickle(10)
    usb = UsbLink(dev, Control(dev), None, port)
    answer, ring_frame = dev.status_frame(), bytes(range(1, 40))
    usb.reply(answer)
    usb._begin(usb._replies.pop(0), True)
    assert usb._write() == BUSY  # the port took 10 bytes of the answer
    while usb.try_send(ring_frame) == BUSY:  # the pump: first the rest of the answer, then its own frame
        pass
    assert bytes(port.data) == F.serial_packet(answer) + F.serial_packet(ring_frame)


def test_the_escape_is_never_a_command_and_stops_receive(rig: Rig) -> None:
    assert flash.REPL_ESCAPE == b"\x00" + REPL_ESCAPE + b"\x00" and flash.REPL_ACK == REPL_ACK  # host = firmware
    with pytest.raises(ValueError):
        F.parse_serial_packet(REPL_ESCAPE)
    dev = make_device(rig)
    usb = UsbLink(dev, Control(dev), None, Trickle(999))
    usb.feed(b"\x00" + REPL_ESCAPE[:-1] + b"\x00" + REPL_ESCAPE + b"x\x00")  # near misses are only garbage
    assert usb.bad_packets == 2
    with pytest.raises(LeaveForRepl):
        usb.feed(flash.REPL_ESCAPE)


@pytest.mark.micropython
def test_select_ble_over_usb_is_answered_over_usb() -> None:
    with VirtualShoe(ShoeConfig(side="L"), samples=random_counts(100)) as shoe:  # no radio: USB selected
        host = Host(shoe.serial_port, shoe)
        assert host.command(F.CMD_SELECT_LINK, config.LINK_BLE)[-2] == F.RESULT_OK
        assert json.loads((shoe.workdir / "settings.json").read_text())["link"] == config.LINK_BLE
        status = host.command(F.CMD_STATUS)  # still heard over USB, and it says BLE carries the data
        assert not status[17] & F.STATE_USB
        assert host.command(F.CMD_SELECT_LINK, config.LINK_USB)[17] & F.STATE_USB


@pytest.mark.micropython
def test_usb_and_ble_hosts_on_a_board_with_a_radio() -> None:
    """The virtual shoe with its radio, as every real board is: a USB host is answered while BLE is
    selected, its `start` brings the data to USB, a BLE host is answered meanwhile but held while the USB host
    streams (a cable wins), and once the USB host stops, the BLE host's `start` takes the data back."""
    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        host = Host(shoe.serial_port, shoe)
        status = await asyncio.to_thread(host.command, F.CMD_STATUS)
        assert not status[17] & F.STATE_USB  # BLE selected, and yet the answer came over USB
        await asyncio.to_thread(host.command, F.CMD_START)
        await asyncio.to_thread(host.pump, lambda: sum(f[1] == F.TYPE_DATA for f in host.frames) >= 5, 10)
        ble_frames: list[bytes] = []
        s = await Session.open(radio, "footfall-L", ble_frames)
        assert (await s.command(F.CMD_STATUS))[17] & F.STATE_USB  # answered over BLE while USB has the data
        assert (await s.command(F.CMD_START))[-2] == F.RESULT_HELD  # cmd_result (rate_mhz comes last)
        await asyncio.to_thread(host.command, F.CMD_STOP)
        assert not any(f[1] == F.TYPE_DATA for f in ble_frames)
        assert (await s.command(F.CMD_START))[-2] == F.RESULT_OK
        for _ in range(500):
            if sum(f[1] == F.TYPE_DATA for f in ble_frames) >= 5:
                break
            await asyncio.sleep(0.01)
        assert sum(f[1] == F.TYPE_DATA for f in ble_frames) >= 5
        await s.client.disconnect()
        assert json.loads((shoe.workdir / "settings.json").read_text())["link"] == config.LINK_BLE

    run(body, random_counts(2000, seed=3), side="L")


@pytest.mark.micropython
def test_the_usb_escape_stops_the_firmware_and_says_so() -> None:
    with VirtualShoe(ShoeConfig(side="L"), samples=random_counts(100)) as shoe:
        host = Host(shoe.serial_port, shoe)
        host.command(F.CMD_START)
        host.serial.close()
        assert flash.stop_firmware(shoe.serial_port, timeout_s=10)
        assert shoe.proc is not None and shoe.proc.wait(10) == 0, shoe.stderr()  # main.py returned: the REPL
        produced, _lost = shoe.trace()
        assert produced > 0  # it had been streaming, and stopped the IMU on the way out


@pytest.mark.micropython
def test_live_serial_source_on_a_board_with_a_radio() -> None:
    """`footfall live serial:PORT` on a real board (radio, data over BLE): the source learns the side from
    the answer over USB, and the session's `start` brings the data to USB."""
    from footfall.protocol.frames import encode_command
    from footfall.sources.base import Arrival
    from footfall.sources.serial import SerialSource

    async def body(radio: VirtualRadio, shoe: VirtualShoe) -> None:
        source = SerialSource(f"serial:{shoe.serial_port}", shoe.serial_port)
        await source.open()
        assert source.side == "R"
        await source.send(encode_command(F.CMD_START, 2))
        data = 0
        async with asyncio.timeout(10):
            async for item in source.items():
                data += isinstance(item, Arrival) and item.frame[1] == F.TYPE_DATA
                if data >= 5:
                    break
        await source.close()

    run(body, random_counts(2000, seed=4), side="R")
