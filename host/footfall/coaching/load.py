"""Load rules: this run against the longest run of the previous 30 days, and the weekly trend.

Frandsen et al. 2025 (Garmin-RUNSAFE, 5,205 runners, BJSM) found that single sessions more than 10% longer
than the longest run of the preceding 30 days carried a higher injury hazard (hazard ratios 1.64 for >10-30%,
1.52 for >30-100%, 2.28 above 100%); the week-to-week ratio mattered less than the single session. We warn
above 10% (the study's line) and more strongly above 30% (footfall's own step, not the study's), judged on the
percentage as printed (a run printed "10% longer" is within 10%). Distance is compared when both runs have one,
else duration. The weekly trend is in coaching/trend.py.
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
    strong_frac: float = 0.30  # footfall's own: a stronger warning (the study's risk was highest above 100%)
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

    @property
    def excess_pct(self) -> float:
        """The excess as the message prints it (whole percent): the rule judges this figure."""
        return float(round(self.excess_frac * 100)) if math.isfinite(self.excess_frac) else math.nan


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
    excess = check.excess_pct
    level = "strong" if excess > params.strong_frac * 100 else "warn" if excess > params.warn_frac * 100 else "ok"
    return replace(check, level=level)


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


def load_advice(check: LoadCheck, noun: str = "run") -> Advice:
    """`noun`: what this session was ("run", or "walk" for a walking session)."""
    items = (item("session_spike"), item("too_much_too_soon"), item("rest_between_runs"))
    this, longest = _fmt(check.this_run, check.basis), _fmt(check.longest_run, check.basis)
    title = "Load: this run against the last 30 days"
    if check.level == "no_history":
        msg = (f"This {noun}: {this}. No run of {check.min_reference_s / 60:g} min or more in the previous "
               f"{check.lookback_days:g} days to compare with (shorter ones are no reference): build up gradually.")
        return Advice(Category.LOAD, title, msg, items, (FRANDSEN_2025,), -3)
    if check.level == "ok":
        than = "within 10% of" if check.excess_pct > 0 else "no longer than"
        msg = f"This {noun} ({this}) is {than} your longest run of the previous 30 days ({longest}). Good."
        return Advice(Category.LOAD, title, msg, items, (FRANDSEN_2025,), -3)
    jump = " That is a big jump." if check.level == "strong" else ""
    msg = (f"This {noun} ({this}) was {check.excess_pct:.0f}% longer than your longest run of the previous 30 days "
           f"({longest}).{jump} {_next_runs(check)}")
    own = "a stronger warning above 30% longer (the study's risk was highest above 100%)"
    return Advice(Category.LOAD, title, msg, items, (FRANDSEN_2025,), 2 if check.level == "strong" else 1,
                  own_values=own)
