"""Load rules: this run against the longest run of the previous 30 days, and the weekly trend.

Frandsen et al. 2025 (Garmin-RUNSAFE, 5,205 runners, BJSM) found that single sessions more than 10% longer
than the longest run of the preceding 30 days carried a higher injury hazard, rising further for larger
spikes; the week-to-week ratio mattered less than the single session. We warn above 10% and more strongly
above 30%. Distance is compared when both runs have one, else duration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from footfall.coaching.advice_types import Advice
from footfall.coaching.knowledge import Category, item
from footfall.coaching.references import FRANDSEN_2025


@dataclass(frozen=True)
class LoadParams:
    lookback_days: float = 30.0
    warn_frac: float = 0.10
    strong_frac: float = 0.30
    trend_weeks: int = 4
    # shorter sessions (a demo, a test of the sensor, a walk to the start) are no reference for a run's length:
    # 9x a 40 s clip is no load spike
    min_reference_s: float = 300.0


@dataclass(frozen=True)
class PastRun:
    start_utc: datetime
    distance_m: float  # NaN when unknown
    duration_s: float


@dataclass(frozen=True)
class LoadCheck:
    level: str  # "no_history", "ok", "warn", "strong"
    basis: str  # "distance" or "duration": what the two runs are compared by
    this_run: PastRun
    longest_run: PastRun | None  # the longest by `basis` in the window; None without one
    min_reference_s: float = LoadParams.min_reference_s  # the shortest run compared with (the message says it)
    lookback_days: float = LoadParams.lookback_days

    @property
    def excess_frac(self) -> float:
        longest = _value(self.longest_run, self.basis) if self.longest_run else math.nan
        return _value(self.this_run, self.basis) / longest - 1.0 if longest > 0 else math.nan


def _value(run: PastRun, basis: str) -> float:
    return run.distance_m if basis == "distance" else run.duration_s


def check_load(this: PastRun, previous: Sequence[PastRun], params: LoadParams = LoadParams()) -> LoadCheck:
    start = this.start_utc - timedelta(days=params.lookback_days)
    window = [r for r in previous if start <= r.start_utc < this.start_utc and r.duration_s >= params.min_reference_s]
    have_distance = math.isfinite(this.distance_m) and all(math.isfinite(r.distance_m) for r in window)
    basis = "distance" if have_distance else "duration"
    if not window:
        return LoadCheck("no_history", basis, this, None, params.min_reference_s, params.lookback_days)
    check = LoadCheck("ok", basis, this, max(window, key=lambda r: _value(r, basis)), params.min_reference_s,
                      params.lookback_days)
    excess = check.excess_frac
    level = "strong" if excess > params.strong_frac else "warn" if excess > params.warn_frac else "ok"
    return replace(check, level=level)


def _fmt(run: PastRun | None, basis: str) -> str:
    """Enough digits that two different figures do not print alike (0.1 km vs 1.1 km for 818 % longer)."""
    if run is None:
        return "none"
    if basis == "distance":
        return f"{run.distance_m / 1000:.{1 if run.distance_m >= 10_000 else 2}f} km"
    return f"{run.duration_s / 60:.{0 if run.duration_s >= 600 else 1}f} min"


def load_advice(check: LoadCheck) -> Advice:
    items = (item("session_spike"), item("too_much_too_soon"), item("gradual_progression"), item("rest_between_runs"))
    this, longest = _fmt(check.this_run, check.basis), _fmt(check.longest_run, check.basis)
    if check.level == "no_history":
        msg = (f"This run: {this}. No run of {check.min_reference_s / 60:g} min or more in the previous "
               f"{check.lookback_days:g} days to compare with (shorter ones are no reference): build up gradually.")
    elif check.level == "ok":
        than = "within 10% of" if check.excess_frac > 0 else "no longer than"
        msg = f"This run ({this}) is {than} your longest run of the previous 30 days ({longest}). Good."
    else:
        pct = check.excess_frac * 100
        jump = " That is a big jump." if check.level == "strong" else ""
        msg = (f"This run ({this}) was {pct:.0f}% longer than your longest run of the previous 30 days "
               f"({longest}).{jump} Keep the next runs at or below {longest} and add length in small steps.")
    urgency = {"strong": 2, "warn": 1}.get(check.level, -3)
    return Advice(Category.LOAD, "Load: this run against the last 30 days", msg, items, (FRANDSEN_2025,), urgency)


def weekly_totals(runs: Sequence[PastRun], end_utc: datetime, weeks: int = 4) -> list[float]:
    """Distance in km of each 7-day period ending at end_utc, oldest first (NaN distances count 0)."""
    out = []
    for w in range(weeks, 0, -1):
        lo, hi = end_utc - timedelta(days=7 * w), end_utc - timedelta(days=7 * (w - 1))
        out.append(sum(r.distance_m for r in runs if lo < r.start_utc <= hi and math.isfinite(r.distance_m)) / 1000)
    return out


def trend_advice(totals: Sequence[float]) -> Advice | None:
    if len(totals) < 2 or not any(totals[:-1]):
        return None
    earlier = [t for t in totals[:-1] if t > 0]
    mean_before = sum(earlier) / len(earlier)
    change = totals[-1] / mean_before - 1.0
    weeks = ", ".join(f"{t:.1f}" for t in totals)
    msg = (f"Weekly distance (km, every run, oldest first): {weeks}. "
           f"This week is {change * 100:+.0f}% against the weeks before.")
    if change > 0.3:
        msg += " That is a quick rise: tissues need weeks to adapt, so hold this level for a while."
    urgency = 1 if change > 0.3 else -3
    return Advice(Category.LOAD, "Weekly trend", msg, (item("gradual_progression"), item("too_much_too_soon")),
                  urgency=urgency)
