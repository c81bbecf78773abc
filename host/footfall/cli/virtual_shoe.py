"""`footfall virtual-shoe --side L [--play FILE | --runner PRESET]`: run the real firmware as a virtual shoe.

It prints where to reach it (the serial port for `footfall live serial:...`, the radio address for the
bluetooth shim) and runs until Ctrl-C; the MicroPython process is killed on the way out.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from footfall.cli.common import seconds
from footfall.errors import InputError


def register(sub: Any) -> None:
    p = sub.add_parser("virtual-shoe", help="run the firmware in MicroPython as a virtual shoe (no hardware)")
    p.add_argument("--side", choices=("L", "R"), default="L", help="which shoe it is (default L)")
    p.add_argument("--play", type=Path, default=None, help="a .ffr recording to play (its samples, looped)")
    p.add_argument("--runner", default="midfoot", help="virtual runner preset when not playing a file")
    p.add_argument("--duration-s", type=seconds, default=120.0, help="virtual runner length before it loops")
    p.add_argument("--board", default="xiao_esp32s3",
                   help="a board profile of firmware/boards.py, and so the IMU model (default xiao_esp32s3: "
                        "LSM6DSO32)")
    p.add_argument("--radio", type=_radio, default=None,
                   help="host:port of a virtual radio (FOOTFALL_RADIO); else USB only")
    p.set_defaults(func=run)


def _radio(text: str) -> str:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"{text} is not host:port")
    return text


def run(args: argparse.Namespace) -> int:
    from footfall.virtual.shoe import IMU_DEFAULTS, ShoeConfig, VirtualShoe, board_imu, chip_rate_hz
    from footfall.virtual.shoe_sources import runner_counts

    imu = board_imu(args.board)
    nominal_hz, acc_range_g = IMU_DEFAULTS[imu]
    if args.play is not None:
        counts, rate_hz = _recording(args, imu, acc_range_g)
        nominal_hz = round(rate_hz)
    cfg = ShoeConfig(board=args.board, side=args.side, rate_hz=nominal_hz, acc_range_g=acc_range_g)
    if args.play is None:  # the runner at the board's own rate, as fast as its chip really samples (416 Hz
        counts, rate_hz = runner_counts(args.runner, args.side, args.duration_s, imu, acc_range_g,  # counts on
                                        rate_hz=chip_rate_hz(cfg, nominal_hz))  # a 500 Hz chip ran 20 % fast)
    env = {"FOOTFALL_RADIO": args.radio} if args.radio else None
    with VirtualShoe(cfg, samples=counts, radio_env=env) as shoe:
        print(f"virtual shoe footfall-{args.side}: {len(counts)} samples at {rate_hz:g} Hz, looped")
        print(f"USB serial: {shoe.serial_port}" + (f"; radio {args.radio}" if args.radio else ""))
        try:
            while shoe.alive():
                time.sleep(0.5)
        except KeyboardInterrupt:
            return 0
        print("the virtual shoe's firmware stopped (after `footfall firmware repl` it ends: the MicroPython unix "
              "port gives no REPL on the serial pty)")
        print(shoe.stderr()[-2000:].strip())
        return 1


def _recording(args: argparse.Namespace, imu: str, acc_range_g: int) -> tuple[Any, float]:
    """A recording's samples as this board's counts; a rate its IMU cannot sample at is refused (the shoe would
    play it at its own default rate instead)."""
    from footfall.virtual.shoe import IMU_RATES_HZ
    from footfall.virtual.shoe_sources import recording_counts

    counts, rate_hz = recording_counts(args.play, args.side, imu, acc_range_g)
    if round(rate_hz) not in IMU_RATES_HZ[imu]:
        raise InputError(f"{args.play} was sampled at {rate_hz:g} Hz, which the {args.board}'s {imu} does not offer "
                         f"({', '.join(map(str, IMU_RATES_HZ[imu]))} Hz)", hint="choose the other --board, if it does")
    return counts, rate_hz
