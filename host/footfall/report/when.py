"""Times on the page: UTC, with this computer's local time and zone beside it (qa17 #11: a client quotes the
time of their appointment, not UTC). The zone is the one the computer writing the report runs in, named by its
abbreviation and offset (`datetime.astimezone()`): footfall does not guess where the run took place."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def when_text(t: datetime) -> str:
    """"2026-11-17 09:00 UTC (10:00 CET, UTC+01:00, this computer's time zone)"; UTC alone when the computer's
    zone is UTC itself."""
    utc = t.astimezone(timezone.utc)
    local = utc.astimezone()
    base = f"{utc:%Y-%m-%d %H:%M} UTC"
    name = local.tzname() or ""
    if name in ("UTC", "Etc/UTC", "Universal") and local.utcoffset() == timedelta(0):
        return base
    day = "" if local.date() == utc.date() else f"{local:%Y-%m-%d} "
    return f"{base} ({day}{local:%H:%M} {name}, {_offset(local)}, this computer's time zone)"


def _offset(local: datetime) -> str:
    off = local.utcoffset() or timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
