"""`footfall export FILE --csv OUT`: a recording's samples in SI units as CSV (units in the header)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from footfall.cli.common import atomic_output, output_file


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="write a recording's samples as CSV in SI units",
                       description="Write a recording's samples as CSV: sensor, side, sample_index, time_s, "
                                   "acc_*_mps2, gyr_*_radps (empty cells when the sensor has no gyro); time_s is on the "
                                   "clock of `footfall analyse`'s ic_time_s, sample_index the sensor's own counter.")
    p.add_argument("file", help="a .ffr recording")
    p.add_argument("--csv", required=True, metavar="OUT", help="CSV file to write (- for standard output)")
    p.add_argument("--sensor", action="append", help="only this sensor (repeat for several); default all")
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from footfall.csvfile.convert import export_csv
    from footfall.recording.file import open_recording, read_time_base

    rec = open_recording(args.file)
    to_stdout = args.csv == "-"
    told = sys.stderr if to_stdout else sys.stdout  # standard output carries the CSV itself
    out = None if to_stdout else output_file(Path(args.csv), args.force, inputs=[Path(args.file)])
    for sensor in args.sensor or []:
        rec.frames(sensor)  # raises with the list of sensors when the name is wrong
    time_base = read_time_base(rec.path)
    if out is None:
        rows = export_csv(rec, sys.stdout, args.sensor, time_base)
    else:
        with atomic_output(out) as tmp:  # whole or not at all: a full disk keeps the old file (--force)
            rows = export_csv(rec, tmp, args.sensor, time_base)
    print(f"wrote {rows} samples of {', '.join(map(repr_if_odd, args.sensor or rec.sensors))} to {args.csv}",
          file=told)
    if time_base.note:
        print(f"note: {time_base.note}", file=told)
    return 0


def repr_if_odd(name: str) -> str:
    """A sensor id as printed: quoted with its escapes when it holds a line break or another control character."""
    from footfall.csvfile.convert import has_control_chars

    return repr(name) if has_control_chars(name) else name
