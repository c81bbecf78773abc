"""`footfall live`: connect one or two sensors, record, analyse and coach live."""

from __future__ import annotations

import argparse
from pathlib import Path

from footfall.cli.common import (add_session_options, coach_options, pace, print_session_end, seconds,
                                 session_duration_s)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("live", help="stream from one or two sensors with a live view, recording and cues",
                       description="Connect to sensors, record everything losslessly, analyse and coach live. "
                       "Ctrl-C ends the session cleanly.")
    p.add_argument("sources", nargs="*", default=["ble:footfall-L", "ble:footfall-R"],
                   help="ble:NAME|ADDRESS, serial:PORT, replay:FILE.ffr or virtual:[L|R] "
                   "(default: ble:footfall-L ble:footfall-R)")
    p.add_argument("--record", type=Path, help="record the session to this .ffr file")
    p.add_argument("--duration", type=seconds, help="stop after this many seconds of the session (a replay: of the "
                   "recording, however fast it is played)")
    p.add_argument("--speed", type=pace, default=1.0, help="replay pace: 1 = real time, 0 = as fast as possible")
    add_session_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from footfall.live.run import make_console, run_live_sync
    from footfall.live.session import LiveParams
    from footfall.sources import SourceOptions

    coach = coach_options(args)
    duration_s = session_duration_s(args, coach)
    console = make_console()
    result = run_live_sync(args.sources, args.record, LiveParams(duration_s=duration_s),
                           SourceOptions(speed=args.speed), console,
                           meta={"phases": args.phases} if args.phases else None, coach=coach)
    print_session_end(result, console, args)
    return 0
