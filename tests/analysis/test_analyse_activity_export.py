"""`footfall analyse` of a CSV whose time starts at 100 s, with a walk, a run and stops (QA 18, H2 and M1): the
segments start at the first sample (no "standing" from 0 s), and the exported rows' `activity` counts are the
segments' step counts and the summary's, so the medians can be rebuilt from the rows."""

from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

import numpy as np
import pytest

from footfall.cli import main

OFFSET_S = 100.0


def _shifted_csv(path: Path) -> None:
    from footfall.recording.file import open_recording
    from footfall.virtual.runner import RunnerParams, simulate, write_run

    params = RunnerParams(feet="L", duration_s=45.0, seed=5,
                          schedule=(("standing", 3.0), ("walking", 12.0), ("running", 20.0), ("standing", 10.0)))
    write_run(simulate(params), path.with_suffix(".ffr"))
    (block,) = open_recording(path.with_suffix(".ffr")).blocks("L")
    table = np.column_stack([block.time_s + OFFSET_S, block.acc_mps2 / 9.80665, np.degrees(block.gyr_radps)])
    np.savetxt(path, table, delimiter=",", header="t,ax,ay,az,gx,gy,gz", comments="",
               fmt=["%.9f"] + ["%.5f"] * 3 + ["%.4f"] * 3)


def test_rows_segments_and_summary_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _shifted_csv(tmp_path / "walk_run.csv")
    code = main(["analyse", str(tmp_path / "walk_run.csv"), "--acc-unit", "g", "--gyr-unit", "deg/s", "--side", "L",
                 "--json", str(tmp_path / "a.json"), "--csv", str(tmp_path / "a.csv")])
    out = capsys.readouterr().out
    assert code == 0 and "figures rest on: cadence " in out
    summary = json.loads((tmp_path / "a.json").read_text())["summary"]
    rows = list(csv.DictReader((tmp_path / "a.csv").open()))
    segs = summary["segments"]
    print([(g["activity"], g["start_s"], g["end_s"], g["steps"]) for g in segs])
    assert segs[0]["start_s"] == pytest.approx(OFFSET_S, abs=0.01) and segs[0]["activity"] == "standing"
    assert segs[0]["duration_s"] < 5.0  # the 3 s stood, not 100 s more
    assert {g["activity"] for g in segs if g["steps"]} == {"walking", "running"}
    for activity in ("walking", "running"):
        in_segments = sum(g["steps"] for g in segs if g["activity"] == activity)
        assert sum(r["activity"] == activity for r in rows) == in_segments
    basis = [r for r in rows if r["activity"] == summary["basis"]]
    assert summary["basis"] == "running" and len(basis) == summary["combined"]["steps"]
    contact = [float(r["contact_time_ms"]) for r in basis if r["contact_time_ms"]]
    assert statistics.median(contact) == pytest.approx(summary["combined"]["figures"]["contact_time_ms"], abs=1e-3)
    assert len(contact) == summary["combined"]["counts"]["contact_time_ms"]
