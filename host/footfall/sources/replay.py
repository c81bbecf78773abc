"""A recording played back as if live: frames in their recorded order, paced by their arrival times.

`speed` 1.0 is real time, N is N times faster, 0 means as fast as the consumer takes them.
"""

from __future__ import annotations

import asyncio
import time

from footfall.recording import RecordedFrame, open_recording
from footfall.sources.base import Arrival, Source


class ReplaySource(Source):
    def __init__(self, spec: str, path: str, sensor: str, frames: list[RecordedFrame], side: str,
                 speed: float = 1.0) -> None:
        super().__init__(spec, f"{path}#{sensor}", side)
        self.sensor = sensor
        self.speed = speed
        self._frames = frames
        self._task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        self._event("restored", "replay started")
        self._task = asyncio.get_running_loop().create_task(self._play())

    async def send(self, command: bytes) -> None:
        """A recording cannot take commands; they are accepted and ignored (nothing was lost to resend)."""

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        await super().close()

    async def _play(self) -> None:
        start_wall = time.monotonic()
        first = self._frames[0].arrival_time_s if self._frames else 0.0
        for i, rec in enumerate(self._frames):
            if self.speed > 0:
                due = (rec.arrival_time_s - first) / self.speed - (time.monotonic() - start_wall)
                if due > 0.002:
                    await asyncio.sleep(due)
            elif i % 256 == 0:
                await asyncio.sleep(0)  # let the consumer run
            self._queue.put_nowait(Arrival(rec.data, rec.arrival_time_s))
        self._event("gone", "end of recording")
        self._end()


def replay_sources(spec: str, path: str, speed: float = 1.0) -> list[Source]:
    """One source per sensor in the recording."""
    recording = open_recording(path)
    return [ReplaySource(spec, path, sensor, recording.frames(sensor), recording.sensors[sensor].side, speed)
            for sensor in recording.sensors]
