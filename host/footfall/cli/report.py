"""`footfall report SESSION [--compare OTHER] -o report.html`: one self-contained HTML page."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from footfall.cli.common import add_db_option, output_file


def register(sub: Any) -> None:
    parser = sub.add_parser("report", help="write a self-contained HTML report of a stored session")
    parser.add_argument("session", type=int)
    parser.add_argument("--compare", type=int, default=None, metavar="OTHER", help="a second session to compare")
    parser.add_argument("-o", "--output", type=Path, default=None, help="output file (default: session-N.html)")
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    parser.set_defaults(func=run)
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    from footfall.report.build import write_report
    from footfall.store import Store

    out = output_file(args.output or Path(f"session-{args.session}.html"), args.force)
    with Store(args.db) as store:
        path = write_report(store, args.session, out, compare_id=args.compare)
    print(f"report -> {path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0
