"""Per-step export and import: CSV (one row per step, Step field names as header) and JSON.

The JSON form is {"format": "footfall-steps", "version": 1, "meta": {...}, "steps": [Step.to_dict(), ...]}
(`footfall analyse --json` writes "format": "footfall-analysis", same version numbering);
`footfall history add FILE` reads either form back. An export of a stored session (`footfall history export`)
also gives each step the labels of the physiotherapist's segments holding it ("segment": in JSON a list, []
outside them, like "flags"; in CSV one cell, empty outside them, the labels joined by ";", which no label holds:
`history mark` refuses it) and the marks in meta["segments"].
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from footfall.analysis.step import Pattern, Step
from footfall.errors import InputError
from footfall.finite import null_nan
from footfall.report.segments import LABEL_SEPARATOR, SegmentSpan, segment_label_lists
from footfall.utc import iso_utc

FIELDS = [f.name for f in fields(Step)]
SEGMENT_FIELD = "segment"  # a stored session's export only; not read back (the marks stay in the history)
_TYPES = {f.name: str(f.type) for f in fields(Step)}
STEPS_FORMAT = "footfall-steps"  # `history export` JSON
ANALYSIS_FORMAT = "footfall-analysis"  # `analyse --json`
FORMAT_VERSION = 1  # of both: a field added keeps it, a field changed or removed moves it on


def json_text(doc: object) -> str:
    """`doc` as strict JSON: a figure not measured (NaN, infinite) becomes null, which every JSON reader
    accepts (Python's default writes a bare NaN, which is not JSON); a datetime as footfall.utc.iso_utc text
    ("...Z"); anything else unknown as its text."""
    return json.dumps(null_nan(doc), indent=1, default=_json_default, allow_nan=False)


def _json_default(value: object) -> str:
    return iso_utc(value) if isinstance(value, datetime) else str(value)


def _records(steps: Sequence[Step], segments: Sequence[SegmentSpan] | None) -> list[dict[str, object]]:
    """Step.to_dict() per step; with the session's segments (even none), also SEGMENT_FIELD: the labels of the
    marked segments holding the step, in the segments' order ([] when none holds it)."""
    records = [s.to_dict() for s in steps]
    if segments is not None:
        for record, labels in zip(records, segment_label_lists(steps, segments)):
            record[SEGMENT_FIELD] = labels
    return records


def write_json(steps: Sequence[Step], path: str | Path, meta: dict[str, object] | None = None,
               segments: Sequence[SegmentSpan] | None = None, *, overwrite: bool = False) -> Path:
    """The steps as a "footfall-steps" JSON file. `segments` (a stored session's marks) add each step's segment
    label, and the marks to the meta. An existing file is refused (InputError) unless `overwrite`."""
    marks = [{"label": label, "start_s": a, "end_s": b} for label, a, b in segments or ()]
    full = {**(meta or {}), **({} if segments is None else {"segments": marks})}
    doc = {"format": STEPS_FORMAT, "version": FORMAT_VERSION, "meta": full, "steps": _records(steps, segments)}
    return _write_text(Path(path), json_text(doc), overwrite, newline=None)


def write_csv(steps: Sequence[Step], path: str | Path, segments: Sequence[SegmentSpan] | None = None, *,
              overwrite: bool = False) -> Path:
    """The steps as CSV (csv_text). An existing file is refused (InputError) unless `overwrite`."""
    return _write_text(Path(path), csv_text(steps, segments), overwrite, newline="")


def _write_text(path: Path, text: str, overwrite: bool, newline: str | None) -> Path:
    """`text` into `path` (UTF-8), created exclusively unless `overwrite`: nothing is overwritten unasked, as
    the CLI (`--force`) and RecordingWriter do."""
    try:
        with open(path, "w" if overwrite else "x", encoding="utf-8", newline=newline) as f:
            f.write(text)
    except FileExistsError:
        raise InputError(f"{path} already exists", hint="choose another name, or pass overwrite=True") from None
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def csv_text(steps: Sequence[Step], segments: Sequence[SegmentSpan] | None = None) -> str:
    """One row per step, "not measured" as an empty cell, flags joined by ";". `segments` (a stored session's
    marks) add a SEGMENT_FIELD column: the labels joined by LABEL_SEPARATOR, empty for a step outside them.
    Rows end in LF, not the csv module's CRLF: standard output on Windows turns every LF into CRLF, so CRLF
    became CR CR LF there, a blank row after every step. Files (written with newline="") hold the same LF rows."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=FIELDS + ([] if segments is None else [SEGMENT_FIELD]), lineterminator="\n")
    w.writeheader()
    for s, d in zip(steps, _records(steps, segments)):
        d["flags"] = ";".join(s.flags)
        if segments is not None:
            d[SEGMENT_FIELD] = LABEL_SEPARATOR.join(d[SEGMENT_FIELD])  # type: ignore[arg-type]
        w.writerow({k: "" if isinstance(v, float) and math.isnan(v) else v for k, v in d.items()})
    return out.getvalue()


def step_from_record(d: object) -> Step:
    """One step record of an export (JSON object or CSV row) as a Step (InputError naming a field of the wrong kind)."""
    return _step(d)


def _step(d: object) -> Step:
    """One step record (a CSV row or a JSON object) as a Step; InputError for a record of the wrong shape or a
    field of the wrong kind (a word where a number belongs), naming the field."""
    if not isinstance(d, dict):
        raise InputError(f"a step record is {type(d).__name__} {d!r:.40}, not an object of step fields")
    missing = [f for f in FIELDS if f not in d and f != "flags"]
    if missing:
        raise InputError(f"step record lacks {missing}")
    out: dict[str, object] = {}
    for name in FIELDS:
        try:
            out[name] = _value(name, d.get(name))
        except (TypeError, ValueError) as exc:
            raise InputError(f"step record: {name} {d.get(name)!r:.40} is not a {_TYPES[name]} ({exc})") from None
    return Step(**out)  # type: ignore[arg-type]


def _value(name: str, v: object) -> object:
    kind = _TYPES[name]
    if kind == "float":
        return math.nan if v in (None, "") else float(v)  # type: ignore[arg-type]
    if kind == "int":
        if isinstance(v, float) and not v.is_integer():
            raise ValueError("not a whole number")
        return int(v)  # type: ignore[call-overload]
    if name == "pattern":
        return Pattern(str(v))
    if name == "flags":  # ";" in our exports (" " in `footfall analyse --csv` before it wrote them the same way)
        return tuple(v) if isinstance(v, list) else tuple(f for f in re.split(r"[;\s]+", str(v or "")) if f)
    return str(v)


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
    if not (analysed or isinstance(doc, dict) and doc.get("format") == STEPS_FORMAT):
        raise InputError(f"{p} is JSON but not footfall steps (from `footfall history export` or `analyse --json`)")
    _check_version(p, doc)
    meta = _analysis_meta(doc) if analysed else doc.get("meta", {})
    if not isinstance(meta, dict) or not isinstance(doc.get("steps"), list):
        raise InputError(f"{p} is not footfall steps: its \"meta\" must be an object and its \"steps\" a list")
    return [_step(d) for d in doc["steps"]], dict(meta)


def _analysis_meta(doc: dict[str, object]) -> dict[str, object]:
    """What `history add` takes from `footfall analyse --json` besides the steps: the start time and the leg
    length its overstride index used (older files have neither field, or no leg_length_m: none was used)."""
    return {k: doc[k] for k in ("start_utc", "leg_length_m") if doc.get(k) is not None}


def _check_version(path: Path, doc: dict[str, object]) -> None:
    """A file without "version" is version 1 (footfall before the field); a later one is refused in one line."""
    version = doc.get("version", 1)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InputError(f"{path} is {doc.get('format', 'footfall')} version {version}; this footfall reads "
                         f"version {FORMAT_VERSION}", hint="update footfall")
