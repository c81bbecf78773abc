"""Two sensors powered on at different moments land on one time base within 5 ms."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.session import Session, analyse_recording
from footfall.live.session import LiveParams, LiveSession
from footfall.recording.file import read_time_base
from footfall.recording.stream import iter_blocks
from footfall.sources.replay import replay_sources

from .helpers import record_with_offsets, two_feet


def _run(path: Path, record_to: Path | None = None) -> list:
    async def main() -> list:
        session = LiveSession(replay_sources(f"replay:{path}", str(path), replay_factor=0), record_to, LiveParams())
        return (await session.run()).steps
    return asyncio.run(main())


@pytest.mark.parametrize("right_start_s", [100.85, 101.2031, 100.0012])
def test_two_devices_with_different_clocks_are_aligned(tmp_path: Path, right_start_s: float) -> None:
    """To a fraction of a sample: a shift rounded to whole samples left the feet up to a sample apart (1.24 ms
    here at 100.85 s, 2.4 ms at worst at 416 Hz), which a flight time reads twice over."""
    run = two_feet(40.0)
    starts = {"L": 100.0, "R": right_start_s}  # the right shoe's sample 0 came this much after the left's
    steps = _run(record_with_offsets(run, tmp_path / "off.ffr", starts))
    errors = []
    for side in ("L", "R"):
        truth = run.feet[side].truth.ic_s + (starts[side] - starts["L"])  # on the left shoe's time base
        got = np.array([s.ic_time_s for s in steps if s.sensor == side])
        nearest = truth[np.abs(truth[None, :] - got[:, None]).argmin(axis=1)]
        errors.append(np.median(got - nearest))
    skew_ms = 1000 * abs(errors[1] - errors[0])
    print(f"left/right time-base skew after alignment: {skew_ms:.2f} ms (median IC offsets "
          f"{1000 * errors[0]:.2f} / {1000 * errors[1]:.2f} ms)")
    assert skew_ms <= 0.6
    assert max(abs(e) for e in errors) <= 0.005


def test_offline_analysis_of_a_live_recording_uses_the_live_time_base(tmp_path: Path) -> None:
    run = two_feet(30.0)
    source = record_with_offsets(run, tmp_path / "off.ffr", {"L": 100.0, "R": 100.85})
    live = _run(source, tmp_path / "live.ffr")
    offline, _ = analyse_recording(str(tmp_path / "live.ffr"))
    offsets = read_time_base(tmp_path / "live.ffr").offsets_samples
    print(f"time base noted: {offsets}; {len(live)} steps live, {len(offline)} offline")
    assert offsets["R"] > 300  # ~0.85 s at 416 Hz
    assert sorted(repr(s) for s in live) == sorted(repr(s) for s in offline)  # the same steps, paired the same
    library = Session(sensors=["L", "R"])  # a library user streaming it block by block gets the same too
    streamed = [step for block in iter_blocks(tmp_path / "live.ffr") for step in library.feed(block)]
    assert sorted(repr(s) for s in streamed + library.finish()) == sorted(repr(s) for s in offline)
