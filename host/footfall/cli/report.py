"""`footfall report SESSION [--compare OTHER[:LABEL]] [--segment LABEL] -o report.html`: one self-contained HTML
page; a comparison reads before (the older) → after, with the change [95 % CI] and the conditions of each."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.cli.common import (add_db_option, atomic_output, output_file, refuse_undated, session_id,
                                 session_part)
from footfall.errors import InputError

if TYPE_CHECKING:
    from footfall.store import Store

SUFFIXES = (".html", ".htm")  # the report is HTML; print it to PDF from a browser
PLAN_MAX_CHARS = 4000  # footfall's own cap: about a page of A4; a longer text is likely the wrong file


def register(sub: Any) -> None:
    parser = sub.add_parser("report", help="write a self-contained HTML report of a stored session")
    parser.add_argument("session", type=session_id)
    parser.add_argument("--compare", type=session_part, default=None, metavar="OTHER",
                        help="another session of the same runner to compare (N), or one of its marked segments "
                             "(N:LABEL, e.g. 1:baseline)")
    parser.add_argument("--segment", default=None, metavar="LABEL",
                        help="with --compare: compare this marked segment of SESSION (e.g. retest), not the whole "
                             "session")
    parser.add_argument("--progress-segment", default=None, metavar="LABEL",
                        help="the progress section across visits uses each visit's LABEL segment (e.g. retest: the "
                             "comparable part of each clinic test), not whole sessions")
    plan = parser.add_mutually_exclusive_group()
    plan.add_argument("--plan", default=None, metavar="TEXT",
                      help="your own plan for the client, printed near the top of the page as \"Your physiotherapist's "
                           "plan\" (line breaks kept); used for this page only, not stored in the history")
    plan.add_argument("--plan-file", type=Path, default=None, metavar="FILE",
                      help=f"the plan from a UTF-8 text file (at most {PLAN_MAX_CHARS:,} characters); not stored in "
                           "the history")
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
    plan = plan_text(args.plan, args.plan_file)
    out = output_file(args.output or Path(f"session-{args.session}.html"), args.force)
    with Store(args.db, create=False, readonly=True) as store:
        for number in (args.session, *([args.compare.session_id] if args.compare is not None else [])):
            refuse_undated(store, number)
            refuse_untimed(store, number)
        check_compare_runner(store, args)
        check_progress_segment(store, args)
        with atomic_output(out) as tmp:  # whole or not at all: a full disk keeps the old page (--force)
            write_report(store, args.session, tmp, compare_id=args.compare, segment=args.segment,
                         progress_segment=args.progress_segment, plan=plan)
    print(f"report -> {out} ({out.stat().st_size / 1024:.0f} KiB)")
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


def plan_text(text: str | None, path: Path | None) -> str:
    """The clinician's plan from --plan or --plan-file ("" without either): refused in one line when the file
    cannot be read as UTF-8 text, when it is empty or longer than PLAN_MAX_CHARS (likely the wrong file)."""
    if path is not None:
        text = _read_plan(path)
    if text is None:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    what = f"--plan-file {path}" if path is not None else "--plan"
    if not text:
        raise InputError(f"{what}: the plan is empty", hint="write the plan's text, or leave the option out")
    if len(text) > PLAN_MAX_CHARS:
        raise InputError(f"{what}: the plan has {len(text):,} characters, more than the {PLAN_MAX_CHARS:,} a report "
                         "holds", hint="shorten it to the points the client needs to take home")
    return text


def _read_plan(path: Path) -> str:
    if path.is_file() and path.stat().st_size > 4 * PLAN_MAX_CHARS:  # UTF-8: at most 4 bytes a character
        raise InputError(f"--plan-file {path}: {path.stat().st_size:,} bytes, more than a plan of "
                         f"{PLAN_MAX_CHARS:,} characters", hint="is it the right file? shorten the plan")
    try:
        return path.read_text(encoding="utf-8-sig")  # Notepad's "UTF-8 with BOM": the BOM is no part of the plan
    except UnicodeDecodeError:
        raise InputError(f"--plan-file {path}: not UTF-8 text", hint="save the plan as plain text (UTF-8)") from None
    except OSError as e:
        raise InputError(f"--plan-file {path}: cannot read it ({e.strerror})",
                         hint="give the path of a plain text file") from None


def refuse_untimed(store: Store, session_id: int) -> None:
    """Steps stored without a time (a step file's null ic_time_s, before `history add` refused such files) have
    no place on the page's time axes: refused in one line, with the way out, not a traceback."""
    untimed = sum(not math.isfinite(s.ic_time_s) for s in store.steps(session_id))
    if untimed:
        raise InputError(f"session {session_id} holds {untimed} steps without a time (ic_time_s), stored before "
                         "footfall refused them", hint=f"`footfall history delete {session_id}`, then add the run "
                         "again from its recording")


def check_progress_segment(store: Store, args: argparse.Namespace) -> None:
    """--progress-segment LABEL that none of the runner's sessions has marked: refused, with the labels they have
    (the progress section was left out without a word)."""
    label = args.progress_segment
    if label is None:
        return
    runner = store.runner_by_id(store.session(args.session).runner_id).name
    marked = {g.label for s in store.sessions(runner) for g in store.segments(s.id)}
    if label.lower() not in {m.lower() for m in marked}:
        have = ", ".join(sorted(marked)) if marked else "none"
        raise InputError(f"--progress-segment {label}: no session of {runner} has a segment of that label",
                         hint=f"marked labels: {have}")


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
