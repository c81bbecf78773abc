"""Recordings for live-session tests, built from the virtual runner through the device encoder."""

from __future__ import annotations

import heapq
from pathlib import Path

import numpy as np

from footfall.protocol.encode import SiStream, device_frames
from footfall.recording.file import RecordingWriter
from footfall.virtual.runner import SimulatedRun, preset, simulate


def two_feet(duration_s: float = 30.0, seed: int = 3) -> SimulatedRun:
    return simulate(preset("heel-overstrider", duration_s=duration_s, seed=seed))


def record_with_offsets(run: SimulatedRun, path: Path, start_s: dict[str, float], jitter_s: float = 0.02,
                        seed: int = 0) -> Path:
    """Each foot's device powered on at its own `start_s` (its sample 0), frames arriving with random link
    delay up to `jitter_s` (in order per sensor), interleaved by arrival time as a host would see them."""
    rng = np.random.default_rng(seed)
    tagged = []
    for side, foot in run.feet.items():
        stream = SiStream(side, side, int(foot.rate_hz), foot.acc_mps2, foot.gyr_radps, acc_range_g=32)
        frames = list(device_frames(stream, start_s[side]))
        arrivals = np.maximum.accumulate([t + rng.uniform(0, jitter_s) for t, _ in frames])
        tagged.append([(float(t), side, f) for t, (_, f) in zip(arrivals, frames)])
    with RecordingWriter(path, {"test": "offsets"}) as writer:
        for side in run.feet:
            writer.add_sensor(side, side)
        for t, side, frame in heapq.merge(*tagged, key=lambda x: x[0]):
            writer.write_frame(side, frame, t)
    return path
