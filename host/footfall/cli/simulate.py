"""`footfall simulate -o run.ffr`: a synthetic run from the virtual runner, as a recording plus its truth."""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path
from typing import Any

from footfall.cli.common import duration, output_file
from footfall.errors import InputError
from footfall.virtual.runner_params import PRESETS  # light: no numpy

STRIKE_WORDS = {"rearfoot": 18.0, "heel": 18.0, "midfoot": 3.0, "forefoot": -8.0}
# RunnerParams field -> option: the library's messages name its fields, the command's its options
OPTIONS = {"duration_s": "--duration", "cadence_spm": "--cadence", "speed_mps": "--speed",
           "strike_angle_deg": "--strike", "overstride": "--overstride", "mount_pitch_deg": "--tilt",
           "rate_hz": "--rate", "feet": "--feet", "seed": "--seed", "walk_cadence_spm": "--cadence",
           "walk_speed_mps": "--speed"}
WALKING = {"cadence_spm": "walk_cadence_spm", "speed_mps": "walk_speed_mps"}  # the two options of a walk-only run


def register(sub: Any) -> None:
    p = sub.add_parser(
        "simulate", help="generate a synthetic run (recording + truth) from the virtual runner",
        description="Generate realistic shoe-mounted IMU signals from foot kinematics with known truth "
                    "(every contact, strike angle, stride). See docs/virtual-runner.md.",
        epilog="example: footfall simulate -o run.ffr --truth truth.json --preset heel-overstrider --duration 120")
    p.add_argument("-o", "--output", required=True, help="recording to write (.ffr); never overwritten")
    p.add_argument("--truth", default=None, help="also write the truth as JSON here")
    p.add_argument("--preset", choices=tuple(PRESETS), default=None,
                   help="a named runner; other options override it")
    p.add_argument("--duration", type=duration, default=None, help="seconds (90 or 90s), minutes (2m) or hours "
                   "(1h); default 60 s")
    p.add_argument("--cadence", type=float, default=None, help="cadence in steps/min (default 166; a walk-only preset: its walking "
                   "cadence, default 112)")
    p.add_argument("--speed", type=float, default=None, help="speed in m/s (default 3.3; a walk-only preset: its walking speed, "
                   "default 1.4)")
    p.add_argument("--strike", default=None,
                   help="rearfoot|midfoot|forefoot or an angle in degrees (+ toe up at contact; default 12)")
    p.add_argument("--overstride", type=float, default=None, help="0 (none) .. 1 (strong); default 0")
    p.add_argument("--tilt", type=float, default=None, help="sensor mounting pitch in degrees (default 0)")
    p.add_argument("--rate", type=float, default=None, help="sample rate in Hz (default 416)")
    p.add_argument("--feet", choices=("L", "R", "both"), default=None, help="which shoes carry a sensor")
    p.add_argument("--seed", type=int, default=None, help="random seed (same seed, same run)")
    p.set_defaults(func=run)


def _strike_deg(text: str) -> float:
    if text.lower() in STRIKE_WORDS:
        return STRIKE_WORDS[text.lower()]
    try:
        return float(text)
    except ValueError:
        raise InputError(f"--strike {text!r} is neither a pattern nor a number",
                         hint="use rearfoot, midfoot, forefoot or degrees such as 12 or -6") from None


def params_from_args(args: argparse.Namespace) -> Any:
    """RunnerParams from the preset (if any) with the given options on top; bad values are refused in terms
    of the options (--cadence, not cadence_spm)."""
    from footfall.virtual.runner import check_params
    from footfall.virtual.runner_params import RunnerParams, preset

    given = {"duration_s": args.duration, "cadence_spm": args.cadence, "speed_mps": args.speed,
             "overstride": args.overstride, "mount_pitch_deg": args.tilt, "rate_hz": args.rate,
             "feet": args.feet, "seed": args.seed,
             "strike_angle_deg": None if args.strike is None else _strike_deg(args.strike)}
    overrides = {k: v for k, v in given.items() if v is not None}
    schedule = preset(args.preset).schedule if args.preset else ()
    if sum(seconds for _, seconds in schedule) >= overrides.get("duration_s", RunnerParams.duration_s):
        overrides = {WALKING.get(k, k): v for k, v in overrides.items()}  # no running: --cadence 100 kept 112
    try:
        params = preset(args.preset, **overrides) if args.preset else RunnerParams(**overrides)
        check_params(params)
    except InputError as exc:  # "cadence_spm=300 steps/min is outside ..." as "--cadence 300 steps/min is ..."
        raise InputError(_as_options(str(exc.args[0])), hint=_as_options(exc.hint)) from None
    if params.rate_hz != int(params.rate_hz):
        raise InputError(f"--rate {params.rate_hz:g} Hz must be a whole number of Hz to be recorded",
                         hint="e.g. --rate 416")
    return params


def _as_options(text: str) -> str:
    """The library's field names in `text` as this command's options ("speed_mps=3.33" as "--speed 3.33")."""
    return re.sub(rf"\b({'|'.join(OPTIONS)})\b=?", lambda m: OPTIONS[m[1]] + " ", text).replace("  ", " ")


def _outputs(args: argparse.Namespace) -> None:
    """Refuse, before anything is written, an output that exists (nothing is overwritten), is a folder or
    is in a missing folder, and a --truth that names the recording itself."""
    paths = [Path(args.output)] + ([Path(args.truth)] if args.truth is not None else [])
    if len(paths) == 2 and paths[0].resolve() == paths[1].resolve():
        raise InputError(f"--truth {args.truth} is the recording itself (-o)", hint="give the truth its own file, "
                         "e.g. truth.json")
    for path in paths:
        output_file(path, force=None)


def run(args: argparse.Namespace) -> int:
    from footfall.virtual.runner import describe, simulate, write_run

    params = params_from_args(args)
    _outputs(args)
    t0 = time.perf_counter()
    sim = simulate(params)
    t1 = time.perf_counter()
    write_run(sim, args.output, args.truth)
    t2 = time.perf_counter()
    n = sum(len(f.truth.contacts) for f in sim.feet.values())
    print(f"{args.output}: {describe(params)}; {params.duration_s:g} s, feet {'+'.join(sim.feet)}, "
          f"{params.rate_hz:g} Hz, {n} contacts")
    print(f"  generated in {t1 - t0:.2f} s, written in {t2 - t1:.2f} s"
          + (f"; truth in {args.truth}" if args.truth else ""))
    return 0
