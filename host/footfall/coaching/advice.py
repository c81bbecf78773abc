"""After the run: the summary and a short prioritised advice list, each entry with its sources.

Order: see-a-professional (whenever a red flag is answered yes or the pain is severe, always first; in the
days after such a check-in, a reminder: coaching/reminder.py), pain
self-care, load, technique, shoes, warm-up, routine; an entry's urgency can lift it within that order. While a
red flag or severe pain is open, the training entries wait (one line says so) until the ankle has been examined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from footfall.analysis.step import Step
from footfall.coaching.advice_types import Advice
from footfall.coaching.balance import compare_feet
from footfall.coaching.checkin import (EXAMINE_FIRST, TRAUMA_FIRST, CheckIn, PainParams, is_trauma, pain_level,
                                       red_flags_said)
from footfall.coaching.knowledge import AdviceItem, Category, item
from footfall.coaching.load import LoadParams, PastRun, check_load, load_advice
from footfall.coaching.reminder import (RECURRING_TITLES, Earlier, ReminderParams, answer_command, as_history,
                                        recurring_pain_advice, reminder_advice)
from footfall.coaching.routine import (ShoeStatus, check_warmup, gentle_routine_advice, routine_advice, shoe_advice,
                                       warmup_advice)
from footfall.coaching.summary import RunSummary, summarise_steps
from footfall.coaching.technique import CadenceContext, technique_advice
from footfall.utc import local_day
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
    earlier_checkin: Earlier = None  # the runner's check-ins before this run (oldest first), or the latest one
    history_start_utc: datetime | None = None  # the runner's first run: the weekly trend needs weeks it covers
    trend: TrendParams = field(default_factory=TrendParams)
    reminder: ReminderParams = field(default_factory=ReminderParams)
    clinic_test: bool = False  # a session of a clinic plan (baseline/cue/retest): not training, no load checks
    technique: TechniqueBasis | None = None  # the steps the technique entries rest on (None: the whole run)
    live_target_spm: float | None = None  # the metronome's target in this run, if it had one (said again after it)
    runner_name: str | None = None  # the reminder names the command that answers it, runner and session filled in
    session_id: int | None = None
    cadence: CadenceContext = field(default_factory=CadenceContext)  # typical cadence; a clinic test's cue result


@dataclass(frozen=True)
class TechniqueBasis:
    """A part of the session the technique entries rest on (a clinic plan's baseline), named in their message."""

    steps: Sequence[Step]
    says: str  # e.g. "Before the cue (baseline, 0-120 s)"


def checkin_advice(ci: CheckIn | None, p: PainParams = PainParams(), after_run: bool = False) -> list[Advice]:
    """Red flags or severe pain: see a professional first (and PRICE until then, whatever the pain score), or,
    examined already, follow the clinician's advice; moderate pain before the run: skip it (`after_run`: the run
    took place, so "next time"); moderate pain: ease off; a recent injury: let it heal."""
    if ci is None:
        return []
    level = pain_level(ci, p)
    if ci.examined and (ci.red_flags or level == "severe"):
        return [_examined_entry(ci, p)] + ([_recent_injury_entry(ci)] if ci.recent_injury else [])
    out = [_red_flag_entry(ci)] if ci.red_flags else [_severe_pain_entry(ci, p)] if level == "severe" else []
    if out:
        out.append(_price_entry(ci, p))
    elif level == "skip_run":
        out.append(_skip_run_entry(ci, p, after_run))
    elif level == "ease_off":
        out.append(_ease_off_entry(ci, p))
    return out + ([_recent_injury_entry(ci)] if ci.recent_injury else [])


def _examined_entry(ci: CheckIn, p: PainParams) -> Advice:
    """A red flag or severe pain that a professional has already examined: one message, their plan first (F3)."""
    said = red_flags_said(ci) or _pain_figures(ci).replace("Pain", "pain", 1)
    msg = (f"You reported {said}, and a professional has examined it: follow their advice on when and how much to "
           f"run; if it gets worse or new signs appear, go back to them. footfall's training advice below is "
           f"general: where it differs from their plan, follow theirs.")
    return Advice(Category.PROFESSIONAL, "Examined: follow your clinician's plan", msg,
                  (item("physio_plan"),), urgency=9,  # not `red_flags` ("stop and see a doctor"): they have
                  own_values="" if ci.red_flags else p.describe())


def _pain_figures(ci: CheckIn) -> str:
    """"Pain 6/10 before the run, after: not given"; "" when neither score was given."""
    if ci.pain_before is None and ci.pain_after is None:
        return ""
    before = "before: not given" if ci.pain_before is None else f"{ci.pain_before}/10 before the run"
    after = "after: not given" if ci.pain_after is None else f"{ci.pain_after}/10 after"
    return f"Pain {before}, {after}"


def _red_flag_entry(ci: CheckIn) -> Advice:
    urgent = f" {TRAUMA_FIRST.capitalize()}." if is_trauma(ci) else ""  # (examined: _examined_entry instead)
    msg = f"You reported {red_flags_said(ci)}.{urgent} {EXAMINE_FIRST.capitalize()}."
    return Advice(Category.PROFESSIONAL, "See a professional first", msg,
                  (item("red_flags"), item("who_to_see"), item("persistent_pain")), urgency=9, pauses_training=True)


def _severe_pain_entry(ci: CheckIn, p: PainParams) -> Advice:
    msg = f"{_pain_figures(ci)}. That is a lot of pain. {EXAMINE_FIRST.capitalize()}."
    return Advice(Category.PROFESSIONAL, "See a professional first", msg,
                  (item("dont_ignore"), item("who_to_see"), item("persistent_pain")), urgency=9,
                  own_values=p.describe(), pauses_training=True)


# PRICE in our own words (the item `price`, after 004), so the terminal says what it means.
PRICE_SPELT_OUT = ("protect the ankle (a brace or splint), rest it, ice it for about 20 minutes at a time with a "
                   "cloth between the ice and your skin, wrap it in an elastic bandage that is firm but not tight, "
                   "and raise it above the level of your heart when you lie down (PRICE)")


def _price_entry(ci: CheckIn, p: PainParams) -> Advice:
    figures = _pain_figures(ci)
    msg = f"{figures + '. ' if figures else ''}Until you have been checked, don't run through it: {PRICE_SPELT_OUT}."
    return Advice(Category.SELF_CARE, "Pain: rest until checked", msg,
                  (item("price"), item("rest_unhealed"), item("dont_ignore")), urgency=2,
                  own_values=p.describe() if figures else "")


def _skip_run_entry(ci: CheckIn, p: PainParams, after_run: bool = False) -> Advice:
    if after_run:  # the run took place: what to do next time, and in the next days
        msg = (f"You started this run with pain {ci.pain_before}/10 ({_pain_figures(ci)}). Next time, skip the run "
               f"when the ankle hurts this much before you start; rest it for the next days, don't try to run "
               f"through it, and {_check_it(ci)} if it has not settled in a few days.")
    else:
        msg = (f"{_pain_figures(ci)}. With that much pain before running, skip today's run and rest the ankle; "
               f"don't try to run through it. If it has not settled in a few days, {_check_it(ci)}.")
    return Advice(Category.SELF_CARE, "Pain before the run: skip it", msg,
                  (item("dont_ignore"), item("price"), _persistent(ci)), urgency=3, own_values=p.describe())


def _ease_off_entry(ci: CheckIn, p: PainParams) -> Advice:
    msg = (f"{_pain_figures(ci)}. Keep an eye on it and ease off: shorter, easier runs or a rest day until it "
           f"has settled. If it does not settle with rest, or keeps coming back, {_check_it(ci, 'see a professional')}.")
    return Advice(Category.SELF_CARE, "Pain: ease off", msg,
                  (item("overload_signs"), item("softer_surfaces"), _persistent(ci)), urgency=2,
                  own_values=p.describe())


def _check_it(ci: CheckIn, unexamined: str = "have it checked") -> str:
    """Pain that does not settle: have it checked, or, examined already, tell the clinician (QA17 re-check)."""
    return "tell your clinician" if ci.examined else unexamined


def _persistent(ci: CheckIn) -> AdviceItem:
    """The recurring-pain guidance: "stop running until you have seen a doctor", or, examined, their plan first."""
    return item("recurring_examined" if ci.examined else "persistent_pain")


_MODERATE = ("skip_run", "ease_off")
_GENTLE = ("skip_run", "severe")  # this much pain: gentle range of motion instead of the strengthening routine
INJURY_TITLE = "Recent injury: let it heal"
LOW_PAIN_MAX = 2  # footfall's own: a recently injured ankle at or below this pain is eased back, not rested


def _recent_injury_entry(ci: CheckIn, said_on: datetime | None = None) -> Advice:
    """`said_on`: the date of an earlier check-in that said so (carried for `RECENT_INJURY_CARRY_DAYS`)."""
    if ci.pain_now <= LOW_PAIN_MAX:
        now = ("It may not have healed yet: take it easy and build up slowly, and stop and rest it if it "
               "starts to hurt")
    else:
        now = "It may not have healed yet: rest it until it is better rather than running on the pain"
    when = "" if said_on is None else f" on {said_on:%Y-%m-%d}"
    msg = (f"You said{when} that this ankle was injured in the last few months. {now}, and have it checked if it keeps "
           f"hurting. An old injury can leave scar tissue and weak ligaments that a physiotherapist can treat.")
    return Advice(Category.SELF_CARE, INJURY_TITLE, msg, (item("rest_unhealed"), item("old_injuries")),
                  urgency=1, own_values="" if said_on is None else
                  f"an injury said in a check-in is recalled for {RECENT_INJURY_CARRY_DAYS:g} days")


RECENT_INJURY_CARRY_DAYS = 70.0  # footfall's own: a "recent injury" answer counts for about 10 weeks


def _injury_said_on(ctx: RunContext) -> datetime | None:
    """The latest earlier check-in that said the ankle was recently injured, within the carry window."""
    said = [e.time_utc for e in as_history(ctx.earlier_checkin) if e.checkin.recent_injury
            and 0 <= (ctx.this_run.start_utc - e.time_utc).total_seconds() / 86400 <= RECENT_INJURY_CARRY_DAYS]
    return max(said, default=None)


def post_run_advice(steps: Sequence[Step], ctx: RunContext, summary: RunSummary | None = None,
                    limit: int | None = 7, held: bool = False) -> list[Advice]:
    """The prioritised list; `limit` keeps it short (red-flag advice is never cut). With a red flag or severe pain
    the training entries wait until the ankle has been examined: one line says so, and `held` lists them too,
    marked, at the end (`footfall advice N --all`)."""
    s = summary or summarise_steps(steps)
    entries = _opening(ctx)
    training = _training(steps, s, ctx)
    if any(e.pauses_training for e in entries):
        entries += [_on_hold_note()] + ([_held(e) for e in training] if held else [])
    else:
        entries += _with_pain(training, ctx, entries)
    ordered = sorted(entries, key=lambda e: e.priority)
    return ordered if limit is None else ordered[:max(limit, 1)]


def _training(steps: Sequence[Step], s: RunSummary, ctx: RunContext) -> list[Advice]:
    """Load, weekly trend, technique, shoes, warm-up and routine entries."""
    out = []
    if not ctx.clinic_test:  # a clinic test on the treadmill is not the runner's training load
        out.append(load_advice(check_load(ctx.this_run, ctx.previous, ctx.load, _pain_days(ctx)), _noun(s)))
        trend = trend_advice([*ctx.previous, ctx.this_run], ctx.this_run, ctx.history_start_utc, ctx.trend)
        out += [trend] if trend else []
    out += _technique(steps, s, ctx)
    out += [shoe_advice(ctx.shoe, runner_name=ctx.runner_name), warmup_advice(check_warmup(steps))]
    if s.activity == "none":  # no running or walking steps (a demo stopped while standing): nothing to stretch after
        return out
    return out + [routine_advice(ctx.checkin is not None and ctx.checkin.pain_now > 0, _noun(s))]


def _pain_days(ctx: RunContext) -> set[date]:
    """The calendar days with a check-in whose pain matters (ease off or worse): the rest-day rule reads them."""
    said = [(e.time_utc, e.checkin) for e in as_history(ctx.earlier_checkin)]
    said += [(ctx.this_run.start_utc, ctx.checkin)] if ctx.checkin is not None else []
    return {local_day(t) for t, ci in said if pain_level(ci, ctx.pain) != "low"}


def _technique(steps: Sequence[Step], s: RunSummary, ctx: RunContext) -> list[Advice]:
    """The technique entries, from the whole run or, in a clinic plan, from its baseline alone (saying so)."""
    basis = ctx.technique
    if basis is None:
        return technique_advice(s, ctx.target_cadence_spm, feet=compare_feet(steps), leg_length_m=ctx.leg_length_m,
                                live_target_spm=ctx.live_target_spm, more=ctx.cadence)
    entries = technique_advice(summarise_steps(basis.steps), ctx.target_cadence_spm, feet=compare_feet(basis.steps),
                               leg_length_m=ctx.leg_length_m, live_target_spm=ctx.live_target_spm, more=ctx.cadence)
    return [replace(e, message=f"{basis.says}: {e.message}") for e in entries]


def _opening(ctx: RunContext) -> list[Advice]:
    """This run's check-in entries; without a red flag of its own, the reminder of an earlier one (if still open);
    without either, the persistent-pain entry when pain keeps coming back in the check-ins."""
    entries = checkin_advice(ctx.checkin, ctx.pain, after_run=True)
    if not any(e.pauses_training for e in entries):
        reminder = reminder_advice(ctx.earlier_checkin, ctx.this_run.start_utc, ctx.reminder, ctx.pain, ctx.checkin,
                                   answer_command(ctx.runner_name, ctx.session_id))
        entries = ([reminder] if reminder else []) + entries
    if not any(e.pauses_training for e in entries):
        runs = [r.start_utc for r in ctx.previous if r.activity == "running"]
        recurring = recurring_pain_advice(ctx.earlier_checkin, ctx.this_run.start_utc, ctx.checkin, run_starts=runs)
        entries += [recurring] if recurring else []
    said_on = None if ctx.checkin is not None and ctx.checkin.recent_injury else _injury_said_on(ctx)
    return entries + ([_recent_injury_entry(ctx.checkin or CheckIn(), said_on)] if said_on else [])


def _noun(s: RunSummary) -> str:
    """What the load entry calls the session: a walk is not a run."""
    return "walk" if s.activity == "walking" else "session" if s.activity == "none" else "run"


def _on_hold_note() -> Advice:
    msg = ("Training advice (load, technique, shoes, warm-up and exercises) resumes once a professional has looked "
           "at the ankle; then follow what they advise.")
    return Advice(Category.SELF_CARE, "Training advice on hold", msg, (item("dont_ignore"),), urgency=-1)


def _held(e: Advice) -> Advice:
    """A training entry listed on request while a red flag is open: marked, and after everything else."""
    return replace(e, title=f"{e.title} (on hold until the ankle has been checked)", urgency=min(e.urgency, 0) - 10)


def _with_pain(training: Sequence[Advice], ctx: RunContext, opening: Sequence[Advice] = ()) -> list[Advice]:
    """With pain that matters (moderate or worse, a recent injury, pain that keeps coming back) no "Good." for the
    load, and a technique change waits until the ankle has settled; with pain before the run at the skip-run level
    or worse, gentle range of motion replaces the strengthening routine."""
    level = pain_level(ctx.checkin, ctx.pain) if ctx.checkin is not None else "low"
    recurring = any(e.title in RECURRING_TITLES for e in opening)  # and below: carried from an earlier check-in too
    injured = any(e.title == INJURY_TITLE for e in opening)
    if level == "low" and not recurring and not injured:
        return list(training)
    out = [_load_with_pain(e) if e.category is Category.LOAD else
           _technique_later(e) if e.category is Category.TECHNIQUE and e.items else e for e in training]
    if level in _GENTLE:
        out = [gentle_routine_advice(e) if e.category is Category.ROUTINE else e for e in out]
    return out


def _load_with_pain(e: Advice) -> Advice:
    if not e.message.endswith(" Good."):
        return e
    said = " Within your usual range, but with the ankle as it is keep the next runs shorter than this."
    return replace(e, message=e.message.removesuffix(" Good.") + said)


def _technique_later(e: Advice) -> Advice:
    # below the routine: settle the pain first, then change one thing at a time
    later = " Work on this once the ankle has settled; until then keep your runs short and easy."
    return replace(e, message=e.message + later, urgency=min(e.urgency, 0) - 4)


def professional_pointer() -> Advice:
    """The standing pointer to a professional, shown at the foot of every report."""
    return Advice(Category.PROFESSIONAL, "When to see a professional", item("red_flags").text,
                  (item("red_flags"), item("who_to_see")))
