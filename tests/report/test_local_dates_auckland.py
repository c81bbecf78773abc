"""In UTC+13 a morning run is still the day before in UTC (qa18 finding 7): the report's title, the weekly-trend
entry, the red-flag reminder and `footfall checkin` name the local date, as the report's times and progress table
do, not the UTC one."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.trend import TrendParams, WeekTrend, _verdict
from footfall.report.export import write_json

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def auckland(local_zone: Callable[[str], None]) -> None:
    local_zone("Pacific/Auckland")


@pytest.fixture
def ana(ff: Run, tmp_path: Path) -> Run:
    """Ana with runs at 06:00 NZDT on 2026-11-21 and 2026-11-22 (17:00 UTC the day before): sessions 1 and 2."""
    steps = write_json(planned_run([(600, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-01T00:00:00Z"})
    ff("runner", "add", "ana")
    for day in ("21", "22"):
        code, _, err = ff("history", "add", str(steps), "--runner", "ana", "--start", f"2026-11-{day}T06:00:00",
                          "--force")
        assert code == 0, err
    return ff


def test_the_report_title_has_the_local_date_of_its_times(ana: Run, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert ana("report", "1", "-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert "session 1 of 2026-11-21</title>" in html and "2026-11-20 17:00 UTC (2026-11-21 06:00 NZDT" in html


def test_the_red_flag_reminder_and_checkin_name_the_local_date(ana: Run) -> None:
    assert ana("checkin", "--runner", "ana", "--session", "1", "--twist-or-fall")[0] == 0
    code, out, _ = ana("advice", "2")
    assert code == 0 and "on 2026-11-21 (with session 1" in out and "2026-11-20" not in out
    code, out, _ = ana("checkin", "--runner", "ana", "--session", "1", "--examined")
    assert code == 0 and "The red-flag reminder of 2026-11-21 has ended" in out


def test_the_weekly_trend_names_the_local_day_of_the_run_warned_of() -> None:
    warned = WeekTrend(datetime(2026, 11, 20, 17, 0, tzinfo=timezone.utc), 20.0, (10.0, 10.0, 10.0), 10.0, 10.0,
                       100, True)
    later = WeekTrend(datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc), 21.0, (10.0, 10.0, 10.0), 10.0, 10.0,
                      110, True)
    text, _ = _verdict(later, warned, TrendParams())
    assert "after the run of 2026-11-21" in text and "2026-11-20" not in text
    grown = WeekTrend(later.end_utc, 40.0, later.earlier_km, 10.0, 10.0, 300, True)
    assert "20.0 km on 2026-11-21" in _verdict(grown, warned, TrendParams())[0]


def test_the_zone_really_is_auckland() -> None:
    assert os.environ["TZ"] == "Pacific/Auckland"
    assert datetime(2026, 11, 20, 17, 0, tzinfo=timezone.utc).astimezone().day == 21
