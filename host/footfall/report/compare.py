"""Two sessions, or a marked segment of each (a visit-1 baseline against a visit-2 retest), compared: before (the
older) → after, the same Δ [95 % CI] and within-noise call as the segments of one session (report/change.py),
and the conditions that decide whether the two can be compared at all: speed, feet measured, running or
walking, shoe, leg length and runner. `footfall history show A --compare B [--json]` and `footfall report A
--compare B` print it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from footfall.analysis.step import Step
from footfall.coaching.summary import window
from footfall.errors import InputError
from footfall.report.landing import used_leg_length
from footfall.report.change import (PARAMS, ChangeParams, ChangeSet, changes_against, speed_difference,
                                    with_asymmetry)
from footfall.report.segments import SegmentFigures, segment_figures, whole_figures
from footfall.report.sides import FEET, feet_measured
from footfall.utc import iso_utc

if TYPE_CHECKING:
    from footfall.store import Store

ONE_AGAINST_TWO = ("one foot against two: the one-foot part's strike angle and patterns are that foot's only, and its "
            "cadence is twice that foot's stride rate")
LEG_LENGTH_USED = "leg length used"  # the one each session's overstride index was computed with (schema v8)
LEG_LENGTH = ("the two overstride indexes were computed with different leg lengths, so their Δ mixes in that "
              "change")
NOT_KNOWN = " (a session stored before footfall kept it: its runner's current profile is shown)"


@dataclass(frozen=True)
class Part:
    """A session, whole (label None) or one of its marked segments: "3" or "3:retest" on the command line."""
    session_id: int
    label: str | None = None

    @classmethod
    def parse(cls, text: str) -> Part:
        number, sep, label = str(text).partition(":")
        try:
            session_id = int(number)
        except ValueError:
            raise InputError(f"not a session: {text!r}", hint="give a session number (3), or a session and one of "
                             "its marked segments (3:retest)") from None
        if sep and not label.strip():
            raise InputError(f"no segment label after the colon in {text!r}", hint="e.g. 3:retest")
        return cls(session_id, label.strip() or None)


@dataclass(frozen=True)
class Side:
    part: Part
    name: str  # "Session 3" or "Session 3 retest"
    start_utc: datetime
    figures: SegmentFigures  # labelled with `name`
    runner: str
    shoe: str
    leg_length_m: float | None  # what the session's index used; when not known, the runner's profile now
    leg_length_known: bool = True  # False: a session stored before schema v8 (leg_length_m is today's profile)
    inside: tuple[Step, ...] = ()  # every step of the part, both feet (its left/right symmetry index's steps)


@dataclass(frozen=True)
class Condition:
    name: str
    before: str
    after: str
    warning: str = ""  # why the two differ in a way that matters ("" when alike)


@dataclass(frozen=True)
class Comparison:
    before: Side
    after: Side
    changes: ChangeSet
    conditions: list[Condition] = field(default_factory=list)

    def notes(self) -> list[str]:
        """The Δ notes the conditions do not already say (a part without running steps)."""
        said = {c.warning for c in self.conditions}
        return [n for n in self.changes.notes if n not in said]

    def shown_changes(self) -> ChangeSet:
        """The Δ rows with the notes the conditions do not already say; no "Δ = ..." line above no rows (N8)."""
        return replace(self.changes, notes=self.notes(), basis_note=self.changes.basis_note if self.changes.rows
                       else "")

    def to_dict(self) -> dict[str, object]:
        return {"before": _side_dict(self.before), "after": _side_dict(self.after),
                "conditions": [c.__dict__ for c in self.conditions], "reference": self.changes.reference,
                "basis": self.changes.basis_note, "changes": [c.to_dict() for c in self.changes.rows],
                "notes": self.notes()}


def _side_dict(s: Side) -> dict[str, object]:
    figures = {k: (v if math.isfinite(v) else None) for k, v in s.figures.figures().items()}
    return {"session": s.part.session_id, "segment": s.part.label, "name": s.name, "start_utc": iso_utc(s.start_utc),
            "runner": s.runner, "shoe": s.shoe, "leg_length_m": s.leg_length_m,
            "leg_length_known": s.leg_length_known, "basis": s.figures.basis,
            "feet": feet_measured(s.figures.steps), "figures": figures}


def compare(store: Store, a: Part, b: Part, params: ChangeParams = PARAMS) -> Comparison:
    """`a` and `b` in time order (the older is before), their conditions and the Δ of after against before."""
    if a.session_id == b.session_id and a.label == b.label:
        raise InputError(f"{_part_text(a)} is compared with itself", hint="compare with another session or segment")
    before, after = sorted((load_side(store, a), load_side(store, b)), key=_time_order)
    rows, notes = changes_against(before.figures, [after.figures], params)
    basis = f"Δ = {after.name} - {before.name} (before → after: the older first)"
    inside = {id(before.figures): before.inside, id(after.figures): after.inside}
    changes = with_asymmetry(ChangeSet(before.name, basis, rows, notes), [before.figures, after.figures], inside,
                             params)
    return Comparison(before, after, changes, conditions(before, after, params))


def _time_order(s: Side) -> tuple[datetime, int]:
    """When the part began: its session's start plus the segment's start (two segments of one session, or two
    sessions started the same minute, sort by when they were run, not by the order typed; qa17 N1)."""
    return s.start_utc + timedelta(seconds=s.figures.start_s if s.part.label else 0.0), s.part.session_id


def load_side(store: Store, part: Part) -> Side:
    session = store.session(part.session_id)
    runner = store.runner_by_id(session.runner_id)
    shoe = store.shoe(session.shoe_id).name if session.shoe_id is not None else "none recorded"
    name = f"Session {session.id}" + (f" {part.label}" if part.label else "")
    used = used_leg_length(session, runner.leg_length_m)
    figures, inside = _figures(store, part, name)
    return Side(part, name, session.start_utc, figures, runner.name, shoe, used.value_m, used.known, inside)


def _figures(store: Store, part: Part, name: str) -> tuple[SegmentFigures, tuple[Step, ...]]:
    """The part's figures and every step inside it."""
    steps = store.steps(part.session_id)
    if part.label is None:
        return whole_figures(name, steps), tuple(steps)
    marked = {g.label.lower(): g for g in store.segments(part.session_id)}
    g = marked.get(part.label.lower())
    if g is None:
        have = ", ".join(sorted(g.label for g in marked.values())) or "none"
        raise InputError(f"session {part.session_id} has no segment {part.label!r} (marked: {have})",
                         hint=f"`footfall history mark {part.session_id} LABEL START_S END_S` marks one")
    figures = segment_figures(steps, [(g.label, g.start_s, g.end_s)])[0]
    return replace(figures, label=name), tuple(window(steps, g.start_s, g.end_s))


