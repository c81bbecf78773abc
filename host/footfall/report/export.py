"""Per-step export and import: CSV (one row per step, Step field names as header) and JSON.

The JSON form is {"format": "footfall-steps", "version": 1, "meta": {...}, "steps": [Step.to_dict(), ...]};
`footfall history add FILE` reads either form back. An export of a stored session (`footfall history export`)
also gives each step the label of the physiotherapist's segment holding it ("segment", empty/null outside
them) and the marks in meta["segments"].
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from footfall.analysis.step import Pattern, Step
from footfall.errors import InputError
from footfall.finite import null_nan
from footfall.report.segments import SegmentSpan, segment_labels

FIELDS = [f.name for f in fields(Step)]
SEGMENT_FIELD = "segment"  # a stored session's export only; not read back (the marks stay in the history)
_TYPES = {f.name: str(f.type) for f in fields(Step)}


def json_text(doc: object) -> str:
    """`doc` as strict JSON: a figure not measured (NaN, infinite) becomes null, which every JSON reader
    accepts (Python's default writes a bare NaN, which is not JSON); anything else unknown as its text."""
    return json.dumps(null_nan(doc), indent=1, default=str, allow_nan=False)


def _records(steps: Sequence[Step], segments: Sequence[SegmentSpan] | None) -> list[dict[str, object]]:
    """Step.to_dict() per step; with the session's segments (even none), also SEGMENT_FIELD: the label of the
    marked segment holding the step (footfall.report.segments.segment_labels), None when none holds it."""
    records = [s.to_dict() for s in steps]
    if segments is not None:
        for record, label in zip(records, segment_labels(steps, segments)):
            record[SEGMENT_FIELD] = label or None
    return records


def write_json(steps: Sequence[Step], path: str | Path, meta: dict[str, object] | None = None,
               segments: Sequence[SegmentSpan] | None = None) -> Path:
    """`segments` (a stored session's marks) add each step's segment label, and the marks to the meta."""
    marks = [{"label": label, "start_s": a, "end_s": b} for label, a, b in segments or ()]
    full = {**(meta or {}), **({} if segments is None else {"segments": marks})}
    doc = {"format": "footfall-steps", "version": 1, "meta": full, "steps": _records(steps, segments)}
    Path(path).write_text(json_text(doc), encoding="utf-8")
    return Path(path)


def write_csv(steps: Sequence[Step], path: str | Path, segments: Sequence[SegmentSpan] | None = None) -> Path:
    Path(path).write_text(csv_text(steps, segments), encoding="utf-8", newline="")
    return Path(path)


def csv_text(steps: Sequence[Step], segments: Sequence[SegmentSpan] | None = None) -> str:
    """One row per step, "not measured" as an empty cell, flags joined by ";". `segments` (a stored session's
    marks) add a SEGMENT_FIELD column, empty for a step outside them."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=FIELDS + ([] if segments is None else [SEGMENT_FIELD]))
    w.writeheader()
    for s, d in zip(steps, _records(steps, segments)):
        d["flags"] = ";".join(s.flags)
        w.writerow({k: "" if isinstance(v, float) and math.isnan(v) else v for k, v in d.items()})
    return out.getvalue()


def _step(d: dict[str, object]) -> Step:
    missing = [f for f in FIELDS if f not in d and f != "flags"]
    if missing:
        raise InputError(f"step record lacks {missing}")
    out: dict[str, object] = {}
    for name in FIELDS:
        v = d.get(name)
        kind = _TYPES[name]
        if kind == "float":
            out[name] = math.nan if v in (None, "") else float(v)  # type: ignore[arg-type]
        elif kind == "int":
            out[name] = int(v)  # type: ignore[call-overload]
        elif name == "pattern":
            out[name] = Pattern(str(v))
        elif name == "flags":
            # ";" in our exports (" " in `footfall analyse --csv` before it wrote them the same way)
            out[name] = tuple(v) if isinstance(v, list) else tuple(f for f in re.split(r"[;\s]+", str(v or "")) if f)
        else:
            out[name] = str(v)
    return Step(**out)  # type: ignore[arg-type]


def read_steps(path: str | Path) -> tuple[list[Step], dict[str, object]]:
    """Steps (and metadata) from a JSON or CSV export, or the JSON of `footfall analyse --json` (every step
    record and the summary; of metadata only the recording's start_utc)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such file: {p}")
    try:
        if p.suffix.lower() == ".csv":
            with open(p, newline="", encoding="utf-8") as fh:
                return [_step(row) for row in csv.DictReader(fh)], {}
        doc = json.loads(p.read_text(encoding="utf-8"))
    except KeyError as exc:
        raise InputError(f"{p} is not a footfall step file: no column {exc}") from exc
    except ValueError as exc:  # (UnicodeDecodeError and JSONDecodeError among them)
        raise InputError(f"{p} is not valid {'CSV' if p.suffix.lower() == '.csv' else 'JSON'} ({exc})") from exc
    analysed = isinstance(doc, dict) and "summary" in doc and isinstance(doc.get("steps"), list)
    if not (analysed or isinstance(doc, dict) and doc.get("format") == "footfall-steps"):
        raise InputError(f"{p} is JSON but not footfall steps (from `footfall history export` or `analyse --json`)")
    meta = {"start_utc": doc["start_utc"]} if analysed and doc.get("start_utc") else dict(doc.get("meta", {}))
    return [_step(d) for d in doc["steps"]], meta
