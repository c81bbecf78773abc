"""A runner's progress across visits (qa17 #8): one row per session (or, when asked, per session's marked segment
of one label, e.g. each visit's retest), with the gait figures a physiotherapist follows, and the change from the
first visit with the same Δ [95 % CI] and noise call as the segments of one session (report/change.py).
`footfall progress --runner NAME [--segment LABEL] [--json]` prints it; the report has it as its "progress"
section (the runner's sessions up to the one reported)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from footfall.analysis.step import Step
from footfall.coaching.clinic import RETEST_LABEL, is_clinic_plan, labelled
from footfall.coaching.summary import window
from footfall.report.change import PARAMS, Change, ChangeParams, ChangeSet, changes_against, with_asymmetry
from footfall.report.segments import SegmentFigures, segment_figures, whole_figures
from footfall.report.sides import feet_measured, one_foot_parts
from footfall.utc import iso_utc

if TYPE_CHECKING:
    from footfall.store import Session, Store

# figure, label (the report's words), format, scale
PROGRESS_ROWS: tuple[tuple[str, str, str, float], ...] = (
    ("cadence_spm", "cadence (steps/min)", "{:.1f}", 1), ("contact_time_ms", "contact time (ms)", "{:.0f}", 1),
    ("strike_angle_deg", "strike angle (deg)", "{:.1f}", 1),
    ("overstride_index", "overstride index (0-1)", "{:.2f}", 1),
    ("rearfoot_share", "rearfoot (%)", "{:.0f}", 100), ("midfoot_share", "midfoot (%)", "{:.0f}", 100),
    ("forefoot_share", "forefoot (%)", "{:.0f}", 100), ("speed_mps", "median speed (m/s)", "{:.2f}", 1),
)


@dataclass(frozen=True)
class Visit:
    session_id: int
    start_utc: datetime
    name: str  # "Session 3" or "Session 3 retest"
    figures: SegmentFigures  # labelled with `name`
    segment: str | None = None  # the marked segment's label (None: the whole session)
    pooled: bool = False  # a clinic test without a retest, whole: cued and uncued phases pooled (no Δ; qa17 N4)
    inside: tuple[Step, ...] = ()  # every step of the visit, both feet (its left/right symmetry index's steps)

    @property
    def feet(self) -> str:
        return feet_measured(self.figures.steps)

    @property
    def measured(self) -> str:
        """"both feet", "left foot only, walking" for a visit whose figures are not of running steps, and
        "both feet, all phases pooled (clinic test)"."""
        kind = "" if self.figures.basis == "running" else f", {self.figures.basis}"
        return f"{self.feet}{kind}{', ' + POOLED if self.pooled else ''}"

    def cells(self) -> list[str]:
        """The PROGRESS_ROWS figures as the table prints them ("–": not measured)."""
        return [_fmt(float(getattr(self.figures.summary, key)), fmt, scale) for key, _, fmt, scale in PROGRESS_ROWS]

    def to_dict(self) -> dict[str, object]:
        figures = {key: _finite(float(getattr(self.figures.summary, key))) for key, *_ in PROGRESS_ROWS}
        return {"session": self.session_id, "start_utc": iso_utc(self.start_utc), "name": self.name,
                "segment": self.segment, "basis": self.figures.basis, "feet": self.feet, "pooled": self.pooled,
                "figures": figures}


@dataclass(frozen=True)
class Progress:
    runner: str
    segment: str | None  # the label picked per visit (None: whole sessions)
    visits: list[Visit]
    skipped: list[int] = field(default_factory=list)  # sessions without that segment
    omitted: int = 0  # visits between the first and the latest left out (the report's `limit`)
    changes: ChangeSet = ChangeSet("", "")  # each later visit against the first

    @property
    def retests(self) -> list[int]:
        """The clinic tests shown by their retest segment in a progress over whole sessions."""
        return [v.session_id for v in self.visits if self.segment is None and v.segment is not None]

    def what(self) -> str:
        """"whole sessions; a clinic test: its retest, sessions 9, 10", or "each visit's retest"."""
        if self.segment:
            return f"each visit's {self.segment}"
        tests = ", ".join(str(i) for i in self.retests)
        which = f"session{'s' if len(self.retests) > 1 else ''} {tests}"
        return f"whole sessions; a clinic test: its {RETEST_LABEL}, {which}" if tests else "whole sessions"

    def to_dict(self) -> dict[str, object]:
        return {"runner": self.runner, "segment": self.segment, "clinic_retests": self.retests, "visits": [v.to_dict() for v in self.visits],
                "skipped_sessions": self.skipped, "reference": self.changes.reference,
                "basis": self.changes.basis_note, "changes": [c.to_dict() for c in self.changes.rows],
                "notes": self.changes.notes}


def _fmt(value: float, fmt: str, scale: float) -> str:
    return "–" if not math.isfinite(value) else fmt.format(value * scale)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


POOLED = "all phases pooled (clinic test)"
REPORT_VISITS = 10  # the report shows the first visit and the latest ones, up to this many (a page, and time)


def progress(store: Store, runner: str, segment: str | None = None, until: Session | None = None,
             params: ChangeParams = PARAMS, limit: int | None = None) -> Progress:
    """The runner's finished sessions in time order (up to and including `until`), each whole or its segment
    labelled `segment` (sessions without one are skipped and listed), with the Δ of each against the first;
    with `limit`, the first and the latest `limit - 1` only."""
    sessions = [s for s in store.sessions(runner) if s.finished
                and (until is None or (s.start_utc, s.id) <= (until.start_utc, until.id))]
    omitted = max(0, len(sessions) - limit) if limit else 0
    if omitted and limit:
        sessions = sessions[:1] + sessions[len(sessions) - (limit - 1):]
    visits, skipped = [], []
    for s in sessions:
        visit = _visit(store, s, segment)
        if visit is None:
            skipped.append(s.id)
        else:
            visits.append(visit)
    name = store.runner(runner).name
    return Progress(name, segment, visits, skipped, omitted=omitted, changes=_changes(visits, params))


def _visit(store: Store, s: Session, segment: str | None) -> Visit | None:
    """The session whole, or its segment labelled `segment` (None without one); over whole sessions a clinic
    test is its retest, or whole and marked pooled without one: its phases were run with and without the cue."""
    steps, marks = store.steps(s.id), store.segments(s.id)
    clinic = segment is None and is_clinic_plan(g.label for g in marks)
    marked = labelled(marks, RETEST_LABEL if clinic else segment or "")
    if segment is None and marked is None:
        return Visit(s.id, s.start_utc, f"Session {s.id}", whole_figures(f"Session {s.id}", steps), pooled=clinic,
                     inside=tuple(steps))
    if marked is None:
        return None
    name = f"Session {s.id} {marked.label}"
    figures = segment_figures(steps, [(marked.label, marked.start_s, marked.end_s)])[0]
    return Visit(s.id, s.start_utc, name, replace(figures, label=name), marked.label,
                 inside=tuple(window(steps, marked.start_s, marked.end_s)))


def _changes(visits: list[Visit], params: ChangeParams) -> ChangeSet:
    """Each visit against the first with running steps (a walk has no Δ: its figures are of walking steps; nor
    has a clinic test's phases pooled)."""
    first = next((v for v in visits if v.figures.basis == "running" and not v.pooled), None)
    if len(visits) < 2 or first is None:
        return ChangeSet("", "")
    compared = [v for v in visits if v is first or not v.pooled]
    rows, notes = changes_against(first.figures, [v.figures for v in compared if v is not first], params)
    asymmetry = with_asymmetry(ChangeSet(first.name, "", rows, notes), [v.figures for v in compared],
                               {id(v.figures): v.inside for v in compared}, params)
    rows, notes = asymmetry.rows, asymmetry.notes
    pooled = [f"{v.name}: no Δ: {POOLED}, its cued and uncued phases together" for v in visits if v.pooled]
    one_foot = one_foot_parts({v.name: v.feet for v in visits})
    which = ("the first visit" if first is visits[0] else "the first visit with running steps"
             if not visits[0].pooled else "the first visit whose phases are not pooled")
    basis = f"Δ vs {which}, {first.name} ({first.start_utc:%Y-%m-%d})"
    notes = pooled + notes + [f"{name}: measured: {f}" for name, f in one_foot]
    return ChangeSet(first.name, basis, _one_foot_flags(rows, {name for name, _ in one_foot}), notes)


def _one_foot_flags(rows: list[Change], one_foot: set[str]) -> list[Change]:
    """"[one foot]" on each row of a one-foot visit against a two-foot one, or the reverse (sides.one_foot_parts:
    its strike angle and patterns are that foot's only; qa17 N10)."""
    return [replace(c, feet="one foot") if (c.label in one_foot) != (c.reference in one_foot) else c for c in rows]
