"""Load rules: this run against the longest run of the previous 30 days, and the weekly trend.

Frandsen et al. 2025 (Garmin-RUNSAFE, 5,205 runners, BJSM) found that single sessions more than 10% longer
than the longest run of the preceding 30 days carried a higher injury hazard (hazard ratios 1.64 for >10-30%,
1.52 for >30-100%, 2.28 above 100%); the week-to-week ratio mattered less than the single session. We warn
above 10% (the study's line) and more strongly above 30% (footfall's own step, not the study's), judged on the
percentage as printed (a run printed "10% longer" is within 10%). Distance is compared when both runs have one,
else duration. Only running sessions are compared: a long walk is no reference for a run, and a walk gets no
load check. The weekly trend is in coaching/trend.py.

footfall's own additions (no article or study gives the figures): a runner with under 4 weeks of runs in the
history is told how the Sore Ankles article's beginner plan (15, then 30, then 45 minutes, a week each) fits
the 10% rule; and runs on 5 or more days in a row ask for a rest day (after "Why do your ankles hurt after
running?", enough rest between runs, and "Ankle Pain After Running – Top Causes", long distances without rest),
but only when something about the streak is new: it is longer than any of the runner's streaks of the previous
8 weeks, a run in it is more than 10% longer than the longest of the 30 days before, or pain was logged in it (a
steady daily easy runner is not told to rest after every run). It is said once per streak, on the first run where
one of these holds. Days are calendar days in this computer's time zone.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from footfall.coaching.advice_types import Advice
from footfall.coaching.knowledge import AdviceItem, Category, item
from footfall.coaching.references import FRANDSEN_2025
from footfall.utc import local_day


@dataclass(frozen=True)
class LoadParams:
    lookback_days: float = 30.0
    warn_frac: float = 0.10
    strong_frac: float = 0.30  # footfall's own: a stronger warning (the study's risk was highest above 100%)
    # shorter sessions (a demo, a test of the sensor, a walk to the start) are no reference for a run's length:
    # 9x a 40 s clip is no load spike
    min_reference_s: float = 300.0
    rest_after_days: int = 5  # footfall's own: runs on this many days in a row ask for a rest day,
    streak_history_days: float = 56.0  # if longer than any streak in this many days before it (footfall's own)
    new_runner_days: float = 28.0  # footfall's own: a history shorter than this is a runner still building up
    beginner_first_week_s: float = 900.0  # the Sore Ankles article's first week: runs of about 15 minutes


@dataclass(frozen=True)
class PastRun:
    start_utc: datetime
    distance_m: float  # NaN when unknown
    duration_s: float
    activity: str = "running"  # the session's basis: "running", "walking" or "none"; only running is compared


@dataclass(frozen=True)
class LoadCheck:
    level: str  # "no_history", "ok", "warn", "strong", "beginner" (longer, but within the first-week plan);
    # "not_running" for a walk (no check)
    basis: str  # "distance" or "duration": what the two runs are compared by
    this_run: PastRun
    longest_run: PastRun | None  # the longest by `basis` in the window; None without one
    min_reference_s: float = LoadParams.min_reference_s  # the shortest run compared with (the message says it)
    lookback_days: float = LoadParams.lookback_days
    days_in_a_row: int = 1  # calendar days in a row with a run, ending with this run's day
    new_runner: bool = False  # under `new_runner_days` of running in the history before this run
    rest_day: bool = False  # the rest-day rule fires with this run (a streak with something new in it, once)

    @property
    def excess_frac(self) -> float:
        longest = _value(self.longest_run, self.basis) if self.longest_run else math.nan
        return _value(self.this_run, self.basis) / longest - 1.0 if longest > 0 else math.nan

    @property
    def excess_pct(self) -> float:
        """The excess as the message prints it (whole percent): the rule judges this figure."""
        return float(round(self.excess_frac * 100)) if math.isfinite(self.excess_frac) else math.nan


def _value(run: PastRun, basis: str) -> float:
    return run.distance_m if basis == "distance" else run.duration_s


def check_load(this: PastRun, previous: Sequence[PastRun], params: LoadParams = LoadParams(),
               pain_days: Collection[date] = ()) -> LoadCheck:
    """`pain_days`: the calendar days with a check-in that reported pain that matters (for the rest-day rule)."""
    check = _check(this, previous, params)
    streak = check.days_in_a_row
    due = streak >= params.rest_after_days and _rest_day_due(this, previous, streak, params, pain_days)
    return replace(check, rest_day=due)


def _runs_before(this: PastRun, previous: Sequence[PastRun]) -> list[PastRun]:
    """The running sessions before this one: walks are no reference for a run."""
    return [r for r in previous if r.activity == "running" and r.start_utc < this.start_utc]


def reference_runs(this: PastRun, previous: Sequence[PastRun], params: LoadParams = LoadParams()) -> list[PastRun]:
    """The runs this one is judged against: running sessions of `min_reference_s` or more in the `lookback_days`
    before it (the report's load chart draws the same set)."""
    start = this.start_utc - timedelta(days=params.lookback_days)
    return [r for r in _runs_before(this, previous) if start <= r.start_utc and r.duration_s >= params.min_reference_s]


def _check(this: PastRun, previous: Sequence[PastRun], params: LoadParams) -> LoadCheck:
    runs = _runs_before(this, previous)
    window = reference_runs(this, previous, params)
    have_distance = math.isfinite(this.distance_m) and all(math.isfinite(r.distance_m) for r in window)
    basis = "distance" if have_distance else "duration"
    check = LoadCheck("no_history", basis, this, None, params.min_reference_s, params.lookback_days,
                      days_in_a_row(this, runs, params), _is_new(this, runs, params))
    if this.activity != "running":
        return replace(check, level="not_running")
    if not window:
        return check
    check = replace(check, level="ok", longest_run=max(window, key=lambda r: _value(r, basis)))
    excess = check.excess_pct
    level = "strong" if excess > params.strong_frac * 100 else "warn" if excess > params.warn_frac * 100 else "ok"
    if level != "ok" and _within_first_week(check, params):
        level = "beginner"
    return replace(check, level=level)


def _within_first_week(check: LoadCheck, params: LoadParams) -> bool:
    """A runner new to the history: a run of up to 15 minutes after only shorter ones is what footfall's own
    first-run advice asked for."""
    longest = check.longest_run
    return (check.new_runner and longest is not None and longest.duration_s < params.beginner_first_week_s
            and round(check.this_run.duration_s / 60) <= params.beginner_first_week_s / 60)


def _day(run: PastRun) -> date:
    """The run's calendar day where the runner is (this computer's time zone)."""
    return local_day(run.start_utc)




def days_in_a_row(this: PastRun, runs: Sequence[PastRun], params: LoadParams = LoadParams()) -> int:
    """Calendar days in a row with a running session of `min_reference_s` or more, ending with this run's day."""
    days = {_day(r) for r in runs if r.duration_s >= params.min_reference_s}
    day, count = _day(this), 1
    while day - timedelta(days=count) in days:
        count += 1
    return count


def _rest_day_due(this: PastRun, previous: Sequence[PastRun], streak: int, params: LoadParams,
                  pain_days: Collection[date]) -> bool:
    """Whether this run is the first of its `streak` (days in a row; from day `rest_after_days` on) where the streak
    is longer than any of the previous `streak_history_days`, a run in it was a load rise, or pain was logged in it."""
    runs = [r for r in _runs_before(this, previous) if r.duration_s >= params.min_reference_s]
    first = _day(this) - timedelta(days=streak - 1)
    before = first - timedelta(days=params.streak_history_days)
    history = [r for r in runs if before <= _day(r) < first]
    longest = max((days_in_a_row(r, history, params) for r in history), default=0)
    for k in range(params.rest_after_days, streak + 1):
        day = first + timedelta(days=k - 1)
        on_day = [r for r in runs if _day(r) == day] if day != _day(this) else [this]
        rise = any(_check(r, runs, params).level in ("warn", "strong") for r in on_day)
        if k > longest or rise or any(first <= d <= day for d in pain_days):
            return day == _day(this)
    return False


def _is_new(this: PastRun, runs: Sequence[PastRun], params: LoadParams) -> bool:
    return not any(r.start_utc <= this.start_utc - timedelta(days=params.new_runner_days) for r in runs)


def _fmt(run: PastRun | None, basis: str) -> str:
    """Enough digits that two different figures do not print alike (0.12 km vs 1.1 km for 818 % longer), no more
    than a GPS-free distance supports (3.6 km, not 3.59 km)."""
    if run is None:
        return "none"
    if basis == "distance":
        return f"{run.distance_m / 1000:.{1 if run.distance_m >= 1000 else 2}f} km"
    return f"{run.duration_s / 60:.{0 if run.duration_s >= 600 else 1}f} min"


def _next_runs(check: LoadCheck, warn_frac: float = LoadParams.warn_frac) -> str:
    """What the rule judges the next runs by: this run is now the longest of the last 30 days."""
    cap = replace(check.this_run, distance_m=check.this_run.distance_m * (1 + warn_frac),
                  duration_s=check.this_run.duration_s * (1 + warn_frac))
    return (f"As your longest run of the last {check.lookback_days:g} days, it is what your next runs are judged "
            f"against: keep them within {warn_frac * 100:.0f}% of it ({_fmt(cap, check.basis)} or less) and add "
            f"length in small steps.")


TITLE = "Load: this run against the last 30 days"


def load_advice(check: LoadCheck, noun: str = "run", params: LoadParams = LoadParams()) -> Advice:
    """`noun`: what this session was ("run", or "walk"/"session" for one without running: no load check)."""
    if noun != "run" or check.level == "not_running":
        return _no_check(check, noun)
    advice = _check_advice(check, noun)
    return _with_rest_day(advice, check, params) if check.rest_day else advice


def _no_check(check: LoadCheck, noun: str) -> Advice:
    if noun == "run":  # the session's basis says it had no running
        noun = "walk" if check.this_run.activity == "walking" else "session"
    what = "walks" if noun == "walk" else "sessions without running"
    msg = (f"No load check for {what}: footfall compares running sessions only (this {noun}: "
           f"{_fmt(check.this_run, check.basis)}).")
    return Advice(Category.LOAD, "Load: no check for this " + noun, msg, (), urgency=-4)


def _check_advice(check: LoadCheck, noun: str) -> Advice:
    items: tuple[AdviceItem, ...] = (item("session_spike"), item("too_much_too_soon"), item("rest_between_runs"))
    this, longest = _fmt(check.this_run, check.basis), _fmt(check.longest_run, check.basis)
    if check.level == "no_history":
        return Advice(Category.LOAD, TITLE, _first_runs(check, this), (item("gradual_progression"), *items[:2]),
                      (FRANDSEN_2025,), -3)
    if check.level == "ok":
        than = "within 10% of" if check.excess_pct > 0 else "no longer than"
        msg = f"This {noun} ({this}) is {than} your longest run of the previous 30 days ({longest}). Good."
        return Advice(Category.LOAD, TITLE, msg, items, (FRANDSEN_2025,), -3)
    if check.level == "beginner":
        msg = (f"This {noun} ({this}) is longer than your longest run of the previous 30 days ({longest}), but within "
               f"the beginner plan: runs of about 15 minutes in the first week (the Sore Ankles article's plan). "
               f"{_next_runs(check)}")
        return Advice(Category.LOAD, TITLE, msg, (item("gradual_progression"), *items), (FRANDSEN_2025,), -3)
    jump = _new_runner_jump() if check.new_runner else " That is a big jump." if check.level == "strong" else ""
    msg = (f"This {noun} ({this}) was {check.excess_pct:.0f}% longer than your longest run of the previous 30 days "
           f"({longest}).{jump} {_next_runs(check)}")
    own = "a stronger warning above 30% longer (the study's risk was highest above 100%)"
    items = (*items, item("gradual_progression")) if check.new_runner else items
    return Advice(Category.LOAD, TITLE, msg, items, (FRANDSEN_2025,), 2 if check.level == "strong" else 1,
                  own_values=own)


def _first_runs(check: LoadCheck, this: str) -> str:
    """No run to compare with: the Sore Ankles article's beginner plan, as something to do."""
    return (f"This run: {this}. No run of {check.min_reference_s / 60:g} min or more in the previous "
            f"{check.lookback_days:g} days to compare with (shorter ones are no reference). If you are new to running "
            f"or back after a break: keep runs to about 15 minutes this week and build up over weeks (the Sore "
            f"Ankles article's plan: 15, then 30, then 45 minutes, a week each). If you already run regularly, "
            f"footfall starts comparing from this run: it compares each later run with your longest.")


def _new_runner_jump() -> str:
    """A runner still building up (under 4 weeks of runs): the beginner plan grows by more than 10% a run too."""
    return (" You are still building up: the Sore Ankles article's beginner plan goes from 15 to 30 to 45 minutes, "
            "a week at a time, but footfall suggests smaller steps than doubling where you can (in a large study "
            "the runs within 10% of the longest of the previous 30 days carried the least risk).")


def _with_rest_day(advice: Advice, check: LoadCheck, params: LoadParams) -> Advice:
    """Runs on `rest_after_days` or more days in a row: plan a rest day (footfall's own number)."""
    msg = (f"{advice.message.removesuffix(' Good.')} You have run on each of the last {check.days_in_a_row} days "
           f"(this one included), more than before or with more load or pain: plan a rest day before the next run.")
    own = (f"a rest day after runs on {params.rest_after_days} or more days in a row, once per streak, when the "
           f"streak is longer than any of the previous {params.streak_history_days / 7:g} weeks, has a run more than "
           f"10% longer than the longest of the 30 days before, or has pain logged in it")
    items = advice.items if item("rest_between_runs") in advice.items else (*advice.items, item("rest_between_runs"))
    return replace(advice, message=msg, items=items, urgency=max(advice.urgency, 1),
                   own_values="; ".join(v for v in (advice.own_values, own) if v))
