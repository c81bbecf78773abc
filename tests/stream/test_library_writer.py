"""Library use of the recording writer and stream (QA16 #4, #9): an unclosed writer keeps its frames, an
unclosed or failed stream does not leak its file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

from footfall.errors import RecordingError
from footfall.recording.file import open_recording
from footfall.recording.stream import RecordingStream, iter_blocks, stream_recording

_WRITE = """
    import gc, sys
    import numpy as np
    from footfall.protocol.encode import SiStream, device_frames
    from footfall.recording.writer import RecordingWriter

    rng = np.random.default_rng(1)
    s = SiStream("L", "L", 208.0, rng.normal(0, 1, (2000, 3)), rng.normal(0, 1, (2000, 3)))
    w = RecordingWriter(sys.argv[1], {}, flush_interval_s=60.0)  # nothing flushed by the thread in this test
    w.add_sensor("L", "L")
    for t, f in device_frames(s):
        w.write_frame("L", f, t)
"""


def _run(tmp_path: Path, tail: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    path = tmp_path / "nc.ffr"
    script = textwrap.dedent(_WRITE) + textwrap.dedent(tail)
    proc = subprocess.run([sys.executable, "-W", "always::ResourceWarning", "-c", script, str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc, path


def _frames(path: Path) -> int:
    rec = open_recording(path)
    assert rec.report.clean_close is False  # no end record: it was not closed
    return len(rec.frames("L"))


@pytest.mark.parametrize("tail", ["", "sys.exit(0)\n"])
def test_an_unclosed_writer_keeps_its_frames_at_exit(tmp_path: Path, tail: str) -> None:
    """Before: the script ended inside the flush interval and the file held only its header (0 frames)."""
    proc, path = _run(tmp_path, tail)
    assert _frames(path) > 10
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_a_collected_unclosed_writer_warns_and_keeps_its_frames(tmp_path: Path) -> None:
    proc, path = _run(tmp_path, "n = w.frames_written\ndel w\ngc.collect()\nprint(n)\n")
    assert "ResourceWarning: unclosed RecordingWriter" in proc.stderr
    assert _frames(path) == int(proc.stdout)
    assert "Exception ignored" not in proc.stderr


def _sim_recording(tmp_path: Path) -> Path:
    from footfall.protocol.encode import SiStream
    from footfall.recording.file import write_si_recording

    rng = np.random.default_rng(2)
    stream = SiStream("L", "L", 208.0, rng.normal(0, 1, (3000, 3)), rng.normal(0, 1, (3000, 3)))
    return write_si_recording(tmp_path / "r.ffr", [stream], {})


@pytest.mark.parametrize("content", [b"sensor,time\n1,2\n", b"", b"\x89FFR\r\n\x1a\n"])
def test_a_stream_that_cannot_open_closes_its_file(tmp_path: Path, content: bytes) -> None:
    """Before: the file opened for the header stayed open (ResourceWarning: unclosed file) when it was refused."""
    path = tmp_path / "bad.ffr"
    path.write_bytes(content)
    with _no_resource_warning():
        with pytest.raises(RecordingError):
            list(iter_blocks(path))
        with pytest.raises(RecordingError):
            RecordingStream(path)


def test_a_stream_is_a_context_manager(tmp_path: Path) -> None:
    path = _sim_recording(tmp_path)
    with _no_resource_warning():
        with stream_recording(path) as stream:
            assert list(stream.sensors) == ["L"]
        assert stream._file.closed


class _no_resource_warning:  # noqa: N801 - used as a context manager
    """Fails when a ResourceWarning is raised inside, collecting garbage on the way out so a leaked file shows."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings(record=True)
        self._seen = self._catch.__enter__()
        warnings.simplefilter("always", ResourceWarning)

    def __exit__(self, *exc: object) -> None:
        import gc

        gc.collect()
        self._catch.__exit__(*exc)
        leaks = [str(w.message) for w in self._seen if issubclass(w.category, ResourceWarning)]
        assert not leaks, leaks


def test_write_si_recording_says_what_its_ranges_clip(tmp_path: Path) -> None:
    """Before: walking data peaking at 16.1 g was written clipped at the default 16 g with no word (QA16 #8)."""
    from footfall.protocol import SiStream
    from footfall.recording import write_si_recording

    acc = np.zeros((400, 3))
    acc[:, 2] = 9.81
    acc[200, 2] = 20 * 9.81  # a 20 g impact
    gyr = np.zeros((400, 3))
    with pytest.warns(UserWarning, match=r"beyond \+-16 g / \+-2000 dps are clipped.*\+-32 g / \+-125 dps"):
        write_si_recording(tmp_path / "clipped.ffr", [SiStream("L", "L", 200.0, acc, gyr)], {})
    kept = SiStream("L", "L", 200.0, acc, gyr, acc_range_g=32)
    assert kept.fitting_ranges() == (32, 125) and kept.clipped() is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a stream that fits is written without a word
        write_si_recording(tmp_path / "kept.ffr", [kept], {})
    peak = max(float(np.abs(b.acc_mps2).max()) for b in iter_blocks(tmp_path / "kept.ffr"))
    assert abs(peak - 20 * 9.81) < 0.01
