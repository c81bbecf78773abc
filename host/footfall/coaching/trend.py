"""The weekly trend: the distance of the last 7 days against the runner's usual week and earlier level.

Only running sessions count (a walk is no running load, and a walk gets no trend). Periods are rolling 7 days
ending at the run (so the advice says "the last 7 days", not "this week"). All values
are footfall's own starting values, tied to the articles' gradual-progression advice rather than to a study:

- the usual week is the mean of the 4 periods before the last 7 days; a period counts (a zero too) only when the
  history covers it, and no trend is judged before the history covers 3 of them (a partly covered first week
  is no "usual week");
- the runner's level is the highest period of the 8 before: after a break, a return to that level is no spike;
- a quick rise is more than 30% above the usual week *and* above that level (both as printed). It is warned of
  once, on the run that starts it; the runs after it in the same rise (every run since a quick rise too, looked
  for over 14 days) say it is still high, and warn again only when the last 7 days grow another 30% beyond the
  total last warned of.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from footfall.coaching.advice_types import Advice
from footfall.coaching.knowledge import Category, item
from footfall.coaching.load import PastRun
from footfall.dates import earlier_by
from footfall.utc import local_day  # the runner's local day, as the report's

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class TrendParams:
    usual_weeks: int = 4  # the usual week: the mean of this many periods before the last 7 days
    level_weeks: int = 8  # the runner's level: the highest of this many periods before the last 7 days
    min_weeks: int = 3  # periods the history must cover before the trend is judged
    rise_pct: float = 30.0  # a quick rise: more than this above the usual week (and above the level)
    covered_slack_days: float = 1.0  # a period starting up to this long before the first run counts as covered
    chain_days: float = 14.0  # how far back the runs of a rise this run continues are looked for

    def lookback_days(self) -> float:
        """How far back runs are needed: the periods of this run's trend and of the runs before it in a rise."""
        return 7.0 * (self.level_weeks + 1) + self.chain_days

    def describe(self) -> str:
        return (f"the usual week is the mean of the {self.usual_weeks} 7-day periods before the last 7 days (judged "
                f"once the history covers {self.min_weeks}); a quick rise is more than {self.rise_pct:.0f}% above "
                f"it and above your highest 7 days of the {self.level_weeks} periods before, said once per rise")


@dataclass(frozen=True)
class WeekTrend:
    end_utc: datetime  # the run the last 7 days end with
    last_km: float  # the 7 days up to and including that run
    earlier_km: tuple[float, ...]  # the covered periods before it, newest first (at most level_weeks)
    usual_km: float
    level_km: float  # the highest of earlier_km
    rise_pct: int | None  # last_km against usual_km, rounded as printed; None when the usual week is 0 km
    quick: bool


def period_km(runs: Sequence[PastRun], lo: datetime, hi: datetime) -> float:
    """Distance in km of the runs starting in (lo, hi] (an unknown distance counts 0)."""
    return sum(r.distance_m for r in runs if lo < r.start_utc <= hi and math.isfinite(r.distance_m)) / 1000


def week_trend(runs: Sequence[PastRun], end_utc: datetime, history_start_utc: datetime,
               p: TrendParams = TrendParams()) -> WeekTrend | None:
    """The trend at `end_utc`; None until the history covers `min_weeks` periods before the last 7 days."""
    first = earlier_by(history_start_utc, timedelta(days=p.covered_slack_days))  # (a start in year 1: clamped)
    earlier = tuple(period_km(runs, lo, lo + WEEK) for lo in _period_starts(end_utc, p) if lo >= first)
    if len(earlier) < p.min_weeks:
        return None
    last = period_km(runs, earlier_by(end_utc, WEEK), end_utc)
    usual = sum(earlier[:p.usual_weeks]) / len(earlier[:p.usual_weeks])
    rise = round((last / usual - 1.0) * 100) if usual > 0 else None
    above_level = round(last, 1) > round(max(earlier), 1)  # as printed: "above 26.5 km" is never 26.5 km
    quick = above_level and (rise is None or rise > p.rise_pct)
    return WeekTrend(end_utc, last, earlier, usual, max(earlier), rise, quick)


