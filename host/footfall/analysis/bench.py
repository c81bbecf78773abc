"""Decode + analysis throughput and memory on a virtual-runner recording (called by `footfall bench`).

A `minutes`-long run of the virtual runner (one or two feet, 416 Hz) is written as a .ffr recording, then
opened, decoded and analysed exactly as `footfall analyse` does. Throughput is recording time / wall time
("x real time", one core). Memory: the peak of Python/numpy allocations (tracemalloc) during a second,
separate pass, so the tracing does not slow the timed pass; and the analysis state alone (streaming, steps
handed on rather than kept), which is what stays flat in recording length.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path


def _write(path: Path, minutes: float, sensors: int) -> None:
    from footfall.recording import SiStream, write_si_recording
    from footfall.virtual.runner import RunnerParams, simulate

    sides = ("L", "R")[: max(1, min(2, sensors))]
    run = simulate(RunnerParams(duration_s=minutes * 60.0, seed=5))
    streams = [SiStream(s, s, int(run.feet[s].rate_hz), run.feet[s].acc_mps2, run.feet[s].gyr_radps) for s in sides]
    write_si_recording(path, streams, {"notes": "footfall analysis bench"})


def _analyse(path: Path) -> int:
    from footfall.analysis.session import analyse_recording

    steps, _ = analyse_recording(str(path))
    return len(steps)


def _analyse_blocks_only(path: Path) -> float:
    """Decoding alone, to split the time between decode and analysis."""
    from footfall.recording import open_recording

    t = time.perf_counter()
    rec = open_recording(path)
    for sensor in rec.sensors:
        for _ in rec.blocks(sensor):
            pass
    return time.perf_counter() - t


def _streaming_peak_mb(path: Path) -> float:
    """Peak memory of the analysis state alone: blocks streamed through a Session, steps not kept (the
    recording is read before tracing starts). Flat in recording length."""
    from footfall.analysis.session import Session
    from footfall.recording import open_recording

    rec = open_recording(path)
    blocks = {s: list(rec.blocks(s)) for s in rec.sensors}
    session = Session(sensors=list(blocks))
    tracemalloc.start()
    for k in range(max(len(b) for b in blocks.values())):
        for sensor_blocks in blocks.values():
            if k < len(sensor_blocks):
                session.feed(sensor_blocks[k])
    session.finish()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def run(minutes: float = 60.0, sensors: int = 2) -> dict[str, float]:
    """Figures: x real time for decode + analysis and for decoding alone, steps, peak memory in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ffr"
        _write(path, minutes, sensors)
        t = time.perf_counter()
        steps = _analyse(path)
        total_s = time.perf_counter() - t
        decode_s = _analyse_blocks_only(path)
        tracemalloc.start()
        _analyse(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size_mb = path.stat().st_size / 1e6
        state_mb = _streaming_peak_mb(path)
    real_s = minutes * 60.0
    return {
        "analysis x real time (decode + analyse)": real_s / total_s,
        "decode-only x real time": real_s / decode_s,
        "analyse-only x real time": real_s / max(total_s - decode_s, 1e-9),
        "steps": float(steps),
        "peak traced memory MB (file, decode, analysis, all steps)": peak / 1e6,
        "analysis state peak MB (streaming, steps not kept)": state_mb,
        "recording MB": size_mb,
    }
