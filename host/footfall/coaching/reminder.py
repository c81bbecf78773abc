"""What earlier check-ins say about a run: an open red flag (a reminder) and pain that keeps coming back.

A red flag carries over: a check-in reported with one run, or on its own (`footfall checkin` without `--session`),
says "stop running and be examined before training again" once. The runs after it open with "has a professional
examined it?", crediting the same articles as the red-flag entry, and their training advice waits for that answer,
as on the red-flag run itself. Red flags of all the open check-ins count together. An unanswered red flag never
expires: after `carry_days` (footfall's own value: no article gives one) the reminder shrinks to a short first line
with the date, what was reported and the exact command that answers it, and it stays until answered ("stop running
- at least until medical advice has been obtained", `002_c1e424e8898c3435.txt`).

What ends it (`end_reason`): a check-in saying a professional has examined the ankle (`--examined`) always does.
Trauma signs (difficulty bearing weight, a twist or fall) and severe pain end only that way: "did it start with a
twist?" is about the past, and a "no" the next day says nothing about healing. Swelling, bruising or lasting pain
alone also end when a check-in answers every red-flag question no (`--ask`, `--no-red-flags`) with a pain score
of at most `clear_max_pain` (footfall's own value). A red-flag question that was not asked is not a "no": a
check-in with pain scores only ends nothing.

Recurring pain: "If you suffer from regular Ankle pain after your running sessions, the best thing to do is consult
your doctor" (`002_c1e424e8898c3435.txt`). Pain after at least 3 runs (a score of 3/10 or more after, or a rise
of 2 or more during the run), with at least 3 of the last 4 runs checked in, brings the persistent-pain entry
(`RecurringParams`, footfall's own values). Once a check-in says a professional has examined the ankle (`--examined`,
dated at or after the last of those painful runs), the entry no longer sends the runner to have it checked, which
they just had: it asks them to tell their clinician that it keeps coming back, and its guidance is the examined
variant (`recurring_examined`: follow the clinician's plan), not "stop running until you have seen a doctor".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias

from footfall.coaching.advice_types import Advice
from footfall.coaching.checkin import (EXAMINE_FIRST, TRAUMA_FIRST, TRAUMA_LATER, CheckIn, PainParams, combine_checkins,
                                       is_trauma, pain_level, red_flags_said)
from footfall.coaching.knowledge import Category, item
from footfall.shell import shell_word
from footfall.utc import local_day  # local dates, as `footfall checkin` names this reminder

REMINDER_TITLE = "Red flag reported: examined yet?"
RECURRING_TITLE = "Pain keeps coming back: have it checked"
RECURRING_EXAMINED_TITLE = "Pain keeps coming back: tell your clinician"  # examined since the pains it counts
RECURRING_TITLES = (RECURRING_TITLE, RECURRING_EXAMINED_TITLE)


@dataclass(frozen=True)
class ReminderParams:
    carry_days: float = 14.0  # footfall's own: the full reminder this long after the check-in, then a short one
    clear_max_pain: int = 2  # footfall's own: swelling/bruising alone end on "every question no" with pain <= this

    def describe(self) -> str:
        return (f"the full reminder for {self.carry_days:g} days after the check-in, then a short one until it is "
                f"answered; swelling, bruising or lasting pain alone also end when every red-flag question is "
                f"answered no with pain {self.clear_max_pain}/10 or less")


@dataclass(frozen=True)
class RecurringParams:
    """footfall's own values: no article gives a number for "regular" pain."""

    lookback_days: float = 28.0  # runs with a check-in in this many days before the run count
    painful_after: int = 3  # a run is painful with pain after it at or above this,
    painful_rise: int = 2  # or a rise of this many points during it
    min_painful: int = 3  # at least this many painful runs,
    last_runs: int = 4  # and at least `min_checked` of the last this many runs checked in
    min_checked: int = 3

    def describe(self) -> str:
        return (f"pain {self.painful_after}/10 or more after the run, or a rise of {self.painful_rise} or more "
                f"during it, after at least {self.min_painful} runs in {self.lookback_days:g} days, with at least "
                f"{self.min_checked} of the last {self.last_runs} runs checked in")


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


def answer_command(runner: str | None, session_id: int | None = None) -> str:
    """The command that tells footfall a professional has examined the ankle, runner and session filled in."""
    who = f" --runner {shell_word(runner)}" if runner else " --runner NAME"
    return f"footfall checkin{who}{'' if session_id is None else f' --session {session_id}'} --examined"