def _period_starts(end_utc: datetime, p: TrendParams) -> list[datetime]:
    """The starts of the 7-day periods before the last 7 days, newest first; none before year 1 (a run stored in
    year 1 by a typo, before footfall refused it, has no periods before it, and breaks no other run's trend)."""
    starts = []
    for k in range(1, p.level_weeks + 1):
        try:
            starts.append(end_utc - WEEK * (k + 1))
        except OverflowError:
            break
    return starts


def rise_chain(runs: Sequence[PastRun], this: WeekTrend, history_start_utc: datetime,
               p: TrendParams = TrendParams()) -> list[WeekTrend]:
    """The trends of the unbroken series of quick rises just before this run (oldest first, within
    `chain_days`): the rise this run continues; empty when the run before it was no quick rise."""
    since = earlier_by(this.end_utc, timedelta(days=p.chain_days))
    before = sorted((r for r in runs if since <= r.start_utc < this.end_utc), key=lambda r: r.start_utc)
    chain: list[WeekTrend] = []
    for r in reversed(before):
        t = week_trend(runs, r.start_utc, history_start_utc, p)
        if t is None or not t.quick:
            break
        chain.insert(0, t)
    return chain


def last_warned(chain: Sequence[WeekTrend], p: TrendParams = TrendParams()) -> WeekTrend | None:
    """The run of the series that was last warned of: its first, then each that grew more than `rise_pct`
    beyond the one warned of before it."""
    warned = None
    for t in chain:
        if warned is None or _grown(t, warned, p):
            warned = t
    return warned


def _grown(t: WeekTrend, warned: WeekTrend, p: TrendParams) -> bool:
    return round(t.last_km, 1) > round(warned.last_km * (1 + p.rise_pct / 100), 1)


def _figures(t: WeekTrend, p: TrendParams) -> str:
    usual = t.earlier_km[:p.usual_weeks]
    weeks = ", ".join(f"{km:.1f}" for km in reversed(usual))
    head = f"Distance per 7 days (km, oldest first): {weeks}, and {t.last_km:.1f} in the last 7 days"
    if t.rise_pct is None:
        return f"{head}: no distance in the {len(usual)} periods before."
    sign = "+" if t.rise_pct > 0 else ""
    return f"{head}: {sign}{t.rise_pct}% against your usual {t.usual_km:.1f} km (the mean of the {len(usual)} before)."


def _verdict(t: WeekTrend, warned: WeekTrend | None, p: TrendParams) -> tuple[str, int]:
    """The sentence after the figures and the entry's urgency; `warned`: the last warning of the rise this
    run continues (None: a new rise)."""
    level = f"your highest 7 days in the {len(t.earlier_km)} weeks before ({t.level_km:.1f} km)"
    if not t.quick:
        if (t.rise_pct is None and t.last_km > 0) or (t.rise_pct or 0) > p.rise_pct:
            return f" Not above {level}: a level you have run before, not a new rise.", -3
        return "", -3
    grown = warned is not None and _grown(t, warned, p)
    if warned is not None and not grown:
        return (f" Still the quick rise said after the run of {local_day(warned.end_utc)} ({warned.last_km:.1f} km "
                f"in the 7 days then): hold this level for a while before adding more."), -1
    again = f" It has grown again since {warned.last_km:.1f} km on {local_day(warned.end_utc)}." if warned else ""
    return (f" That is above {level} too: a quick rise.{again} Tissues need weeks to adapt, so hold this level "
            f"for a while."), 1


def trend_advice(runs: Sequence[PastRun], this: PastRun, history_start_utc: datetime | None,
                 p: TrendParams = TrendParams()) -> Advice | None:
    """The weekly trend entry for `this` run (`runs`: every run, this one included); None when too early."""
    if history_start_utc is None or this.activity != "running":  # a walk is no running load
        return None
    runs = [r for r in runs if r.activity == "running"]
    t = week_trend(runs, this.start_utc, history_start_utc, p)
    if t is None:
        return None
    warned = last_warned(rise_chain(runs, t, history_start_utc, p), p) if t.quick else None
    verdict, urgency = _verdict(t, warned, p)
    return Advice(Category.LOAD, "Weekly trend", _figures(t, p) + verdict,
                  (item("gradual_progression"), item("too_much_too_soon")), urgency=urgency, own_values=p.describe())
