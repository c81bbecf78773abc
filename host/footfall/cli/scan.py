"""`footfall scan`: list nearby footfall sensors."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from footfall.cli.common import seconds

if TYPE_CHECKING:
    from rich.text import Text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scan", help="list nearby footfall sensors (name, side, address, RSSI, battery, firmware, "
                                    "serial, in use)")
    p.add_argument("--timeout", type=seconds, default=5.0, help="seconds to listen (default 5)")
    p.add_argument("--no-connect", action="store_true", help="do not connect to read battery, firmware, serial and state")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from rich.console import Console
    from rich.table import Table

    from footfall.live.scan import scan

    found = asyncio.run(scan(args.timeout, details=not args.no_connect))
    table = Table(title=f"footfall sensors ({len(found)} found)")
    for column in ("name", "side", "address", "RSSI", "battery", "firmware", "serial", "state"):
        table.add_column(column)
    for f in found:
        state = {True: "streaming (in use)", False: "idle", None: "—"}[f.streaming]
        table.add_row(*map(plain, (f.name, f.side, f.address, f"{f.rssi_dbm} dBm" if f.rssi_dbm is not None else "—",
                                   f"{f.battery_pct}%" if f.battery_pct is not None else "—", f.firmware or "—",
                                   f.serial or "—", state)))
    Console().print(table)
    return 0


def plain(value: str) -> Text:
    """A cell as the text it is: any device in range chooses its name, and the firmware and serial strings it
    serves, so none is read as Rich markup (`[link=...]` made a clickable link) and control characters show
    escaped (an escape sequence retitled or cleared the terminal)."""
    from rich.text import Text

    from footfall.store.checks import shown

    return Text(shown(value))
