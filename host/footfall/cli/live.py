"""`footfall live`: connect one or two sensors, record, analyse and coach live."""

from __future__ import annotations

import argparse
from pathlib import Path

from footfall.cli.common import add_db_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("live", help="stream from one or two sensors with a live view, recording and cues",
                       description="Connect to sensors, record everything losslessly, analyse and coach live. "
                       "Ctrl-C ends the session cleanly.")
    p.add_argument("sources", nargs="*", default=["ble:footfall-L", "ble:footfall-R"],
                   help="ble:NAME|ADDRESS, serial:PORT, replay:FILE.ffr or virtual:[L|R] "
                   "(default: ble:footfall-L ble:footfall-R)")
    p.add_argument("--record", type=Path, help="record the session to this .ffr file")
    p.add_argument("--duration", type=float, help="stop after this many seconds")
    p.add_argument("--speed", type=float, default=1.0, help="replay pace: 1 = real time, 0 = as fast as possible")
    p.add_argument("--runner", help="store the session in this runner's history (see `footfall runner add`)")
    p.add_argument("--shoe", help="the runner's pair worn for this run (see `footfall shoes add`)")
    p.add_argument("--audio", type=Path, metavar="WAV", help="also render the metronome and spoken cues to a WAV file")
    p.add_argument("--sound", action="store_true", help="play the metronome and cues live (aplay or paplay)")
    p.set_defaults(func=run)
    add_db_option(p)

def run(args: argparse.Namespace) -> int:
    from footfall.live.coach import CoachOptions
    from footfall.live.run import make_console, print_result, run_live_sync
    from footfall.live.session import LiveParams
    from footfall.sources import SourceOptions

    console = make_console()
    result = run_live_sync(args.sources, args.record, LiveParams(duration_s=args.duration),
                           SourceOptions(speed=args.speed), console,
                           coach=CoachOptions(args.runner, args.shoe, args.db, args.audio, args.sound))
    print_result(result, console, args.db)
    if args.audio:
        console.print(f"cue audio (metronome and spoken cues): {args.audio}", highlight=False)
    return 0
