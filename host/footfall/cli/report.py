"""`footfall report SESSION [--compare OTHER[:LABEL]] [--segment LABEL] -o report.html`: one self-contained HTML
page; a comparison reads before (the older) → after, with the change [95 % CI] and the conditions of each."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.cli.common import add_db_option, output_file
from footfall.errors import InputError

if TYPE_CHECKING:
    from footfall.report.compare import Part
    from footfall.store import Store

SUFFIXES = (".html", ".htm")  # the report is HTML; print it to PDF from a browser


def register(sub: Any) -> None:
    parser = sub.add_parser("report", help="write a self-contained HTML report of a stored session")
    parser.add_argument("session", type=int)
    parser.add_argument("--compare", type=_part, default=None, metavar="OTHER",
                        help="another session of the same runner to compare (N), or one of its marked segments "
                             "(N:LABEL, e.g. 1:baseline)")
    parser.add_argument("--segment", default=None, metavar="LABEL",
                        help="with --compare: compare this marked segment of SESSION (e.g. retest), not the whole "
                             "session")
    parser.add_argument("--other-runner", action="store_true",
                        help="allow --compare with another runner's session (their name and data go into the page)")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="output file, .html or .htm (default: session-N.html)")
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    parser.set_defaults(func=run)
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    from footfall.report.build import write_report
    from footfall.store import Store

    check_options(args)
    out = output_file(args.output or Path(f"session-{args.session}.html"), args.force)
    with Store(args.db, create=False, readonly=True) as store:
        check_compare_runner(store, args)
        path = write_report(store, args.session, out, compare_id=args.compare, segment=args.segment)
    print(f"report -> {path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


def check_options(args: argparse.Namespace) -> None:
    """Refused in one line before anything is read or written: a file name the page would not open as (an
    .pdf got HTML inside), and a session compared with itself."""
    if args.output is not None and args.output.suffix.lower() not in SUFFIXES:
        raise InputError(f"{args.output}: the report is an HTML page, so its name must end in .html or .htm",
                         hint="for a PDF, open the page in a browser and print it to PDF")
    if args.other_runner and args.compare is None:
        raise InputError("--other-runner is for --compare with another runner's session",
                         hint="give --compare OTHER with it")
    if args.segment is not None and args.compare is None:
        raise InputError("--segment is for --compare", hint="give --compare OTHER with it")
    if args.compare is not None and args.compare.session_id == args.session and args.compare.label is None \
            and args.segment is None:
        raise InputError(f"--compare {args.session} is the session itself",
                         hint="compare with another session, or a segment with another (--compare N:baseline "
                              "--segment retest); `footfall history` lists them")


def check_compare_runner(store: Store, args: argparse.Namespace) -> None:
    """Another runner's session in the comparison puts their name and data into this runner's page (a patient's
    data in another patient's report): refused unless --other-runner says so, and then said on stderr."""
    if args.compare is None:
        return
    own = store.runner_by_id(store.session(args.session).runner_id).name
    other_session = store.session(args.compare.session_id)
    other = store.runner_by_id(other_session.runner_id).name
    if other == own:
        return
    if not args.other_runner:
        raise InputError(f"--compare {args.compare.session_id} is {other}'s session "
                         f"({other_session.start_utc:%Y-%m-%d %H:%M}), not {own}'s",
                         hint="add --other-runner to put another runner's data into this report")
    print(f"warning: the report compares {own}'s session {args.session} with {other}'s session "
          f"{args.compare.session_id}: "
          f"{other}'s name and data are in it", file=sys.stderr)


def _part(text: str) -> Part:
    """"3" or "3:baseline" (argparse shows an InputError's message as a usage error)."""
    from footfall.report.compare import Part

    try:
        return Part.parse(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
