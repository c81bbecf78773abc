"""`footfall import CSV -o FILE`: bring a recording of another IMU in as a footfall recording."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from footfall.cli.common import add_csv_options, csv_options, output_file
from footfall.cli.start_option import given_start


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import", help="convert another IMU's CSV into a recording",
        description="Convert a CSV into a recording. By default the header is time_s,acc_x,acc_y,acc_z,"
                    "gyr_x,gyr_y,gyr_z in the foot frame (x toward the toe, y left, z up), SI units; unit "
                    "suffixes such as acc_x_g or gyr_x_dps set the units. Gravity and rotation rates are "
                    "checked for plausibility in the units given.")
    p.add_argument("csv", help="CSV file to read")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                   help="recording to write (.ffr); never overwritten")
    p.add_argument("--start", default=None, metavar="TIME",
                   help="when the recording began, ISO 8601; without an offset (+02:00, Z) it is this computer's "
                        "local time (default: the time of the import, marked as such)")
    add_csv_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from footfall.csvfile.convert import import_csv

    options = csv_options(args)
    start = given_start(args.start) if args.start else None  # refused before the work, as history add does
    out = output_file(args.output, force=None, inputs=[Path(args.csv)])
    result = import_csv(args.csv, out, options, start)
    for s in result.streams:
        print(f"sensor {s.sensor} (side {s.side}): {len(s.acc_mps2)} samples at {s.rate_hz:g} Hz, "
              f"{'with' if s.has_gyro else 'without'} gyro, stored at +-{s.acc_range_g} g / +-{s.gyr_range_dps} dps")
    for note in result.notes:
        print(f"note: {note}")
    if start is None:
        print("note: dated by the time of this import (start_utc_source \"import time\"): give --start TIME, "
              "when the recording began")
    print(f"wrote {result.path}")
    return 0
