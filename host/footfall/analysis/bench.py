"""Decode + analysis throughput and peak memory on a virtual-runner recording (called by `footfall bench`).

A recording of the virtual runner (one or two feet, 416 Hz) is written to a temporary .ffr file in pieces
(`PIECE_MIN` minutes of simulation each, cycling through at most `DISTINCT_PIECES` different seeds), so even
a 10-hour file is generated in bounded memory. It is then read, decoded and analysed in a FRESH subprocess
(`python -m footfall.analysis.bench analyse FILE`), one process on one core, through the same streaming
path as `footfall analyse` (recording.stream -> Session), counting the steps instead of keeping them.
Throughput is recording time / wall time ("x real time"; the CPU-time figure beside it is what a loaded
machine cannot steal); memory is that process's peak resident set size (VmHWM, see _peak_rss_mb; numpy's
buffers included, which tracemalloc misses), interpreter and imports (~50 MB) included.
"""

from __future__ import annotations

import heapq
import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np

from footfall.protocol.encode import FrameCounter, SiStream, data_frames

resource: ModuleType | None
try:
    import resource
except ImportError:  # Windows: _peak_rss_mb asks the system through ctypes instead
    resource = None

PIECE_MIN = 10.0
DISTINCT_PIECES = 6
RATE_HZ = 416
STATUS_EVERY_S = 5.0


def _pieces(minutes: float, sides: tuple[str, ...]) -> Iterator[tuple[float, dict[str, SiStream]]]:
    """(piece length s, side -> its samples) of the run, simulated piece by piece (cached per seed)."""
    from footfall.virtual.runner import RunnerParams, simulate

    cache: dict[tuple[int, float], dict[str, SiStream]] = {}
    done = 0.0
    k = 0
    while done < minutes * 60.0 - 1e-9:
        length = min(PIECE_MIN * 60.0, minutes * 60.0 - done)
        key = (k % DISTINCT_PIECES, length)
        if key not in cache:
            run = simulate(RunnerParams(duration_s=length, seed=5 + key[0], rate_hz=RATE_HZ))
            cache[key] = {s: SiStream(s, s, RATE_HZ, run.feet[s].acc_mps2, run.feet[s].gyr_radps) for s in sides}
        yield length, cache[key]
        done, k = done + length, k + 1


def _piece_frames(stream: SiStream, first: int, counter: FrameCounter) -> list[tuple[float, bytes]]:
    """The device frames of one piece of one foot, placed from sample `first` on."""
    placed = replace(stream, sample_index=np.arange(first, first + len(stream.acc_mps2)))
    return list(data_frames(placed, counter, status_every_s=STATUS_EVERY_S))


def write_recording(path: Path, minutes: float, sensors: int = 2) -> Path:
    """A `minutes`-long virtual-runner recording of one or two feet, written piece by piece."""
    from footfall.recording.file import RecordingWriter

    sides = ("L", "R")[: max(1, min(2, sensors))]
    with RecordingWriter(path, {"notes": "footfall analysis bench"}) as writer:
        for s in sides:
            writer.add_sensor(s, s, rate_hz=RATE_HZ)
        counters = {s: FrameCounter() for s in sides}
        first = 0
        for length, streams in _pieces(minutes, sides):
            tagged = [[(t, s, f) for t, f in _piece_frames(streams[s], first, counters[s])] for s in sides]
            for t, s, frame in heapq.merge(*tagged, key=lambda item: item[0]):
                writer.write_frame(s, frame, t)
            first += int(round(length * RATE_HZ))
    return path


def _peak_rss_mb() -> float:
    """This process's peak resident set size: VmHWM where /proc has it, else ru_maxrss. (On Linux ru_maxrss
    keeps the PARENT's high-water mark across fork + exec, so a child of a big process would report the
    parent's peak; VmHWM belongs to the process's own address space.)"""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    if resource is not None:
        return _ru_maxrss_mb()
    return _windows_peak_mb()


