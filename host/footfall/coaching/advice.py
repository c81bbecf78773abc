"""After the run: the summary and a short prioritised advice list, each entry with its sources.

Order: see-a-professional (whenever a red flag is answered yes or the pain is severe, always first; in the
days after such a check-in, a reminder: coaching/reminder.py), pain
self-care, load, technique, shoes, warm-up, routine; an entry's urgency can lift it within that order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from footfall.analysis.step import Step
from footfall.coaching.advice_types import Advice
from footfall.coaching.balance import compare_feet
from footfall.coaching.checkin import EXAMINE_FIRST, CheckIn, PainParams, pain_level, red_flags_said
from footfall.coaching.knowledge import Category, item
from footfall.coaching.load import LoadParams, PastRun, check_load, load_advice
from footfall.coaching.reminder import EarlierCheckIn, ReminderParams, reminder_advice
from footfall.coaching.routine import ShoeStatus, check_warmup, routine_advice, shoe_advice, warmup_advice
from footfall.coaching.summary import RunSummary, summarise_steps
from footfall.coaching.technique import technique_advice
from footfall.coaching.trend import TrendParams, trend_advice

@dataclass(frozen=True)
class RunContext:
    """What the advice needs besides the steps: when, earlier runs, the shoe, the check-in, the runner's target."""

    this_run: PastRun
    previous: Sequence[PastRun] = ()
    shoe: ShoeStatus | None = None
    checkin: CheckIn | None = None
    target_cadence_spm: float | None = None
    load: LoadParams = field(default_factory=LoadParams)
    leg_length_m: float | None = None  # scales the cadence norm, as in the overstride index
    pain: PainParams = field(default_factory=PainParams)
    earlier_checkin: EarlierCheckIn | None = None  # the runner's most recent check-in before this run
    history_start_utc: datetime | None = None  # the runner's first run: the weekly trend needs weeks it covers
    trend: TrendParams = field(default_factory=TrendParams)
    reminder: ReminderParams = field(default_factory=ReminderParams)
    clinic_test: bool = False  # a session of a clinic plan (baseline/cue/retest): not training, no load checks
    technique: TechniqueBasis | None = None  # the steps the technique entries rest on (None: the whole run)


@dataclass(frozen=True)
class TechniqueBasis:
    """A part of the session the technique entries rest on (a clinic plan's baseline), named in their message."""

    steps: Sequence[Step]
    says: str  # e.g. "Before the cue (baseline, 0-120 s)"


def checkin_advice(ci: CheckIn | None, p: PainParams = PainParams()) -> list[Advice]:
    """Red flags or severe pain: see a professional first (and rest, PRICE until then); moderate pain: ease off."""
    if ci is None:
        return []
    level = pain_level(ci, p)
    out = [_red_flag_entry(ci)] if ci.red_flags else [_severe_pain_entry(ci, p)] if level == "severe" else []
    if out and level != "low":
        out.append(_price_entry(ci, p))
    elif level == "ease_off":
        out.append(_ease_off_entry(ci, p))
    return out


def _pain_figures(ci: CheckIn) -> str:
    def score(v: int | None) -> str:
        return "?" if v is None else str(v)

    return f"Pain {score(ci.pain_before)}/10 before, {score(ci.pain_after)}/10 after"


def _red_flag_entry(ci: CheckIn) -> Advice:
    msg = f"You reported {red_flags_said(ci)}. {EXAMINE_FIRST.capitalize()}."
    return Advice(Category.PROFESSIONAL, "See a professional first", msg,
                  (item("red_flags"), item("who_to_see"), item("persistent_pain")), urgency=9)


def _severe_pain_entry(ci: CheckIn, p: PainParams) -> Advice:
    msg = f"{_pain_figures(ci)}: that is a lot of pain. {EXAMINE_FIRST.capitalize()}."
    return Advice(Category.PROFESSIONAL, "See a professional first", msg,
                  (item("dont_ignore"), item("who_to_see"), item("persistent_pain")), urgency=9,
                  own_values=p.describe())


