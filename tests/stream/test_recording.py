"""Recordings: round trip, crash safety with a real SIGKILLed writer, damaged tails and middles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from footfall.protocol.encode import scales
from footfall.errors import InputError, RecordingError
from footfall.recording.file import RecordingWriter, SiStream, open_recording, write_si_recording

from .streams import check_blocks, stream


def si_stream(sensor: str = "L", n: int = 4160, rate_hz: int = 416, seed: int = 0) -> SiStream:
    rng = np.random.default_rng(seed)
    acc = rng.normal(0, 30, (n, 3)) + [0, 0, 9.81]
    gyr = rng.normal(0, 5, (n, 3))
    return SiStream(sensor, sensor, rate_hz, acc, gyr, acc_range_g=32)


def test_si_recording_round_trip_within_half_a_count(tmp_path: Path) -> None:
    streams = [si_stream("L", seed=1), si_stream("R", n=4000, seed=2)]
    path = write_si_recording(tmp_path / "run.ffr", streams, {"runner": "ada", "notes": "test"})
    rec = open_recording(path)
    assert rec.meta["runner"] == "ada" and set(rec.sensors) == {"L", "R"}
    acc_mps2_per_count, gyr_radps_per_count = scales(0, 32, 2000)
    for s in streams:
        blocks = list(rec.blocks(s.sensor))
        assert [b.side for b in blocks] == [s.side] * len(blocks)
        acc = np.vstack([b.acc_mps2 for b in blocks])
        gyr = np.vstack([b.gyr_radps for b in blocks])
        err_acc, err_gyr = np.abs(acc - s.acc_mps2).max(), np.abs(gyr - s.gyr_radps).max()
        print(f"{s.sensor}: max error acc {err_acc:.5f} m/s2, gyr {err_gyr:.6f} rad/s")
        assert err_acc <= acc_mps2_per_count / 2 * 1.0001 and err_gyr <= gyr_radps_per_count / 2 * 1.0001
    assert rec.report.clean_close and rec.report.tail == "ok"
    assert all(r.problems == 0 for r in rec.report.streams.values())
    times = [f.arrival_time_s for s in rec.sensors for f in rec.frames(s)]
    assert max(times) == pytest.approx(4160 / 416, abs=0.1)


def test_saturation_clips_like_a_sensor(tmp_path: Path) -> None:
    acc = np.array([[500.0, -500.0, 9.81]] * 19)
    with pytest.warns(UserWarning, match="clipped"):  # and says so
        path = write_si_recording(tmp_path / "s.ffr", [SiStream("L", "L", 100, acc, np.zeros((19, 3)))], {})
    (block,) = open_recording(path).blocks("L")
    limit = 16 * 9.80665
    assert block.acc_mps2[0, 0] == pytest.approx(limit * 32767 / 32768, rel=1e-6)
    assert block.acc_mps2[0, 1] == pytest.approx(-limit, rel=1e-6)


def test_gaps_in_sample_index_stay_gaps(tmp_path: Path) -> None:
    index = np.r_[0:100, 150:300]
    s = SiStream("L", "L", 100, np.zeros((250, 3)), np.zeros((250, 3)), sample_index=index)
    rec = open_recording(write_si_recording(tmp_path / "g.ffr", [s], {}))
    blocks = list(rec.blocks("L"))
    assert [(b.first_index, b.n) for b in blocks] == [(0, 100), (150, 150)]
    assert rec.report.streams["L"].missing_samples == 50


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_samples_are_refused_not_stored_as_zero(tmp_path: Path, bad: float) -> None:
    acc = np.full((50, 3), 9.81)
    acc[7, 1] = bad
    with pytest.raises(InputError, match=r"acc_mps2 has NaN or infinite values in 1 of 50 rows \(first row 7\)"
                       ) as info:
        write_si_recording(tmp_path / "n.ffr", [SiStream("L", "L", 100, acc, np.zeros((50, 3)))], {})
    assert "sample_index" in info.value.hint and not (tmp_path / "n.ffr").exists()
    with pytest.raises(InputError, match="gyr_radps"):
        SiStream("L", "L", 100, np.zeros((50, 3)), acc)


def test_no_gyro_sensor_still_sends_zero_gyro(tmp_path: Path) -> None:
    s = SiStream("L", "L", 100, np.full((50, 3), 9.81), np.full((50, 3), np.nan), has_gyro=False)
    assert not s.counts()[:, 3:].any()
    kept = SiStream("L", "L", 100, np.full((40, 3), 9.81), np.zeros((40, 3)), sample_index=np.r_[0:7, 8:41])
    assert len(kept.counts()) == 40  # rows left out with their index: a gap, as footfall import does


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "a.ffr"
    path.write_bytes(b"precious")
    with pytest.raises(RecordingError, match="already exists"):
        RecordingWriter(path, {})
    assert path.read_bytes() == b"precious"


def test_bad_metadata_leaves_no_file_and_a_retry_works(tmp_path: Path) -> None:
    path = tmp_path / "a.ffr"
    with pytest.raises(RecordingError, match="not JSON-serialisable"):
        RecordingWriter(path, {"when": object()})
    assert not path.exists()
    with RecordingWriter(path, {"runner": "t"}):
        pass
    assert open_recording(path).meta["runner"] == "t"


def test_bad_metadata_never_removes_a_file_it_did_not_make(tmp_path: Path) -> None:
    path = tmp_path / "a.ffr"
    path.write_bytes(b"precious")
    with pytest.raises(RecordingError):
        RecordingWriter(path, {"when": object()})
    assert path.read_bytes() == b"precious"


@pytest.mark.parametrize("content", [b"", b"hello, world\n", b"time_s,acc_x\n1,2\n"])
def test_not_a_recording(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.ffr"
    path.write_bytes(content)
    with pytest.raises(RecordingError, match="not a footfall recording") as info:
        open_recording(path)
    assert "footfall import" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="does not exist"):
        open_recording(tmp_path / "nope.ffr")


def write_frames(path: Path, frames: list[bytes]) -> None:
    with RecordingWriter(path, {"runner": "t"}) as w:
        w.add_sensor("L", "L")
        for k, f in enumerate(frames):
            w.write_frame("L", f, k * 0.05)


@pytest.mark.parametrize("cut", [1, 5, 13, 30])
def test_truncated_tail_is_reported_and_skipped(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "t.ffr"
    frames = stream(20)
    write_frames(path, frames)
    data = path.read_bytes()
    end_record = 18 + len(json.dumps({"frames": 21}))
    path.write_bytes(data[: len(data) - end_record - cut])  # the END record and part of the last frame gone
    rec = open_recording(path)
    assert rec.report.tail == "truncated" and not rec.report.clean_close
    assert len(rec.frames("L")) == 20  # all but the cut one
    assert check_blocks(list(rec.blocks("L"))) == list(range(19 * 19))
    assert "truncated tail" in rec.report.summary()


def test_corrupt_record_in_the_middle_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.ffr"
    frames = stream(20)
    write_frames(path, frames)
    data = bytearray(path.read_bytes())
    pos = data.find(frames[10])
    data[pos + 50] ^= 0xFF
    path.write_bytes(bytes(data))
    rec = open_recording(path)
    r = rec.report
    assert r.corrupt_records == 1 and r.tail == "ok" and r.clean_close
    assert r.streams["L"].missing_samples == 19 and r.streams["L"].gaps == 1
    assert len(rec.frames("L")) == 20


def test_garbage_tail_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "g.ffr"
    write_frames(path, stream(5))
    with open(path, "ab") as f:
        f.write(os.urandom(100).replace(b"\xf5", b"\x00"))
    rec = open_recording(path)
    assert rec.report.tail == "corrupt" and rec.report.tail_bytes == 100 and len(rec.frames("L")) == 6


WRITER = """
import sys, time
from footfall.recording.file import RecordingWriter
sys.path.insert(0, sys.argv[2])
from stream.streams import data, status
w = RecordingWriter(sys.argv[1], {"runner": "crash test"})
w.add_sensor("L", "L")
w.write_frame("L", status(0), time.time())
k = 0
while True:
    k += 1
    w.write_frame("L", data(k, (k - 1) * 19), time.time())
    if k == 20:
        print("running", flush=True)
    time.sleep(0.005)
