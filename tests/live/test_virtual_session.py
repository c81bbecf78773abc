"""Live sessions through the virtual shoe: the real firmware in MicroPython, the virtual radio, bleak.

Link loss on one shoe mid-session -> reconnect -> resend: the recording has every sample. A shoe that
never comes back: the session goes on with the other and reports it gone.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from footfall.live.session import LiveParams, LiveResult, LiveSession
from footfall.recording.file import open_recording
from footfall.sources.base import ReconnectPolicy
from footfall.sources.virtual import RigParams, VirtualRig

pytestmark = pytest.mark.micropython


def _session(tmp_path: Path, duration_s: float, drop: tuple[str, float, float], give_up_s: float) -> LiveResult:
    async def main() -> LiveResult:
        policy = ReconnectPolicy(first_delay_s=0.2, max_delay_s=1.0, give_up_s=give_up_s)
        async with VirtualRig(["L", "R"], RigParams(duration_s=duration_s), policy) as rig:
            session = LiveSession(rig.sources, tmp_path / "live.ffr", LiveParams(duration_s=duration_s))
            side, at_s, for_s = drop

            async def outage() -> None:
                await asyncio.sleep(at_s)
                rig.radio.drop_link(f"footfall-{side}", for_s)

            task = asyncio.create_task(outage())
            result = await session.run()
            task.cancel()
            return result
    return asyncio.run(asyncio.wait_for(main(), 90))


def _recorded(path: Path, sensor: str) -> tuple[int, int, int]:
    rec = open_recording(path)
    blocks = list(rec.blocks(sensor))
    report = rec.report.streams[sensor]
    return sum(b.n for b in blocks), report.missing_samples, report.gaps


def test_link_loss_then_resend_loses_nothing(tmp_path: Path) -> None:
    result = _session(tmp_path, 14.0, ("L", 4.0, 3.0), give_up_s=20.0)
    samples, missing, gaps = _recorded(tmp_path / "live.ffr", "L")
    lane = result.state.lanes["L"]
    print(f"left shoe: {samples} samples recorded, {missing} missing, {gaps} gaps, "
          f"{lane.reconnects} reconnects, {lane.resends} resends; notes: {list(result.state.notes)}")
    assert lane.reconnects >= 1 and lane.resends >= 1
    assert missing == 0 and gaps == 0
    assert samples >= 10 * 416  # the outage's samples came back by resend
    assert result.reports["L"].missing_samples == 0
    assert any(s.sensor == "L" for s in result.steps) and any(s.sensor == "R" for s in result.steps)


def test_sensor_gone_for_good_does_not_stop_the_other(tmp_path: Path) -> None:
    result = _session(tmp_path, 14.0, ("R", 3.0, 60.0), give_up_s=4.0)
    left, _, _ = _recorded(tmp_path / "live.ffr", "L")
    right, _, _ = _recorded(tmp_path / "live.ffr", "R")
    print(f"left {left} samples, right {right} samples; notes: {list(result.state.notes)}")
    assert result.state.lanes["R"].gone and not result.state.lanes["L"].gone
    assert any("R: no link" in note for note in result.state.notes)
    assert left >= 12 * 416 and right < left
    assert open_recording(tmp_path / "live.ffr").report.clean_close


def test_outage_longer_than_the_ring_buffer_is_a_reported_gap(tmp_path: Path) -> None:
    async def main() -> LiveResult:
        policy = ReconnectPolicy(first_delay_s=0.2, max_delay_s=1.0, give_up_s=30.0)
        async with VirtualRig(["L"], RigParams(duration_s=30.0, psram=False), policy) as rig:
            session = LiveSession(rig.sources, tmp_path / "live.ffr", LiveParams(duration_s=28.0))

            async def outage() -> None:
                await asyncio.sleep(3.0)
                rig.radio.drop_link("footfall-L", 15.0)  # the ring holds ~12 s at 416 Hz without PSRAM

            task = asyncio.create_task(outage())
            result = await session.run()
            task.cancel()
            return result
    result = asyncio.run(asyncio.wait_for(main(), 90))
    samples, missing, gaps = _recorded(tmp_path / "live.ffr", "L")
    lane = result.state.lanes["L"]
    print(f"{samples} samples, {missing} missing in {gaps} gap(s); view: gaps {lane.gaps}, missing "
          f"{lane.missing_samples}; notes {list(result.state.notes)}")
    assert gaps >= 1 and 416 <= missing <= 8 * 416  # what the ring could no longer hold, and no more
    assert lane.gaps >= 1 and lane.missing_samples == missing  # shown in the view
    assert any("could not be recovered" in note for note in result.state.notes)
    after = [s for s in result.steps if s.ic_time_s > 20.0]
    assert len(after) >= 5  # analysis went on after the gap
