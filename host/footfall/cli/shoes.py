"""`footfall shoes add|list|set|retire`: a runner's shoes, their distance and the limit the runner sets."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from footfall.cli.common import add_db_option

if TYPE_CHECKING:
    from footfall.store import Shoe, Store


def register(sub: Any) -> None:
    parser = sub.add_parser("shoes", help="track a runner's shoes and their distance against a limit")
    ssub = parser.add_subparsers(dest="shoes_command", metavar="ACTION", required=True)
    add = ssub.add_parser("add", help="add a pair")
    add.add_argument("runner")
    add.add_argument("name")
    add.add_argument("--limit-km", type=float, default=None,
                     help="replace the pair after this distance (default 600, footfall's own)")
    add.add_argument("--initial-km", type=float, default=0.0, help="distance already run in the pair")
    lst = ssub.add_parser("list", help="list a runner's shoes with their distance")
    lst.add_argument("runner")
    lst.add_argument("--all", action="store_true", help="include retired pairs")
    st = ssub.add_parser("set", help="change a pair's limit")
    st.add_argument("shoe_id", type=int)
    st.add_argument("--limit-km", type=float, required=True)
    ret = ssub.add_parser("retire", help="retire a pair")
    ret.add_argument("shoe_id", type=int)
    for p in (add, lst, st, ret):
        p.set_defaults(func=run)
    add_db_option(parser, ssub)


def run(args: argparse.Namespace) -> int:
    from footfall.store import Store

    action = args.shoes_command
    with Store(args.db, create=action == "add", readonly=action == "list") as store:
        if args.shoes_command == "add":
            shoes = [store.add_shoe(args.runner, args.name, args.limit_km, args.initial_km)]
        elif args.shoes_command == "list":
            shoes = store.shoes(args.runner, include_retired=args.all)
            if not shoes:
                print(_no_pairs(store, args))
        elif args.shoes_command == "set":
            shoes = [store.update_shoe(args.shoe_id, limit_km=args.limit_km)]
        else:
            shoes = [store.update_shoe(args.shoe_id, retired=True)]
        for s in shoes:
            print(_shoe_line(s))
    return 0


def _shoe_line(s: Shoe) -> str:
    """"1: Pegasus: 601.2 of 600 km (100%): past its limit, time for a new pair" (a retired pair says so instead)."""
    from footfall.coaching.routine import worn_percent

    state = " (retired)" if s.retired else ""
    flag = ": past its limit, time for a new pair" if s.worn_out and not s.retired else ""
    return f"{s.id}: {s.name}{state}: {s.distance_km:.1f} of {s.limit_km:.0f} km " \
        f"({worn_percent(s.distance_km, s.limit_km)}){flag}"


def _no_pairs(store: Store, args: argparse.Namespace) -> str:
    """Why the listing is empty: no pair yet, or only retired ones (shown with --all)."""
    if not args.all and store.shoes(args.runner, include_retired=True):
        return f"{args.runner} has only retired pairs: list them with `footfall shoes list {args.runner} --all`"
    return f"{args.runner} has no shoes yet: add a pair with `footfall shoes add {args.runner} NAME`"
