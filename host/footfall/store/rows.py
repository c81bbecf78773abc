"""Typed rows of the history database and the conversions between Step/Cue objects and table rows."""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from footfall.analysis.step import Pattern, Step
from footfall.coaching.checkin import CheckIn
from footfall.coaching.cues import Cue, CueKind
from footfall.store.checks import shown, stored_note
from footfall.store.schema import STEP_COLUMNS

_STEP_FIELDS = tuple(f.name for f in fields(Step))
_FLOAT_FIELDS = {f.name for f in fields(Step) if f.type == "float"}


@dataclass(frozen=True)
class Runner:
    id: int
    name: str
    height_m: float | None
    leg_length_m: float | None
    target_cadence_spm: float | None


@dataclass(frozen=True)
class Shoe:
    id: int
    runner_id: int
    name: str
    limit_km: float
    initial_km: float
    retired: bool
    distance_km: float  # initial_km plus every finished session run in this pair
    limit_given: bool = True  # the runner set limit_km (False: footfall's default)

    @property
    def worn_out(self) -> bool:
        return self.distance_km >= self.limit_km

    def warning(self) -> str | None:
        """What adding a run to this pair should warn of: a retired pair still counts the run's distance."""
        return f"shoe {self.name} is retired; this run is added to its distance anyway" if self.retired else None

    def passed_limit(self, before_km: float) -> str | None:
        """One line when a run took the pair from `before_km` to its limit or past it; None otherwise."""
        if not before_km < self.limit_km <= self.distance_km:
            return None
        return (f"This run took {self.name} past its {self.limit_km:.0f} km limit ({self.distance_km:.1f} km now): "
                f"time for a new pair (`footfall shoes retire {self.id}` once it is replaced)")


@dataclass(frozen=True)
class LegLength:
    """The leg length a session's overstride index was computed with (schema v8); `value_m` None: none was given
    (the index used the reference leg's norm)."""
    value_m: float | None


@dataclass(frozen=True)
class Session:
    id: int
    runner_id: int
    shoe_id: int | None
    start_utc: datetime
    duration_s: float
    distance_m: float  # NaN when unknown
    source: str
    summary: dict[str, float]
    finished: bool
    basis: str = ""  # which steps the figures describe: "running", "walking", "none"; "" while in progress
    source_sha256: str | None = None  # the imported file's content hash (None: a live session)
    leg_length: LegLength | None = None  # None: not known (a session stored before schema v8)


@dataclass(frozen=True)
class Segment:
    id: int
    session_id: int
    label: str
    start_s: float
    end_s: float


def _num(value: object) -> float:
    return math.nan if value is None else float(value)  # type: ignore[arg-type]


def step_to_row(session_id: int, step: Step) -> tuple[object, ...]:
    d: dict[str, object] = {name: getattr(step, name) for name in _STEP_FIELDS}  # asdict() is 10x slower
    d["pattern"] = step.pattern.value
    d["idx"] = d.pop("index")
    d["flags"] = ",".join(step.flags)
    known = {name for name, _ in STEP_COLUMNS}
    d["extra_json"] = json.dumps({k: v for k, v in d.items() if k not in known}) if set(d) - known else None
    return (session_id, *(_sql(d.get(n)) for n, _ in STEP_COLUMNS))


def _sql(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


def row_to_step(row: sqlite3.Row) -> Step:
    d: dict[str, object] = {n: row[n] for n, _ in STEP_COLUMNS}
    d["index"] = d.pop("idx")
    d.update(json.loads(str(d.pop("extra_json") or "{}")))
    d["pattern"] = Pattern(d["pattern"])
    d["flags"] = tuple(f for f in str(d["flags"] or "").split(",") if f)
    for name in _FLOAT_FIELDS:
        d[name] = _num(d.get(name))  # SQLite stores NaN as NULL
    return Step(**{k: v for k, v in d.items() if k in _STEP_FIELDS})  # type: ignore[arg-type]


def cue_to_row(session_id: int, c: Cue) -> tuple[object, ...]:
    return (session_id, c.time_s, c.kind.value, c.text, c.metronome_spm, c.cadence_spm, c.overstride_index,
            c.rearfoot_share, c.advice_key)


def row_to_cue(r: sqlite3.Row) -> Cue:
    return Cue(r["time_s"], CueKind(r["kind"]), shown(r["text"]), r["metronome_spm"], _num(r["cadence_spm"]),
               _num(r["overstride_index"]), _num(r["rearfoot_share"]), r["advice_key"])


CHECKIN_FIELDS = ("pain_before", "pain_after", "swelling", "bruising", "cannot_bear_weight", "twist_or_fall",
                  "pain_persists", "note", "examined", "recent_injury", "flags_answered")  # as in CheckIn
_CHECKIN_FLAGS = {f.name for f in fields(CheckIn) if f.type == "bool"}


def row_to_checkin(row: sqlite3.Row) -> CheckIn:
    values: dict[str, Any] = {name: bool(row[name]) if name in _CHECKIN_FLAGS else row[name] for name in CHECKIN_FIELDS}
    return CheckIn(**{**values, "note": stored_note(values["note"])})


def row_to_session(r: sqlite3.Row) -> Session:
    return Session(r["id"], r["runner_id"], r["shoe_id"], datetime.fromisoformat(r["start_utc"]),
                   _num(r["duration_s"]), _num(r["distance_m"]), shown(r["source"]),
                   {k: _num(v) for k, v in json.loads(r["summary_json"]).items()}, bool(r["finished"]),
                   r["basis"] or "", r["source_sha256"],
                   LegLength(r["leg_length_m"]) if r["leg_length_known"] else None)
