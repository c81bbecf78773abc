"""`footfall checkin`: pain 0-10 before and after a run and the yes/no red-flag questions.

Answers are saved with the session and change its advice; any red flag puts see-a-professional first.
With `--ask` the questions are asked one by one on the terminal.
"""

from __future__ import annotations

import argparse
from typing import Any

from footfall.cli.common import add_db_option
from footfall.errors import InputError

FLAGS = ("swelling", "bruising", "cannot_bear_weight", "twist_or_fall", "pain_persists")


def register(sub: Any) -> None:
    parser = sub.add_parser("checkin", help="pain check-in (0-10 before/after, red-flag questions)")
    parser.add_argument("--runner", required=True)
    parser.add_argument("--session", type=int, default=None, help="the session this check-in belongs to")
    parser.add_argument("--before", type=int, default=None, help="pain before the run, 0-10")
    parser.add_argument("--after", type=int, default=None, help="pain after the run, 0-10")
    for flag in FLAGS:
        parser.add_argument(f"--{flag.replace('_', '-')}", action="store_true")
    parser.add_argument("--note", default="")
    parser.add_argument("--ask", action="store_true", help="ask the questions interactively")
    parser.set_defaults(func=run)
    add_db_option(parser)


def _ask_int(question: str) -> int | None:
    answer = input(f"{question} (0-10, blank to skip): ").strip()
    if not answer:
        return None
    if not answer.isdigit():
        raise InputError(f"expected a number 0-10, got {answer!r}")
    return int(answer)


def _ask_flags() -> dict[str, bool]:
    from footfall.coaching.checkin import RED_FLAG_QUESTIONS

    return {k: input(f"{q} [y/N] ").strip().lower().startswith("y") for k, q in RED_FLAG_QUESTIONS.items()}


def run(args: argparse.Namespace) -> int:
    from footfall.coaching.advice import checkin_advice
    from footfall.coaching.checkin import CheckIn
    from footfall.store import Store

    if args.ask:
        before, after = _ask_int("Pain before the run"), _ask_int("Pain after the run")
        flags = _ask_flags()
    else:
        before, after, flags = args.before, args.after, {f: getattr(args, f) for f in FLAGS}
    ci = CheckIn(before, after, note=args.note, **flags)
    with Store(args.db) as store:
        store.add_checkin(args.runner, ci, session_id=args.session)
    print(f"check-in saved: pain {before if before is not None else '-'} -> {after if after is not None else '-'}, "
          f"red flags: {', '.join(ci.red_flags) or 'none'}")
    for a in checkin_advice(ci):
        print(f"\n* {a.title}: {a.message}")
        for c in a.citations():
            print(f"    source: {c}")
    return 0
