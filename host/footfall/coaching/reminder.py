"""A red flag carries over: the runs after a check-in with a red flag (or severe pain) open with a reminder.

A check-in reported with one run, or on its own (`footfall checkin` without `--session`), says "stop running and
be examined before training again" once. The runs in the `carry_days` after it (footfall's own value: no article
gives one) open with "have you been examined?", crediting the same articles as the red-flag entry, and their
training entries wait for that check, as on the red-flag run itself. Only the runner's most recent check-in
before the run counts: a later check-in without a red flag (the ankle examined and fine) ends the reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from footfall.coaching.advice_types import Advice
from footfall.coaching.checkin import EXAMINE_FIRST, CheckIn, PainParams, pain_level, red_flags_said
from footfall.coaching.knowledge import Category, item


@dataclass(frozen=True)
class ReminderParams:
    carry_days: float = 14.0  # footfall's own: how long a red flag opens the advice of later runs


@dataclass(frozen=True)
class EarlierCheckIn:
    """The runner's most recent check-in before a run: with a session (its check-ins as one) or on its own."""

    checkin: CheckIn
    time_utc: datetime  # the start of its session, or when it was made when it has none
    session_id: int | None = None


def _reported(ci: CheckIn, p: PainParams) -> str:
    """"swelling, ..." for red flags, "pain 8/10" for severe pain without one; "" for neither."""
    if ci.red_flags:
        return red_flags_said(ci)
    return f"pain {ci.pain_now}/10" if pain_level(ci, p) == "severe" else ""


def reminder_advice(earlier: EarlierCheckIn | None, this_start_utc: datetime, params: ReminderParams = ReminderParams(),
                    pain: PainParams = PainParams()) -> Advice | None:
    """The reminder entry, or None: no earlier check-in, nothing to see a professional for, or too long ago."""
    if earlier is None:
        return None
    said = _reported(earlier.checkin, pain)
    days = (this_start_utc - earlier.time_utc).total_seconds() / 86400
    if not said or not 0 <= days <= params.carry_days:
        return None
    where = f"with session {earlier.session_id}" if earlier.session_id is not None else "in a check-in"
    msg = (f"You reported {said} on {earlier.time_utc:%Y-%m-%d} ({where}, {_ago(days)}): have "
           f"you been examined? If not, {EXAMINE_FIRST}; if you have, follow their advice on how much to run.")
    return Advice(Category.PROFESSIONAL, "Red flag reported: examined yet?", msg,
                  (item("red_flags"), item("who_to_see"), item("persistent_pain")), urgency=9,
                  own_values=f"the reminder is shown for {params.carry_days:g} days after the check-in"
                  + ("" if earlier.checkin.red_flags else f"; {pain.describe()}"))


def _ago(days: float) -> str:
    whole = int(days)
    return "earlier the same day" if whole == 0 else f"{whole} day{'s' if whole > 1 else ''} before this run"
