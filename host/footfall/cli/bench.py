"""`footfall bench`: decode throughput of frames, serial packets and recordings, and decode+analysis
throughput and peak memory on a virtual-runner recording, as printed figures.

Each section is a function (args) -> {figure name: value}; adding a section (e.g. the analyser's) is one
function and one entry in SECTIONS.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from footfall.cli.common import above_zero, count

Figures = dict[str, float]


def register(sub: Any) -> None:
    p = sub.add_parser("bench", help="measure decoding and analysis speed and memory",
                       description="Measure decoding throughput of data frames, the serial packet reader and "
                                   "recordings on synthetic data, and decode+analysis throughput and peak memory "
                                   "on a virtual-runner recording (in a fresh subprocess on one core); print "
                                   "the figures.")
    p.add_argument("--frames", type=count, default=100_000, help="data frames for the frame benchmarks "
                   "(default 100000)")
    p.add_argument("--minutes", type=above_zero, default=60.0, help="length of the benchmark recordings (default 60)")
    p.add_argument("--sensors", type=int, choices=(1, 2), default=2, help="sensors in the benchmark recording "
                   "(default 2)")
    p.add_argument("--rate", type=count, default=416, help="sample rate of the benchmark recording, Hz (default 416)")
    p.add_argument("--hours", type=above_zero, default=None,
                   help="also analyse a recording this long (e.g. 10: memory must stay flat; ~40 MB/h on disk, "
                        "about 15 s per hour to write)")
    p.add_argument("--sections", default=",".join(n for n, _ in SECTIONS),
                   help="comma-separated sections to run (default: all)")
    p.set_defaults(func=run)


def _frames(count: int) -> list[bytes]:
    import numpy as np

    from footfall import protocol

    rng = np.random.default_rng(1)
    counts = rng.integers(-32768, 32767, (count * 19, 6), dtype=np.int16)
    head = [bytes(protocol.StatusFrame(0, 416, 16, 2000, 0.00479, 0.00122, 2, "L"))]
    return head + [protocol.DATA_HEADER.pack(1, 1, (k + 1) & 0xFFFF, (k * 19) & 0xFFFFFFFF, 19, 0)
                   + counts[k * 19 : k * 19 + 19].tobytes() for k in range(count)]


def _rates(label: str, seconds: float, frames: int, samples: int, nbytes: int) -> Figures:
    return {f"{label} frames/s": frames / seconds, f"{label} samples/s": samples / seconds,
            f"{label} MB/s": nbytes / seconds / 1e6}


def bench_frames(args: argparse.Namespace) -> Figures:
    """decode_frame (dataclasses), StreamDecoder.feed (live, one block per frame) and feed_many (offline)."""
    from footfall import protocol

    frames = _frames(args.frames)
    nbytes, samples = sum(map(len, frames)), args.frames * 19
    t = time.perf_counter()
    for f in frames:
        protocol.decode_frame(f)
    out = _rates("decode_frame", time.perf_counter() - t, len(frames), samples, nbytes)
    dec = protocol.StreamDecoder("L")
    t = time.perf_counter()
    for f in frames:
        dec.feed(f, 0.0)
    out |= _rates("StreamDecoder.feed", time.perf_counter() - t, len(frames), samples, nbytes)
    t = time.perf_counter()
    protocol.StreamDecoder("L").feed_many(frames, [0.0] * len(frames))
    return out | _rates("StreamDecoder.feed_many", time.perf_counter() - t, len(frames), samples, nbytes)


def bench_serial(args: argparse.Namespace) -> Figures:
    """COBS + CRC packet reader on the same frames, fed in 4 kB chunks as a serial port returns them."""
    from footfall.protocol.framing import PacketReader, frame_packet

    wire = b"".join(frame_packet(f) for f in _frames(args.frames // 4))
    reader = PacketReader()
    t = time.perf_counter()
    got = sum(len(reader.feed(wire[k : k + 4096])) for k in range(0, len(wire), 4096))
    return _rates("PacketReader", time.perf_counter() - t, got, (got - 1) * 19, len(wire))


def bench_recording(args: argparse.Namespace) -> Figures:
    """Write a synthetic recording, then open it and decode every sensor's blocks."""
    import numpy as np

    from footfall.recording.file import SiStream, open_recording, write_si_recording

    n = int(args.minutes * 60 * args.rate)
    rng = np.random.default_rng(2)
    streams = [SiStream(f"S{k}", "?", args.rate, rng.normal(0, 20, (n, 3)), rng.normal(0, 3, (n, 3)))
               for k in range(args.sensors)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ffr"
        t = time.perf_counter()
        write_si_recording(path, streams, {"notes": "footfall bench"})
        write_s = time.perf_counter() - t
        size = path.stat().st_size
        t = time.perf_counter()
        rec = open_recording(path)
        samples = sum(b.n for s in rec.sensors for b in rec.blocks(s))
        read_s = time.perf_counter() - t
    frames = rec.report.frames
    return {"recording samples": samples, "recording bytes/sample on disk": size / samples,
            "recording write s": write_s} | _rates("recording read+decode", read_s, frames, samples, size)


def bench_analysis(args: argparse.Namespace) -> Figures:
    """Decode + analysis of a virtual-runner recording at 416 Hz (footfall.analysis.bench): x real time and
    peak memory, measured in a fresh subprocess (one process, one core); optionally an --hours-long one."""
    from footfall.analysis import bench

    f = bench.run(args.minutes, args.sensors, args.hours)
    print(f"  decode+analysis: {f['decode+analysis x real time']:,.0f} x real time (one core), peak memory "
          f"{_mb(f['peak RSS MB'])} ({args.minutes:g} min, {args.sensors} sensors, {f['steps']:.0f} steps)")
    if args.hours:
        h = f"{args.hours:g} h "
        print(f"  decode+analysis: {f[h + 'decode+analysis x real time']:,.0f} x real time (one core), peak memory "
              f"{_mb(f[h + 'peak RSS MB'])} ({h}recording, {f[h + 'steps']:.0f} steps)")
    return f


def _mb(value: float) -> str:
    """"133 MB", or say so where this platform cannot measure the peak (math.nan), rather than "nan MB"."""
    return "not measurable on this platform" if value != value else f"{value:.0f} MB"


SECTIONS: list[tuple[str, Callable[[argparse.Namespace], Figures]]] = [
    ("frames", bench_frames),
    ("serial", bench_serial),
    ("recording", bench_recording),
    ("analysis", bench_analysis),
]


def run(args: argparse.Namespace) -> int:
    print(f"footfall bench: {args.frames} data frames of 19 samples; recording {args.minutes:g} min x "
          f"{args.sensors} sensors at {args.rate} Hz")
    wanted = {n.strip() for n in args.sections.split(",")}
    unknown = wanted - {n for n, _ in SECTIONS}
    if unknown:
        from footfall.errors import InputError

        raise InputError(f"unknown bench section(s): {', '.join(sorted(unknown))}")
    for name, section in SECTIONS:
        if name not in wanted:
            continue
        for label, value in section(args).items():
            text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3f}"
            print(f"  {name:10s} {label:38s} {text:>14s}")  # counts whole, rates to 0.1, small figures to 0.001
    return 0
