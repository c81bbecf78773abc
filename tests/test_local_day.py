"""One local calendar day for the advice, the check-in answers and the report (qa18b: coaching.load.run_day and
report.when.day_text were two helpers printing the same date): footfall.utc.local_day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest

from footfall.report.when import day_heading, day_text
from footfall.utc import local_day

LATE_UTC = datetime(2026, 11, 21, 17, 0, tzinfo=timezone.utc)  # 06:00 on the 22nd in Auckland (NZDT)


@pytest.mark.parametrize(("zone", "day"), [("Pacific/Auckland", date(2026, 11, 22)), ("UTC", date(2026, 11, 21)),
                                           ("America/Los_Angeles", date(2026, 11, 21))])
def test_the_day_is_the_one_where_the_runner_is(local_zone: Callable[[str], None], zone: str, day: date) -> None:
    local_zone(zone)
    assert local_day(LATE_UTC) == day
    assert local_day(LATE_UTC.astimezone(timezone(timedelta(hours=-10)))) == day  # the same instant, any offset
    assert day_text(LATE_UTC) == day.isoformat()  # the report's text of the same day


def test_a_naive_time_is_taken_as_local(local_zone: Callable[[str], None]) -> None:
    local_zone("Pacific/Auckland")
    assert local_day(datetime(2026, 11, 21, 23, 59)) == date(2026, 11, 21)
    assert day_heading(LATE_UTC).startswith("local date, NZDT")
