"""Glue between the history database and the advice rules: advice for a stored session."""

from __future__ import annotations

from dataclasses import dataclass

from footfall.analysis.step import Step
from footfall.coaching.advice import RunContext, post_run_advice
from footfall.coaching.advice_types import Advice
from footfall.coaching.checkin import CheckIn
from footfall.coaching.load import PastRun
from footfall.coaching.routine import ShoeStatus
from footfall.coaching.summary import RunSummary, summarise_steps
from footfall.store import Session, Store


@dataclass(frozen=True)
class SessionAdvice:
    session: Session
    steps: list[Step]
    summary: RunSummary
    advice: list[Advice]
    checkin: CheckIn | None


def past_run(s: Session) -> PastRun:
    return PastRun(s.start_utc, s.distance_m, s.duration_s)


def context_for(store: Store, session: Session, checkin: CheckIn | None = None) -> RunContext:
    runner = store.runner_by_id(session.runner_id)
    previous = [past_run(p) for p in store.previous_sessions(session, days=35)]
    shoe = None
    if session.shoe_id is not None:
        sh = store.shoe(session.shoe_id)
        shoe = ShoeStatus(sh.name, sh.distance_km, sh.limit_km)
    return RunContext(past_run(session), previous, shoe, checkin or store.checkin_for(session.id),
                      runner.target_cadence_spm, leg_length_m=runner.leg_length_m)


def advice_for_session(store: Store, session_id: int, checkin: CheckIn | None = None,
                       limit: int | None = 7) -> SessionAdvice:
    session = store.session(session_id)
    steps = store.steps(session_id)
    summary = summarise_steps(steps)
    ctx = context_for(store, session, checkin)
    return SessionAdvice(session, steps, summary, post_run_advice(steps, ctx, summary, limit), ctx.checkin)
