"""Times on the page: UTC, with this computer's local time and zone beside it (qa17 #11: a client quotes the
time of their appointment, not UTC). The zone is the one the computer writing the report runs in, named by its
abbreviation and offset (`datetime.astimezone()`): footfall does not guess where the run took place."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from footfall.utc import local_day


def _is_utc(local: datetime) -> bool:
    return (local.tzname() or "") in ("UTC", "Etc/UTC", "Universal") and local.utcoffset() == timedelta(0)


def day_heading(t: datetime) -> str:
    """"local date, CET" when the page shows local times beside UTC (qa17 N9: a 23:30 UTC visit is the next day in
    CET), "UTC date" when the computer's zone is UTC."""
    local = t.astimezone(timezone.utc).astimezone()
    return "UTC date" if _is_utc(local) else f"local date, {local.tzname() or _offset(local)}"


def day_text(t: datetime) -> str:
    """The date under `day_heading`: the local date (the UTC date when the zone is UTC), as utc.local_day."""
    return local_day(t).isoformat()


def when_text(t: datetime) -> str:
    """"2026-11-17 09:00 UTC (10:00 CET, UTC+01:00, this computer's time zone)"; UTC alone when the computer's
    zone is UTC itself."""
    utc = t.astimezone(timezone.utc)
    local = utc.astimezone()
    base = f"{utc:%Y-%m-%d %H:%M} UTC"
    name = local.tzname() or ""
    if _is_utc(local):
        return base
    day = "" if local.date() == utc.date() else f"{local:%Y-%m-%d} "
    return f"{base} ({day}{local:%H:%M} {name}, {_offset(local)}, this computer's time zone)"


def _offset(local: datetime) -> str:
    off = local.utcoffset() or timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
