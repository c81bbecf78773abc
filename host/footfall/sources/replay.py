"""A recording played back as if live: every sensor's frames in their recorded arrival order, paced by
their arrival times.

`replay_factor` 1.0 is real time, N is N times faster, 0 means as fast as the consumer takes them. One player
feeds the sources of all sensors of a file, so two feet stay interleaved as they arrived.
"""

from __future__ import annotations

import asyncio
import heapq
import time

from footfall.errors import SourceError
from footfall.recording.file import RecordedFrame, Recording, open_recording
from footfall.sources.base import Source


class ReplaySource(Source):
    device = False  # a recording: commands change nothing (the footpod pace is not written)

    def __init__(self, spec: str, player: _Player, sensor: str, side: str) -> None:
        super().__init__(spec, f"{player.recording.path.name}#{sensor}", side)
        self.sensor = sensor
        self._player = player

    async def open(self) -> None:
        self._event("restored", "replay started")
        if damage := self._player.take_damage():
            self._event("note", damage)
        self._player.start()

    async def send(self, command: bytes) -> None:
        """A recording cannot take commands; they are accepted and ignored (nothing was lost to resend)."""

    async def close(self) -> None:
        self._player.stop()
        await super().close()

    def put(self, frame: RecordedFrame) -> None:
        self._arrived(frame.data, frame.arrival_time_s)

    def done(self) -> None:
        self._event("gone", "end of recording")
        self._end()


class _Player:
    def __init__(self, recording: Recording, replay_factor: float) -> None:
        self.recording = recording
        self.replay_factor = replay_factor
        self.sources: dict[str, ReplaySource] = {}
        self._task: asyncio.Task[None] | None = None
        self._damage_told = False

    def take_damage(self) -> str | None:
        """What is wrong with the file itself (as `footfall analyse` says it), once per file: None if intact."""
        if self._damage_told:
            return None
        self._damage_told = True
        damage = self.recording.damage()
        return damage.replace("the file: ", f"replayed file {self.recording.path.name}: ", 1) if damage else None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._play())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _play(self) -> None:
        merged = heapq.merge(*([(f, s) for f in self.recording.frames(s)] for s in self.sources),
                             key=lambda item: item[0].arrival_time_s)
        start_wall, first = time.monotonic(), None
        for i, (frame, sensor) in enumerate(merged):
            first = frame.arrival_time_s if first is None else first
            await self._pace(i, (frame.arrival_time_s - first), start_wall)
            self.sources[sensor].put(frame)
        for source in self.sources.values():
            source.done()

    async def _pace(self, i: int, recorded_s: float, start_wall: float) -> None:
        if self.replay_factor > 0:
            due = recorded_s / self.replay_factor - (time.monotonic() - start_wall)
            if due > 0.002:
                await asyncio.sleep(due)
        elif i % 64 == 0:
            await asyncio.sleep(0)  # let the consumer run


def replay_sources(spec: str, path: str, replay_factor: float = 1.0) -> list[Source]:
    """One source per sensor in the recording, fed by one player."""
    player = _Player(open_recording(path), replay_factor)
    if not any(player.recording.frames(s) for s in player.recording.sensors):
        raise SourceError(f"{path} holds no sensor's frames: nothing to replay",
                          hint="the recording stopped before its first frame arrived; `footfall info` shows what "
                          "it holds")
    for sensor, info in player.recording.sensors.items():
        player.sources[sensor] = ReplaySource(spec, player, sensor, info.side)
    return list(player.sources.values())
