"""`footfall checkin`: pain 0-10 before and after a run and the yes/no red-flag questions.

Answers are saved with the session and change its advice; any red flag puts see-a-professional first, and the
advice of the runs in the following days opens with a reminder of it (with or without --session).
With `--ask` the questions are asked one by one on the terminal; a bad answer is asked again at once.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from footfall.cli.common import add_db_option
from footfall.errors import InputError

if TYPE_CHECKING:
    from footfall.coaching.checkin import CheckIn

FLAGS = ("swelling", "bruising", "cannot_bear_weight", "twist_or_fall", "pain_persists")
YES, NO = ("y", "yes"), ("", "n", "no")  # blank is no, as the [y/N] prompt says


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


def _ask_pain(question: str) -> int | None:
    while True:
        answer = input(f"{question} (0-10, blank to skip): ").strip()
        if not answer:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        print(f"  {answer!r} is not a number 0-10: give one, or leave it blank")


def _ask_yes_no(question: str) -> bool:
    while True:
        answer = input(f"{question} [y/N] ").strip().lower()
        if answer in YES or answer in NO:
            return answer in YES
        print(f"  {answer!r} is neither yes nor no: answer y or n (blank is no)")


def _asked(note: str) -> CheckIn:
    """The check-in from the terminal. Ctrl-D at any prompt cancels the whole check-in: half of it saved
    would read as "no red flags" for the questions never answered."""
    from footfall.coaching.checkin import RED_FLAG_QUESTIONS, CheckIn

    try:
        before, after = _ask_pain("Pain before the run"), _ask_pain("Pain after the run")
        flags = {k: _ask_yes_no(q) for k, q in RED_FLAG_QUESTIONS.items()}
    except EOFError:
        print()  # end the unanswered prompt's line
        raise InputError("check-in cancelled: nothing saved") from None
    return CheckIn(before, after, note=note, **flags)


def _from_options(args: argparse.Namespace) -> CheckIn:
    from footfall.coaching.checkin import CheckIn

    ci = CheckIn(args.before, args.after, note=args.note, **{f: getattr(args, f) for f in FLAGS})
    if ci.is_empty:
        raise InputError("nothing to check in",
                         hint="give --before/--after with pain 0-10, a red-flag option such as --swelling, "
                              "--note, or --ask to be asked")
    return ci


def _print_saved(ci: CheckIn, args: argparse.Namespace) -> None:
    from footfall.coaching.checkin import describe_checkin

    print(f"check-in saved: {describe_checkin(ci)}")
    if args.session is None:
        print(f"kept for {args.runner}, not attached to a run (add --session N to attach it to one){_carried(ci)}")


def _carried(ci: CheckIn) -> str:
    """What an unattached check-in changes: a red flag (or severe pain) opens the advice of the next runs."""
    from footfall.coaching.checkin import pain_level
    from footfall.coaching.reminder import ReminderParams

    if not ci.red_flags and pain_level(ci) != "severe":
        return ""
    return f": the advice of runs in the next {ReminderParams().carry_days:g} days opens with a reminder of it"


def run(args: argparse.Namespace) -> int:
    from footfall.coaching.advice import checkin_advice
    from footfall.store import Store

    ci = None if args.ask else _from_options(args)
    with Store(args.db) as store:
        store.checkin_runner(args.runner, args.session)  # before the questions, so no answer is typed in vain
        if ci is None:
            ci = _asked(args.note)
        store.add_checkin(args.runner, ci, session_id=args.session)
    _print_saved(ci, args)
    for a in checkin_advice(ci):
        print(f"\n* {a.title}\n  {a.message}")
        for c in a.citations():
            print(f"    source: {c}")
        if a.own_values:
            print(f"    {a.own_values_note()}")
    return 0
