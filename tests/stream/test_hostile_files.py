"""Hostile recordings (qa17): an endless file (/dev/zero, a FIFO) given as a recording, a long run of sync bytes,
a damaged time-base note, and sensor ids that would break the export CSV. Each is a clear error or is read
with nothing lost."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from footfall.cli import main
from footfall.csvfile.convert import export_csv
from footfall.errors import FootfallError, RecordingError
from footfall.protocol.encode import SiStream
from footfall.recording.file import open_recording, read_time_base, write_si_recording
from footfall.recording.stream import stream_recording
from footfall.recording.writer import REC_NOTE, RecordingWriter, pack_record


def _walk(path: Path, seconds: float = 4.0, sensors: tuple[str, ...] = ("L", "R"), seed: int = 0) -> Path:
    n = int(seconds * 100)
    rng = np.random.default_rng(seed)
    acc = np.column_stack([rng.normal(0, 3, n), rng.normal(0, 3, n), 9.81 + rng.normal(0, 3, n)])
    streams = [SiStream(s, s if s in "LR" else "?", 100.0, acc, rng.normal(0, 2, (n, 3))) for s in sensors]
    return write_si_recording(path, streams, {"runner": path.stem})


def _refused_within(call: Callable[[], object], seconds: float = 10.0) -> str:
    """The message of the FootfallError `call` raises, failing (not hanging) when it does not return in time."""
    said: list[str] = []

    def run() -> None:
        try:
            call()
        except FootfallError as exc:
            said.append(str(exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "still waiting on the file"
    assert said, "no error"
    return said[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.ffr"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("read", [open_recording, read_time_base, stream_recording])
def test_a_fifo_is_refused_at_once_not_waited_on(fifo: Path, read: Callable[[Path], object]) -> None:
    """`footfall info fifo.ffr` hung forever (opening a FIFO waits for a writer)."""
    said = _refused_within(lambda: read(fifo))
    assert said.startswith(f"{fifo} is a FIFO (named pipe), not a recording file"), said


def test_a_folder_is_refused_as_one(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="is a folder, not a recording file"):
        open_recording(tmp_path)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_without_reading_it() -> None:
    """`footfall info /dev/zero` read it into memory until MemoryError (or the OOM killer). Run in a child with
    1 GB of address space, so a regression fails instead of taking the machine's memory."""
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from footfall.recording.file import open_recording\n"
            "from footfall.errors import RecordingError\n"
            "try:\n    open_recording('/dev/zero')\nexcept RecordingError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("/dev/zero is a device, not a recording file"), done.stderr[-500:]


