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
import hashlib
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path

from footfall import __version__
from footfall.analysis.calib import StillParams
from footfall.analysis.clipping import ClipParams
from footfall.analysis.gyro_signs import SignParams
from footfall.analysis.params import AnalysisParams
from footfall.analysis.step import Pattern, Step
from footfall.analysis.stride import StrideParams
from footfall.analysis.summary import rules as summary_rules
from footfall.atomic import write_text_atomic
from footfall.errors import InputError
from footfall.finite import null_nan
from footfall.report.segments import LABEL_SEPARATOR, SegmentSpan, segment_label_lists
from footfall.store.step_checks import check_sequence, check_step
from footfall.utc import iso_utc

FIELDS = [f.name for f in fields(Step)]
SEGMENT_FIELD = "segment"  # a stored session's export only; not read back (the marks stay in the history)
_TYPES = {f.name: str(f.type) for f in fields(Step)}
_KINDS = {"float": "a number", "int": "a whole number", "str": "text"}  # a field's type, as an error says it
STEPS_FORMAT = "footfall-steps"  # `history export` JSON
ANALYSIS_FORMAT = "footfall-analysis"  # `analyse --json`
FORMAT_VERSION = 1  # of both: a field added keeps it, a field changed or removed moves it on


def provenance(params: AnalysisParams, stride_params: StrideParams) -> dict[str, object]:
    """How the steps were made, for a study's methods: "software" ("footfall 0.1.0"), "params" (every parameter
    of the analysis, by the frozen dataclass holding it, keys as in the code, units in their names) and
    "params_sha256" (of those parameters as canonical JSON: equal hashes, equal analysis settings)."""
    # clipping, standing and gyro_signs: always their defaults (pipeline.py, mounting.py); an infinite value: null
    plain = null_nan({"analysis": asdict(params), "stride": asdict(stride_params), "clipping": asdict(ClipParams()),
                      "standing": asdict(StillParams()), "gyro_signs": asdict(SignParams()),
                      "summary": summary_rules()})
    canonical = json.dumps(plain, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return {"software": f"footfall {__version__}", "params": plain,
            "params_sha256": hashlib.sha256(canonical.encode()).hexdigest()}


def json_text(doc: object) -> str:
    """`doc` as strict JSON: a figure not measured (NaN, infinite) becomes null, which every JSON reader
    accepts (Python's default writes a bare NaN, which is not JSON); a datetime as footfall.utc.iso_utc text
    ("...Z"); anything else unknown as its text."""
    return json.dumps(null_nan(doc), indent=1, default=_json_default, allow_nan=False)


def json_chunks(doc: dict[str, object], key: str, records: Iterable[dict[str, object]]) -> Iterator[str]:
    """The text of json_text({**doc, key: list(records)}), with `key` last, written a record at a time: the text
    of a 10-hour session's 100 000 steps is never held whole (`footfall analyse --json` peaked at 816 MB)."""
    head = json_text({k: v for k, v in doc.items() if k != key})
    yield head[:-2] + f',\n "{key}": ['  # head ends in "\n}"; json_text's own layout (indent 1) goes on
    sep = "\n"
    for record in records:
        yield sep + "\n".join("  " + line for line in json_text(record).splitlines())
        sep = ",\n"
    yield "]\n}" if sep == "\n" else "\n ]\n}"


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
    """`text` into `path` (UTF-8), whole or not at all (footfall.atomic: a full disk leaves an old file as it
    was); an existing file is refused unless `overwrite`: nothing is overwritten unasked, as the CLI (`--force`)
    and RecordingWriter do."""
    if path.exists() and not overwrite:
        raise InputError(f"{path} already exists", hint="choose another name, or pass overwrite=True")
    return write_text_atomic(path, text, newline)


def csv_text(steps: Sequence[Step], segments: Sequence[SegmentSpan] | None = None) -> str:
    """One row per step, "not measured" as an empty cell, flags joined by ";". `segments` (a stored session's
    marks) add a SEGMENT_FIELD column: the labels joined by LABEL_SEPARATOR, empty for a step outside them.
    Rows end in LF, not the csv module's CRLF: standard output on Windows turns every LF into CRLF, so CRLF
    became CR CR LF there, a blank row after every step. Files (written with newline="") hold the same LF rows."""
    return "".join(csv_chunks(steps, segments))


def csv_chunks(steps: Sequence[Step], segments: Sequence[SegmentSpan] | None = None,
               rows_per_chunk: int = 1000) -> Iterator[str]:
    """csv_text a thousand rows at a time (a long session's text is never held whole)."""
    names = FIELDS + ([] if segments is None else [SEGMENT_FIELD])
    for first in range(0, max(len(steps), 1), rows_per_chunk):
        part = steps[first:first + rows_per_chunk]
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
        if first == 0:
            w.writeheader()
        for s, d in zip(part, _records(part, segments)):
            d["flags"] = ";".join(s.flags)
            if segments is not None:
                d[SEGMENT_FIELD] = LABEL_SEPARATOR.join(d[SEGMENT_FIELD])  # type: ignore[arg-type]
            w.writerow({k: "" if isinstance(v, float) and math.isnan(v) else _inert(v) for k, v in d.items()})
        yield out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting so as a formula


def _inert(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (a label or sensor id of an older history or another
    program's file: `=HYPERLINK(...)`) with a ' before it, as OWASP advises against CSV injection; a cell of
    quotes before such a start gets one more, so `_as_written` gives back every text exactly. Figures stay."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _as_written(cell: str) -> str:
    """A CSV cell as it was before `_inert`."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def step_from_record(d: object) -> Step:
    """One step record of an export (JSON object or CSV row) as a Step (InputError naming a field of the wrong
    kind, or one that cannot be a measurement: store/step_checks.py)."""
    return _step(d)


def _step(d: object) -> Step:
    """One step record (a CSV row or a JSON object) as a Step; InputError for a record of the wrong shape, a
    field of the wrong kind (a word where a number belongs) or a value that cannot be a measurement, naming the
    field."""
    if not isinstance(d, dict):
        raise InputError(f"a step record is {type(d).__name__} {d!r:.40}, not an object of step fields")
    missing = [f for f in FIELDS if f not in d and f != "flags"]
    if missing:
        raise InputError(f"step record lacks {missing}")
    out: dict[str, object] = {}
    for name in FIELDS:
        try:
            out[name] = _value(name, d.get(name))
        except (TypeError, ValueError, OverflowError) as exc:
            raise InputError(f"{name} {d.get(name)!r:.40} is not {_KINDS.get(_TYPES[name], _TYPES[name])} "
                             f"({exc})") from None
    step = Step(**out)  # type: ignore[arg-type]
    check_step(step)
    return step


def _value(name: str, v: object) -> object:
    kind = _TYPES[name]
    if isinstance(v, bool):  # JSON true/false: Python counts it a number, no step field is one
        raise TypeError("true/false is not a figure")
    if kind == "float":
        return math.nan if v in (None, "") else float(v)  # type: ignore[arg-type]
    if kind == "int":
        if isinstance(v, float) and not v.is_integer():
            raise ValueError("not a whole number")
        return int(v)  # type: ignore[call-overload]
    if name == "pattern":
        return Pattern(str(v))
    if name == "flags":  # ";" in our exports (" " in `footfall analyse --csv` before it wrote them the same way)
        return tuple(str(f) for f in v) if isinstance(v, list) else tuple(
            f for f in re.split(r"[;\s]+", str(v or "")) if f)
    if not isinstance(v, str):  # (a JSON null or list where a word belongs: not the text "None")
        raise TypeError(f"{type(v).__name__} is not text")
    return v


def read_steps(path: str | Path) -> tuple[list[Step], dict[str, object]]:
    """Steps (and metadata) from a JSON or CSV export, or the JSON of `footfall analyse --json` (every step
    record and the summary; of metadata only the recording's start_utc). A step that cannot be read or cannot be
    a measurement refuses the file, naming its step (JSON) or line (CSV) and field."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such file: {p}")
    try:
        if p.suffix.lower() == ".csv":
            return _csv_steps(p), {}
        doc = json.loads(p.read_text(encoding="utf-8"))
    except KeyError as exc:
        raise InputError(f"{p} is not a footfall step file: no column {exc}") from exc
    except (ValueError, csv.Error) as exc:  # (UnicodeDecodeError and JSONDecodeError among them)
        raise InputError(f"{p} is not valid {'CSV' if p.suffix.lower() == '.csv' else 'JSON'} ({exc})") from exc
    analysed = isinstance(doc, dict) and "summary" in doc and isinstance(doc.get("steps"), list)
    if not (analysed or isinstance(doc, dict) and doc.get("format") == STEPS_FORMAT):
        raise InputError(f"{p} is JSON but not footfall steps (from `footfall history export` or `analyse --json`)")
    _check_version(p, doc)
    meta = _analysis_meta(doc) if analysed else doc.get("meta", {})
    if not isinstance(meta, dict) or not isinstance(doc.get("steps"), list):
        raise InputError(f"{p} is not footfall steps: its \"meta\" must be an object and its \"steps\" a list")
    return _checked(p, doc["steps"], [f"step {k}" for k in range(1, len(doc["steps"]) + 1)]), dict(meta)


def _csv_steps(path: Path) -> list[Step]:
    """The rows of a step CSV; a row with fewer or more cells than the header (a file cut short) is refused."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        rows, lines = [], []
        for row in reader:
            if not row:  # a blank line (as csv.DictReader skipped them)
                continue
            if len(row) != len(header):
                cut = ": the file is cut short" if len(row) < len(header) else ", more than its header"
                raise InputError(f"{path}: line {reader.line_num} has {len(row)} of {len(header)} cells{cut}",
                                 hint="write it again with `footfall analyse --csv` or `footfall history export`")
            rows.append(dict(zip(header, map(_as_written, row))))
            lines.append(f"line {reader.line_num}")
    return _checked(path, rows, lines)


def _checked(path: Path, records: Sequence[object], where: Sequence[str]) -> list[Step]:
    """The records as Steps, refused at the first that cannot be read or cannot be a measurement."""
    steps = []
    for record, place in zip(records, where):
        try:
            steps.append(_step(record))
        except InputError as exc:
            raise InputError(f"{path}: {place}: {exc}", hint=exc.hint) from None
    try:
        check_sequence(steps, where)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    return steps


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