"""


def test_kill_9_loses_at_most_half_a_second(tmp_path: Path) -> None:
    """A real writer process is SIGKILLed mid-recording; the file opens and holds all but the last flush."""
    path = tmp_path / "crash.ffr"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(Path(__file__).parents[1])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"running", proc.stderr.read() if proc.stderr else ""
    time.sleep(1.3)
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no chance to flush either way
    killed_at = time.time()
    proc.wait(timeout=10)
    rec = open_recording(path)
    frames = rec.frames("L")
    lost_s = killed_at - frames[-1].arrival_time_s
    print(f"kill -9: {len(frames)} frames kept, last one {lost_s:.3f} s before the kill; tail {rec.report.tail}")
    assert rec.meta["runner"] == "crash test" and not rec.report.clean_close
    assert lost_s <= 0.5
    assert len(check_blocks(list(rec.blocks("L")))) == 19 * (len(frames) - 1)
    assert rec.report.streams["L"].problems == 0


def test_what_protocol_md_says_of_records_holds(tmp_path: Path) -> None:
    """docs/protocol.md: the CRC covers the whole header with its sync bytes, the metadata's `format` is
    "footfall recording", a frame for a sensor never added adds it with side ?, and library arrival times
    are relative to sample 0 (not Unix time)."""
    import zlib

    from footfall.recording.writer import FILE_HEADER, RECORD_HEADER

    path = tmp_path / "w.ffr"
    with RecordingWriter(path, {"runner": "t"}) as w:
        w.write_frame("X", stream(1)[0], 1.5)
    data = path.read_bytes()
    start = FILE_HEADER.size
    length = RECORD_HEADER.unpack_from(data, start)[3]
    end = start + RECORD_HEADER.size + length
    assert zlib.crc32(data[start:end]) == int.from_bytes(data[end:end + 4], "little")
    rec = open_recording(path)
    assert rec.meta["format"] == "footfall recording" and rec.sensors["X"].side == "?"
    doc = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert "**including the 2 sync bytes**" in doc and '`"footfall recording"`' in doc and "side `?`" in doc
    sim = open_recording(write_si_recording(tmp_path / "s.ffr", [si_stream(n=100)], {}))
    assert 0 < next(iter(sim.frames("L"))).arrival_time_s < 1  # relative to sample 0, as the doc says


def test_not_finite_metadata_is_stored_as_null_not_as_invalid_json(tmp_path: Path) -> None:
    """json.dumps writes a bare NaN, which no JSON reader accepts: found by a re-check."""
    from footfall.recording.file import RecordingWriter, open_recording

    path = tmp_path / "nan_meta.ffr"
    with RecordingWriter(path, {"x": float("nan"), "y": [1.0, float("inf")]}) as writer:
        writer.note({"z": float("nan")})
    assert b"NaN" not in path.read_bytes() and b"Infinity" not in path.read_bytes()
    meta = open_recording(path).meta
    assert (meta["x"], meta["y"], meta["z"]) == (None, [1.0, None], None)
    json.dumps(meta, allow_nan=False)
