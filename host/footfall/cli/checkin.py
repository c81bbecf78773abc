"""`footfall checkin`: pain 0-10 before and after a run and the yes/no red-flag questions.

Answers are saved with the session and change its advice; any red flag puts see-a-professional first, and the
advice of the runs in the following days opens with a reminder of it (with or without --session).
With `--ask` the questions are asked one by one on the terminal; a bad answer is asked again at once, and while a
red-flag reminder is open the yes/no questions take no blank answer (Enter alone cannot end it).
A red-flag question not asked is not a "no". An earlier red flag's reminder ends with `--examined` (a professional
has looked at the ankle); swelling, bruising or lasting pain alone also end with a check-in that answers every
red-flag question no (`--ask`, or `--no-red-flags`) with a low pain score (coaching/reminder.py). The check-in
always says what happened to an open reminder. A check-in without `--session` is dated now: it ends the reminder
for the runs after it, while the advice of sessions stored before keeps it (`--session N --examined` ends it there).

`--note` is the client's own note and is printed in their report; `--clinician-note` is the clinician's (a working
diagnosis, a plan), kept apart and shown by `checkin list` and `advice`, never in the client's report.
`footfall checkin list [--runner NAME]` lists the check-ins with both notes, `footfall checkin delete ID` deletes one
(cli/client_data.py).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from footfall.cli.common import add_db_option, note_text, row_id, session_id
from footfall.errors import InputError

if TYPE_CHECKING:
    from footfall.coaching.checkin import CheckIn

ACTIONS = ("list", "delete")
FLAGS = ("swelling", "bruising", "cannot_bear_weight", "twist_or_fall", "pain_persists")
YES, NO = ("y", "yes"), ("n", "no")  # blank is no too, as the [y/N] prompt says, unless a reminder is open


def register(sub: Any) -> None:
    parser = sub.add_parser("checkin", help="pain check-in (0-10 before/after, red-flag questions); checkin list, "
                            "checkin delete ID",
                            usage="%(prog)s --runner NAME [options] | %(prog)s list [--runner NAME] | "
                                  "%(prog)s delete ID [--yes]")
    parser.add_argument("action", nargs="?", choices=ACTIONS, help="list the check-ins, or delete one (by its ID)")
    parser.add_argument("checkin_id", nargs="?", type=_checkin_id, metavar="ID", help="the check-in to delete")
    parser.add_argument("--runner", metavar="NAME", help="the runner checking in (with list: only theirs)")
    parser.add_argument("--session", type=session_id, default=None, help="the session this check-in belongs to")
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
    parser.add_argument("--note", type=note_text, default="", help="the client's own note: printed in their report")
    parser.add_argument("--clinician-note", type=note_text, default="", metavar="TEXT",
                        help="a note for the clinician only (e.g. a working diagnosis or plan): shown by `checkin "
                             "list` and `advice`, never in the client's report")
    parser.add_argument("--yes", action="store_true", help="with delete: do not ask")
    parser.add_argument("--ask", action="store_true", help="ask the questions interactively")
    parser.set_defaults(func=run)
    add_db_option(parser)


def _checkin_id(text: str) -> int:
    """An argparse type: a check-in number (`checkin list` shows them), refused in one line past SQLite's integers."""
    return row_id(text, "check-in", "`footfall checkin list` lists them")


def _ask_pain(question: str) -> int | None:
    while True:
        answer = input(f"{question} (0-10, blank to skip): ").strip()
        if not answer:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        print(f"  {answer!r} is not a number 0-10: give one, or leave it blank")


def _ask_yes_no(question: str, explicit: bool = False) -> bool:
    """`explicit`: no default (a red-flag reminder is open: Enter alone must not answer "no" for the runner)."""
    while True:
        answer = input(f"{question} {'[y/n]' if explicit else '[y/N]'} ").strip().lower()
        if answer in YES or answer in NO or (answer == "" and not explicit):
            return answer in YES
        print(f"  {answer!r} is neither yes nor no: answer y or n{'' if explicit else ' (blank is no)'}")


def _asked(note: str, reminded: bool) -> CheckIn:
    """The check-in from the terminal (whether a professional has examined the ankle only when an earlier red
    flag is still open). Ctrl-D at any prompt cancels the whole check-in: half of it saved would read as "no red
    flags" for the questions never answered."""
    from footfall.coaching.checkin import EXAMINED_QUESTION, RECENT_INJURY_QUESTION, RED_FLAG_QUESTIONS, CheckIn

    try:
        before, after = _ask_pain("Pain before the run"), _ask_pain("Pain after the run")
        flags = {k: _ask_yes_no(q, reminded) for k, q in RED_FLAG_QUESTIONS.items()}
        recent = _ask_yes_no(RECENT_INJURY_QUESTION)
        examined = reminded and _ask_yes_no(EXAMINED_QUESTION, explicit=True)
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
    if ci.is_empty and not args.clinician_note:
        raise InputError("nothing to check in",
                         hint="give --before/--after with pain 0-10, a red-flag option such as --swelling, "
                              "--no-red-flags, --examined, --note, a non-empty --clinician-note, or --ask to be "
                              "asked")
    return ci


