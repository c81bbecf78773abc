"""QA16 re-review (/work/notes/qa16_coaching_re.md) F6: the first-run advice is conditional, and a run that does
what it said (about 15 minutes after a shorter first run) is "within the beginner plan", not "125% longer"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from footfall.coaching.load import PastRun, check_load, load_advice

T0 = datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)


def test_the_first_run_text_is_conditional() -> None:
    msg = load_advice(check_load(PastRun(T0, 3100.0, 900.0), [])).message
    assert "If you are new to running or back after a break: keep runs to about 15 minutes this week" in msg
    assert "If you already run regularly, footfall starts comparing from this run" in msg
    assert "New to running, or back after a break?" not in msg


def test_fifteen_minutes_after_a_shorter_first_run_is_within_the_beginner_plan() -> None:
    """nr in the review: 6.7 min, then 15 min two days later: "125% longer ... You are still building up"."""
    first = PastRun(T0 - timedelta(days=2), 1380.0, 402.0)
    check = check_load(PastRun(T0, 3100.0, 900.0), [first])
    msg = load_advice(check).message
    assert check.level == "beginner" and "within the beginner plan" in msg and "% longer" not in msg
    longer = check_load(PastRun(T0, 4200.0, 1200.0), [first])  # 20 min: beyond the first week's runs
    assert longer.level == "strong" and "% longer" in load_advice(longer).message
