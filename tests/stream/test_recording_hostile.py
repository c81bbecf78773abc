"""Hostile recordings and hostile disks: two recordings joined by `cat`, a file mangled by a text-mode transfer,
and a writer whose disk fills up (or whose writes come back short)."""

from __future__ import annotations

import errno
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from footfall.protocol.encode import SiStream
from footfall.errors import RecordingError
from footfall.recording.file import RecordingWriter, open_recording, write_si_recording
from footfall.recording.stream import stream_recording


def _walk(path: Path, seconds: float, seed: int = 0) -> Path:
    n = int(seconds * 100)
    rng = np.random.default_rng(seed)
    acc = np.column_stack([rng.normal(0, 3, n), rng.normal(0, 3, n), 9.81 + rng.normal(0, 3, n)])
    streams = [SiStream(s, s, 100.0, acc, rng.normal(0, 2, (n, 3))) for s in ("L", "R")]
    return write_si_recording(path, streams, {"runner": path.stem})


def _samples(path: Path) -> int:
    rec = open_recording(path)
    return sum(rep.samples for rep in rec.report.streams.values())


@pytest.mark.parametrize("first_cut", [0, 5])
def test_two_recordings_joined_by_cat_are_said_so_not_called_missing_samples(tmp_path: Path, first_cut: int) -> None:
    """The second file's header was '12 damaged bytes ... the samples in them are missing' and its metadata
    replaced the first one's."""
    a, b = _walk(tmp_path / "a.ffr", 8), _walk(tmp_path / "b.ffr", 5, seed=1)
    first = a.read_bytes()
    joined = tmp_path / "c.ffr"
    joined.write_bytes(first[: len(first) - first_cut] + b.read_bytes())
    rec = open_recording(joined)
    report = rec.report
    assert report.joined == 1 and report.corrupt_records == (1 if first_cut else 0)
    assert report.clean_close and rec.meta["runner"] == "a" and rec.meta["joined_recordings"][0]["runner"] == "b"
    damage = report.damage("c.ffr")
    assert damage is not None and "c.ffr holds two recordings joined together" in damage
    assert ("the samples in them are missing" in damage) == bool(first_cut)  # only the cut record is damage
    if not first_cut:
        assert _samples(joined) == _samples(a) + _samples(b)
    for chunk in (1 << 20, 1 << 16):  # the bounded-memory reader, its windows cut anywhere
        stream = stream_recording(joined, chunk_bytes=chunk)
        for _ in stream.blocks():
            pass
        assert (stream.report.joined, stream.report.corrupt_records) == (report.joined, report.corrupt_records)
        assert stream.report.skipped_bytes == report.skipped_bytes and stream.meta["runner"] == "a"


@pytest.mark.parametrize("mangle", [lambda d: d.replace(b"\r\n", b"\n"), lambda d: d.replace(b"\n", b"\r\n")])
def test_a_recording_mangled_by_a_text_mode_transfer_is_said_so(tmp_path: Path, mangle: Any) -> None:
    src = _walk(tmp_path / "a.ffr", 2)
    bad = tmp_path / "t.ffr"
    bad.write_bytes(mangle(src.read_bytes()))
    with pytest.raises(RecordingError, match=r"damaged by a text-mode transfer \(line endings changed\)") as info:
        open_recording(bad)
    assert "copy it again in binary mode" in str(info.value)


def test_writes_that_come_back_short_are_continued(tmp_path: Path, disk: dict[str, Any]) -> None:
    """A raw file may write less than asked (the disk nearly full); the rest was dropped from the buffer."""
    disk["chunk"] = 7
    path = _walk(tmp_path / "short.ffr", 3)
    assert _samples(path) == 600 and open_recording(path).report.clean_close


def test_a_full_disk_is_one_recording_error_naming_how_far_it_got(tmp_path: Path, disk: dict[str, Any]) -> None:
    """It raised OSError from the flush thread (a traceback) and again from close()."""
    disk["room"] = 20_000
    with pytest.raises(RecordingError, match=r"disk full: recording stopped at \d+\.\d s into full.ffr") as info:
        _walk(tmp_path / "full.ffr", 60)
    rec = open_recording(tmp_path / "full.ffr")
    times = [f.arrival_time_s for s in rec.sensors for f in rec.frames(s)]
    said_s = float(str(info.value).split(" at ")[1].split(" s ")[0])
    assert said_s == pytest.approx(max(times) - min(times), abs=0.05) and said_s > 1
    assert not disk["crashed"]


def test_a_write_error_in_the_flush_thread_surfaces_at_the_next_call(tmp_path: Path, disk: dict[str, Any]) -> None:
    disk.update(room=2_000, err=errno.EIO)
    writer = RecordingWriter(tmp_path / "eio.ffr", {}, flush_interval_s=0.02)
    writer.add_sensor("L", "L")
    for k in range(40):
        writer.write_frame("L", b"\x01" * 60, float(k))
    deadline = time.monotonic() + 5
    while writer.error is None and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(RecordingError, match=r"cannot write eio.ffr \(Input/output error\): recording stopped at"):
        writer.write_frame("L", b"\x01" * 60, 41.0)
    writer.close()  # said once: closing does not raise it again
    assert not disk["crashed"] and open_recording(tmp_path / "eio.ffr").report.frames > 0
