"""`footfall advice SESSION`: the session summary and the short prioritised advice list with sources."""

from __future__ import annotations

import argparse
from typing import Any

from footfall.cli.common import add_db_option


def register(sub: Any) -> None:
    parser = sub.add_parser("advice", help="summary and prioritised advice for a stored session")
    parser.add_argument("session", type=int)
    parser.add_argument("--all", action="store_true", help="every advice entry, not only the top ones")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    from footfall.coaching.session_advice import advice_for_session
    from footfall.coaching.technique import figure
    from footfall.store import Store

    with Store(args.db) as store:
        sa = advice_for_session(store, args.session, limit=None if args.all else 7)
    if args.json:
        from footfall.report.export import json_text

        doc = {"session": args.session, "summary": sa.summary.to_dict(), "advice": [a.to_dict() for a in sa.advice]}
        print(json_text(doc))
        return 0
    s = sa.summary
    print(f"session {args.session}: {s.duration_s / 60:.1f} min, {figure(s.distance_m / 1000, '{:.2f}', ' km')}, "
          f"{f'{s.n_steps} {s.activity} steps' if s.activity != 'none' else 'no steps'}, cadence "
          f"{figure(s.cadence_spm, '{:.0f}', ' steps/min')}, rearfoot {figure(s.rearfoot_share * 100, '{:.0f}', '%')}, "
          f"overstride {figure(s.overstride_index, '{:.2f}')}")
    for n, a in enumerate(sa.advice, 1):
        print(f"\n{n}. [{a.category.value}] {a.title}\n   {a.message}")
        for c in a.citations():
            print(f"   source: {c}")
    print("\nfootfall gives training advice only; it does not diagnose. See `footfall advice --all` for more.")
    return 0
