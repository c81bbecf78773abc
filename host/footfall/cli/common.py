"""Options shared by several commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DB_HELP = "history database (default: history.sqlite in the user data directory)"


def add_db_option(parser: argparse.ArgumentParser, actions: Any = None) -> None:
    """`--db PATH` on a command and, when it has `actions` (sub-parsers), on each of them too, so the option
    may stand before or after the action."""
    parser.add_argument("--db", type=Path, default=None, help=DB_HELP)
    for action in (actions.choices.values() if actions is not None else ()):
        action.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=DB_HELP)


def add_session_options(parser: argparse.ArgumentParser) -> None:
    """What a live session (`live`, `demo`) stores and plays: runner, shoe, history database, cue audio."""
    parser.add_argument("--runner", dest="runner_name", metavar="NAME",
                        help="store the session in this runner's history (see `footfall runner add`)")
    parser.add_argument("--shoe", metavar="NAME", help="the runner's pair worn for this run (see `footfall shoes add`)")
    parser.add_argument("--audio", type=Path, metavar="WAV",
                        help="also render the metronome and spoken cues to a WAV file")
    parser.add_argument("--sound", action="store_true", help="play the metronome and cues live (aplay or paplay)")
    add_db_option(parser)


def coach_options(args: argparse.Namespace) -> Any:
    """The CoachOptions of `add_session_options`' arguments."""
    from footfall.live.coach import CoachOptions

    return CoachOptions(args.runner_name, args.shoe, args.db, args.audio, args.sound)


def print_session_end(result: Any, console: Any, args: argparse.Namespace) -> None:
    """After a live session: its summary, advice and where things were written."""
    from footfall.live.run import print_result

    print_result(result, console, args.db)
    if args.audio:
        console.print(f"cue audio (metronome and spoken cues): {args.audio}", highlight=False)
