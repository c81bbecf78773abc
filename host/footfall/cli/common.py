"""Options shared by several commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DB_HELP = "history database (default: history.sqlite in the user data directory)"


def add_db_option(parser: argparse.ArgumentParser, actions: Any = None) -> None:
    """`--db PATH` on a command and, when it has `actions` (sub-parsers), on each of them too, so the option
    may stand before or after the action."""
    parser.add_argument("--db", type=Path, default=None, help=DB_HELP)
    for action in (actions.choices.values() if actions is not None else ()):
        action.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=DB_HELP)
