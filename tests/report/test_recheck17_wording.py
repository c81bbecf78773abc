"""qa17 physio re-check N9: no leg-length caveat at the head of the page (the components table says it), the
progress table's dates in the page's local zone, and "below footfall's floor" on a Δ whose CI excludes 0."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.build import write_report
from footfall.report.change import FLOOR_NOTE, Change
from footfall.store import Store

T0 = datetime(2026, 11, 3, 23, 30, tzinfo=timezone.utc)  # 00:30 the next day in Berlin


@pytest.fixture
def berlin(local_zone: Callable[[str], None]) -> None:
    local_zone("Europe/Berlin")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        store.add_runner("ana", 1.68, 0.86)
        for week in range(2):
            store.add_session("ana", planned_run([(120, Gait())], seed=week), T0 + timedelta(days=7 * week))
    return path


def test_the_leg_length_is_said_under_the_components_table_only(db: Path, tmp_path: Path) -> None:
    with Store(db, readonly=True) as store:
        page = write_report(store, 2, tmp_path / "r.html").read_text()
    meta = page.split('id="report-meta"')[1].split("</p>")[0]
    assert "leg length" not in meta and "Report written" in meta
    assert page.count("current profile: 0.86 m") == 1
    assert "current profile: 0.86 m" in page.split('id="summary-landing"')[1].split("</section>")[0]


def test_the_progress_dates_are_local_when_the_page_shows_local_times(db: Path, tmp_path: Path, berlin: None) -> None:
    with Store(db, readonly=True) as store:
        page = write_report(store, 2, tmp_path / "r.html").read_text()
    table = page.split('id="progress-table"')[1].split("</table>")[0]
    assert "visit (local date, CET)" in table and "UTC date" not in table
    assert "2026-11-04" in table and "2026-11-03" not in table


def test_a_change_below_the_floor_but_outside_noise_says_so() -> None:
    floor = Change("contact_time_ms", "cue", -6.0, -7.0, -5.0, True)
    noise = Change("contact_time_ms", "cue", -2.0, -7.0, +3.0, True)
    assert floor.text() == "-6 [-7, -5] (below footfall's floor)"
    assert noise.text() == "-2 [-7, +3] (within noise)"
    assert "below footfall's floor" in FLOOR_NOTE and not math.isnan(floor.change)


def test_a_ci_that_prints_as_reaching_zero_is_within_noise() -> None:
    assert Change("contact_time_ms", "cue", -1.0, -2.0, -0.3, True).text() == "-1 [-2, +0] (within noise)"


def test_a_strike_angle_difference_that_rounds_to_zero_prints_without_a_minus() -> None:
    from footfall.report.sides import SideRow

    assert SideRow("strike_angle_deg", "strike angle (deg)", 18.1, 18.12, -0.02, 1).cells()[2] == "+0.0 deg"
