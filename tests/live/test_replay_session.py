"""Live and replay run through the same pipeline: a replayed recording gives the offline analysis' steps,
and the live session's own recording holds every frame it received."""

from __future__ import annotations

import asyncio
from pathlib import Path

from footfall.analysis.session import analyse_recording
from footfall.live.session import LiveParams, LiveSession
from footfall.recording.file import open_recording, write_si_recording
from footfall.protocol.encode import SiStream
from footfall.sources import SourceOptions, open_sources
from contextlib import AsyncExitStack

from .helpers import two_feet


def _recording(path: Path, duration_s: float = 30.0) -> Path:
    run = two_feet(duration_s)
    streams = [SiStream(s, s, int(f.rate_hz), f.acc_mps2, f.gyr_radps, acc_range_g=32) for s, f in run.feet.items()]
    return write_si_recording(path, streams, {"runner": "heel-overstrider"})


def _live(spec: str, record_to: Path, params: LiveParams = LiveParams()) -> list:
    async def main() -> list:
        async with AsyncExitStack() as stack:
            sources = await open_sources([spec], stack, SourceOptions(replay_factor=0))
            return (await LiveSession(sources, record_to, params).run()).steps
    return asyncio.run(main())


def test_replay_equals_offline_and_rerecords_losslessly(tmp_path: Path) -> None:
    original = _recording(tmp_path / "run.ffr")
    live_steps = _live(f"replay:{original}", tmp_path / "again.ffr")
    offline_steps, _ = analyse_recording(str(original))
    print(f"live replay: {len(live_steps)} steps, offline: {len(offline_steps)} steps")
    assert len(live_steps) > 60
    ordered = sorted(live_steps, key=lambda s: (s.ic_time_s, s.sensor))
    assert [repr(s) for s in ordered] == [repr(s) for s in offline_steps]  # repr: NaN fields compare equal
    a, b = open_recording(original), open_recording(tmp_path / "again.ffr")
    for sensor in ("L", "R"):
        assert [f.data for f in a.frames(sensor)] == [f.data for f in b.frames(sensor)]
    assert b.report.clean_close


def test_a_replay_slower_to_analyse_than_to_read_is_not_taken_for_a_silent_sensor(tmp_path: Path) -> None:
    """At full speed the player queues the whole file at once, then the session works through it. Judged by
    arrivals alone the sensors fell "silent" (a 20-minute replay: after 5 s), the watchdog stopped waiting for
    the other foot, and 824 of 3320 steps were paired with the wrong one (flight time 833 ms for 113 ms). Here
    the silence limit is cut to 50 ms so a 2-minute file (~2.5 s to replay; the watchdog looks every 1 s)
    shows it."""
    original = _recording(tmp_path / "run.ffr", 120.0)
    live_steps = _live(f"replay:{original}", tmp_path / "again.ffr", LiveParams(silence_s=0.05))
    offline_steps, _ = analyse_recording(str(original))
    ordered = sorted(live_steps, key=lambda s: (s.ic_time_s, s.sensor))
    assert [repr(s) for s in ordered] == [repr(s) for s in offline_steps]


def test_unknown_source_is_one_clear_error() -> None:
    import pytest

    from footfall.errors import SourceError

    with pytest.raises(SourceError, match="unknown source"):
        _live("bluetooth:x", Path("/nonexistent"))


def test_a_session_that_reaches_no_sensor_leaves_no_recording_behind(tmp_path: Path) -> None:
    """`footfall live ble:... --record run.ffr` with the sensor off: one clear error, and no empty run.ffr
    that would make the same command refuse to start again (a recording is never overwritten)."""
    import pytest

    from footfall.errors import SourceError
    from footfall.sources.base import Source

    class Unreachable(Source):
        async def open(self) -> None:
            raise SourceError("no footfall sensor 'footfall-L' found")

        async def send(self, command: bytes) -> None:
            raise SourceError("not connected")

    target = tmp_path / "run.ffr"
    with pytest.raises(SourceError, match="footfall-L"):
        asyncio.run(LiveSession([Unreachable("ble:footfall-L", "footfall-L", "L")], target, LiveParams()).run())
    assert not target.exists()
    assert _live(f"replay:{_recording(tmp_path / 'src.ffr')}", target)  # the retry records as asked
    assert open_recording(target).report.clean_close
