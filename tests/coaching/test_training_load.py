"""Load checks compare running only, new runners get the article's plan, and a rest day is asked for (review
qa16: 5, 11, 14, 16)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from footfall.coaching.knowledge import Category
from footfall.coaching.load import PastRun, check_load, days_in_a_row, load_advice
from footfall.coaching.routine import check_warmup, routine_advice, shoe_advice, warmup_advice
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.coaching.trend import trend_advice
from footfall.store import Store

T0 = datetime(2026, 4, 20, 12, 0, tzinfo=timezone.utc)  # midday: the same calendar day in any time zone near UTC
EASY = Gait(cadence_spm=172, strike_angle_deg=5, overstride_index=0.2, speed_mps=3.0)
STROLL = Gait(cadence_spm=110, strike_angle_deg=5, overstride_index=0.2, speed_mps=1.4)


def _walking(seconds: float, seed: int = 1) -> list:
    return [replace(s, activity="walking") for s in planned_run([(seconds, STROLL)], seed=seed)]


def _load(store: Store, session_id: int) -> str:
    entries = advice_for_session(store, session_id, limit=None).advice
    return next(a.message for a in entries if a.category is Category.LOAD and a.title.startswith("Load"))


def test_a_long_walk_does_not_hide_a_first_run(tmp_path: Path) -> None:
    """Review 5: runner cat walked 2.1 km, then ran 1.9 km, her first run: "no longer than your longest run ...
    Good". The walk is no reference: her first run gets the beginner's plan."""
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("cat")
        store.add_session("cat", _walking(1500), T0 - timedelta(days=2))
        run = store.add_session("cat", planned_run([(600, EASY)]), T0)
        msg = _load(store, run.id)
    assert "Good" not in msg and "longest run" not in msg.split("footfall then")[0]
    assert "new to running" in msg and "15 minutes" in msg


