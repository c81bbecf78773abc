"""The bounded-memory recording reader (footfall.recording.stream) against open_recording: same samples, same
report, on intact and damaged files, with windows small enough that records and damage cross them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from footfall.recording.file import open_recording, write_si_recording
from footfall.recording.stream import Demux, iter_blocks, stream_recording

from .test_recording import si_stream

_WINDOW = 1 << 18  # the reader's smallest window (4 maximal records): the test files span several


def _samples(blocks: list) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    out = {}
    for sensor in sorted({b.sensor for b in blocks}):
        mine = [b for b in blocks if b.sensor == sensor]
        index = np.concatenate([b.first_index + np.arange(b.n) for b in mine])
        out[sensor] = (index, np.vstack([b.acc_mps2 for b in mine]), np.vstack([b.gyr_radps for b in mine]))
    return out


def _write(tmp_path: Path, n: int = 60_000) -> Path:
    return write_si_recording(tmp_path / "run.ffr", [si_stream("L", n=n, seed=1), si_stream("R", n=n, seed=2)], {})


def _damage(path: Path, where: list[int], length: int, cut: int = 0) -> None:
    data = bytearray(path.read_bytes())
    for pos in where:
        data[pos : pos + length] = bytes(range(7, 7 + length))[:length] if length < 240 else b"\x00" * length
    path.write_bytes(bytes(data[: len(data) - cut]))


def _same_as_open_recording(path: Path) -> None:
    rec = open_recording(path)
    want = _samples([b for s in rec.sensors for b in rec.blocks(s)])
    stream = stream_recording(path, chunk_bytes=1)
    got_blocks = list(stream.blocks(max_block_samples=5000))
    got = _samples(got_blocks)
    assert set(got) == set(want)
    for sensor in want:
        for a, b in zip(got[sensor], want[sensor]):
            assert np.array_equal(a, b, equal_nan=True)
    r1, r2 = stream.report, rec.report
    print(f"stream: {r1.summary()}\nopen:   {r2.summary()}")
    for field in ("records", "frames", "corrupt_records", "skipped_bytes", "tail", "tail_bytes", "clean_close"):
        assert getattr(r1, field) == getattr(r2, field), field
    assert {s: r.as_dict() for s, r in r1.streams.items()} == {s: r.as_dict() for s, r in r2.streams.items()}
    times = [b.meta["arrival_time_s"] for b in got_blocks]
    assert times == sorted(times)  # all sensors in arrival order


def test_intact_file_gives_the_same_samples_and_report(tmp_path: Path) -> None:
    path = _write(tmp_path)
    assert path.stat().st_size > 5 * _WINDOW
    _same_as_open_recording(path)


@pytest.mark.parametrize("length", [3, 600, 300_000])  # one record, a few, a stretch wider than the window
def test_damage_in_the_middle_is_skipped_the_same_way(tmp_path: Path, length: int) -> None:
    path = _write(tmp_path)
    _damage(path, [_WINDOW - 100, 3 * _WINDOW + 17], length)
    _same_as_open_recording(path)


@pytest.mark.parametrize("cut", [1, 100, 5000])
def test_damaged_tail_is_reported_the_same_way(tmp_path: Path, cut: int) -> None:
    path = _write(tmp_path)
    _damage(path, [path.stat().st_size - 400_000], 400_000 - 10, cut=cut)
    _same_as_open_recording(path)


def test_demux_gives_each_sensor_its_blocks_in_order(tmp_path: Path) -> None:
    path = _write(tmp_path, n=20_000)
    demux = Demux(iter_blocks(path, max_block_samples=3000))
    left, right = demux.sensor("L"), demux.sensor("R")
    got = {"L": list(left), "R": list(right)}
    rec = open_recording(path)
    for sensor, blocks in got.items():
        assert [b.sensor for b in blocks] == [sensor] * len(blocks)
        assert sum(b.n for b in blocks) == sum(b.n for b in rec.blocks(sensor)) == 20_000
    assert demux.unclaimed == []


# Run in a fresh interpreter so that nothing pytest holds counts. tracemalloc starts after the imports and sees
# Python's objects and numpy's buffers: the memory that would grow if the reader kept the file, its frames or
# its samples. The peak resident set (bench._peak_rss_mb: VmHWM, not ru_maxrss, which on Linux carries the
# parent's peak across fork + exec and is in bytes on macOS) is printed but not bounded: it also counts the
# interpreter and numpy (29 MB after the imports), tracemalloc's own bookkeeping and the allocator's slack, which
# vary from run to run. Measured (3 runs each): 77-80, 83-85 and 86-88 MB for the three files, and the same within
# a few MB with read_time_base left out (79, 83-84, 87-88 MB). The file's pages are not in it: read_time_base and
# its search for the last time-base note read the file (4 MB at a time, recording/file.py) and map none of it.
_PEAK_CODE = """import json, sys, tracemalloc
from footfall.analysis.bench import _peak_rss_mb
from footfall.recording.stream import iter_blocks
tracemalloc.start()
samples = sum(b.n for b in iter_blocks(sys.argv[1]))
heap_mb = tracemalloc.get_traced_memory()[1] / 1e6
print(json.dumps({"samples": samples, "heap_mb": heap_mb, "rss_mb": _peak_rss_mb()}))"""


def _write_in(folder: Path, n: int) -> Path:
    folder.mkdir()
    return _write(folder, n=n)


def _reading_peaks(path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _PEAK_CODE, str(path)], capture_output=True, text=True, check=True)
    peaks: dict[str, float] = json.loads(done.stdout)
    return peaks


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    """The heap of a process reading files of 11, 22 and 43 MB stays flat (measured: 32.5, 32.8, 32.8 MB, once
    the file is longer than the reader's batches): it grows by under a tenth of the extra file, 3.2 MB. Keeping
    the file would add 32 MB; keeping its blocks added 115 MB (166 MB at 43 MB)."""
    sizes = (400_000, 800_000, 1_600_000)  # samples per foot; 200 000 still fills the batches only partly
    paths = [_write_in(tmp_path / str(n), n) for n in sizes]
    peaks = [_reading_peaks(p) for p in paths]
    file_mb = [p.stat().st_size / 1e6 for p in paths]
    for mb, peak in zip(file_mb, peaks):
        print(f"file {mb:.1f} MB: heap peak {peak['heap_mb']:.2f} MB, resident peak {peak['rss_mb']:.1f} MB")
    assert [p["samples"] for p in peaks] == [2 * n for n in sizes]  # every sample was read
    assert max(p["heap_mb"] for p in peaks) - peaks[0]["heap_mb"] < 0.1 * (file_mb[-1] - file_mb[0])
