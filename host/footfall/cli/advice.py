"""`footfall advice SESSION`: the session summary and the short prioritised advice list with sources."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from footfall.cli.common import add_db_option, refuse_undated, session_id
from footfall.errors import InputError
from footfall.shell import shell_word

if TYPE_CHECKING:
    from footfall.store import Store

TOP_ENTRIES = 7  # shown without --all (red-flag advice always comes first, so it is never cut)


def register(sub: Any) -> None:
    parser = sub.add_parser("advice", help="summary and prioritised advice for a stored session")
    parser.add_argument("session", type=session_id, nargs="?",
                        help="session number (`footfall history` lists them); without it, --runner's latest")
    parser.add_argument("--runner", metavar="NAME", help="the runner's latest session, or a check that SESSION is theirs")
    parser.add_argument("--all", action="store_true", help="every advice entry, not only the top ones")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    from footfall.coaching.checkin import describe_checkin
    from footfall.coaching.session_advice import advice_for_session
    from footfall.coaching.technique import figure
    from footfall.store import Store

    with Store(args.db, create=False, readonly=True) as store:
        args.session = which_session(store, args.session, args.runner)
        refuse_undated(store, args.session)
        sa = advice_for_session(store, args.session, limit=None, held=args.all)
        clinician_notes = store.clinician_notes(args.session)  # the clinician's: printed here, never in the report
    shown = sa.advice if args.all else sa.advice[:TOP_ENTRIES]
    if args.json:
        from footfall.report.export import json_text

        summary = {**sa.summary.to_dict(), "n_steps": int(sa.summary.n_steps)}  # a count (to_dict: all floats)
        doc = {"session": args.session, "summary": summary, "advice": [a.to_dict() for a in shown]}
        print(json_text(doc))
        return 0
    s = sa.summary
    if not sa.session.finished:
        print(unfinished_note(args.session, len(sa.steps)))
    print(f"session {args.session}: {s.duration_s / 60:.1f} min, {figure(s.distance_m / 1000, '{:.2f}', ' km')}, "
          f"{f'{s.n_steps} {s.activity} steps' if s.activity != 'none' else 'no steps'}, cadence "
          f"{figure(s.cadence_spm, '{:.0f}', ' steps/min')}, rearfoot {figure(s.rearfoot_share * 100, '{:.0f}', '%')}, "
          f"overstride {figure(s.overstride_index, '{:.2f}')}")
    if sa.checkin is not None:
        print(f"check-in: {describe_checkin(sa.checkin)}")
    for note in clinician_notes:
        print(f"clinician note (not in the client's report): {note}")
    for n, a in enumerate(shown, 1):
        print(f"\n{n}. [{a.category.value}] {a.title}\n   {a.message}")
        for c in a.citations():
            print(f"   source: {c}")
        if a.own_values:
            print(f"   {a.own_values_note()}")
    left = len(sa.advice) - len(shown)
    more = f" `footfall advice {args.session} --all` shows {left} more." if left else ""
    if not args.all and any(a.pauses_training for a in sa.advice):
        more = f" `footfall advice {args.session} --all` also shows the training advice on hold."
    print(f"\nfootfall gives training advice only; it does not diagnose.{more}")
    return 0


def unfinished_note(session_id: int, n_steps: int) -> str:
    """A session still being recorded (a live run in another terminal), or one stopped unfinished: its advice rests
    on the steps stored so far (with none, "no running to judge" read as a verdict on the run)."""
    return (f"note: session {session_id} has not finished (a live session still running, or one that stopped "
            f"unfinished): this advice rests on the {n_steps} steps stored so far; ask again once the run has ended")


def which_session(store: Store, session: int | None, runner: str | None) -> int:
    """SESSION as given (checked to be `runner`'s when both are given), else the runner's latest session."""
    if runner is None:
        if session is None:
            raise InputError("which session? give its number, or --runner NAME for that runner's latest",
                             hint="`footfall history` lists the sessions")
        return session
    owner = store.runner(runner)  # (raises, naming the runners, for an unknown name)
    if session is None:
        return _latest(store, runner)
    if store.session(session).runner_id != owner.id:
        raise InputError(f"session {session} is not {runner}'s",
                         hint=f"`footfall history --runner {shell_word(runner)}` lists theirs")
    return session


def _latest(store: Store, runner: str) -> int:
    sessions = store.sessions(runner)
    if not sessions:
        raise InputError(f"{runner} has no session yet",
                         hint="store a run with `footfall live --runner` or `footfall history add`")
    return sessions[-1].id
