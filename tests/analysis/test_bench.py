"""The analysis bench (footfall.analysis.bench) and the streaming path it measures: the piecewise-written
virtual-runner recording is a clean stream, its analysis equals `analyse_recording`, the figures are sane.
Speed itself is measured by `footfall bench`, not asserted here."""

from __future__ import annotations

import math
from pathlib import Path

from footfall.analysis import bench
from footfall.analysis.session import Session, analyse_recording, run_session
from footfall.recording.file import open_recording
from footfall.recording.stream import Demux, stream_recording


def test_piecewise_recording_is_one_clean_stream_per_foot(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bench, "PIECE_MIN", 0.25)  # 15 s pieces: the joins are exercised
    monkeypatch.setattr(bench, "DISTINCT_PIECES", 2)
    path = bench.write_recording(tmp_path / "b.ffr", minutes=1.0, sensors=2)
    rec = open_recording(path)
    assert set(rec.sensors) == {"L", "R"}
    for sensor, report in rec.report.streams.items():
        print(sensor, report.summary())
        assert report.samples == 60 * bench.RATE_HZ and report.problems == 0 and report.missing_samples == 0


def test_counting_steps_in_a_stream_equals_analyse_recording(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bench, "PIECE_MIN", 0.5)
    path = bench.write_recording(tmp_path / "b.ffr", minutes=1.0, sensors=2)
    steps, reports = analyse_recording(str(path))
    stream = stream_recording(path)
    demux = Demux(stream.blocks(max_block_samples=2000))  # other block cuts: same steps
    session = Session(sensors=list(stream.sensors))
    seen: list = []
    count = run_session(session, {s: demux.sensor(s) for s in stream.sensors}, seen.extend)
    print(f"{count} steps, {len(steps)} from analyse_recording")
    assert count == len(seen) == len(steps) > 100  # 166 steps/min minus the alignment start-up
    ordered = sorted(seen, key=lambda s: (s.ic_time_s, s.sensor))
    for a, b in zip(ordered, steps):
        assert (a.sensor, a.ic_time_s, a.flags, a.pattern) == (b.sensor, b.ic_time_s, b.flags, b.pattern)
        assert math.isclose(a.stride_length_m, b.stride_length_m, rel_tol=1e-9) or (
            math.isnan(a.stride_length_m) and math.isnan(b.stride_length_m))
    assert {s: r.samples for s, r in session.reports.items()} == {s: r.samples for s, r in reports.items()}


def test_measure_reports_time_steps_and_memory(tmp_path: Path) -> None:
    path = bench.write_recording(tmp_path / "b.ffr", minutes=0.5, sensors=1)
    figures = bench.measure_in_subprocess(path)
    print(figures)
    assert figures["recording_s"] == 30.0
    assert figures["steps"] > 20 and figures["wall_s"] > 0 and figures["cpu_s"] > 0
    assert 10 < figures["peak_rss_mb"] < 300