def _price_entry(ci: CheckIn, p: PainParams) -> Advice:
    msg = f"{_pain_figures(ci)}. Until you have been checked: rest, PRICE, and don't run through it."
    return Advice(Category.SELF_CARE, "Pain: rest until checked", msg,
                  (item("price"), item("rest_unhealed"), item("dont_ignore")), urgency=2, own_values=p.describe())


def _ease_off_entry(ci: CheckIn, p: PainParams) -> Advice:
    msg = (f"{_pain_figures(ci)}. Keep an eye on it and ease off: shorter, easier runs or a rest day until it "
           f"has settled. If it does not settle with rest, or keeps coming back, see a professional.")
    return Advice(Category.SELF_CARE, "Pain: ease off", msg,
                  (item("overload_signs"), item("softer_surfaces"), item("persistent_pain")), urgency=2,
                  own_values=p.describe())


def post_run_advice(steps: Sequence[Step], ctx: RunContext, summary: RunSummary | None = None,
                    limit: int | None = 7) -> list[Advice]:
    """The prioritised list; `limit` keeps it short (red-flag advice is never cut)."""
    s = summary or summarise_steps(steps)
    pain = ctx.checkin is not None and ctx.checkin.pain_now > 0
    entries = _opening(ctx)
    if not ctx.clinic_test:  # a clinic test on the treadmill is not the runner's training load
        entries.append(load_advice(check_load(ctx.this_run, ctx.previous, ctx.load), _noun(s)))
        trend = trend_advice([*ctx.previous, ctx.this_run], ctx.this_run, ctx.history_start_utc, ctx.trend)
        entries += [trend] if trend else []
    entries += _technique(steps, s, ctx)
    entries.append(shoe_advice(ctx.shoe))
    entries.append(warmup_advice(check_warmup(steps)))
    entries.append(routine_advice(pain))
    if any(e.category is Category.PROFESSIONAL for e in entries):  # a red flag or severe pain
        entries = [_pause_training(e) for e in entries]
    ordered = sorted(entries, key=lambda e: e.priority)
    return ordered if limit is None else ordered[:max(limit, 1)]


def _technique(steps: Sequence[Step], s: RunSummary, ctx: RunContext) -> list[Advice]:
    """The technique entries, from the whole run or, in a clinic plan, from its baseline alone (saying so)."""
    basis = ctx.technique
    if basis is None:
        return technique_advice(s, ctx.target_cadence_spm, feet=compare_feet(steps), leg_length_m=ctx.leg_length_m)
    entries = technique_advice(summarise_steps(basis.steps), ctx.target_cadence_spm,
                               feet=compare_feet(basis.steps), leg_length_m=ctx.leg_length_m)
    return [replace(e, message=f"{basis.says}: {e.message}") for e in entries]


def _opening(ctx: RunContext) -> list[Advice]:
    """This run's check-in entries; without a red flag of its own, the reminder of an earlier one (if due)."""
    entries = checkin_advice(ctx.checkin, ctx.pain)
    if any(e.category is Category.PROFESSIONAL for e in entries):
        return entries
    reminder = reminder_advice(ctx.earlier_checkin, ctx.this_run.start_utc, ctx.reminder, ctx.pain)
    return ([reminder] if reminder else []) + entries


def _noun(s: RunSummary) -> str:
    """What the load entry calls the session: a walk is not a run."""
    return "walk" if s.activity == "walking" else "session" if s.activity == "none" else "run"


def _pause_training(e: Advice) -> Advice:
    # With a red flag or severe pain, training advice waits until a professional has seen the ankle.
    if e.category in (Category.PROFESSIONAL, Category.SELF_CARE):
        return e
    return Advice(e.category, e.title, "Once you have been checked: " + e.message, e.items, e.literature,
                  e.urgency - 2, e.own_values)


def professional_pointer() -> Advice:
    """The standing pointer to a professional, shown at the foot of every report."""
    return Advice(Category.PROFESSIONAL, "When to see a professional", item("red_flags").text,
                  (item("red_flags"), item("who_to_see")))
