"""`footfall progress --runner NAME [--segment LABEL] [--json]`: a runner's visits in time order, one row each
(cadence, contact time, strike angle, overstride index, pattern shares, speed, feet measured), and each later
visit's change from the first with its 95 % CI and noise call; with --segment, each visit's marked segment of that
label (e.g. the retest), so the visits compare like with like. Over whole sessions a clinic test (a session with
baseline / cue / retest marks) is its retest, said in the heading; without a retest its phases are pooled, marked
so, and it gets no Δ (qa17 N4)."""

from __future__ import annotations

import argparse
from typing import Any

from footfall.cli.common import add_db_option


def register(sub: Any) -> None:
    parser = sub.add_parser("progress", help="a runner's gait figures across visits, with the change from the first")
    parser.add_argument("--runner", required=True, metavar="NAME", help="whose visits (as `footfall runner list`)")
    parser.add_argument("--segment", default=None, metavar="LABEL",
                        help="each visit's marked segment of this label (e.g. retest), not the whole session; "
                             "sessions without one are left out and listed (default: whole sessions, a clinic "
                             "test's retest)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.set_defaults(func=run)
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    from footfall.report.console import show_progress
    from footfall.report.export import json_text
    from footfall.report.progress import progress
    from footfall.store import Store

    with Store(args.db, create=False, readonly=True) as store:
        p = progress(store, args.runner, args.segment)
    if args.json:
        print(json_text(p.to_dict()))
    else:
        show_progress(p)
    return 0
