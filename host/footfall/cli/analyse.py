"""`footfall analyse FILE [--json OUT] [--csv OUT]`: analyse a recording, print a summary table.

FILE is a .ffr recording, or another IMU's CSV, read exactly as `footfall import` reads it (same options)
into a temporary recording, so both ways give the same steps.

The JSON holds the summary (cadence_spm, stride_length_m, contact_time_ms, strike_angle_deg, pattern shares,
overstride_index, ... per foot and combined, what could not be measured and why) and every step record; the
CSV holds one row per step.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from footfall.cli.common import CSV_SUFFIXES, add_csv_options, csv_options, output_file
from footfall.errors import InputError

_ROWS = (
    ("cadence_spm", "cadence", "steps/min", "{:.1f}"),
    ("stride_length_m", "stride length", "m", "{:.2f}"),
    ("speed_mps", "speed", "m/s", "{:.2f}"),
    ("contact_time_ms", "contact time", "ms", "{:.0f}"),
    ("swing_time_ms", "swing time", "ms", "{:.0f}"),
    ("flight_time_ms", "flight time", "ms", "{:.0f}"),
    ("strike_angle_deg", "strike angle", "deg", "{:+.1f}"),
    ("overstride_index", "overstride index", "0..1", "{:.2f}"),
    ("impact_g", "impact", "g", "{:.1f}"),
)


def register(sub: Any) -> None:
    parser = sub.add_parser("analyse", help="analyse a recording: steps, cadence, strike, stride, overstride")
    parser.add_argument("file", type=Path, help="a .ffr recording, or a CSV (read as `footfall import` reads it)")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT",
                        help="write summary + steps as JSON (- for standard output, instead of the table)")
    parser.add_argument("--csv", type=Path, default=None, metavar="OUT",
                        help="write one row per step as CSV (- for standard output, instead of the table)")
    parser.add_argument("--force", action="store_true", help="overwrite the JSON / CSV files if they exist")
    add_csv_options(parser.add_argument_group("reading a CSV (as `footfall import`)"))
    parser.set_defaults(func=run)


def _analyse(args: argparse.Namespace) -> tuple[Any, str | None]:
    """The file's analysis (its meta only a recording's own), and what is wrong with the file itself (None:
    nothing)."""
    from footfall.analysis.session import analyse_file

    if args.file.suffix.lower() not in CSV_SUFFIXES:
        analysed = analyse_file(str(args.file))
        return analysed, analysed.health.damage()
    from footfall.csvio import import_csv

    with tempfile.TemporaryDirectory() as tmp:
        result = import_csv(args.file, Path(tmp) / "imported.ffr", csv_options(args))
        for note in result.notes:
            print(f"note: {note}", file=sys.stderr)
        analysed = analyse_file(str(result.path))  # written here: the CSV's own damage is in the notes
        return analysed._replace(meta={}), None  # made now: its creation time is no start time


def run(args: argparse.Namespace) -> int:
    from footfall.analysis.summary import summarise
    from footfall.report.export import json_text

    stdout = [out for out in (args.json, args.csv) if out is not None and str(out) == "-"]
    if len(stdout) > 1:
        raise InputError("--json - and --csv - both ask for standard output", hint="write one of them to a file")
    outputs = [out for out in (args.json, args.csv) if out is not None and str(out) != "-"]
    for k, out in enumerate(outputs):  # refused before the work, not after it
        output_file(out, args.force, inputs=[args.file, *outputs[:k]])
    analysed, damage = _analyse(args)
    steps, reports = analysed.steps, analysed.reports
    duration = max((r.end_s for r in reports.values()), default=float("nan"))
    summary = summarise(steps, reports, duration)
    if damage:
        summary = replace(summary, notes=[damage, *summary.notes])
    rows = [s.to_dict() for s in steps]
    doc = {"file": str(args.file), "start_utc": analysed.meta.get("created_utc"),  # history add dates it by this
           "summary": summary.to_dict(), "steps": rows, "sensors": {name: r.to_dict() for name, r in reports.items()}}
    text = {"json": json_text(doc) if args.json else "", "csv": _csv_text(rows) if args.csv else ""}
    for out, key in ((args.csv, "csv"), (args.json, "json")):  # the files first: a reader of the table that
        if out is not None and str(out) != "-":  # leaves early (`| head`) must not lose them
            out.write_text(text[key], newline="" if key == "csv" else None)
    if stdout:
        sys.stdout.write(text["json" if stdout[0] is args.json else "csv"])
    else:
        print_summary(summary, len(steps))
    return 0


def _csv_text(rows: list[dict[str, object]]) -> str:
    """One row per step (empty when there is none); flags as one space-separated field."""
    if not rows:
        return ""
    f = io.StringIO(newline="")
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    for r in rows:
        w.writerow(r | {"flags": " ".join(r["flags"])})  # type: ignore[arg-type]
    return f.getvalue()


def _fmt(value: float, pattern: str) -> str:
    return "-" if value != value else pattern.format(value)


def print_summary(summary: Any, n_steps: int, console: Any = None) -> None:
    """The summary table and its notes (also printed by `footfall live` at the end of a session)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    if n_steps == 0:
        console.print("footfall: no steps found")
    else:
        _print_table(console, Table, summary, n_steps)
    segs = ", ".join(f"{s.activity} {s.duration_s:.0f} s" for s in summary.segments)
    console.print(f"activity: {segs or 'none'}")
    console.print(f"cadence: {summary.cadence_note}")
    by_reason: dict[str, list[str]] = {}
    for name, why in summary.not_measured.items():
        by_reason.setdefault(why, []).append(name)
    for why, names in by_reason.items():
        console.print(f"[yellow]not measured[/] ({why}): {', '.join(names)}")
    for note in summary.notes:
        console.print(f"[yellow]note[/]: {note}")


def _column_name(sensor: str, side: str) -> str:
    """"left" for sensor L on the left foot (it read "L (L)"), "S0 (left)" for another name, "both feet"."""
    foot = {"L": "left", "R": "right", "both": "both feet"}.get(side, "foot ?")
    return foot if sensor in (side, "combined") else f"{sensor} ({foot})"


def _print_table(console: Any, Table: Any, summary: Any, n_steps: int) -> None:
    columns = list(summary.feet.values()) + ([summary.combined] if len(summary.feet) > 1 else [])
    table = Table(title=f"footfall: {n_steps} steps, figures over the {summary.basis} steps")
    table.add_column("measure")
    table.add_column("unit")
    for col in columns:
        table.add_column(_column_name(col.sensor, col.side), justify="right")
    table.add_row(f"{summary.basis} steps", "", *[str(c.steps) for c in columns])
    for key, label, unit, pattern in _ROWS:
        table.add_row(label, unit, *[_fmt(c.figures[key], pattern) for c in columns])
    for p in ("rearfoot", "midfoot", "forefoot"):
        table.add_row(f"{p} strikes", "%", *[_fmt(100 * c.pattern_shares[p], "{:.0f}") for c in columns])
    table.add_row("distance (all steps)", "m", *[_fmt(c.distance_m, "{:.0f}") for c in columns])
    console.print(table)
