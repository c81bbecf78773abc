"""What earlier check-ins say about a run: an open red flag (a reminder) and pain that keeps coming back.

A red flag carries over: a check-in reported with one run, or on its own (`footfall checkin` without `--session`),
says "stop running and be examined before training again" once. The runs in the `carry_days` after it (footfall's
own value: no article gives one) open with "have you been examined?", crediting the same articles as the red-flag
entry, and their training advice waits for that check, as on the red-flag run itself. Red flags of all the
check-ins in that window count together. A red-flag question that was not asked is not a "no": a later check-in
with pain scores only ends nothing. The reminder ends when a check-in says a professional has examined the ankle
(`--examined`), or answers every red-flag question (`--ask`, `--no-red-flags`) with none and no severe pain.

Recurring pain: "If you suffer from regular Ankle pain after your running sessions, the best thing to do is consult
your doctor" (`002_c1e424e8898c3435.txt`). Pain after the run in most recent check-ins, over weeks, brings the
persistent-pain entry (`RecurringParams`, footfall's own values).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias

from footfall.coaching.advice_types import Advice
from footfall.coaching.checkin import (EXAMINE_FIRST, TRAUMA_FIRST, CheckIn, PainParams, combine_checkins, is_trauma,
                                       pain_level, red_flags_said)
from footfall.coaching.knowledge import Category, item

HISTORY_DAYS = 28.0  # how far back the store reads a runner's check-ins: the longest window below


@dataclass(frozen=True)
class ReminderParams:
    carry_days: float = 14.0  # footfall's own: how long a red flag opens the advice of later runs


@dataclass(frozen=True)
class RecurringParams:
    """footfall's own values: no article gives a number for "regular" pain."""

    lookback_days: float = 28.0  # check-ins with a pain-after score in this many days before the run count
    min_painful: int = 3  # at least this many of them with pain after the run above 0,
    min_share: float = 0.75  # and at least this share of them (3 of the last 4),
    min_span_days: float = 14.0  # the first and the last painful one at least this far apart

    def describe(self) -> str:
        return (f"pain after the run above 0 in at least {self.min_painful} check-ins and {self.min_share:.0%} of "
                f"those of the last {self.lookback_days:g} days, spread over {self.min_span_days:g} days or more")


@dataclass(frozen=True)
class EarlierCheckIn:
    """A check-in of the runner before a run: with a session (its check-ins as one) or on its own."""

    checkin: CheckIn
    time_utc: datetime  # the start of its session, or when it was made when it has none
    session_id: int | None = None


# The runner's check-ins before a run, oldest first, or only the most recent one
Earlier: TypeAlias = EarlierCheckIn | Sequence[EarlierCheckIn] | None


def as_history(earlier: Earlier) -> list[EarlierCheckIn]:
    if earlier is None:
        return []
    return [earlier] if isinstance(earlier, EarlierCheckIn) else sorted(earlier, key=lambda e: e.time_utc)


def clears(ci: CheckIn, p: PainParams = PainParams()) -> bool:
    """Whether a check-in ends earlier red-flag reminders: examined, or every red-flag question answered no."""
    return ci.examined or (ci.flags_answered and not ci.red_flags and pain_level(ci, p) != "severe")


def _reported(ci: CheckIn, p: PainParams) -> bool:
    return bool(ci.red_flags) or pain_level(ci, p) == "severe"


def open_reports(earlier: Earlier, this_start_utc: datetime, params: ReminderParams = ReminderParams(),
                 pain: PainParams = PainParams()) -> list[EarlierCheckIn]:
    """The check-ins in the carry window with a red flag or severe pain that no later check-in has ended."""
    due = [e for e in as_history(earlier) if 0 <= _days(e, this_start_utc) <= params.carry_days]
    last_clear = max((n for n, e in enumerate(due) if clears(e.checkin, pain)), default=-1)
    return [e for e in due[last_clear + 1:] if _reported(e.checkin, pain)]


def reminder_advice(earlier: Earlier, this_start_utc: datetime, params: ReminderParams = ReminderParams(),
                    pain: PainParams = PainParams(), current: CheckIn | None = None) -> Advice | None:
    """The reminder entry, or None: nothing open in the window, or this run's check-in (`current`) ends it."""
    reports = open_reports(earlier, this_start_utc, params, pain)
    if not reports or (current is not None and clears(current, pain)):
        return None
    first, joined = reports[0], combine_checkins([e.checkin for e in reports])
    assert joined is not None  # reports is not empty
    where = f"with session {first.session_id}" if first.session_id is not None else "in a check-in"
    again = f", and again on {reports[-1].time_utc:%Y-%m-%d}" if len(reports) > 1 else ""
    if_not = f"{TRAUMA_FIRST}: {EXAMINE_FIRST}" if is_trauma(joined) else EXAMINE_FIRST
    msg = (f"You reported {_said(reports, pain)} on {first.time_utc:%Y-%m-%d} ({where}, "
           f"{_ago(_days(first, this_start_utc))}){again}: have you been examined? If not, {if_not}. If you have, "
           f"follow their advice on how much to run (`footfall checkin --examined` ends this reminder).")
    return Advice(Category.PROFESSIONAL, "Red flag reported: examined yet?", msg,
                  (item("red_flags"), item("who_to_see"), item("persistent_pain")), urgency=9,
                  own_values=f"the reminder is shown for {params.carry_days:g} days after the check-in"
                  + ("" if joined.red_flags else f"; {pain.describe()}"), pauses_training=True)


def _said(reports: Sequence[EarlierCheckIn], p: PainParams) -> str:
    """"swelling, ..." for the red flags of all the open reports, else "pain 8/10" for the worst severe pain."""
    joined = combine_checkins([e.checkin for e in reports])
    if joined is not None and joined.red_flags:
        return red_flags_said(joined)
    return f"pain {max(e.checkin.pain_now for e in reports)}/10"


def recurring_pain_advice(earlier: Earlier, this_start_utc: datetime, current: CheckIn | None = None,
                          params: RecurringParams = RecurringParams()) -> Advice | None:
    """The persistent-pain entry when pain after the run keeps coming back in the check-ins (002), else None."""
    history = [(e.time_utc, e.checkin) for e in as_history(earlier)
               if 0 <= (this_start_utc - e.time_utc).total_seconds() / 86400 <= params.lookback_days]
    scored = [(t, c) for t, c in [*history, (this_start_utc, current)] if c is not None and c.pain_after is not None]
    painful = [t for t, c in scored if (c.pain_after or 0) > 0]
    if len(painful) < params.min_painful or len(painful) < params.min_share * len(scored):
        return None
    if (painful[-1] - painful[0]).total_seconds() / 86400 < params.min_span_days:
        return None
    msg = (f"Your check-ins show ankle pain after {len(painful)} of your last {len(scored)} runs with a score "
           f"({painful[0]:%Y-%m-%d} to {painful[-1]:%Y-%m-%d}). Pain that keeps coming back after runs needs a "
           f"doctor or physiotherapist to find its cause; until then keep your runs short and easy, and don't run "
           f"through it.")
    return Advice(Category.PROFESSIONAL, "Pain keeps coming back: have it checked", msg,
                  (item("persistent_pain"), item("who_to_see"), item("physio_plan")), urgency=4,
                  own_values=params.describe())


def _days(e: EarlierCheckIn, this_start_utc: datetime) -> float:
    return (this_start_utc - e.time_utc).total_seconds() / 86400


def _ago(days: float) -> str:
    whole = int(days)
    return "earlier the same day" if whole == 0 else f"{whole} day{'s' if whole > 1 else ''} before this run"
