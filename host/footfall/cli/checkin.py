"""`footfall checkin`: pain 0-10 before and after a run and the yes/no red-flag questions.

Answers are saved with the session and change its advice; any red flag puts see-a-professional first, and the
advice of the runs in the following days opens with a reminder of it (with or without --session).
With `--ask` the questions are asked one by one on the terminal; a bad answer is asked again at once.
A red-flag question not asked is not a "no": an earlier red flag's reminder ends only with `--examined` (a
professional has looked at the ankle) or a check-in that answers every red-flag question (`--ask`, or
`--no-red-flags` when none applies).
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
    parser.add_argument("--no-red-flags", action="store_true",
                        help="none of the red-flag signs applies (answers every red-flag question no)")
    parser.add_argument("--examined", action="store_true",
                        help="a doctor, physiotherapist or podiatrist has examined the ankle (ends a red-flag "
                        "reminder)")
    parser.add_argument("--recent-injury", action="store_true", help="this ankle was injured in the last few months")
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


def _asked(note: str, reminded: bool) -> CheckIn:
    """The check-in from the terminal (whether a professional has examined the ankle only when an earlier red
    flag is still open). Ctrl-D at any prompt cancels the whole check-in: half of it saved would read as "no red
    flags" for the questions never answered."""
    from footfall.coaching.checkin import EXAMINED_QUESTION, RECENT_INJURY_QUESTION, RED_FLAG_QUESTIONS, CheckIn

    try:
        before, after = _ask_pain("Pain before the run"), _ask_pain("Pain after the run")
        flags = {k: _ask_yes_no(q) for k, q in RED_FLAG_QUESTIONS.items()}
        recent = _ask_yes_no(RECENT_INJURY_QUESTION)
        examined = reminded and _ask_yes_no(EXAMINED_QUESTION)
    except EOFError:
        print()  # end the unanswered prompt's line
        raise InputError("check-in cancelled: nothing saved") from None
    return CheckIn(before, after, note=note, examined=examined, recent_injury=recent, flags_answered=True, **flags)


def _from_options(args: argparse.Namespace) -> CheckIn:
    from footfall.coaching.checkin import CheckIn

    flags = {f: getattr(args, f) for f in FLAGS}
    if args.no_red_flags and any(flags.values()):
        raise InputError("--no-red-flags says none of the red-flag signs applies",
                         hint="give it or red-flag options such as --swelling, not both")
    ci = CheckIn(args.before, args.after, note=args.note, examined=args.examined, recent_injury=args.recent_injury,
                 flags_answered=args.no_red_flags, **flags)
    if ci.is_empty:
        raise InputError("nothing to check in",
                         hint="give --before/--after with pain 0-10, a red-flag option such as --swelling, "
                              "--no-red-flags, --examined, --note, or --ask to be asked")
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


def _still_open(store: Any, args: argparse.Namespace) -> Any:
    """The reminder of an earlier red flag still open for the runner now (before this check-in), or None."""
    from footfall.coaching.reminder import reminder_advice
    from footfall.store.checks import utc_now

    now = utc_now()
    return reminder_advice(store.checkins_until(args.runner, now), now)


def _print_advice(entries: list[Any]) -> None:
    for a in entries:
        print(f"\n* {a.title}\n  {a.message}")
        for c in a.citations():
            print(f"    source: {c}")
        if a.own_values:
            print(f"    {a.own_values_note()}")


def run(args: argparse.Namespace) -> int:
    from footfall.coaching.advice import checkin_advice
    from footfall.coaching.reminder import clears
    from footfall.store import Store

    ci = None if args.ask else _from_options(args)
    with Store(args.db) as store:
        store.checkin_runner(args.runner, args.session)  # before the questions, so no answer is typed in vain
        reminder = _still_open(store, args)
        if ci is None:
            ci = _asked(args.note, reminder is not None)
        store.add_checkin(args.runner, ci, session_id=args.session)
    _print_saved(ci, args)
    entries = checkin_advice(ci)
    if reminder is not None and not clears(ci) and not any(e.pauses_training for e in entries):
        entries.insert(0, reminder)  # a pain score alone does not end it: say it is still open
    _print_advice(entries)
    return 0
