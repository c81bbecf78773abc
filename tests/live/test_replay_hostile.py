"""Hostile inputs of a live session (qa17): a replayed recording that holds no sensor's frames (an IndexError
traceback), an endless file given as one, and a virtual shoe whose samples find no room on the disk."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

from footfall.cli import main
from footfall.errors import RecordingError, SourceError
from footfall.recording.writer import RecordingWriter
from footfall.sources.replay import replay_sources
from footfall.virtual.shoe import write_samples


@pytest.mark.parametrize("declared", [(), ("L",)])
def test_replay_of_a_recording_without_frames_is_one_clear_error(tmp_path: Path, declared: tuple[str, ...],
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A recording stopped before its first frame: `live replay:FILE` ended in `IndexError: list index out of
    range`."""
    path = tmp_path / "empty.ffr"
    with RecordingWriter(path, {}) as writer:
        for sensor in declared:
            writer.add_sensor(sensor, sensor)
    with pytest.raises(SourceError, match="holds no sensor's frames: nothing to replay"):
        replay_sources(f"replay:{path}", str(path))
    target = tmp_path / "again.ffr"
    assert main(["live", f"replay:{path}", "--speed", "0", "--record", str(target)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"{path} holds no sensor's frames: nothing to replay" in err, err
    assert not target.exists()


def test_replay_of_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    """`live replay:fifo.ffr` waited forever for a writer (and `replay:/dev/zero` read until memory ran out)."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.ffr"
    os.mkfifo(fifo)
    said: list[str] = []

    def run() -> None:
        try:
            replay_sources(f"replay:{fifo}", str(fifo))
        except RecordingError as exc:
            said.append(str(exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and said and f"{fifo} is a FIFO (named pipe), not a recording file" in said[0]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_is_said_for_the_virtual_shoes_samples() -> None:
    """numpy's "76128 requested and 61440 written" was all `footfall demo` said with /tmp full."""
    with pytest.raises(SourceError, match=r"^no space for the virtual shoe.s samples in /dev \(free some space"):
        write_samples(Path("/dev/full"), np.zeros((100, 6)))


def test_a_session_given_no_source_is_one_clear_error(tmp_path: Path) -> None:
    """Zero sources passed the 'every source failed' check (0 == 0) and then indexed the empty list of failures."""
    import asyncio

    from footfall.live.session import LiveParams, LiveSession

    with pytest.raises(SourceError, match="no sensor to stream from"):
        asyncio.run(LiveSession([], tmp_path / "none.ffr", LiveParams()).run())
    assert not (tmp_path / "none.ffr").exists()
