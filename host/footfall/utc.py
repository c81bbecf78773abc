"""The one text form of a UTC time in footfall's JSON outputs: ISO 8601 ending in Z, to the millisecond when the
time has a fraction of a second ("2026-04-20T07:00:12.345Z"), else to the second ("2026-04-20T07:00:12Z", a
time only known to the second, such as a recording's created_utc). And the one local calendar day that advice,
check-ins and reports name a run or a check-in by (`local_day`)."""

from __future__ import annotations

from datetime import date, datetime, timezone


def iso_utc(when: datetime) -> str:
    """`when` (aware; naive is taken as UTC) as ISO 8601 in UTC with Z, milliseconds when it has a fraction."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)
    utc = aware.astimezone(timezone.utc)
    return utc.isoformat(timespec="milliseconds" if utc.microsecond else "seconds").replace("+00:00", "Z")


def iso_utc_s(unix_s: float) -> str:
    """A Unix time (s) as iso_utc text, to the millisecond."""
    return datetime.fromtimestamp(round(unix_s, 3), timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def local_day(when: datetime) -> date:
    """The calendar day of `when` where the runner is (this computer's time zone): what the coaching text, the
    check-in answers and the report title print, so the three name a red flag's day alike (an aware 23:30 UTC is
    the next day in Auckland). A naive `when` is taken as local already (the history stores aware UTC times)."""
    return when.astimezone().date() if when.tzinfo else when.date()
