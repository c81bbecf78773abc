"""The earliest start footfall takes for a run. A date before it is a typo (0001-01-01) or a clock never set
(1970-01-01), not a run: stored, it sorted before every real run and broke the weekly trend of the runner's whole
history (its 7-day periods ran off the calendar)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from footfall.errors import InputError

EARLIEST_START_UTC = datetime(2000, 1, 1, tzinfo=timezone.utc)  # before any footfall sensor


def check_not_too_early(start_utc: datetime, what: str, hint: str) -> None:
    """Refuse `what` (e.g. "--start") when `start_utc` is before EARLIEST_START_UTC."""
    utc = start_utc.astimezone(timezone.utc)
    if utc < EARLIEST_START_UTC:  # (isoformat: strftime writes year 1 as "1")
        raise InputError(f"{what} {utc.date().isoformat()} {utc:%H:%M} UTC is before "
                         f"{EARLIEST_START_UTC.date().isoformat()}, the earliest start footfall takes", hint=hint)


def earlier_by(when: datetime, delta: timedelta) -> datetime:
    """`when - delta`, or the earliest time Python can hold when that is before year 1: a start stored before
    footfall refused such dates must not stop the figures of every other run."""
    try:
        return when - delta
    except OverflowError:
        return datetime.min.replace(tzinfo=when.tzinfo)