def test_a_walk_gets_no_load_check_no_trend_and_no_walk_in_praise(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("cat")
        store.add_session("cat", planned_run([(1800, EASY)]), T0 - timedelta(days=3))
        walk = store.add_session("cat", _walking(900), T0)
        advice = advice_for_session(store, walk.id, limit=None).advice
    load = [a for a in advice if a.category is Category.LOAD]
    assert [a.title for a in load] == ["Load: no check for this walk"]
    assert load[0].message.startswith("No load check for walks") and not load[0].citations()
    warm = next(a for a in advice if a.category is Category.WARMUP)
    assert "walked" not in warm.message.lower() and warm.title == "Warm-up"


def test_walking_before_no_running_is_no_walk_in() -> None:
    """Review 5: a walk-only session got "You walked 8 min before running: a good way in"."""
    assert check_warmup(_walking(480)).walk_in_s == 0.0
    walk_then_run = _walking(180) + [replace(s, ic_time_s=s.ic_time_s + 180) for s in planned_run([(60, EASY)])]
    assert check_warmup(walk_then_run).walk_in_s > 170


def test_the_routine_names_the_session() -> None:
    assert routine_advice(False, "walk").message.startswith("After the walk:")
    assert routine_advice(False).message.startswith("After the run:")


def test_walks_do_not_count_in_the_weekly_trend() -> None:
    start = T0 - timedelta(days=40)
    runs = [PastRun(T0 - timedelta(days=d), 5000, 1800) for d in (33, 26, 19, 12)]
    walks = [PastRun(T0 - timedelta(days=d), 6000, 4000, "walking") for d in (4, 3, 2, 1)]
    this = PastRun(T0, 5000, 1800)
    with_walks = trend_advice([*runs, *walks, this], this, start)
    assert with_walks is not None and "5.0 in the last 7 days" in with_walks.message
    assert trend_advice([*runs, *walks, this], replace(this, activity="walking"), start) is None


def test_a_run_after_a_week_of_daily_runs_asks_for_a_rest_day() -> None:
    """Review 11: rest between runs was cited but never checked. Runs on 5 or more days in a row: plan a rest
    day (footfall's own number, after articles 001 and 004)."""
    old = PastRun(T0 - timedelta(days=40), 5000, 1800)
    daily = [PastRun(T0 - timedelta(days=d), 5000, 1800) for d in range(1, 5)]  # said on day 5: once per streak
    check = check_load(PastRun(T0, 5000, 1800), [old, *daily])
    assert check.days_in_a_row == 5
    a = load_advice(check)
    assert "You have run on each of the last 5 days (this one included), more than before" in a.message
    assert "plan a rest day" in a.message and "Good." not in a.message
    assert a.urgency >= 1 and "rest_between_runs" in [i.key for i in a.items] and "5 or more days" in a.own_values
    cites = " ".join(a.citations())
    assert "001_e2e46a23ffc03c29.txt" in cites and "004_5337cbcb87cbd1be.txt" in cites


def test_a_day_off_resets_the_count_and_walks_and_short_clips_do_not_count() -> None:
    gap = [PastRun(T0 - timedelta(days=d), 5000, 1800) for d in (1, 2, 4, 5, 6)]
    assert days_in_a_row(PastRun(T0, 5000, 1800), gap) == 3
    walks = [PastRun(T0 - timedelta(days=d), 3000, 1800, "walking") for d in range(1, 6)]
    clips = [PastRun(T0 - timedelta(days=d), 100, 40) for d in range(1, 6)]
    check = check_load(PastRun(T0, 5000, 1800), [*walks, *clips])
    assert check.days_in_a_row == 1 and "rest day" not in load_advice(check).message
    assert "rest day" not in load_advice(check_load(PastRun(T0, 5000, 1800), gap)).message


def test_a_first_run_is_told_how_to_start() -> None:
    """Review 14: a first run got only "build up gradually"; now the article's 15-30-45 min plan, as a plan."""
    a = load_advice(check_load(PastRun(T0, 2000, 900), []))
    assert "keep runs to about 15 minutes this week" in a.message and "15, then 30, then 45 minutes" in a.message
    assert "gradual_progression" in [i.key for i in a.items]


def test_a_new_runner_doubling_is_not_just_a_big_jump() -> None:
    """Review 14: a beginner following the article (15 min, then 30) was told only "That is a big jump"."""
    week_one = PastRun(T0 - timedelta(days=7), 2500, 900)
    new = load_advice(check_load(PastRun(T0, 5000, 1800), [week_one]))
    assert "big jump" not in new.message and "You are still building up" in new.message
    assert "smaller steps than doubling" in new.message and new.urgency == 2
    established = PastRun(T0 - timedelta(days=35), 2500, 900)
    old = load_advice(check_load(PastRun(T0, 5000, 1800), [established, week_one]))
    assert "That is a big jump." in old.message and "still building up" not in old.message


def test_notes_that_give_no_advice_cite_nothing() -> None:
    """Review 16: "No shoe recorded" cited the shoe items; the warm-up reminder opened with "footfall sees the
    run, not what you did before it"."""
    assert shoe_advice(None).citations() == []
    warm = warmup_advice(check_warmup(planned_run([(120, EASY)])))
    assert warm.message.startswith("A reminder for next time") and "footfall sees the run" not in warm.message


def test_the_session_basis_alone_stops_the_load_check() -> None:
    walk = check_load(PastRun(T0, 800, 600, "walking"), [PastRun(T0 - timedelta(days=2), 5000, 1800)])
    assert walk.level == "not_running" and load_advice(walk).title == "Load: no check for this walk"
    empty = load_advice(check_load(PastRun(T0, 0, 60, "none"), []), "session")
    assert empty.message.startswith("No load check for sessions without running") and not empty.citations()


def test_a_session_without_steps_gets_no_stretching_routine() -> None:
    """A demo stopped while the runner still stood (first-user QA 14): "After the session: calf stretch, calf
    raises ..." followed a session of no steps. Nothing to stretch after; the routine waits for a run or a walk."""
    from footfall.coaching.advice import RunContext, post_run_advice

    advice = post_run_advice([], RunContext(PastRun(T0, 0.0, 3.0)), limit=None)
    assert advice and not [a for a in advice if a.category is Category.ROUTINE]
