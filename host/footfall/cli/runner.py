"""`footfall runner add|set|list`: the runners in the history database (height, leg length, target cadence);
`runner delete|rename|export|import`: a client's data as a whole (cli/client_data.py)."""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from typing import TYPE_CHECKING, Any

from footfall.cli.client_data import register_runner_actions, run_runner_action
from footfall.cli.common import add_db_option

if TYPE_CHECKING:
    from footfall.store import Store

RECENT_RUNS = 5  # the runs whose median cadence a new target is compared with


def register(sub: Any) -> None:
    parser = sub.add_parser("runner", help="add, change, list, rename, delete, export or import runners")
    rsub = parser.add_subparsers(dest="runner_command", metavar="ACTION", required=True)
    for action, text in (("add", "add a runner"), ("set", "change a runner's details")):
        p = rsub.add_parser(action, help=text)
        p.add_argument("name")
        p.add_argument("--height-m", type=float, default=None, help="body height in metres (e.g. 1.68)")
        p.add_argument("--leg-length-m", type=float, default=None,
                       help="leg length (hip to floor) in metres (e.g. 0.86)")
        p.add_argument("--target-cadence-spm", type=float, default=None,
                       help="the runner's own cadence target in steps/min, both feet counted (e.g. 170; a watch "
                            "showing strides/min shows half); each run aims at most 5%% above the measured "
                            "cadence on the way to it; without one, 5%% above the current")
        p.set_defaults(func=run)
    rsub.add_parser("list", help="list runners").set_defaults(func=run)
    register_runner_actions(rsub)
    for action in ("delete", "rename", "export", "import"):
        rsub.choices[action].set_defaults(func=run_runner_action)
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
            if args.target_cadence_spm is not None:
                _warn_far_target(store, runners[0].name, args.target_cadence_spm)
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


def recent_cadence_spm(store: Store, runner: str, runs: int = RECENT_RUNS) -> float | None:
    """The median cadence of the runner's last `runs` running sessions (of `CadenceParams.typical_min_s` or more:
    a demo is no run); None without one."""
    from footfall.coaching.cadence import CadenceParams

    shortest_s = CadenceParams().typical_min_s
    sessions = [s for s in store.sessions(runner) if s.finished and s.basis == "running" and s.duration_s >= shortest_s]
    cadences = [s.summary.get("cadence_spm", math.nan) for s in sessions[-runs:]]
    finite = [c for c in cadences if math.isfinite(c)]
    return statistics.median(finite) if finite else None


def _warn_far_target(store: Store, runner: str, target_spm: float) -> None:
    """A target far above the runner's recent cadence is kept, but each run only takes a step towards it."""
    from footfall.coaching.cadence import CadenceParams

    max_step_frac, recent = CadenceParams().target_increase_frac, recent_cadence_spm(store, runner)
    if recent is None or target_spm <= recent * (1 + max_step_frac):
        return
    step = round(recent * (1 + max_step_frac))
    print(f"note: {target_spm:.0f} steps/min is {(target_spm / recent - 1) * 100:.0f}% above {runner}'s recent "
          f"cadence ({recent:.0f}); each run will aim at most {max_step_frac * 100:.0f}% above the measured "
          f"cadence (about {step} now), building towards {target_spm:.0f} over weeks", file=sys.stderr)
