"""`footfall virtual-shoe --side L [--play FILE | --runner PRESET]`: run the real firmware as a virtual shoe.

It prints where to reach it (the serial port for `footfall live serial:...`, the radio address for the
bluetooth shim) and runs until Ctrl-C; the MicroPython process is killed on the way out.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("virtual-shoe", help="run the firmware in MicroPython as a virtual shoe (no hardware)")
    p.add_argument("--side", choices=("L", "R"), default="L")
    p.add_argument("--play", type=Path, default=None, help="a .ffr recording to play (its counts, looped)")
    p.add_argument("--runner", default="midfoot", help="virtual runner preset when not playing a file")
    p.add_argument("--duration-s", type=float, default=120.0, help="virtual runner length before it loops")
    p.add_argument("--board", default="xiao_esp32s3", choices=("xiao_esp32s3", "m5stickc_plus2"))
    p.add_argument("--radio", default=None, help="host:port of a virtual radio (FOOTFALL_RADIO); else USB only")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import time

    from footfall.virtual.shoe import ShoeConfig, VirtualShoe, chip_rate_hz
    from footfall.virtual.shoe_sources import recording_counts, runner_counts

    imu = "mpu6886" if args.board == "m5stickc_plus2" else "lsm6dso32"
    acc_range_g = 16 if imu == "mpu6886" else 32
    if args.play is not None:
        counts, rate_hz = recording_counts(args.play, args.side)
        cfg = ShoeConfig(board=args.board, side=args.side, rate_hz=int(rate_hz), acc_range_g=acc_range_g)
    else:
        cfg = ShoeConfig(board=args.board, side=args.side, rate_hz=416, acc_range_g=acc_range_g)
        counts, rate_hz = runner_counts(args.runner, args.side, args.duration_s, imu, acc_range_g,
                                        rate_hz=chip_rate_hz(cfg, 416))  # as fast as the chip really samples
    env = {"FOOTFALL_RADIO": args.radio} if args.radio else None
    with VirtualShoe(cfg, samples=counts, radio_env=env) as shoe:
        print(f"virtual shoe footfall-{args.side}: {len(counts)} samples at {rate_hz:g} Hz, looped")
        print(f"USB serial: {shoe.serial_port}" + (f"; radio {args.radio}" if args.radio else ""))
        try:
            while shoe.alive():
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        if not shoe.alive():
            print(shoe.stderr()[-2000:])
            return 1
    return 0
