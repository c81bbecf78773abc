"""FIT activity export with Garmin's own FIT Python SDK (`garmin-fit-sdk`, encoder since 21.200).

One `record` per second of running (the usual FIT rate) carrying the cumulative distance, speed, running
cadence (FIT counts strides per minute for running: steps/min / 2, with the fraction in
`fractional_cadence`), stance time and step length, medians of the steps in that second; then a lap, a
session and the activity message, following the FIT cookbook "Encoding FIT Activity Files".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from footfall.analysis.step import Step
from footfall.coaching.summary import summarise_steps
from footfall.errors import InputError


def _median(steps: Sequence[Step], name: str) -> float:
    v = np.array([getattr(s, name) for s in steps], dtype=float)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else math.nan


def _record(t: datetime, steps: Sequence[Step], distance_m: float) -> dict[str, object]:
    rec: dict[str, object] = {"timestamp": t, "distance": distance_m}
    cadence = _median(steps, "cadence_spm") / 2.0
    values = {"speed": _median(steps, "speed_mps"), "stance_time": _median(steps, "contact_time_ms"),
              "step_length": _median(steps, "stride_length_m") * 500.0}  # stride / 2, in mm
    if math.isfinite(cadence):
        rec["cadence"] = int(cadence)
        rec["fractional_cadence"] = cadence - int(cadence)
    rec.update({k: v for k, v in values.items() if math.isfinite(v)})
    return rec


def _records(steps: Sequence[Step], start: datetime) -> list[dict[str, object]]:
    out, distance = [], 0.0
    end_s = int(max(s.ic_time_s for s in steps)) + 1
    by_second: dict[int, list[Step]] = {}
    for s in steps:
        by_second.setdefault(int(s.ic_time_s), []).append(s)
    per_sensor = max(1, len({s.sensor for s in steps}))  # each sensor's strides cover the whole run
    for sec in range(int(min(s.ic_time_s for s in steps)), end_s):
        here = by_second.get(sec, [])
        distance += sum(s.stride_length_m for s in here if math.isfinite(s.stride_length_m)) / per_sensor
        if here:
            out.append(_record(start + timedelta(seconds=sec + 1), here, distance))
    return out


def fit_bytes(steps: Sequence[Step], start_utc: datetime) -> bytes:
    from garmin_fit_sdk import Encoder, Profile

    if not steps:
        raise InputError("no steps to export")
    mesg = Profile["mesg_num"]
    records = _records(steps, start_utc)
    end = records[-1]["timestamp"]
    s = summarise_steps(steps)
    elapsed = (end - start_utc).total_seconds()  # type: ignore[operator]
    enc = Encoder()
    enc.write_mesg({"mesg_num": mesg["FILE_ID"], "type": "activity", "manufacturer": "development",
                    "product": 0, "time_created": start_utc, "serial_number": 1})
    enc.write_mesg({"mesg_num": mesg["EVENT"], "timestamp": start_utc, "event": "timer", "event_type": "start"})
    for rec in records:
        enc.write_mesg({"mesg_num": mesg["RECORD"], **rec})
    enc.write_mesg({"mesg_num": mesg["EVENT"], "timestamp": end, "event": "timer", "event_type": "stop_all"})
    totals = {"timestamp": end, "start_time": start_utc, "total_elapsed_time": elapsed,
              "total_timer_time": elapsed, "total_distance": records[-1]["distance"]}
    enc.write_mesg({"mesg_num": mesg["LAP"], **totals})
    enc.write_mesg({"mesg_num": mesg["SESSION"], **totals, "sport": "running", "num_laps": 1, "first_lap_index": 0,
                    **({"avg_cadence": int(s.cadence_spm / 2)} if math.isfinite(s.cadence_spm) else {})})
    enc.write_mesg({"mesg_num": mesg["ACTIVITY"], "timestamp": end, "num_sessions": 1,
                    "total_timer_time": elapsed, "type": "manual", "event": "activity", "event_type": "stop"})
    return bytes(enc.close())


def write_fit(steps: Sequence[Step], path: str | Path, start_utc: datetime) -> Path:
    Path(path).write_bytes(fit_bytes(steps, start_utc))
    return Path(path)
