"""`footfall runner add|set|list`: the runners in the history database (height, leg length, target cadence)."""

from __future__ import annotations

import argparse
from typing import Any

from footfall.cli.common import add_db_option


def register(sub: Any) -> None:
    parser = sub.add_parser("runner", help="add, change or list runners in the history")
    rsub = parser.add_subparsers(dest="runner_command", metavar="ACTION", required=True)
    for action, text in (("add", "add a runner"), ("set", "change a runner's details")):
        p = rsub.add_parser(action, help=text)
        p.add_argument("name")
        p.add_argument("--height-m", type=float, default=None, help="body height in metres (e.g. 1.68)")
        p.add_argument("--leg-length-m", type=float, default=None,
                       help="leg length (hip to floor) in metres (e.g. 0.86)")
        p.add_argument("--target-cadence-spm", type=float, default=None,
                       help="the runner's own cadence target in steps/min, both feet counted (e.g. 170; a watch "
                            "showing strides/min shows half); else 5-10%% above the current")
        p.set_defaults(func=run)
    rsub.add_parser("list", help="list runners").set_defaults(func=run)
    add_db_option(parser, rsub)


def run(args: argparse.Namespace) -> int:
    from footfall.store import Store

    action = args.runner_command
    with Store(args.db, create=action == "add", readonly=action == "list") as store:
        if args.runner_command == "add":
            runners = [store.add_runner(args.name, args.height_m, args.leg_length_m, args.target_cadence_spm)]
        elif args.runner_command == "set":
            values = {k: getattr(args, k) for k in ("height_m", "leg_length_m", "target_cadence_spm")
                      if getattr(args, k) is not None}
            runners = [store.update_runner(args.name, **values)]
        else:
            runners = store.runners()
            if not runners:
                print(f"no runners in {store.path} yet: add one with `footfall runner add NAME`")
        for r in runners:
            print(f"{r.name}: height {_m(r.height_m)}, leg length {_m(r.leg_length_m)}, target cadence "
                  f"{'-' if r.target_cadence_spm is None else f'{r.target_cadence_spm:.0f} steps/min'}")
    return 0


def _m(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} m"
