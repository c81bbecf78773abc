"""`--start TIME`, the time a run began, as `history add` reads it, for the commands that date a file by it
(`footfall import`): the same ISO 8601 parsing (no offset: this computer's local time) and the same refusals (a
start in the future, or before footfall's earliest)."""

from __future__ import annotations

from datetime import datetime

def given_start(text: str) -> datetime:
    """`text` as an aware time, refused (InputError) as `history add --start` refuses it."""
    from footfall.cli.history import _parse_time  # history add's own reading, not a copy of it
    from footfall.dates import check_not_too_early
    from footfall.store.checks import check_start

    given = _parse_time(text, local=True)
    check_start(given)
    check_not_too_early(given, "--start", hint="give the time the run began, e.g. --start 2026-04-20T07:00:00Z")
    return given
