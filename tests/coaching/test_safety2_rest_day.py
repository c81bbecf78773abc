"""QA16 re-review (/work/notes/qa16_coaching_re.md) F5: the rest-day rule does not nag a steady daily runner.

It fires on a streak new for this runner (longer than any of the previous 8 weeks), with a load rise, or with pain
in the streak; once per streak; and the load entry then says no "Good.".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from footfall.coaching.advice import RunContext, post_run_advice
from footfall.coaching.checkin import CheckIn
from footfall.coaching.knowledge import Category
from footfall.coaching.load import PastRun, check_load, load_advice
from footfall.coaching.scripted import Gait, planned_run

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


def _daily(days: range, duration_s: float = 900.0) -> list[PastRun]:
    return [PastRun(T0 - timedelta(days=d), 3000.0, duration_s) for d in days]


def test_a_new_streak_is_told_once() -> None:
    """dd in the review: 10 daily easy runs, "plan a rest day" after each one from day 5."""
    said = [load_advice(check_load(PastRun(T0 - timedelta(days=d), 3000.0, 900.0), _daily(range(d + 1, 10)))).message
            for d in range(9, -1, -1)]
    asked = [n + 1 for n, m in enumerate(said) if "plan a rest day" in m]
    assert asked == [5]  # the fifth day in a row, and never again in the streak
    assert "Good." not in said[4] and said[5].endswith("Good.")


def test_a_habitual_daily_runner_is_not_told() -> None:
    earlier = _daily(range(20, 34))  # two weeks of daily runs, then a day off
    this = PastRun(T0, 3000.0, 900.0)
    assert not check_load(this, [*earlier, *_daily(range(1, 7))]).rest_day  # 7 days: shorter than 14


def test_a_load_rise_or_pain_in_the_streak_still_asks() -> None:
    earlier = _daily(range(20, 34))
    this = PastRun(T0, 4000.0, 1200.0)  # 33% longer than the longest of the 30 days before
    assert check_load(this, [*earlier, *_daily(range(1, 7))]).rest_day
    steady = PastRun(T0, 3000.0, 900.0)
    today, yesterday = T0.astimezone().date(), (T0 - timedelta(days=1)).astimezone().date()
    assert check_load(steady, [*earlier, *_daily(range(1, 7))], pain_days={today}).rest_day
    assert not check_load(steady, [*earlier, *_daily(range(1, 7))], pain_days={yesterday}).rest_day  # said then


def test_pain_logged_in_the_streak_reaches_the_rule_from_the_checkins() -> None:
    earlier = _daily(range(20, 34))
    previous = [*earlier, *_daily(range(1, 7))]
    ctx = RunContext(PastRun(T0, 3000.0, 900.0), previous, checkin=CheckIn(1, 5))
    [load] = [a for a in post_run_advice(planned_run([(300, Gait())]), ctx, limit=None)
              if a.category is Category.LOAD and a.title.startswith("Load: this run")]
    assert "plan a rest day" in load.message and "Good." not in load.message
