"""`--start TIME`, the time a run began, as `history add` and `footfall import` read it: ISO 8601 (no offset: this
computer's local time), refused when in the future or before footfall's earliest start; and the times files
hold (no offset: UTC)."""

from __future__ import annotations

from datetime import datetime, timezone

from footfall.errors import InputError


def parse_time(text: str, local: bool = False) -> datetime:
    """An ISO 8601 time; one without an offset is UTC in files, this computer's local time when `local` (as a
    runner types it)."""
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"not an ISO 8601 time: {text!r}") from exc
    if t.tzinfo:
        return t
    try:
        return t.astimezone() if local else t.replace(tzinfo=timezone.utc)
    # 0001-01-01 has no local time (year 0); Windows' C runtime refuses dates before 1970 and after 3000 with
    # OSError (EINVAL): as UTC, for the date checks to refuse with their own words rather than "check the path"
    except (ValueError, OverflowError, OSError):
        return t.replace(tzinfo=timezone.utc)


def given_start(text: str) -> datetime:
    """`text` as an aware time, refused (InputError) when in the future or before footfall's earliest start."""
    from footfall.dates import check_not_too_early
    from footfall.store.checks import check_start

    given = parse_time(text, local=True)
    check_start(given)
    check_not_too_early(given, "--start", hint="give the time the run began, e.g. --start 2026-04-20T07:00:00Z")
    return given
