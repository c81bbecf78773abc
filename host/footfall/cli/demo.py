"""`footfall demo`: the whole product with no hardware.

Two virtual shoes run the real firmware (MicroPython unix port), fed by the virtual runner, stream over a
virtual BLE radio to bleak, and are analysed and coached live, recorded, and summarised. Real time: the
firmware's IMU model is paced by the clock. Where the unix port cannot run (Windows, Intel Macs, Linux ARM),
the virtual runner is replayed in real time instead, without the firmware and the radio.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from footfall.cli.common import (add_session_options, coach_options, print_session_end, seconds,
                                 session_duration_s)
from footfall.cli.live import check_record, check_session_options
from footfall.virtual.mpy import radio_problem, unix_port_problem  # light: no numpy
from footfall.virtual.runner_params import PRESETS  # light: no numpy

if TYPE_CHECKING:
    from rich.console import Console

    from footfall.sources.virtual import RigParams

DEFAULT_PRESET = "heel-overstrider"
DEMO_CUE_GRACE_S = 0.0  # the demo is short: cues from the start (a real run waits CueParams.grace_s)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="two virtual shoes, live analysis and coaching, no hardware needed",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=seconds,
                   help="length of the session: seconds (90 or 90s), minutes (2m) or hours (1h); default 40 s")
    p.add_argument("--preset", choices=tuple(PRESETS), default=DEFAULT_PRESET,
                   help=f"the virtual runner (default {DEFAULT_PRESET})")
    p.add_argument("--feet", choices=["L", "R", "both"], default="both",
                   help="which virtual shoes to run: the left, the right or both (default both)")
    p.add_argument("--record", type=Path, help="recording file (default: footfall-demo-<time>.ffr here)")
    p.add_argument("--stats", action="store_true", help="print host CPU use and step latency at the end")
    add_session_options(p)
    p.set_defaults(func=run)


def _grace_min() -> str:
    from footfall.coaching.cues import CueParams

    return f"{CueParams.grace_s / 60:g}"


def _replayed_runner(rig: RigParams, feet: str, folder: Path) -> str:
    """The virtual runner the shoes would play, written as a recording in `folder`: its `replay:` source."""
    from footfall.sources.virtual import ACC_RANGE_G
    from footfall.virtual.runner import preset, simulate, write_run
    from footfall.virtual.runner_params import standing_first

    params = preset(rig.preset, duration_s=rig.duration_s, rate_hz=float(rig.rate_hz), feet=feet, seed=rig.seed,
                    acc_range_g=float(ACC_RANGE_G), **standing_first(rig.preset, rig.stand_first_s))
    path = write_run(simulate(params), folder / "virtual-runner.ffr")
    return f"replay:{path}"


def _demo_source(args: argparse.Namespace, rig: RigParams, console: Console, stack: ExitStack) -> str:
    """`virtual:` (the firmware in the unix port), or where that cannot run, the virtual runner replayed."""
    problem = unix_port_problem() or radio_problem()
    if problem is None:
        return "virtual:" if args.feet == "both" else f"virtual:{args.feet}"
    console.print(f"{problem}: the virtual runner is replayed without running the firmware", highlight=False)
    folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="footfall-demo-", ignore_cleanup_errors=True))
    return _replayed_runner(rig, args.feet, Path(folder))


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from footfall.live.run import make_console, pre_run_notice, run_live
    from footfall.live.session import LiveParams
    from footfall.sources import SourceOptions
    from footfall.sources.virtual import RigParams

    check_session_options(args)
    record = args.record or Path(time.strftime("footfall-demo-%Y%m%d-%H%M%S.ffr"))
    check_record(record)  # before the first line is printed
    coach = coach_options(args)
    if coach.phases is None:
        coach = replace(coach, cue_grace_s=DEMO_CUE_GRACE_S)
    duration_s = session_duration_s(args, coach) or 40.0
    console = make_console()
    console.print(f"footfall demo: virtual runner '{args.preset}', {duration_s:.0f} s in real time, "
                  f"recording to {record}", highlight=False)
    if coach.phases is None and pre_run_notice(coach) is None:  # a red flag or pain before: no cues (run_live says)
        console.print(f"demo: cues from the start; a real run waits {_grace_min()} min of running first",
                      highlight=False)
    cpu0, wall0 = time.process_time(), time.monotonic()
    meta = {"preset": args.preset, "demo": True, **({"phases": args.phases} if args.phases else {})}
    rig = RigParams(args.preset, duration_s, stand_first_s=5.5)
    with ExitStack() as stack:
        spec = _demo_source(args, rig, console, stack)
        meta["firmware"] = spec.startswith("virtual:")  # False: the virtual runner replayed (no unix port here)
        result = asyncio.run(run_live([spec], record, LiveParams(duration_s=duration_s), SourceOptions(rig=rig),
                                      console, meta=meta, coach=coach))
    print_session_end(result, console, args, duration_s)
    if args.stats:
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        parts = "decode, record, analyse, view" + (", virtual radio" if meta["firmware"] else ", replay")
        console.print(f"host CPU: {cpu:.1f} s over {wall:.1f} s = {100 * cpu / wall:.1f}% of one core "
                      f"(this process: {parts})", highlight=False)
        for what, values in (("landing (provisional IC)", result.landing_latencies_s), ("full step", result.latencies_s)):
            # the first ~12 s wait for the mounting alignment (docs/algorithms.md); after that the figure is steady
            steady = np.array(values[len(values) // 2:]) * 1000
            if len(steady):
                console.print(f"latency, IC in the sensor stream -> {what} on the host (second half of the run): "
                              f"median {np.median(steady):.0f} ms, 95th percentile {np.percentile(steady, 95):.0f} ms",
                              highlight=False)
    return 0
