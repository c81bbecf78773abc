"""`footfall live`: connect one or two sensors, record, analyse and coach live."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path

from footfall.cli.common import (add_session_options, coach_options, output_file, pace, print_session_end, seconds,
                                 session_duration_s)
from footfall.errors import InputError

MAX_SENSORS = 2  # one per foot
RUNNER_ONLY = (("shoe", "--shoe"), ("db", "--db"))  # options that only a stored session (--runner) uses


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("live", help="stream from one or two sensors with a live view, recording and cues",
                       description="Connect to sensors, record everything losslessly, analyse and coach live. "
                       "Ctrl-C ends the session cleanly.")
    p.add_argument("sources", nargs="*", default=["ble:footfall-L", "ble:footfall-R"],
                   help="one or two of ble:NAME|ADDRESS, serial:PORT, replay:FILE.ffr or virtual:[L|R] "
                   "(default: ble:footfall-L ble:footfall-R)")
    p.add_argument("--record", type=Path, help="record the session to this .ffr file")
    p.add_argument("--duration", type=seconds, help="stop after this long: seconds (90 or 90s), minutes (2m) or "
                   "hours (1h) of the session (a replay: of the recording, however fast it is played)")
    p.add_argument("--speed", type=pace, default=1.0, help="replay pace: 1 = real time, 0 = as fast as possible")
    add_session_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from footfall.live.run import make_console, run_live
    from footfall.live.session import LiveParams
    from footfall.sources import SourceOptions

    check_sources(args.sources)
    check_session_options(args)
    check_record(args.record, args.sources)
    coach = coach_options(args)
    duration_s = session_duration_s(args, coach)
    console = make_console()
    result = asyncio.run(run_live(args.sources, args.record, LiveParams(duration_s=duration_s),
                                  SourceOptions(replay_factor=args.speed), console,
                                  meta={"phases": args.phases} if args.phases else None, coach=coach))
    print_session_end(result, console, args, duration_s)
    return 0


def check_sources(specs: Sequence[str]) -> None:
    """One or two sensors, each given once, refused in one line before any is touched (three sources made a
    session of six lanes that the summary called one foot). A replay: counts as one source."""
    from footfall.sources import parse_spec

    named = [(spec, key) for spec in specs for key in _source_keys(*parse_spec(spec))]
    if len(named) > MAX_SENSORS:
        raise InputError(f"{len(named)} sensors given ({' '.join(specs)}); footfall takes one or two",
                         hint="one per foot, e.g. ble:footfall-L ble:footfall-R")
    seen: set[tuple[str, str]] = set()
    for spec, key in named:
        if key in seen:
            raise InputError(f"source {spec} is given twice", hint="give each sensor once")
        seen.add(key)


def _source_keys(kind: str, rest: str) -> list[tuple[str, str]]:
    """What a source spec names: a virtual: source each of its feet, a replay: its file, else the sensor."""
    if kind == "virtual":
        return [(kind, side) for side in rest or "LR"]
    if kind == "replay":
        return [(kind, str(Path(rest).expanduser().resolve()))]
    return [(kind, rest)]


def check_session_options(args: argparse.Namespace) -> None:
    """Options that only a session stored in a runner's history uses are refused without --runner (a --shoe
    alone was ignored and the run counted on no pair)."""
    if args.runner_name:
        return
    for name, option in RUNNER_ONLY:
        if getattr(args, name) is not None:
            raise InputError(f"{option} needs --runner",
                             hint="only a session stored in a runner's history uses it; see `footfall runner add`")


def check_record(path: Path | None, inputs: Sequence[str] = ()) -> None:
    """The --record file, refused in one line before anything is printed or touched: a recording is never
    overwritten, and its folder must exist and be writable."""
    if path is None:
        return
    replays = [Path(spec.partition(":")[2]) for spec in inputs if spec.startswith("replay:")]
    output_file(path, force=None, inputs=replays)