def _print_saved(ci: CheckIn, args: argparse.Namespace) -> None:
    from footfall.coaching.checkin import describe_checkin

    print(f"check-in saved: {describe_checkin(ci)}")
    if args.clinician_note:
        print(f"clinician note saved (for you only, not in the client's report): {args.clinician_note}")
    if args.session is None:
        print(f"kept for {args.runner}, not attached to a run (add --session N to attach it to one){_carried(ci)}")


def _carried(ci: CheckIn) -> str:
    """What an unattached check-in changes: a red flag (or severe pain) opens the advice of the next runs."""
    from footfall.coaching.checkin import pain_level

    if ci.examined or (not ci.red_flags and pain_level(ci) != "severe"):
        return ""
    return ": the advice of the next runs opens with a reminder of it until you answer it"


def _still_open(store: Any, args: argparse.Namespace) -> tuple[list[Any], Any]:
    """The open red-flag reports of the runner now (before this check-in) and their reminder entry, or ([], None)."""
    from footfall.coaching.reminder import answer_command, reminder_advice
    from footfall.store.checks import utc_now

    now = utc_now()
    history = store.checkins_until(args.runner, now)
    reminder = reminder_advice(history, now, answer=answer_command(args.runner, args.session))
    return _open_now(store, args), reminder


def _open_now(store: Any, args: argparse.Namespace) -> list[Any]:
    """The runner's red-flag reports open now, as the next run's advice will read them."""
    from footfall.coaching.reminder import open_reports
    from footfall.store.checks import utc_now

    now = utc_now()
    return open_reports(store.checkins_until(args.runner, now), now)


def reminder_status(reports: list[Any], still: list[Any], ci: CheckIn, args: argparse.Namespace) -> str:
    """What this check-in did to an open red-flag reminder (`reports`: open before it; `still`: open after it):
    "... has ended because ..." or "... is still open: ..." ("" when none was open, unless the check-in says
    "examined": then that none was open)."""
    from footfall.coaching.reminder import end_reason, still_open_why
    from footfall.utc import local_day

    if not reports:
        return f"No red-flag reminder was open for {args.runner}." if ci.examined else ""
    what = f"The red-flag reminder of {local_day(reports[0].time_utc)}"  # the local date, as the report gives it
    reason = end_reason(ci, reports)
    if still or reason is None:  # e.g. dated by a session before the red flag
        why = still_open_why(still or reports)
        dated = " (this check-in is dated by its session, before the red flag)" if reason and still else ""
        return f"{what} is still open{dated}: {why}."
    later = "" if args.session is not None else (
        " It no longer opens the advice of runs after now; sessions stored before keep it (add --session N to "
        "end it there).")
    return f"{what} has ended because {reason}.{later}"


def _print_advice(entries: list[Any]) -> None:
    for a in entries:
        print(f"\n* {a.title}\n  {a.message}")
        for c in a.citations():
            print(f"    source: {c}")
        if a.own_values:
            print(f"    {a.own_values_note()}")


def _check_action(args: argparse.Namespace) -> bool:
    """Whether this is `checkin list` or `checkin delete` (which take no answers); a check-in needs its runner."""
    if args.action is None:
        if args.checkin_id is not None:
            raise InputError(f"unexpected {args.checkin_id}",
                             hint="delete a check-in with `footfall checkin delete ID`")
        if args.runner is None:
            raise InputError("a check-in needs --runner NAME", hint="list check-ins with `footfall checkin list`")
        return False
    answers = [f"--{k.replace('_', '-')}" for k in (*FLAGS, "before", "after", "no_red_flags", "examined",
                                                    "recent_injury", "note", "clinician_note", "ask", "session")
               if getattr(args, k) not in (None, False, "")]
    if answers or (args.action == "list" and args.checkin_id is not None):
        extra = ", ".join(answers) or str(args.checkin_id)
        raise InputError(f"`checkin {args.action}` takes no {extra}", hint="see `footfall checkin --help`")
    return True


def run(args: argparse.Namespace) -> int:
    from footfall.coaching.advice import checkin_advice
    from footfall.coaching.reminder import end_reason
    from footfall.store import Store

    if _check_action(args):
        from footfall.cli.client_data import run_checkin_action

        return run_checkin_action(args, args.checkin_id)
    ci = None if args.ask else _from_options(args)
    with Store(args.db) as store:
        store.checkin_runner(args.runner, args.session)  # before the questions, so no answer is typed in vain
        reports, reminder = _still_open(store, args)
        if ci is None:
            ci = _asked(args.note, reminder is not None)
        store.add_checkin(args.runner, ci, session_id=args.session, clinician_note=args.clinician_note)
        still = _open_now(store, args) if reports else []
    _print_saved(ci, args)
    if status := reminder_status(reports, still, ci, args):
        print(status)
    entries = checkin_advice(ci, after_run=args.session is not None)
    if reminder is not None and not end_reason(ci, reports) and not any(e.pauses_training for e in entries):
        entries.insert(0, reminder)  # a pain score alone does not end it: say it is still open
    _print_advice(entries)
    return 0