def _ru_maxrss_mb(platform: str | None = None) -> float:
    """getrusage's peak RSS in MB (NaN without the `resource` module): macOS gives it in bytes, Linux and the BSDs
    in kB. `platform`: sys.platform's value."""
    if resource is None:
        return math.nan
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0 if (platform or sys.platform) == "darwin" else 1024.0)


def _windows_peak_mb() -> float:
    """The peak working set (GetProcessMemoryInfo) in MB on Windows; NaN ("not measured") elsewhere or on failure."""
    if sys.platform != "win32":
        return math.nan
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):  # PROCESS_MEMORY_COUNTERS
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                    *((name, ctypes.c_size_t) for name in (
                        "PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage", "QuotaPagedPoolUsage",
                        "QuotaPeakNonPagedPoolUsage", "QuotaNonPagedPoolUsage", "PagefileUsage",
                        "PeakPagefileUsage"))]

    try:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        counters = Counters()
        counters.cb = ctypes.sizeof(Counters)
        if not kernel32.K32GetProcessMemoryInfo(kernel32.GetCurrentProcess(), ctypes.byref(counters), counters.cb):
            return math.nan
        return float(counters.PeakWorkingSetSize) / (1024.0 * 1024.0)
    except (OSError, AttributeError):
        return math.nan


def measure(path: str, decode_only: bool = False) -> dict[str, float]:
    """In this process: stream, decode and (unless decode_only) analyse the recording; count the steps."""
    from footfall.analysis.session import Session, keep_freed_buffers, run_session
    from footfall.recording.stream import Demux, stream_recording

    keep_freed_buffers()  # as analyse_recording does
    wall, cpu = time.perf_counter(), time.process_time()
    stream = stream_recording(path)
    sensors = list(stream.sensors)
    steps, samples = 0, 0
    if decode_only:
        samples = sum(b.n for b in stream.blocks())
    else:
        demux = Demux(stream.blocks())
        session = Session(sensors=sensors)
        steps = run_session(session, {s: demux.sensor(s) for s in sensors}, lambda new: None)
        samples = sum(r.samples for r in session.reports.values())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"recording_s": samples / RATE_HZ / max(1, len(sensors)), "wall_s": wall, "cpu_s": cpu,
            "steps": float(steps), "peak_rss_mb": _peak_rss_mb(),
            "ru_maxrss_mb": _ru_maxrss_mb()}


def measure_in_subprocess(path: Path, decode_only: bool = False) -> dict[str, float]:
    """`measure` in a fresh interpreter, so the peak RSS belongs to this recording alone."""
    args = [sys.executable, "-m", "footfall.analysis.bench", "decode" if decode_only else "analyse", str(path)]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run(minutes: float = 60.0, sensors: int = 2, hours: float | None = None) -> dict[str, float]:
    """Figures: x real time (wall and CPU) for decode + analysis and for decoding alone, steps, peak RSS in
    MB; with `hours`, the same for a recording that long (written to a temporary file, ~40 MB per hour)."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_recording(Path(tmp) / "bench.ffr", minutes, sensors)
        out["recording MB"] = path.stat().st_size / 1e6
        dec = measure_in_subprocess(path, decode_only=True)
        full = measure_in_subprocess(path)
        out |= _figures("", full) | {"decode-only x real time": dec["recording_s"] / dec["wall_s"],
                                     "decode-only peak RSS MB": dec["peak_rss_mb"]}  # fmt: skip
        if hours:
            path.unlink()
            path = write_recording(Path(tmp) / "long.ffr", hours * 60.0, sensors)
            out[f"{hours:g} h recording MB"] = path.stat().st_size / 1e6
            out |= _figures(f"{hours:g} h ", measure_in_subprocess(path))
    return out


def _figures(prefix: str, f: dict[str, float]) -> dict[str, float]:
    return {f"{prefix}decode+analysis x real time": f["recording_s"] / f["wall_s"],
            f"{prefix}decode+analysis x real time (CPU time)": f["recording_s"] / f["cpu_s"],
            f"{prefix}steps": f["steps"], f"{prefix}peak RSS MB": f["peak_rss_mb"]}  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[2], decode_only=sys.argv[1] == "decode")))
