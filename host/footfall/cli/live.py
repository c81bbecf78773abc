"""`footfall live`: connect one or two sensors, record, analyse and coach live."""

from __future__ import annotations

import argparse
from pathlib import Path

from footfall.cli.common import add_session_options, coach_options, pace, print_session_end, seconds
from footfall.errors import InputError


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
    p.add_argument("--phases", metavar="PLAN", help="a physiotherapist's timed phases, e.g. baseline:2m,cue:2m,"
                   "retest:2m: shown live, cues only in the phases called cue, each phase marked as a segment of the "
                   "stored session; the session ends with the last phase")
    add_session_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from footfall.coaching.phases import PhasePlan
    from footfall.live.run import make_console, run_live_sync
    from footfall.live.session import LiveParams
    from footfall.sources import SourceOptions

    plan = PhasePlan.parse(args.phases) if args.phases else None
    if plan is not None and args.duration is not None:
        raise InputError("give --phases or --duration, not both", hint="the session ends with the last phase")
    console = make_console()
    duration_s = plan.total_s if plan is not None else args.duration
    result = run_live_sync(args.sources, args.record, LiveParams(duration_s=duration_s),
                           SourceOptions(speed=args.speed), console, meta={"phases": args.phases} if plan else None,
                           coach=coach_options(args, plan))
    print_session_end(result, console, args)
    if plan is not None:
        from footfall.cli.history import show_segments
        from footfall.report.segments import segment_figures

        print("phases (figures of the steps in each):")
        show_segments(segment_figures(result.steps, plan.spans(result.state.elapsed_s)))
    return 0
