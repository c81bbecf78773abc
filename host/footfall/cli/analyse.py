"""`footfall analyse FILE [--json OUT] [--csv OUT]`: analyse a recording, print a summary table.

FILE is a .ffr recording, or another IMU's CSV, read exactly as `footfall import` reads it (same options)
into a temporary recording, so both ways give the same steps.

The JSON ("format": "footfall-analysis", "version": 1; every key in docs/user-guide.md) holds the footfall
version and every analysis parameter used (report.export.provenance), where its start_utc came from, the summary
(cadence_spm, stride_length_m, contact_time_ms, strike_angle_deg, pattern shares, overstride_index, ... per foot
and combined, what could not be measured and why), every step record, and the leg length the overstride index
was scaled for (`--leg-length-m`; null: none, as `history add` of the recording for a runner without one); the
CSV holds one row per step.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.cli.common import (CSV_SUFFIXES, add_csv_options, atomic_output, csv_options, output_file,
                                 source_damage)
from footfall.errors import InputError, RecordingError

if TYPE_CHECKING:  # (imported when run: `footfall --help` stays fast)
    from footfall.analysis.params import AnalysisParams
    from footfall.analysis.stride import StrideParams


def register(sub: Any) -> None:
    parser = sub.add_parser("analyse", aliases=["analyze"],  # the US spelling too
                            help="analyse a recording: steps, cadence, strike, stride, overstride")
    parser.add_argument("file", type=Path, help="a .ffr recording, or a CSV (read as `footfall import` reads it)")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT",
                        help="write summary + steps as JSON (- for standard output, instead of the table)")
    parser.add_argument("--csv", type=Path, default=None, metavar="OUT",
                        help="write one row per step as CSV (- for standard output, instead of the table)")
    parser.add_argument("--force", action="store_true", help="overwrite the JSON / CSV files if they exist")
    parser.add_argument("--leg-length-m", type=float, default=None, metavar="M",
                        help="hip to floor: scales the overstride index's cadence norm, as a runner's leg length "
                             "does in `history add` (default: none, the norm for 0.90 m legs)")
    add_csv_options(parser.add_argument_group("reading a CSV (as `footfall import`)"))
    parser.set_defaults(func=run)


def _analyse(args: argparse.Namespace, params: AnalysisParams, stride_params: StrideParams) -> tuple[Any, str | None]:
    """The file's analysis with these AnalysisParams and StrideParams (its meta only a recording's own), and
    what is wrong with the file itself (None: nothing)."""
    from footfall.analysis.session import analyse_file
    from footfall.recording.records import check_regular

    check_regular(args.file)  # a FIFO would hang the step-file peek below, /dev/zero never end
    if args.file.suffix.lower() not in CSV_SUFFIXES:
        try:
            analysed = analyse_file(str(args.file), params, stride_params)
        except RecordingError:
            _refuse_own_output(args.file)  # footfall's own step JSON: said as such
            raise
        return analysed, _damage(args.file.name, analysed.health.damage(args.file.name), analysed.meta)
    from footfall.csvfile.convert import import_csv

    with tempfile.TemporaryDirectory() as tmp:
        result = import_csv(args.file, Path(tmp) / "imported.ffr", csv_options(args))
        for note in result.notes:
            print(f"note: {note}", file=sys.stderr)
        analysed = analyse_file(str(result.path), params, stride_params)  # the CSV's own damage: in the notes
        return analysed._replace(meta={}), None  # made now: its creation time is no start time


# footfall's own per-step JSON files, by their "format" (the first key it writes), and where they come from
OWN_JSON = {"footfall-analysis": "analysis file (from `footfall analyse --json`)",
            "footfall-steps": "step file (from `footfall history export`)"}


def _refuse_own_output(path: Path) -> None:
    """InputError when `path` is one of footfall's own per-step JSON files: not a recording, but it can go into
    the history. Read from its start only (a long run's steps make a large file)."""
    from footfall.csvfile.columns import step_file_hint

    try:
        with open(path, "rb") as fh:
            start = fh.read(OWN_JSON_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return
    found = re.match(r'\s*\{\s*"format"\s*:\s*"([a-z-]+)"', start)
    if found and found[1] in OWN_JSON:
        raise InputError(f"{path} is a footfall {OWN_JSON[found[1]]}, not a recording", hint=step_file_hint(path))


OWN_JSON_BYTES = 256


def _damage(name: str, damage: str | None, meta: dict[str, Any]) -> str | None:
    """The file's own damage, and that of the source a live session recorded it from (a damaged replay)."""
    notes = [f"its source: {text}" for text in source_damage(meta)]
    if damage is None and not notes:
        return None
    return "; ".join([damage or "the file: intact", *notes])


def _leg_length_note(leg_length_m: float | None) -> str:
    if leg_length_m is None:
        return ("overstride index: no leg length given, cadence norm for 0.90 m legs (--leg-length-m sets it; "
                "`history add` uses the runner's)")
    return f"overstride index: cadence norm scaled for a leg length of {leg_length_m:g} m"


def run(args: argparse.Namespace) -> int:
    from footfall.analysis.params import AnalysisParams
    from footfall.analysis.stride import StrideParams
    from footfall.analysis.segments import labelled
    from footfall.analysis.summary import summarise
    from footfall.recording.start import start_utc_source
    from footfall.report.console import print_summary
    from footfall.report.export import ANALYSIS_FORMAT, FORMAT_VERSION, csv_chunks, json_chunks, provenance
    from footfall.store.checks import check_leg_length

    if args.leg_length_m is not None:
        check_leg_length(args.leg_length_m)

    stdout = [out for out in (args.json, args.csv) if out is not None and str(out) == "-"]
    if len(stdout) > 1:
        raise InputError("--json - and --csv - both ask for standard output", hint="write one of them to a file")
    outputs = [out for out in (args.json, args.csv) if out is not None and str(out) != "-"]
    for k, out in enumerate(outputs):  # refused before the work, not after it
        output_file(out, args.force, inputs=[args.file, *outputs[:k]])
    params, stride_params = AnalysisParams(), StrideParams(leg_length_m=args.leg_length_m)
    analysed, damage = _analyse(args, params, stride_params)
    steps, reports = analysed.steps, analysed.reports
    duration = max((r.end_s for r in reports.values()), default=float("nan"))
    summary = summarise(steps, reports, duration, params, analysed.start_s)
    # each step's activity as the summary counts it: its segment's (analysis/segments.py), not its own duty factor's
    steps = labelled(steps, summary.segments)
    if damage:
        summary = replace(summary, notes=[damage, *summary.notes])
    doc = {"format": ANALYSIS_FORMAT, "version": FORMAT_VERSION, **provenance(params, stride_params),
           "file": str(args.file), "start_utc": analysed.start_utc,  # history add dates it by this
           "start_utc_source": start_utc_source(analysed.meta, analysed.start_utc),
           "leg_length_m": args.leg_length_m,  # of the overstride index; history add recomputes it for the runner's
           "summary": summary.to_dict(), "sensors": {name: r.to_dict() for name, r in reports.items()}}
    chunks = {"json": lambda: json_chunks(doc, "steps", (s.to_dict() for s in steps)),  # written as made: a
              "csv": lambda: csv_chunks(steps)}  # 10-hour session's text is never held whole
    for out, key in ((args.csv, "csv"), (args.json, "json")):  # the files first: a reader of the table that
        if out is not None and str(out) != "-":  # leaves early (`| head`) must not lose them
            # whole or not at all: a full disk keeps the old file (--force)
            with atomic_output(out) as tmp, open(tmp, "w", encoding="utf-8", newline="" if key == "csv" else None) as f:
                f.writelines(chunks[key]())
    if stdout:
        sys.stdout.writelines(chunks["json" if stdout[0] is args.json else "csv"]())
    else:
        print_summary(summary, len(steps))
        print(_leg_length_note(args.leg_length_m))
    return 0


