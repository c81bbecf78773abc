"""Build a report from the history database: one session, optionally compared with another, with segments."""

from __future__ import annotations

from pathlib import Path

from footfall.coaching.advice import professional_pointer
from footfall.coaching.session_advice import advice_for_session, is_clinic_test, live_target_spm
from footfall.coaching.technique import run_aim
from footfall.report.html import ReportData, render
from footfall.report.segments import stored_segments
from footfall.store import Store


def session_data(store: Store, session_id: int) -> ReportData:
    sa = advice_for_session(store, session_id)
    runner = store.runner_by_id(sa.session.runner_id)
    shoe = store.shoe(sa.session.shoe_id).name if sa.session.shoe_id is not None else "no shoe recorded"
    start = sa.session.start_utc.strftime("%Y-%m-%d %H:%M UTC")
    cues = store.cues(session_id)
    aim = run_aim(sa.summary, runner.target_cadence_spm, runner.leg_length_m, live_target_spm(store, sa.session))
    target = None if aim is None else aim.aim_spm
    segments = stored_segments(store, session_id)
    subtitle = f"{runner.name} · {start} · {shoe} · source: {_file_name(sa.session.source) or 'live'}"
    previous = [((sa.session.start_utc - p.start_utc).total_seconds() / 86400, p.distance_m / 1000)
                for p in store.previous_sessions(sa.session, days=30)
                if p.distance_m == p.distance_m and (p.basis or "running") == "running"  # runs: the load compared
                and not is_clinic_test(store.segments(p.id))]  # not training
    return ReportData(f"Session {session_id}: {start}", subtitle, sa.steps, cues, sa.advice, target, sa.checkin,
                      segments, footer_advice=professional_pointer(), previous_km=previous,
                      name=f"Session {session_id}", runner=runner.name,
                      earlier_checkins=store.checkin_before(sa.session), run_start_utc=sa.session.start_utc)


def write_report(store: Store, session_id: int, out: str | Path, compare_id: int | None = None) -> Path:
    data = session_data(store, session_id)
    if compare_id is not None:
        data.compare = session_data(store, compare_id)
    path = Path(out)
    path.write_text(render(data), encoding="utf-8")
    return path


def _file_name(source: str) -> str:
    """"live: annaA.ffr" for "live: /tmp/x/annaA.ffr": the recording's file name only, not its local path."""
    kind, sep, rest = source.rpartition(": ") if ": " in source else ("", "", source)
    return f"{kind}{sep}{Path(rest.strip()).name}" if rest.strip() else source
