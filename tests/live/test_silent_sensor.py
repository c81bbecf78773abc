"""A sensor that connects but never streams must not hold back the other foot, and is asked to start again."""

from __future__ import annotations

import asyncio
from pathlib import Path

from footfall.protocol.encode import SiStream
from footfall.live.session import LiveParams, LiveSession
from footfall.recording.file import write_si_recording
from footfall.sources.base import Source
from footfall.sources.replay import replay_sources
from footfall.virtual.runner import preset, simulate


class SilentSource(Source):
    """Connects and accepts commands, sends nothing: a link whose start command was lost."""

    def __init__(self) -> None:
        super().__init__("test:silent", "footfall-R", "R")
        self.commands: list[bytes] = []

    async def open(self) -> None:
        self._event("restored", "connected")

    async def send(self, command: bytes) -> None:
        self.commands.append(command)


def test_silent_sensor_does_not_hold_back_the_other(tmp_path: Path) -> None:
    foot = simulate(preset("heel-overstrider", duration_s=16.0, feet="L")).feet["L"]
    path = write_si_recording(tmp_path / "l.ffr", [SiStream("L", "L", 416, foot.acc_mps2, foot.gyr_radps)], {})
    silent = SilentSource()
    live_counts: list[int] = []

    async def main() -> LiveSession:
        session = LiveSession([*replay_sources(f"replay:{path}", str(path), replay_factor=1.0), silent], None,
                              LiveParams(duration_s=18.0, silence_s=1.0))
        session.on_steps = lambda steps, state: live_counts.append(len(steps))
        await session.run()
        return session
    session = asyncio.run(asyncio.wait_for(main(), 60))
    print(f"steps while live: {sum(live_counts)}; notes: {list(session.state.notes)}")
    assert sum(live_counts) >= 15  # the left foot's steps came out during the session, not only at its end
    assert session.lanes[1].restarted and not session.lanes[0].restarted
    assert len([c for c in silent.commands if c[0] == 0x01]) == 2  # start, then start again once
