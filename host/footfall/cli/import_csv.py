"""`footfall import CSV -o FILE`: bring a recording of another IMU in as a footfall recording."""

from __future__ import annotations

import argparse
from typing import Any

from footfall.errors import InputError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import", help="convert another IMU's CSV into a recording",
        description="Convert a CSV into a recording. By default the header is time_s,acc_x,acc_y,acc_z,"
                    "gyr_x,gyr_y,gyr_z in the foot frame (x toward the toe, y left, z up), SI units; unit "
                    "suffixes such as acc_x_g or gyr_x_dps set the units. Gravity and rotation rates are "
                    "checked for plausibility in the units given.")
    p.add_argument("csv", help="CSV file to read")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="recording to write (.ffr)")
    p.add_argument("--acc-unit", choices=["m/s2", "g"], help="unit of the acceleration columns")
    p.add_argument("--gyr-unit", choices=["rad/s", "deg/s"], help="unit of the gyro columns")
    p.add_argument("--rate", type=float, metavar="HZ", help="sample rate (default: inferred from time_s)")
    p.add_argument("--axes", default="x,y,z", metavar="MAP",
                   help="foot axes from file axes with signs, e.g. x,-y,-z or y,x,-z (default x,y,z); "
                        "write --axes=-x,-y,z when the map starts with a minus")
    p.add_argument("--columns", default="", metavar="MAP",
                   help="column names, e.g. time_s=t,acc_x=ax,acc_y=ay,acc_z=az,gyr_x=gx,gyr_y=gy,gyr_z=gz")
    p.add_argument("--side", choices=["L", "R"], help="which foot the sensor was on")
    p.add_argument("--sensor", help="sensor id to record (default: the side)")
    p.add_argument("--no-unit-check", action="store_true", help="accept implausible gravity or rotation rates")
    p.set_defaults(func=run)


def parse_columns(spec: str) -> dict[str, str]:
    mapping = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        ours, sep, theirs = item.partition("=")
        if not sep or not theirs.strip():
            raise InputError(f"--columns item {item!r} is not NAME=COLUMN", hint="e.g. --columns acc_x=ax")
        mapping[ours.strip().lower()] = theirs.strip()
    return mapping


def run(args: argparse.Namespace) -> int:
    from footfall.csvio import ImportOptions, import_csv

    options = ImportOptions(acc_unit=args.acc_unit, gyr_unit=args.gyr_unit, rate_hz=args.rate, axes=args.axes,
                            columns=parse_columns(args.columns), side=args.side, sensor=args.sensor,
                            check_units=not args.no_unit_check)
    result = import_csv(args.csv, args.output, options)
    for s in result.streams:
        print(f"sensor {s.sensor} (side {s.side}): {len(s.acc_mps2)} samples at {s.rate_hz} Hz, "
              f"{'with' if s.has_gyro else 'without'} gyro, stored at +-{s.acc_range_g} g / +-{s.gyr_range_dps} dps")
    for note in result.notes:
        print(f"note: {note}")
    print(f"wrote {result.path}")
    return 0
