"""`footfall validate [--data DIR] [--only NAME ...]`: run every accuracy validation and print the table.

Real datasets come from ../shared/data (see its README and each PROVENANCE.md); the virtual-runner grid needs
no data. docs/validation.md holds the latest results of this command.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from footfall.errors import InputError


GUARD_LEGEND = "(...) = regression guard, not an accuracy target (docs/validation.md)"


def register(sub: Any) -> None:
    from footfall.validation.run import DATA_ORDER, VALIDATIONS

    parser = sub.add_parser("validate", help="measure accuracy on the reference datasets and the virtual runner",
                            description="Measure every accuracy figure against reference data: the recordings in "
                                        "DIR (see its README) and the virtual runner's own truth. Prints one table; "
                                        "exits 1 when a figure misses its target, or a dataset that is there "
                                        "cannot be read (a bound in parentheses is a regression guard, not a "
                                        "target). docs/validation.md explains each.")
    parser.add_argument("--data", type=Path, default=None, metavar="DIR", help=f"reference data (default: {DATA_ORDER})")
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME", choices=tuple(VALIDATIONS),
                        help=f"run only these: {' '.join(VALIDATIONS)}")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from footfall.validation.run import Skipped, default_data_dir, run_all

    if args.data is not None and not args.data.is_dir():  # a typo must not read as "skipped, no data"
        raise InputError(f"no folder {args.data}", hint="give the folder that holds the reference datasets")
    data_dir = args.data or default_data_dir()
    console = Console(width=max(132, Console().width))  # every metric name in full, with both bounds
    table = Table(title=f"footfall validate ({data_dir})")
    for col in ("dataset", "metric", "value", "unit", "target", "ok"):
        table.add_column(col, justify="right" if col in ("value", "target") else "left")
    failed, notes, measured, broken = 0, list[str](), 0, list[str]()
    for result in run_all(data_dir, args.only):
        if isinstance(result, Skipped):
            table.add_row(result.name, "skipped", "", "", "", result.reason + (" [red]NO[/]" if result.refused else ""))
            failed += result.refused  # data that is there but unreadable has not been validated: not a pass
            continue
        measured += 1
        for m in result.metrics:
            # target: "<= 10"; a regression guard (not a target) in parentheses; none: reported only
            ok = m.status_text.replace("NO", "[red]NO[/]")
            table.add_row(result.dataset, m.name, _value(m.value), m.unit, m.target_text, ok)
            failed += not m.met
            if not m.held:
                broken.append(f"{result.dataset} {m.name}")
        notes.extend(f"{result.dataset}: {note}" for note in result.notes)
    console.print(table)
    console.print(GUARD_LEGEND, highlight=False, markup=False)  # what the parentheses mean, where it is read
    for note in notes:
        console.print(f"note: {note}")
    if broken:  # a figure got worse than where it stood; the tests fail on it, the exit status does not
        console.print(f"[red]regression guard broken[/]: {', '.join(broken)}")
    if not measured:
        raise InputError("nothing was measured: every validation asked for was skipped (see the table)",
                         hint=f"is the reference data at {data_dir}?")
    return 1 if failed else 0


def _value(value: float) -> str:
    """Three significant digits, but whole counts in full (2605 vs 2600 steps read 2.6e+03 alike)."""
    whole = math.isfinite(value) and value == int(value) and abs(value) >= 1000
    return f"{value:.0f}" if whole else f"{value:.3g}"