def _part_text(p: Part) -> str:
    return f"session {p.session_id}" + (f" segment {p.label}" if p.label else "")


def conditions(before: Side, after: Side, params: ChangeParams = PARAMS) -> list[Condition]:
    """Speed, feet, basis, shoe, leg length and runner of the two, each with a warning when they differ."""
    b, a = before.figures, after.figures
    feet = (feet_measured(b.steps), feet_measured(a.steps))
    other_foot = ONE_AGAINST_TWO if FEET[frozenset("LR")] in feet else "a different foot measured"
    # no speed warning where no Δ is computed (a walk against a run): the basis row says why (qa17 N8)
    speed = speed_difference(b, a, params)[1] if b.basis == a.basis == "running" else ""
    out = [Condition("median speed", _speed(b), _speed(a), speed),
           _same("feet measured", *feet, other_foot),
           _same("steps compared", b.basis, a.basis, "running against walking: no Δ is computed")]
    out.append(_same("shoe", before.shoe, after.shoe, "different shoes: a change may be the shoe's"))
    out.append(_leg_lengths(before, after))
    out.append(_same("runner", before.runner, after.runner, "two different runners"))
    return out


def _same(name: str, before: str, after: str, warning: str) -> Condition:
    return Condition(name, before, after, "" if before == after else f"{name} differs: {warning}")


def _speed(g: SegmentFigures) -> str:
    return f"{g.summary.speed_mps:.2f} m/s" if math.isfinite(g.summary.speed_mps) else "not measured"


def _leg_lengths(before: Side, after: Side) -> Condition:
    """The two sessions' own leg lengths; one not known falls back to its runner's profile today, as it says."""
    differs = before.leg_length_m != after.leg_length_m
    unknown = NOT_KNOWN if differs and not (before.leg_length_known and after.leg_length_known) else ""
    return Condition(LEG_LENGTH_USED, _leg(before), _leg(after),
                     f"{LEG_LENGTH_USED} differs: {LEG_LENGTH}{unknown}" if differs else "")


def _leg(side: Side) -> str:
    value = "none given" if side.leg_length_m is None else f"{side.leg_length_m:g} m"
    return value if side.leg_length_known else f"not known (current profile: {value})"