def needs_examination(reports: Sequence[EarlierCheckIn], p: PainParams = PainParams()) -> bool:
    """A trauma sign or severe pain among the open reports: only `--examined` ends them."""
    return any(is_trauma(e.checkin) or pain_level(e.checkin, p) == "severe" for e in reports)


def end_reason(ci: CheckIn, reports: Sequence[EarlierCheckIn], params: ReminderParams = ReminderParams(),
               pain: PainParams = PainParams()) -> str | None:
    """Why check-in `ci` ends the open reports, or None when it does not (see the module's text)."""
    if ci.examined:
        return "a professional has examined the ankle"
    if needs_examination(reports, pain) or not ci.flags_answered or ci.red_flags:
        return None
    scored = ci.pain_before is not None or ci.pain_after is not None
    if not scored or ci.pain_now > params.clear_max_pain:
        return None
    return f"every red-flag question was answered no, with pain {ci.pain_now}/10"


def still_open_why(reports: Sequence[EarlierCheckIn], params: ReminderParams = ReminderParams(),
                   pain: PainParams = PainParams()) -> str:
    """What would end the open reports, for the runner who has just checked in."""
    if needs_examination(reports, pain):
        return "a twist or fall, difficulty bearing weight or severe pain ends only with --examined"
    return (f"it ends with --examined, or with a check-in that answers every red-flag question no (--ask or "
            f"--no-red-flags) and gives pain {params.clear_max_pain}/10 or less")


def _reported(ci: CheckIn, p: PainParams) -> bool:
    return bool(ci.red_flags) or pain_level(ci, p) == "severe"


def open_reports(earlier: Earlier, this_start_utc: datetime, params: ReminderParams = ReminderParams(),
                 pain: PainParams = PainParams()) -> list[EarlierCheckIn]:
    """The check-ins up to `this_start_utc` with a red flag or severe pain that no later check-in has ended, of any
    age. A check-in that says "examined" together with its own red flag opens nothing (it has been seen)."""
    reports: list[EarlierCheckIn] = []
    for e in as_history(earlier):
        if _days(e, this_start_utc) < 0:
            continue
        if reports and end_reason(e.checkin, reports, params, pain):
            reports = []
        if _reported(e.checkin, pain) and not e.checkin.examined:
            reports.append(e)
    return reports


def reminder_advice(earlier: Earlier, this_start_utc: datetime, params: ReminderParams = ReminderParams(),
                    pain: PainParams = PainParams(), current: CheckIn | None = None,
                    answer: str = answer_command(None)) -> Advice | None:
    """The reminder entry, or None: nothing open, or this run's check-in (`current`) ends it. `answer`: the command
    that ends it, printed as it is (`answer_command`)."""
    reports = open_reports(earlier, this_start_utc, params, pain)
    if not reports or (current is not None and end_reason(current, reports, params, pain)):
        return None
    if _days(reports[-1], this_start_utc) > params.carry_days:
        return _short_reminder(reports, pain, answer, params)
    first, joined = reports[0], combine_checkins([e.checkin for e in reports])
    assert joined is not None  # reports is not empty
    where = f"with session {first.session_id}" if first.session_id is not None else "in a check-in"
    again = f", and again on {local_day(reports[-1].time_utc)}" if len(reports) > 1 else ""
    if_not = _trauma_text(_days(reports[-1], this_start_utc)) if is_trauma(joined) else EXAMINE_FIRST
    msg = (f"You reported {_said(reports, pain)} on {local_day(first.time_utc)} ({where}, "
           f"{_ago(first.time_utc, this_start_utc)}){again}: have you been examined? If not, {if_not}. If you have, "
           f"follow their advice on how much to run (`{answer}` ends this reminder).")
    return Advice(Category.PROFESSIONAL, REMINDER_TITLE, msg,
                  (item("red_flags"), item("who_to_see"), item("persistent_pain")), urgency=9,
                  own_values=params.describe() + ("" if joined.red_flags else f"; {pain.describe()}"),
                  pauses_training=True)


def _trauma_text(days: float) -> str:
    """A twist or fall, or a foot that cannot take weight: "today" on the day it was reported, and days later only
    if the foot still cannot take weight (re-review F13: "get it seen today" 13 days on)."""
    return f"{TRAUMA_FIRST}: {EXAMINE_FIRST}" if days < 1 else TRAUMA_LATER


