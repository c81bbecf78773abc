"""The red-flag reminder said "You reported swelling on 2026-11-22 (with session 3, 2 days before this
run)" on the 25th, and a check-in the evening before a run was "earlier the same day": whole 24-hour periods beside
a calendar date. It counts the calendar days the dates print."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from footfall.coaching.checkin import CheckIn
from footfall.coaching.knowledge import Category
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.store import Store


def _local(day: int, hour: int) -> datetime:
    """A time on this computer's clock (the dates the advice prints are local), as the history stores it."""
    return datetime(2026, 11, day, hour, 0).astimezone().astimezone(timezone.utc)


def _reminder(tmp_path: Path, reported: datetime, run: datetime) -> str:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("kai")
        first = store.add_session("kai", planned_run([(600, Gait())], seed=1), reported).id
        store.add_checkin("kai", CheckIn(1, 3, swelling=True), session_id=first)
        later = store.add_session("kai", planned_run([(600, Gait())], seed=2), run).id
        top = advice_for_session(store, later, limit=None).advice[0]
    assert top.category is Category.PROFESSIONAL
    print(top.message)
    return top.message


def test_three_calendar_days_are_three_days(tmp_path: Path) -> None:
    msg = _reminder(tmp_path, _local(22, 7), _local(25, 3))  # 2.8 days apart
    assert "on 2026-11-22 (with session 1, 3 days before this run)" in msg


def test_the_evening_before_is_not_the_same_day(tmp_path: Path) -> None:
    msg = _reminder(tmp_path, _local(20, 22), _local(21, 18))  # 20 hours apart
    assert "on 2026-11-20 (with session 1, 1 day before this run)" in msg


def test_the_same_day_is_still_the_same_day(tmp_path: Path) -> None:
    msg = _reminder(tmp_path, _local(20, 7), _local(20, 18))
    assert "(with session 1, earlier the same day)" in msg
