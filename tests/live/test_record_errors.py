"""A live session whose recording cannot be written on (disk full, an I/O error) goes on, analyses, coaches and
prints its summary, with one clear message; a replayed recording that is damaged says so, in the session and
in the recording made of it."""

from __future__ import annotations

import asyncio
import errno
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from footfall.cli import main
from footfall.protocol.encode import SiStream
from footfall.live.session import LiveParams, LiveResult, LiveSession
from footfall.recording.file import open_recording, write_si_recording
from footfall.sources import SourceOptions, open_sources

from .helpers import two_feet


@pytest.fixture(scope="module")
def run_ffr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = two_feet(20.0)
    streams = [SiStream(s, s, int(f.rate_hz), f.acc_mps2, f.gyr_radps, acc_range_g=32) for s, f in run.feet.items()]
    return write_si_recording(tmp_path_factory.mktemp("rec") / "run.ffr", streams, {"runner": "heel-overstrider"})


def _live(spec: str, record_to: Path | None) -> LiveResult:
    async def go() -> LiveResult:
        async with AsyncExitStack() as stack:
            sources = await open_sources([spec], stack, SourceOptions(replay_factor=0))
            return await LiveSession(sources, record_to, LiveParams()).run()
    return asyncio.run(go())


def test_a_full_disk_stops_the_recording_not_the_session(tmp_path: Path, run_ffr: Path,
                                                         disk: dict[str, Any]) -> None:
    """It was 'Exception in thread ffr-flush: OSError: [Errno 28]', then the session died without a summary."""
    disk["room"] = 30_000  # a few seconds
    unrecorded = _live(f"replay:{run_ffr}", None)
    result = _live(f"replay:{run_ffr}", tmp_path / "r.ffr")
    assert not disk["crashed"], disk["crashed"]
    assert result.recording_error is not None and not result.recording_complete
    assert result.recording_error.startswith("disk full: recording stopped at ")
    assert result.recording_error.endswith(" s into r.ffr")
    assert len(result.steps) == len(unrecorded.steps) > 30  # the analysis went on
    rec = open_recording(tmp_path / "r.ffr")  # readable up to where it says
    times = [f.arrival_time_s for s in rec.sensors for f in rec.frames(s)]
    said_s = float(result.recording_error.split(" at ")[1].split(" s ")[0])
    assert 1 < said_s == pytest.approx(max(times) - min(times), abs=0.05)
    assert any("disk full" in note for note in result.state.notes)
    assert [w for w in result.warnings if "disk full" in w] and len(result.warnings) == 1


def test_any_write_error_mid_session_is_said_once(tmp_path: Path, run_ffr: Path, disk: dict[str, Any]) -> None:
    disk.update(room=30_000, err=errno.EIO)
    result = _live(f"replay:{run_ffr}", tmp_path / "r.ffr")
    assert result.recording_error is not None and result.recording_error.startswith(
        "cannot write r.ffr (Input/output error): recording stopped at")
    assert not disk["crashed"] and len(result.steps) > 30 and len(result.warnings) == 1


def test_live_cli_on_a_full_disk_prints_the_message_and_the_summary(tmp_path: Path, run_ffr: Path,
                                                                     disk: dict[str, Any],
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    disk["room"] = 30_000
    assert main(["live", f"replay:{run_ffr}", "--speed", "0", "--record", str(tmp_path / "r.ffr")]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "Errno" not in out + err and not disk["crashed"]
    assert "warning: disk full: recording stopped at" in out and "After the run" in out


def _damaged(tmp_path: Path, run_ffr: Path, how: str) -> Path:
    data = bytearray(run_ffr.read_bytes())
    if how == "flipped":
        middle = len(data) // 2
        data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    else:
        data = data[: len(data) - 1001]  # cut at an odd offset, mid-record
    path = tmp_path / f"{how}.ffr"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("how, said", [("flipped", "damaged bytes skipped in 1 place"),
                                       ("truncated", "cut off mid-record")])
def test_a_damaged_replay_says_so_live_and_in_its_new_recording(tmp_path: Path, run_ffr: Path, how: str,
                                                                said: str, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = _damaged(tmp_path, run_ffr, how)
    result = _live(f"replay:{damaged}", tmp_path / "again.ffr")
    (warning,) = result.warnings
    assert f"replayed file {how}.ffr: " in warning and said in warning, warning
    source_damage = open_recording(tmp_path / "again.ffr").meta["source_damage"]
    assert list(source_damage) == ["L"] and said in source_damage["L"]  # told once, by the file's first sensor
    assert main(["info", str(tmp_path / "again.ffr")]) == 0
    assert f"recorded from a damaged source: replayed file {how}.ffr" in capsys.readouterr().out


def test_an_intact_replay_says_nothing_of_damage(tmp_path: Path, run_ffr: Path) -> None:
    result = _live(f"replay:{run_ffr}", tmp_path / "again.ffr")
    assert result.warnings == [] and result.recording_complete
    assert "source_damage" not in open_recording(tmp_path / "again.ffr").meta
