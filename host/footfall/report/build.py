"""Build a report from the history database: one session, optionally compared with another, with segments."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from footfall.coaching.advice import professional_pointer
from footfall.coaching.load import LoadParams, check_load, reference_runs
from footfall.coaching.session_advice import advice_for_session, is_clinic_test, past_run
from footfall.report.compare import Part, compare
from footfall.report.html import ReportData, render
from footfall.report.landing import used_leg_length
from footfall.report.plots import LoadBars
from footfall.report.progress import REPORT_VISITS, progress
from footfall.report.segments import stored_segments
from footfall.report.when import when_text
from footfall.store import Session, Store
from footfall.utc import local_day


def session_data(store: Store, session_id: int) -> ReportData:
    sa = advice_for_session(store, session_id)
    runner = store.runner_by_id(sa.session.runner_id)
    shoe = store.shoe(sa.session.shoe_id).name if sa.session.shoe_id is not None else "no shoe recorded"
    start = when_text(sa.session.start_utc)
    cues = store.cues(session_id)
    target = None if sa.aim is None else sa.aim.aim_spm  # the advice's own aim, typical cadence and all
    segments = stored_segments(store, session_id)
    subtitle = f"{runner.name} · {start} · {shoe} · source: {_file_name(sa.session.source) or 'live'}"
    title = f"{runner.name}: running gait, session {session_id} of {local_day(sa.session.start_utc)}"  # local, as below
    leg = used_leg_length(sa.session, runner.leg_length_m)  # the session's own when the history kept it
    return ReportData(title, subtitle, sa.steps, cues, sa.advice, target, sa.checkin,
                      segments, footer_advice=professional_pointer(), load=load_bars(store, sa.session),
                      name=f"Session {session_id}", session_id=session_id, runner=runner.name,
                      earlier_checkins=store.checkin_before(sa.session), run_start_utc=sa.session.start_utc,
                      leg_length_m=leg.value_m, leg_length_known=leg.known, written_utc=datetime.now(timezone.utc))


def load_bars(store: Store, session: Session, params: LoadParams = LoadParams()) -> LoadBars:
    """The earlier runs of the load chart, split as the load text splits them (coaching/load.py
    `reference_runs`): runs of 5 min or more are compared with, shorter runs and clinic tests are no reference,
    walks are left out; the lines only when the text has a reference and compares by distance."""
    earlier = [p for p in store.previous_sessions(session, days=params.lookback_days) if (p.basis or "running") == "running"]
    clinic = {p.id for p in earlier if is_clinic_test(store.segments(p.id))}
    runs = [past_run(p) for p in earlier if p.id not in clinic]
    refs = reference_runs(past_run(session), runs, params)
    check = check_load(past_run(session), runs, params)
    bars = [((session.start_utc - p.start_utc).total_seconds() / 86400, p.distance_m / 1000,
             "clinic test" if p.id in clinic else "" if past_run(p) in refs else "shorter")
            for p in earlier if p.distance_m == p.distance_m]  # (a run without a distance has no bar)
    longest = check.longest_run.distance_m / 1000 if check.longest_run and check.basis == "distance" else None
    return LoadBars(tuple((d, km) for d, km, why in bars if not why), tuple(b for b in bars if b[2]), longest,
                    params.min_reference_s / 60)


def write_report(store: Store, session_id: int, out: str | Path, compare_id: int | str | Part | None = None,
                 segment: str | None = None, progress_segment: str | None = None, plan: str = "") -> Path:
    """The page of `session_id`; with `compare_id` (a session, or "N:LABEL" / a Part: one of its segments) the
    comparison of this session (or its `segment`) with it, before → after; the runner's progress over the
    visits up to this one (whole sessions, or each one's `progress_segment`); the clinician's `plan` for this page
    only (it is not stored)."""
    data = session_data(store, session_id)
    data.plan = plan
    data.progress = progress(store, data.runner, progress_segment, until=store.session(session_id),
                             limit=REPORT_VISITS)
    if compare_id is not None:
        other = compare_id if isinstance(compare_id, Part) else Part.parse(str(compare_id))
        data.compare = session_data(store, other.session_id)
        data.comparison = compare(store, Part(session_id, segment), other)
    path = Path(out)
    path.write_text(render(data), encoding="utf-8")
    return path


def _file_name(source: str) -> str:
    """"live: annaA.ffr" for "live: /tmp/x/annaA.ffr": the recording's file name only, not its local path."""
    kind, sep, rest = source.rpartition(": ") if ": " in source else ("", "", source)
    return f"{kind}{sep}{Path(rest.strip()).name}" if rest.strip() else source
