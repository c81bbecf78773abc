"""Glue between the history database and the advice rules: advice for a stored session."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from footfall.analysis.step import Step
from footfall.coaching.advice import RunContext, TechniqueBasis, post_run_advice
from footfall.coaching.advice_types import Advice
from footfall.coaching.cadence import CadenceAim, CadenceParams, typical_spm
from footfall.coaching.checkin import CheckIn
from footfall.coaching.clinic import BASELINE_LABEL, CUE_LABEL, ClinicResult, clinic_result, is_clinic_plan, labelled
from footfall.coaching.load import PastRun
from footfall.coaching.routine import ShoeStatus
from footfall.coaching.summary import RunSummary, summarise_steps, window
from footfall.coaching.technique import CadenceContext, run_aim
from footfall.coaching.trend import TrendParams
from footfall.store import Segment, Session, Store



@dataclass(frozen=True)
class SessionAdvice:
    session: Session
    steps: list[Step]
    summary: RunSummary
    advice: list[Advice]
    checkin: CheckIn | None
    aim: CadenceAim | None = None  # the run's cadence aim as the advice says it (the report draws it)


def past_run(s: Session) -> PastRun:
    """The session as the load rules see it; its basis says whether it was running (a live session still in
    progress has none yet and counts as running)."""
    return PastRun(s.start_utc, s.distance_m, s.duration_s, s.basis or "running")


def is_clinic_test(segments: Sequence[Segment]) -> bool:
    """A session with segments of a clinic plan (`live --phases baseline:2m,cue:2m,retest:2m`, or marked so):
    a test on the treadmill, not training."""
    return is_clinic_plan(g.label for g in segments)


def technique_basis(steps: Sequence[Step], segments: Sequence[Segment]) -> TechniqueBasis | None:
    """A clinic plan's baseline: the runner's own running before the cue, which the technique advice judges (the
    whole session would blend baseline, cue and retest). None without a baseline segment."""
    base = labelled(segments, BASELINE_LABEL)
    if base is None:
        return None
    says = f"Before the cue ({base.label}, {base.start_s:.0f}-{base.end_s:.0f} s)"
    return TechniqueBasis(window(steps, base.start_s, base.end_s), says)


def context_for(store: Store, session: Session, checkin: CheckIn | None = None,
                steps: Sequence[Step] = ()) -> RunContext:
    runner = store.runner_by_id(session.runner_id)
    segments = store.segments(session.id)
    earlier = store.previous_sessions(session, days=TrendParams().lookback_days())
    previous = [past_run(p) for p in earlier if not is_clinic_test(store.segments(p.id))]  # not training either
    return RunContext(past_run(session), previous, shoe_as_of(store, session), checkin or store.checkin_for(session.id),
                      runner.target_cadence_spm, leg_length_m=runner.leg_length_m,
                      earlier_checkin=store.checkin_before(session),
                      history_start_utc=store.first_start(session.runner_id),
                      clinic_test=is_clinic_test(segments), technique=technique_basis(steps, segments),
                      live_target_spm=live_target_spm(store, session), runner_name=runner.name,
                      session_id=session.id, cadence=cadence_context(store, session, steps, segments))


def cadence_context(store: Store, session: Session, steps: Sequence[Step] = (),
                    segments: Sequence[Segment] = ()) -> CadenceContext:
    """The runner's recent typical cadence and, in a clinic test with a baseline, what its cue achieved."""
    has_baseline = labelled(segments, BASELINE_LABEL) is not None
    clinic = cue_result(store, session, steps, segments) if has_baseline else None
    return CadenceContext(typical_cadence_spm(store, session), clinic)


def typical_cadence_spm(store: Store, session: Session, params: CadenceParams = CadenceParams()) -> float | None:
    """The runner's typical cadence before `session`: the median of the running sessions of the previous
    `typical_days` (clinic tests, and sessions shorter than `typical_min_s` such as demos, left out: not
    training), None without any. The after-run advice measures the
    step towards a runner's own target from it (footfall.coaching.cadence), and so does the live metronome's
    first target when given it (`CueParams.typical_cadence_spm`), so both say the same figure."""
    earlier = store.previous_sessions(session, days=params.typical_days)
    runs = [p for p in earlier if (p.basis or "running") == "running" and p.duration_s >= params.typical_min_s
            and not is_clinic_test(store.segments(p.id))]
    return typical_spm([p.summary.get("cadence_spm", math.nan) for p in runs])


def cue_result(store: Store, session: Session, steps: Sequence[Step],
               segments: Sequence[Segment]) -> ClinicResult | None:
    """The cue and retest segments' running, and footfall's metronome in the cue if it ran (its first setting
    there); None unless both segments have enough running steps (footfall.coaching.clinic)."""
    cue = labelled(segments, CUE_LABEL)
    clicks = [c.metronome_spm for c in store.cues(session.id)
              if c.metronome_spm and cue is not None and cue.start_s <= c.time_s < cue.end_s]
    return clinic_result(steps, [(g.label, g.start_s, g.end_s) for g in segments], clicks[0] if clicks else None)


def live_target_spm(store: Store, session: Session) -> float | None:
    """The metronome's target in a live session (its first cue that set one), which the advice says again."""
    return next((c.metronome_spm for c in store.cues(session.id) if c.metronome_spm), None)


def shoe_as_of(store: Store, session: Session) -> ShoeStatus | None:
    """The session's pair as it was after this run (not today's total: later runs do not count)."""
    if session.shoe_id is None:
        return None
    sh = store.shoe(session.shoe_id)
    run_km = session.distance_m / 1000 if math.isfinite(session.distance_m) else 0.0
    return ShoeStatus(sh.name, store.shoe_km_as_of(session), sh.limit_km, run_km, sh.limit_given)


def advice_for_session(store: Store, session_id: int, checkin: CheckIn | None = None,
                       limit: int | None = 7, held: bool = False) -> SessionAdvice:
    """`held`: also the training entries a red flag holds back, marked (`footfall advice N --all`)."""
    session = store.session(session_id)
    steps = store.steps(session_id)
    summary = summarise_steps(steps)
    ctx = context_for(store, session, checkin, steps)
    aim = run_aim(summary, ctx.target_cadence_spm, ctx.leg_length_m, ctx.live_target_spm,
                  typical_cadence_spm=ctx.cadence.typical_spm)
    return SessionAdvice(session, steps, summary, post_run_advice(steps, ctx, summary, limit, held), ctx.checkin,
                         aim)
