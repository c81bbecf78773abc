"""Two footfall hosts in range of one sensor (a group run, a clinic with two kits), on the virtual radio with
the real firmware: the host that claimed the sensor keeps it, and the other one is refused ('held') until
it lets go.

The second host is a bare bumble central (footfall.virtual.watch) that writes commands, as another
computer running footfall would.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from footfall.protocol.frames import (
    CMD_SET_RATE,
    CMD_SLEEP,
    CMD_START,
    CMD_STATUS,
    CMD_STOP,
    RESULT_HELD,
    RESULT_OK,
    encode_command,
)
from footfall.live.session import LiveParams, LiveResult, LiveSession
from footfall.recording.file import open_recording
from footfall.sources.virtual import RigParams, VirtualRig
from footfall.virtual.watch import VirtualWatch

pytestmark = pytest.mark.micropython


def _recorded_indices(path: Path) -> tuple[int, int, int]:
    """(first sample index, last + 1, samples) of the recording's sensor L."""
    blocks = list(open_recording(path).blocks("L"))
    return blocks[0].first_index, blocks[-1].end_index, sum(b.n for b in blocks)


def test_a_second_host_cannot_take_stop_or_reconfigure_a_session(tmp_path: Path) -> None:
    async def main() -> tuple[LiveResult, dict[str, int], int]:
        async with VirtualRig(["L"], RigParams(duration_s=16.0)) as rig:
            session = LiveSession(rig.sources, tmp_path / "a.ffr", LiveParams(duration_s=12.0))

            async def second_host() -> tuple[dict[str, int], int]:
                while not (session.state.lanes.get("L") and session.state.lanes["L"].frames >= 50):
                    await asyncio.sleep(0.1)  # the first host streams (however long connecting took)
                other = VirtualWatch()
                await other.connect(rig.radio, "footfall-L", address="F0:0D:00:00:00:02")
                commands = {"start": (CMD_START,), "stop": (CMD_STOP,), "set rate": (CMD_SET_RATE, 208),
                            "sleep": (CMD_SLEEP,), "status": (CMD_STATUS,)}
                results = {name: (await other.command(encode_command(op, 200 + i, *args))).cmd_result
                           for i, (name, (op, *args)) in enumerate(commands.items())}
                await asyncio.sleep(1.0)
                await other.disconnect()
                return results, other.data_notifications

            other = asyncio.create_task(second_host())
            result = await session.run()
            return (result, *await other)

    result, answers, data_to_other = asyncio.run(asyncio.wait_for(main(), 90))
    report = result.reports["L"]
    first, end, n = _recorded_indices(tmp_path / "a.ffr")
    print(f"second host's answers: {answers}; data frames it got: {data_to_other}; first host: {report.summary()}, "
          f"recorded samples {first}..{end} ({n}), {len(result.steps)} steps")
    assert answers == {"start": RESULT_HELD, "stop": RESULT_HELD, "set rate": RESULT_HELD, "sleep": RESULT_HELD,
                       "status": RESULT_OK}
    assert data_to_other == 0
    assert report.missing_samples == 0 and report.gaps == 0 and end - first == n >= 10 * 416
    assert report.config_changes == 0 and len(result.steps) >= 8  # still 416 Hz, still running
    assert not any("another footfall host" in note for note in result.state.notes)


def test_a_session_waits_while_another_host_holds_the_sensor_then_streams(tmp_path: Path) -> None:
    async def main() -> tuple[LiveResult, int, int]:
        async with VirtualRig(["L"], RigParams(duration_s=20.0)) as rig:
            other = VirtualWatch()
            await other.connect(rig.radio, "footfall-L", address="F0:0D:00:00:00:02")
            claimed = (await other.command(encode_command(CMD_START, 7))).cmd_result
            session = LiveSession(rig.sources, tmp_path / "b.ffr", LiveParams(duration_s=14.0))

            async def let_go() -> int:
                while not (session.state.lanes.get("L") and session.state.lanes["L"].held):
                    await asyncio.sleep(0.1)  # the session found the sensor held (however long connecting took)
                await asyncio.sleep(2.0)
                await other.command(encode_command(CMD_STOP, 8))
                await other.disconnect()
                return other.data_notifications

            task = asyncio.create_task(let_go())
            result = await session.run()
            return result, claimed, await task

    result, claimed, data_to_other = asyncio.run(asyncio.wait_for(main(), 90))
    notes = result.state.notes
    report = result.reports["L"]
    print("\n".join(notes))
    print(f"the other host got {data_to_other} data frames; this one: {report.summary()}, {len(result.steps)} steps")
    assert claimed == RESULT_OK and data_to_other > 0  # it held the sensor and got its data
    assert not result.state.lanes["L"].held  # the view's link column is back to 'connected'
    held = [i for i, note in enumerate(notes) if "streaming to another footfall host" in note]
    freed = [i for i, note in enumerate(notes) if "the other host let go" in note]
    assert len(held) == 1 and len(freed) == 1 and held[0] < freed[0]
    assert report.samples >= 6 * 416 and report.corrupt == 0 and len(result.steps) >= 5
    _, _, n = _recorded_indices(tmp_path / "b.ffr")
    assert n == report.samples  # the refusals were not recorded as data


def test_a_usb_session_takes_the_stream_and_the_ble_session_waits_then_resends(tmp_path: Path) -> None:
    """A cable wins (the sensor is in someone's hands); the BLE host does not take the stream back while the USB
    host streams, and once that one stops, its resend brings back what the USB host got meanwhile."""
    from footfall.sources.serial import SerialSource

    async def main() -> tuple[LiveResult, LiveResult]:
        async with VirtualRig(["L"], RigParams(duration_s=26.0)) as rig:
            ble = LiveSession(rig.sources, tmp_path / "ble.ffr", LiveParams(duration_s=22.0, footpod_pace=False))

            async def usb_session() -> LiveResult:
                while not (ble.state.lanes.get("L") and ble.state.lanes["L"].frames >= 100):
                    await asyncio.sleep(0.1)  # the BLE session has streamed ~4.5 s (however long connecting took)
                port = rig.shoes["L"].serial_port
                usb = LiveSession([SerialSource(f"serial:{port}", port)], tmp_path / "usb.ffr",
                                  LiveParams(duration_s=8.0, footpod_pace=False))
                return await usb.run()

            task = asyncio.create_task(usb_session())
            return await ble.run(), await task

    ble, usb = asyncio.run(asyncio.wait_for(main(), 120))
    print("\n".join(ble.state.notes + usb.state.notes))
    ble_report, usb_report = ble.reports["L"], usb.reports["L"]
    print(f"BLE: {ble_report.summary()}; USB: {usb_report.summary()}")
    first, end, n = _recorded_indices(tmp_path / "usb.ffr")
    assert usb_report.gaps == 0 and n >= 6 * 416  # the USB session kept the stream throughout
    first, end, n = _recorded_indices(tmp_path / "ble.ffr")
    # the BLE one got what the USB host got too (its resend), and lost only the moments between the USB host's stop
    # and its own start (it asks every second)
    assert ble_report.gaps <= 1 and ble_report.missing_samples <= 1.5 * 416 and n >= 18 * 416
