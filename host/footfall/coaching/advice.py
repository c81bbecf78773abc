"""After the run: the summary and a short prioritised advice list, each entry with its sources.

Order: see-a-professional (whenever a red flag is answered yes, always first), pain self-care, load,
technique, shoes, warm-up, routine; an entry's urgency can lift it within that order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from footfall.analysis.step import Step
from footfall.coaching.advice_types import Advice
from footfall.coaching.checkin import RED_FLAG_LABELS, CheckIn
from footfall.coaching.knowledge import Category, item
from footfall.coaching.load import LoadParams, PastRun, check_load, load_advice, trend_advice, weekly_totals
from footfall.coaching.routine import ShoeStatus, check_warmup, routine_advice, shoe_advice, warmup_advice
from footfall.coaching.summary import RunSummary, summarise_steps
from footfall.coaching.technique import technique_advice

PAIN_HIGH = 4  # 0-10 after the run; at or above this, or a rise of PAIN_RISE, self-care comes before training
PAIN_RISE = 2


@dataclass(frozen=True)
class RunContext:
    """What the advice needs besides the steps: when, earlier runs, the shoe, the check-in, the runner's target."""

    this_run: PastRun
    previous: Sequence[PastRun] = ()
    shoe: ShoeStatus | None = None
    checkin: CheckIn | None = None
    target_cadence_spm: float | None = None
    load: LoadParams = field(default_factory=LoadParams)


def checkin_advice(ci: CheckIn | None) -> list[Advice]:
    if ci is None:
        return []
    out: list[Advice] = []
    if ci.red_flags:
        said = ", ".join(RED_FLAG_LABELS[f] for f in ci.red_flags)
        msg = (f"You reported {said}. Stop running and have it examined by a doctor, physiotherapist or "
               f"podiatrist before you train again.")
        out.append(Advice(Category.PROFESSIONAL, "See a professional first", msg,
                          (item("red_flags"), item("who_to_see"), item("persistent_pain")), urgency=9))
    if ci.pain_now >= PAIN_HIGH or ci.pain_rise >= PAIN_RISE:
        before = "?" if ci.pain_before is None else ci.pain_before
        after = "?" if ci.pain_after is None else ci.pain_after
        msg = f"Pain {before}/10 before, {after}/10 after. Ease off: rest, PRICE, and don't run through it."
        out.append(Advice(Category.SELF_CARE, "Pain: ease off", msg,
                          (item("dont_ignore"), item("price"), item("rest_unhealed"), item("overload_signs"),
                           item("persistent_pain")), urgency=2))
    return out


def post_run_advice(steps: Sequence[Step], ctx: RunContext, summary: RunSummary | None = None,
                    limit: int | None = 7) -> list[Advice]:
    """The prioritised list; `limit` keeps it short (red-flag advice is never cut)."""
    s = summary or summarise_steps(steps)
    pain = ctx.checkin is not None and ctx.checkin.pain_now > 0
    entries = checkin_advice(ctx.checkin)
    entries.append(load_advice(check_load(ctx.this_run, ctx.previous, ctx.load)))
    trend = trend_advice(weekly_totals([*ctx.previous, ctx.this_run], ctx.this_run.start_utc, ctx.load.trend_weeks))
    entries += [trend] if trend else []
    entries += technique_advice(s, ctx.target_cadence_spm)
    entries.append(shoe_advice(ctx.shoe))
    entries.append(warmup_advice(check_warmup(steps)))
    entries.append(routine_advice(pain))
    if ctx.checkin is not None and ctx.checkin.red_flags:
        entries = [_pause_training(e) for e in entries]
    ordered = sorted(entries, key=lambda e: e.priority)
    return ordered if limit is None else ordered[:max(limit, 1)]


def _pause_training(e: Advice) -> Advice:
    # With a red flag, training advice waits until a professional has seen the ankle.
    if e.category in (Category.PROFESSIONAL, Category.SELF_CARE):
        return e
    return Advice(e.category, e.title, "Once you have been checked: " + e.message, e.items, e.literature,
                  e.urgency - 2)


def professional_pointer() -> Advice:
    """The standing pointer to a professional, shown at the foot of every report."""
    return Advice(Category.PROFESSIONAL, "When to see a professional", item("red_flags").text,
                  (item("red_flags"), item("who_to_see")))
