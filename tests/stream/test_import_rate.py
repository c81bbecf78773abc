"""An export's rate survives import to 1 mHz (a demo shoe's 422.937 Hz was stored as 423 Hz, and its times then
drifted by up to 3 ms over 20 s); a jittery logger near whole hertz still gets the whole rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from footfall.csvfile.clock import sample_clock
from footfall.csvfile.convert import export_csv, import_csv
from footfall.protocol.encode import SiStream
from footfall.recording.file import open_recording, write_si_recording

from .test_csvio import read_export


def _stream(side: str, rate_hz: float, n: int) -> SiStream:
    t = np.arange(n) / rate_hz
    acc = np.column_stack([20 * np.sin(8.8 * t), 3 * np.sin(9 * t), 9.81 + 25 * np.cos(8.8 * t)])
    gyr = np.column_stack([2 * np.sin(3 * t), 8 * np.sin(8.8 * t), np.cos(5 * t)])
    return SiStream(side, side, rate_hz, acc, gyr)


def _times(path: Path) -> dict[str, np.ndarray]:
    sensors = np.array([line.split(",", 1)[0] for line in path.read_text().splitlines()[1:]])
    time_s = read_export(path)["time_s"]
    return {s: time_s[sensors == s] for s in ("L", "R")}


def test_export_import_export_keeps_a_rate_that_is_not_whole_hertz(tmp_path: Path) -> None:
    streams = [_stream("L", 422.937, 8455), _stream("R", 412.312, 8246)]
    rec = open_recording(write_si_recording(tmp_path / "demo.ffr", streams, {}))
    export_csv(rec, tmp_path / "demo.csv")
    result = import_csv(tmp_path / "demo.csv", tmp_path / "back.ffr")
    assert [s.rate_hz for s in result.streams] == [422.937, 412.312]  # L was 423
    export_csv(open_recording(tmp_path / "back.ffr"), tmp_path / "back.csv")
    first, back = _times(tmp_path / "demo.csv"), _times(tmp_path / "back.csv")
    for side in ("L", "R"):
        assert np.abs(back[side] - first[side]).max() < 1e-6  # L drifted up to 2.98 ms


def test_a_jittery_logger_near_whole_hertz_still_gets_the_whole_rate() -> None:
    rng = np.random.default_rng(5)
    t = np.arange(8000) / 422.937 + rng.normal(0, 0.0001, 8000)  # 0.04 periods rms: a logger, not a clock
    assert sample_clock(t, len(t), None)[0] == 423
    exact = np.round(np.arange(8000) / 422.937, 9)
    assert sample_clock(exact, len(exact), None)[0] == 422.937