def _with_sync_run(tmp_path: Path, run: bytes) -> Path:
    """A good recording with `run` inserted between two records in its middle."""
    good = _walk(tmp_path / "good.ffr").read_bytes()
    cut = good.index(b"\xf5\xfa\x03", len(good) // 2)
    path = tmp_path / "run.ffr"
    path.write_bytes(good[:cut] + run + good[cut:])
    return path


@pytest.mark.parametrize("unit", [b"\xf5\xfa", b"\xf5\xfa\x03\x00\xff\xff"])
def test_a_long_run_of_sync_bytes_is_skipped_in_linear_time(tmp_path: Path, unit: bytes) -> None:
    """Every `F5 FA` was a candidate record whose 64 KB CRC was computed: 1 MB took ~5 s (4 MB: 22 s). The
    record header is judged first now (type, sensor number, a frame's length), and the run is one damaged place."""
    run = unit * ((1 << 20) // len(unit))
    path = _with_sync_run(tmp_path, run)
    start = time.perf_counter()
    rec = open_recording(path)
    with stream_recording(path, chunk_bytes=1 << 18) as stream:  # the run crosses several windows
        samples = sum(block.n for block in stream.blocks())
    took_s = time.perf_counter() - start
    assert took_s < 1.0, f"{took_s:.2f} s"
    for report in (rec.report, stream.report):
        assert report.corrupt_records == 1 and report.skipped_bytes == len(run) and report.tail == "ok"
    assert samples == sum(rep.samples for rep in rec.report.streams.values()) == 800  # nothing else lost


def _damaged_note(tmp_path: Path, note: object) -> Path:
    path = _walk(tmp_path / "tb.ffr")
    with path.open("ab") as f:  # a valid record (CRC fine) holding another program's idea of a time base
        f.write(pack_record(REC_NOTE, 0, f'{{"time_base": {note}}}'.encode(), 0.0))
    return path


@pytest.mark.parametrize("note", ['{"offsets_samples": ["x"]}', '{"offsets_samples": {"L": 1e400}}', '"soon"'])
def test_a_damaged_time_base_note_is_said_and_every_sample_exported(tmp_path: Path, note: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`export` refused the file ("its time-base note is damaged"), though its hint said export still reads
    every sensor's samples."""
    path = _damaged_note(tmp_path, note)
    time_base = read_time_base(path)
    assert time_base.note is not None and "time-base note is damaged" in time_base.note
    assert main(["export", str(path), "--csv", str(tmp_path / "x.csv")]) == 0
    out = capsys.readouterr().out
    assert "wrote 800 samples of L, R" in out and "note: the recording's time-base note is damaged" in out, out
    assert sum(1 for _ in (tmp_path / "x.csv").open()) == 801


def test_analyse_of_a_damaged_time_base_note_warns_and_goes_on(tmp_path: Path) -> None:
    from footfall.analysis.session import analyse_file

    analysed = analyse_file(_damaged_note(tmp_path, '{"offsets_samples": ["x"]}'))
    warnings = [w for report in analysed.reports.values() for w in report.warnings]
    assert any("time-base note is damaged" in w for w in warnings), warnings


@pytest.mark.parametrize("sensor", ["a\nb", 'say "hi"', "tab\there", "cr\rlf"])
def test_an_odd_sensor_id_is_quoted_in_the_export_not_let_break_the_rows(tmp_path: Path, sensor: str) -> None:
    """A sensor id with a newline (a crafted .ffr, or an import before it was refused) split its rows in two."""
    rec = open_recording(_walk(tmp_path / "odd.ffr", 1.0, sensors=(sensor,)))
    out = io.StringIO()
    assert export_csv(rec, out) == 100
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert len(rows) == 101 and {len(r) for r in rows} == {10}
    assert {r[0] for r in rows[1:]} == {sensor}


def test_a_comma_in_a_sensor_id_still_becomes_an_underscore(tmp_path: Path) -> None:
    rec = open_recording(_walk(tmp_path / "c.ffr", 1.0, sensors=("L,R",)))
    out = io.StringIO()
    export_csv(rec, out)
    assert out.getvalue().splitlines()[1].startswith("L_R,?,0,")


def test_a_writer_discards_only_the_file_it_made(tmp_path: Path) -> None:
    path = tmp_path / "w.ffr"
    writer = RecordingWriter(path, {})
    writer.add_sensor("L", "L")
    writer.discard()
    assert not path.exists()
    path.write_bytes(b"precious")
    with pytest.raises(RecordingError, match="already exists"):
        write_si_recording(path, [SiStream("L", "L", 100.0, np.zeros((5, 3)), np.zeros((5, 3)))], {},
                           discard_on_error=True)
    assert path.read_bytes() == b"precious"


@pytest.mark.parametrize("argv", [["analyse"], ["history", "add", "--runner", "ana"]])
def test_the_cli_refuses_a_fifo_before_peeking_into_it(fifo: Path, argv: list[str], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`footfall analyse fifo.ffr` still hung in its step-file peek; `history add` said "no such file"."""
    from footfall.cli import main

    db = ["--db", str(tmp_path / "h.sqlite")] if argv[0] == "history" else []
    if db:
        assert main(["runner", "add", "ana", *db]) == 0
    code = _refused_within(lambda: _raise_on_exit(main([*argv, str(fifo), *db])))
    assert code == "exit 2"
    assert "is a FIFO (named pipe), not a recording file" in capsys.readouterr().err


def _raise_on_exit(code: int) -> None:
    raise FootfallError(f"exit {code}")
