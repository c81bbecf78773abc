"""Glue between the history database and the advice rules: advice for a stored session."""

from __future__ import annotations

import math
from dataclasses import dataclass

from footfall.analysis.step import Step
from footfall.coaching.advice import RunContext, post_run_advice
from footfall.coaching.advice_types import Advice
from footfall.coaching.checkin import CheckIn
from footfall.coaching.load import PastRun
from footfall.coaching.routine import ShoeStatus
from footfall.coaching.summary import RunSummary, summarise_steps
from footfall.coaching.trend import TrendParams
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
    previous = [past_run(p) for p in store.previous_sessions(session, days=TrendParams().lookback_days())]
    return RunContext(past_run(session), previous, shoe_as_of(store, session), checkin or store.checkin_for(session.id),
                      runner.target_cadence_spm, leg_length_m=runner.leg_length_m,
                      earlier_checkin=store.checkin_before(session),
                      history_start_utc=store.first_start(session.runner_id))


def shoe_as_of(store: Store, session: Session) -> ShoeStatus | None:
    """The session's pair as it was after this run (not today's total: later runs do not count)."""
    if session.shoe_id is None:
        return None
    sh = store.shoe(session.shoe_id)
    run_km = session.distance_m / 1000 if math.isfinite(session.distance_m) else 0.0
    return ShoeStatus(sh.name, store.shoe_km_as_of(session), sh.limit_km, run_km, sh.limit_given)


def advice_for_session(store: Store, session_id: int, checkin: CheckIn | None = None,
                       limit: int | None = 7) -> SessionAdvice:
    session = store.session(session_id)
    steps = store.steps(session_id)
    summary = summarise_steps(steps)
    ctx = context_for(store, session, checkin)
    return SessionAdvice(session, steps, summary, post_run_advice(steps, ctx, summary, limit), ctx.checkin)
