"""Rebuild the example session of docs/user-guide.md section 4 (baseline, cue, retest) and print its figures.

Three 2-minute virtual-runner recordings of both feet are joined into one 6-minute recording: the
heel-overstrider preset (it stands 3 s, then runs 158 steps/min), then the same runner cued to shorter, quicker
steps (170 steps/min, then 168). It is replayed through `footfall live --runner --phases baseline:120,cue:120,
retest:120` into a temporary history (cues only in the cue phase, each phase marked as a segment) and reported
with `footfall report`, as a physiotherapist would. The script prints the report's segment table and the cues
given live. Every file goes to a temporary folder.

usage: python docs/examples/physio_session.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from footfall.protocol import SiStream
from footfall.recording import write_si_recording
from footfall.report.html import SUMMARY_ROWS
from footfall.report.segments import SegmentFigures, segment_figures, stored_segments
from footfall.store import Store
from footfall.virtual.runner import SimulatedRun, describe, simulate
from footfall.virtual.runner_params import RunnerParams, preset, standing_first

SEGMENT_S = 120.0
RUNNER = "ana"
STAND_S = 3.0  # the runner stands still first, so the live session calibrates (user guide, section 2)
BASELINE = preset("heel-overstrider", duration_s=SEGMENT_S, seed=1, **standing_first("heel-overstrider", STAND_S))
CUED = preset("heel-overstrider", duration_s=SEGMENT_S, cadence_spm=170.0, strike_angle_deg=9.0,
              overstride=0.3, seed=2)
RETEST = preset("heel-overstrider", duration_s=SEGMENT_S, cadence_spm=168.0, strike_angle_deg=10.0,
                overstride=0.35, seed=3)
SEGMENTS: tuple[tuple[str, RunnerParams], ...] = (("baseline", BASELINE), ("cue", CUED), ("retest", RETEST))
TABLE_KEYS = ("n_steps", "cadence_spm", "strike_angle_deg", "rearfoot_share", "contact_time_ms",
              "overstride_index", "impact_g")
ROW_LABEL = {"n_steps": "running steps"}  # the other rows keep the report's labels


def joined_stream(runs: list[SimulatedRun], side: str) -> SiStream:
    """One foot's samples of the runs one after another, on one continuous sample clock."""
    feet = [run.feet[side] for run in runs]
    p = runs[0].params
    return SiStream(sensor=side, side=side, rate_hz=int(p.rate_hz),
                    acc_mps2=np.concatenate([f.acc_mps2 for f in feet]),
                    gyr_radps=np.concatenate([f.gyr_radps for f in feet]),
                    acc_range_g=int(p.acc_range_g), gyr_range_dps=int(p.gyr_range_dps))


def write_session(path_ffr: Path) -> None:
    """The 6-minute recording, both feet, as `footfall simulate` writes one (see virtual.runner.write_run)."""
    runs = [simulate(params) for _, params in SEGMENTS]
    runner = "; then ".join(describe(params) for _, params in SEGMENTS)
    meta = {"source": "virtual", "runner": runner, "notes": "docs/examples/physio_session.py"}
    write_si_recording(path_ffr, [joined_stream(runs, side) for side in ("L", "R")], meta)


def footfall(*args: str) -> str:
    """Run one footfall command as a user would type it; its output."""
    print(f"$ footfall {' '.join(args)}", flush=True)
    proc = subprocess.run([sys.executable, "-m", "footfall", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"footfall {args[0]} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def replay_live(recording: Path, db: str) -> int:
    """Add the runner and replay the recording through the live coach, phase by phase, into the history; the
    session number."""
    print(footfall("runner", "add", RUNNER, "--height-m", "1.68", "--leg-length-m", "0.86", "--db", db), end="")
    plan = ",".join(f"{label}:{SEGMENT_S:g}" for label, _ in SEGMENTS)
    live = footfall("live", f"replay:{recording}", "--speed", "0", "--runner", RUNNER, "--phases", plan, "--db", db)
    stored = next(line for line in live.splitlines() if line.startswith("stored as session"))
    print(stored)  # the last line of the live view: "stored as session N: ..."
    return int(stored.split()[3].rstrip(":"))


def report(session: int, db: str, report_html: Path) -> None:
    print(footfall("report", str(session), "-o", str(report_html), "--db", db), end="")


def print_table(figures: list[SegmentFigures]) -> None:
    """The report's segment table ("Physiotherapist view: marked segments") as Markdown."""
    heads = [f"{g.label} ({g.start_s / 60:.1f}-{g.end_s / 60:.1f} min)" for g in figures]
    print("| measure | " + " | ".join(heads) + " |")
    print("|---" * (len(heads) + 1) + "|")
    for key, label, fmt, scale in SUMMARY_ROWS:
        if key in TABLE_KEYS:
            cells = [fmt.format(float(getattr(g.summary, key)) * scale) for g in figures]
            print(f"| {ROW_LABEL.get(key, label)} | " + " | ".join(cells) + " |")


def print_figures(db: Path, session: int) -> None:
    """The segment table and the cue times, from the history the report reads."""
    with Store(db) as store:
        print_table(segment_figures(store.steps(session), stored_segments(store, session)))
        print("cues given live:")
        for cue in store.cues(session):
            print(f"  {cue.time_s:6.1f} s  {cue.text}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="physio-") as tmp:
        folder = Path(tmp)
        db = folder / "history.sqlite"
        write_session(folder / "clinic.ffr")
        session = replay_live(folder / "clinic.ffr", str(db))
        report(session, str(db), folder / "report.html")
        print()
        print_figures(db, session)
    return 0


if __name__ == "__main__":
    sys.exit(main())
