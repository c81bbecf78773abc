"""One client's whole history as one JSON file (`footfall runner export NAME -o client.json`), read back into another
history by `footfall runner import client.json`: the data a client may take to another clinic or computer.

{"format": "footfall-client", "version": 1, "exported_utc": "...Z",
 "runner": {name, height_m, leg_length_m, target_cadence_spm, created_utc},
 "shoes": [{name, limit_km, initial_km, retired, limit_given, created_utc}],
 "sessions": [{number, start_utc, duration_s, distance_m, source, source_sha256, basis, finished, shoe, summary,
               leg_length_m, segments: [{label, start_s, end_s}], cues: [{time_s, kind, text, metronome_spm, cadence_spm,
               overstride_index, rearfoot_share, advice_key}], steps: [per-step record, as `history export`]}],
 "checkins": [{id, session, time_utc, run_utc, pain_before, pain_after, swelling, bruising, cannot_bear_weight,
               twist_or_fall, pain_persists, examined, recent_injury, flags_answered, note, clinician_note}]}

`number` and `id` are those of the history it came from (a check-in's `session` is such a number; null: made on its
own, or its session was deleted); the history it goes into gives new ones. Times are ISO 8601 UTC, as the history
holds them; a figure not measured is null. A session's `leg_length_m` is the one its overstride index used (null: none
was given; the key left out: not known, a session stored before footfall kept it, as in files written before then). `note` is the client's own note, `clinician_note` the clinician's.
A field added keeps the version; a field changed or removed moves it on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from footfall.atomic import write_text_atomic
from footfall.coaching.checkin import CheckIn
from footfall.coaching.cues import Cue, CueKind
from footfall.errors import InputError
from footfall.report.export import json_text, step_from_record
from footfall.store.client_records import CheckinRecord, ClientRecord, SessionRecord, ShoeRecord
from footfall.store.rows import CHECKIN_FIELDS, LegLength
from footfall.utc import iso_utc

CLIENT_FORMAT = "footfall-client"
CLIENT_VERSION = 1
CLIENT_FILE_MODE = 0o600  # pain scores, clinician's notes: not for the other users of the computer
_PROFILE = ("name", "height_m", "leg_length_m", "target_cadence_spm", "created_utc")
_SESSION = ("number", "start_utc", "duration_s", "distance_m", "source", "source_sha256", "basis", "finished", "shoe",
            "summary")
_CUE = tuple(f.name for f in fields(Cue))


def client_doc(client: ClientRecord, exported: Any) -> dict[str, object]:
    """The file's content (`exported`: when, a datetime)."""
    return {"format": CLIENT_FORMAT, "version": CLIENT_VERSION, "exported_utc": iso_utc(exported),
            "runner": {k: getattr(client, k) for k in _PROFILE},
            "shoes": [{f.name: getattr(s, f.name) for f in fields(ShoeRecord)} for s in client.shoes],
            "sessions": [_session_doc(s) for s in client.sessions],
            "checkins": [_checkin_doc(c) for c in client.checkins]}


def _session_doc(s: SessionRecord) -> dict[str, object]:
    return {**{k: getattr(s, k) for k in _SESSION}, **_leg_length_doc(s.leg_length),
            "segments": [{"label": label, "start_s": a, "end_s": b} for label, a, b in s.segments],
            "cues": [{**{k: getattr(c, k) for k in _CUE}, "kind": c.kind.value} for c in s.cues],
            "steps": [st.to_dict() for st in s.steps]}


def _leg_length_doc(leg: LegLength | None) -> dict[str, object]:
    """Left out when not known: a file written before footfall kept it reads the same (`_leg_length`)."""
    return {} if leg is None else {"leg_length_m": leg.value_m}


def _leg_length(d: Mapping[str, Any]) -> LegLength | None:
    """A session's leg length: the key absent, not known (an older file); null, none was given."""
    if "leg_length_m" not in d:
        return None
    value = d["leg_length_m"]
    return LegLength(None if value is None else float(value))


def _checkin_doc(c: CheckinRecord) -> dict[str, object]:
    return {"id": c.id, "session": c.session_id, "time_utc": c.time_utc, "run_utc": c.run_utc,
            **{k: getattr(c.checkin, k) for k in CHECKIN_FIELDS}, "clinician_note": c.clinician_note}


def write_client_file(client: ClientRecord, path: Path, exported: Any) -> Path:
    """Write the file (the caller has checked that it may: cli/common.py `output_file`), whole or not at all, readable
    by its owner only (mode 0o600, even when it replaces a file): it holds health data. On Windows a mode sets only
    the read-only flag, so there the file gets the folder's access list (ACL) like any file written there."""
    write_text_atomic(Path(path), json_text(client_doc(client, exported)) + "\n", mode=CLIENT_FILE_MODE)
    return path


def read_client_file(path: Path) -> ClientRecord:
    """The client of a `runner export` file; InputError, in one line, for anything else."""
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{path} is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != CLIENT_FORMAT:
        raise InputError(f"{path} is not a footfall client file", hint="make one with `footfall runner export NAME`")
    if not isinstance(doc.get("version"), int) or doc["version"] > CLIENT_VERSION:
        raise InputError(f"{path} is {CLIENT_FORMAT} version {doc.get('version')}; this footfall reads version "
                         f"{CLIENT_VERSION}", hint="update footfall")
    try:
        return _client(doc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{path} is a damaged footfall client file: {type(exc).__name__} {exc}") from None


def _client(doc: Mapping[str, Any]) -> ClientRecord:
    r = doc["runner"]
    return ClientRecord(str(r["name"]), r["height_m"], r["leg_length_m"], r["target_cadence_spm"],
                        str(r["created_utc"]), tuple(ShoeRecord(**s) for s in doc["shoes"]),
                        tuple(map(_session, doc["sessions"])), tuple(map(_checkin, doc["checkins"])))


def _session(d: Mapping[str, Any]) -> SessionRecord:
    marks = tuple((str(m["label"]), float(m["start_s"]), float(m["end_s"])) for m in d["segments"])
    return SessionRecord(**{k: d[k] for k in _SESSION}, steps=tuple(map(step_from_record, d["steps"])),
                         cues=tuple(map(_cue, d["cues"])), segments=marks, leg_length=_leg_length(d))


def _cue(d: Mapping[str, Any]) -> Cue:
    values = {k: d[k] for k in _CUE}
    nan = float("nan")
    for k in ("cadence_spm", "overstride_index", "rearfoot_share"):  # null: not measured
        values[k] = nan if values[k] is None else float(values[k])
    return Cue(**{**values, "kind": CueKind(d["kind"])})


def _checkin(d: Mapping[str, Any]) -> CheckinRecord:
    answers = CheckIn(**{k: d[k] for k in CHECKIN_FIELDS})
    return CheckinRecord(int(d["id"]), "", d["session"], str(d["time_utc"]), d["run_utc"], answers,
                         str(d["clinician_note"]))
