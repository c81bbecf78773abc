"""End to end on the virtual radio (real firmware under the MicroPython unix port, bleak through bumble, the real
`footfall live` session): a stranger already connected to the sensor writes `stop`, `sleep` and `start` in the
seconds after the runner's host lost its link. Firmware 0.7.3 let the first of them claim the sensor and stop the
session (QA19 privacy 1); 0.7.4 keeps the sensor for the host's address (config.RESERVE_S), so the stranger is
refused 'held' and the host's own reconnect resends what it missed and streams on, nothing lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from footfall.live.session import LiveParams, LiveResult, LiveSession
from footfall.protocol.frames import CMD_SLEEP, CMD_START, CMD_STOP, RESULT_HELD, encode_command
from footfall.sources.virtual import RigParams, VirtualRig
from footfall.virtual.watch import VirtualWatch

pytestmark = pytest.mark.micropython

OUTAGE_S = 3.0  # beyond the supervision timeout: both ends see the link drop


async def _stranger(rig: VirtualRig, session: LiveSession) -> list[int]:
    """Take the sensor out of range (the host's link drops; no `stop`), connect first once it is back, and write
    stop / sleep / start until the host is back (at most 12 of each)."""
    while not (session.state.lanes.get("L") and session.state.lanes["L"].frames >= 50):
        await asyncio.sleep(0.1)
    await rig.radio.drop_link("footfall-L", duration_s=OUTAGE_S)
    other = VirtualWatch()  # the host's back-off waits longer by now than this connect takes
    await other.connect(rig.radio, "footfall-L", address="F0:0D:00:00:00:02")
    results: list[int] = []
    for i in range(12):
        for op in (CMD_STOP, CMD_SLEEP, CMD_START):
            results.append((await other.command(encode_command(op, 100 + 3 * i + op % 3))).cmd_result)
        if session.state.lanes["L"].connected and i >= 2:
            break
    await other.disconnect()
    return results


def test_a_stranger_cannot_take_the_sensor_while_its_host_reconnects(tmp_path: Path) -> None:
    async def main() -> tuple[LiveResult, list[int]]:
        async with VirtualRig(["L"], RigParams(duration_s=18.0)) as rig:
            session = LiveSession(rig.sources, tmp_path / "a.ffr", LiveParams(duration_s=12.0))
            other = asyncio.create_task(_stranger(rig, session))
            result = await session.run()
            return result, await other

    result, answers = asyncio.run(asyncio.wait_for(main(), 90))
    report = result.reports["L"]
    print("\n".join(result.state.notes))
    print(f"stranger's answers {answers}; host: {report.summary()}, reconnects {result.state.lanes['L'].reconnects}")
    assert len(answers) >= 9 and answers == [RESULT_HELD] * len(answers)
    assert result.state.lanes["L"].reconnects >= 1  # the host did lose its link
    assert not any("another footfall host" in note for note in result.state.notes)
    assert report.missing_samples == 0 and report.corrupt == 0 and report.samples >= 8 * 416