def _short_reminder(reports: Sequence[EarlierCheckIn], pain: PainParams, answer: str,
                    params: ReminderParams) -> Advice:
    """After `carry_days`: one short first line, kept until the red flag is answered (never dropped silently)."""
    msg = (f"On {local_day(reports[0].time_utc)} you reported {_said(reports, pain)} and have not said that a "
           f"professional has examined it. If one has, run `{answer}`; if not, {EXAMINE_FIRST}.")
    return Advice(Category.PROFESSIONAL, REMINDER_TITLE, msg, (item("red_flags"), item("who_to_see")), urgency=9,
                  own_values=params.describe(), pauses_training=True)


def _said(reports: Sequence[EarlierCheckIn], p: PainParams) -> str:
    """"swelling, ..." for the red flags of all the open reports, else "pain 8/10" for the worst severe pain."""
    joined = combine_checkins([e.checkin for e in reports])
    if joined is not None and joined.red_flags:
        return red_flags_said(joined)
    return f"pain {max(e.checkin.pain_now for e in reports)}/10"


def recurring_pain_advice(earlier: Earlier, this_start_utc: datetime, current: CheckIn | None = None,
                          params: RecurringParams = RecurringParams(),
                          run_starts: Sequence[datetime] = ()) -> Advice | None:
    """The persistent-pain entry when pain after runs keeps coming back in the check-ins (002), else None.
    `run_starts`: when the runner's earlier runs started (runs without a check-in count as not checked in)."""
    by_run = {e.time_utc: e.checkin for e in as_history(earlier) if e.session_id is not None
              and 0 < (this_start_utc - e.time_utc).total_seconds() / 86400 <= params.lookback_days}
    if current is not None:
        by_run[this_start_utc] = current
    runs = sorted({*[t for t in run_starts if t < this_start_utc], *by_run, this_start_utc})
    checked = sum(t in by_run for t in runs[-params.last_runs:])
    painful = sorted(t for t, c in by_run.items() if _painful(c, params))
    if len(painful) < params.min_painful or checked < params.min_checked:
        return None
    shown = (f"Your check-ins show ankle pain after {len(painful)} runs between {painful[0]:%Y-%m-%d} and "
             f"{painful[-1]:%Y-%m-%d} ({checked} of your last {len(runs[-params.last_runs:])} runs checked in).")
    return _recurring_entry(shown, _examined_since(earlier, current, this_start_utc, painful[-1]), params)


def _recurring_entry(shown: str, examined: bool, params: RecurringParams) -> Advice:
    """Pain that keeps coming back: have it checked, or (`examined` since) tell the clinician who examined it."""
    if examined:
        msg = (f"{shown} You have been examined since: tell your clinician that it keeps coming back, and follow "
               f"their plan on how much to run; until you have spoken to them keep your runs short and easy, and "
               f"don't run through it.")
        return Advice(Category.PROFESSIONAL, RECURRING_EXAMINED_TITLE, msg,
                      (item("recurring_examined"), item("physio_plan")), urgency=4, own_values=params.describe())
    msg = (f"{shown} Pain that keeps coming back after runs is worth having a doctor or physiotherapist find its "
           f"cause; until then keep your runs short and easy, and don't run through it.")
    return Advice(Category.PROFESSIONAL, RECURRING_TITLE, msg,
                  (item("persistent_pain"), item("who_to_see"), item("physio_plan")), urgency=4,
                  own_values=params.describe())


def _examined_since(earlier: Earlier, current: CheckIn | None, this_start_utc: datetime, last_pain: datetime) -> bool:
    """A check-in (this run's, an earlier run's or one on its own) saying "examined", dated at or after the last
    painful run the recurring-pain entry counts."""
    said = [e.time_utc for e in as_history(earlier) if e.checkin.examined and e.time_utc <= this_start_utc]
    said += [this_start_utc] if current is not None and current.examined else []
    return any(t >= last_pain for t in said)


def _painful(ci: CheckIn, params: RecurringParams) -> bool:
    """Pain after the run at `painful_after` or more, or a rise of `painful_rise` or more: not a steady niggle."""
    return ci.pain_after is not None and (ci.pain_after >= params.painful_after or ci.pain_rise >= params.painful_rise)


def _days(e: EarlierCheckIn, this_start_utc: datetime) -> float:
    return (this_start_utc - e.time_utc).total_seconds() / 86400


def _ago(reported_utc: datetime, this_start_utc: datetime) -> str:
    """Calendar days, as the date beside it prints (local_day): a check-in on the 22nd is "3 days before" a run on
    the 25th at any hour, and one the evening before is "1 day before", never "earlier the same day"."""
    whole = (local_day(this_start_utc) - local_day(reported_utc)).days
    return "earlier the same day" if whole <= 0 else f"{whole} day{'s' if whole > 1 else ''} before this run"
