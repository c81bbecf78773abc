"""FIT activity export with Garmin's own FIT Python SDK (`garmin-fit-sdk`, encoder since 21.200).

One `record` per second of running (the usual FIT rate) carrying the cumulative distance, speed, running
cadence (FIT counts strides per minute for running: steps/min / 2, with the fraction in
`fractional_cadence`), stance time and step length, medians of the steps in that second; then the laps, a
session and the activity message, following the FIT cookbook "Encoding FIT Activity Files".

Laps: without marked segments, one lap for the whole session. With them, one lap per segment and one for each
stretch outside them (before the first, between two, after the last). FIT readers (Garmin Connect, Strava, ...)
take a session's laps as consecutive pieces that together make the session and add their times and distances up
to the session's, so leaving the unmarked time out would lose it from the splits. Laps cannot overlap: a
segment starting inside the one before begins its lap where that lap ends (one inside it entirely gets none),
and laps are clipped to the session, from the timer start (session time 0) to the last record. A FIT lap has
no name, so the labels are not in the file: the laps come in time order, and the CSV/JSON export of the same
session gives each step its label. A lap's distance is that of its steps, counted as the records count it; its
cadence is the segment figure `footfall history show` prints (footfall.report.segments).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from footfall.analysis.step import Step
from footfall.coaching.summary import summarise_steps, window
from footfall.errors import InputError
from footfall.finite import median
from footfall.report.segments import SegmentFigures, SegmentSpan, segment_figures

FRACTIONAL_CADENCE_SCALE = 128  # FIT profile: fractional_cadence is a uint8 in 1/128 stride/min


def _cadence(steps_per_min: float, prefix: str = "") -> dict[str, object]:
    """FIT running cadence, strides/min: the whole number in `cadence`, the rest in `fractional_cadence`.

    The fraction is a count of 1/128 (its FIT scale), so the total is rounded to 1/128 first and then split:
    78.9999 is 79 + 0/128, never 78 + 128/128 (which readers show as 78 + 1.0, or wrap to 78 + 0)."""
    if not math.isfinite(steps_per_min):
        return {}
    whole, parts = divmod(round(steps_per_min / 2.0 * FRACTIONAL_CADENCE_SCALE), FRACTIONAL_CADENCE_SCALE)
    return {f"{prefix}cadence": whole, f"{prefix}fractional_cadence": parts / FRACTIONAL_CADENCE_SCALE}


def _distance_m(steps: Sequence[Step], per_sensor: int) -> float:
    """Distance run over `steps`: each sensor's strides cover the whole run, so their sum over the sensors."""
    return sum(s.stride_length_m for s in steps if math.isfinite(s.stride_length_m)) / per_sensor


def _record(t: datetime, steps: Sequence[Step], distance_m: float) -> dict[str, object]:
    rec: dict[str, object] = {"timestamp": t, "distance": distance_m,
                              **_cadence(median(s.cadence_spm for s in steps))}
    values = {"speed": median(s.speed_mps for s in steps), "stance_time": median(s.contact_time_ms for s in steps),
              "step_length": median(s.stride_length_m for s in steps) * 500.0}  # stride / 2, in mm
    rec.update({k: v for k, v in values.items() if math.isfinite(v)})
    return rec


def _records(steps: Sequence[Step], start: datetime, per_sensor: int) -> list[dict[str, object]]:
    out, distance = [], 0.0
    end_s = int(max(s.ic_time_s for s in steps)) + 1
    by_second: dict[int, list[Step]] = {}
    for s in steps:
        by_second.setdefault(int(s.ic_time_s), []).append(s)
    for sec in range(int(min(s.ic_time_s for s in steps)), end_s):
        here = by_second.get(sec, [])
        distance += _distance_m(here, per_sensor)
        if here:
            out.append(_record(start + timedelta(seconds=sec + 1), here, distance))
    return out


def lap_spans(segments: Sequence[SegmentSpan], end_s: float) -> list[SegmentSpan]:
    """Consecutive laps (label, start_s, end_s) from 0 to `end_s`: the segments in time order, clipped so that
    none overlaps the one before, and a lap labelled "" for each stretch outside them (see the module doc)."""
    laps: list[SegmentSpan] = []
    t = 0.0
    for label, a, b in sorted(segments, key=lambda g: g[1]):
        a, b = max(a, t), min(b, end_s)
        if b > a:
            laps += [("", t, a)] if a > t else []
            laps.append((label, a, b))
            t = b
    return laps + ([("", t, end_s)] if end_s > t else [])


def _lap(index: int, g: SegmentFigures, distance_m: float, start: datetime, last: bool) -> dict[str, object]:
    elapsed_s = g.end_s - g.start_s
    return {"message_index": index, "timestamp": start + timedelta(seconds=g.end_s),
            "start_time": start + timedelta(seconds=g.start_s), "total_elapsed_time": elapsed_s,
            "total_timer_time": elapsed_s, "total_distance": distance_m, "event": "lap", "event_type": "stop",
            "lap_trigger": "session_end" if last else "manual", "sport": "running",
            **_cadence(g.summary.cadence_spm, "avg_")}


def _laps(steps: Sequence[Step], start: datetime, spans: list[SegmentSpan], per_sensor: int) -> list[dict[str, object]]:
    figures = segment_figures(steps, spans)
    return [_lap(i, g, _distance_m(window(steps, g.start_s, g.end_s), per_sensor), start, i == len(spans) - 1)
            for i, g in enumerate(figures)]


def fit_bytes(steps: Sequence[Step], start_utc: datetime, segments: Sequence[SegmentSpan] = ()) -> bytes:
    """The FIT activity of a session's steps; `segments` (its marks, seconds since `start_utc`) make the laps."""
    from garmin_fit_sdk import Encoder, Profile

    if not steps:
        raise InputError("no steps to export")
    mesg = Profile["mesg_num"]
    per_sensor = max(1, len({s.sensor for s in steps}))
    records = _records(steps, start_utc, per_sensor)
    end = records[-1]["timestamp"]
    elapsed = (end - start_utc).total_seconds()  # type: ignore[operator]
    laps = _laps(steps, start_utc, lap_spans(segments, elapsed), per_sensor)
    enc = Encoder()
    enc.write_mesg({"mesg_num": mesg["FILE_ID"], "type": "activity", "manufacturer": "development",
                    "product": 0, "time_created": start_utc, "serial_number": 1})
    enc.write_mesg({"mesg_num": mesg["EVENT"], "timestamp": start_utc, "event": "timer", "event_type": "start"})
    for rec in records:
        enc.write_mesg({"mesg_num": mesg["RECORD"], **rec})
    enc.write_mesg({"mesg_num": mesg["EVENT"], "timestamp": end, "event": "timer", "event_type": "stop_all"})
    for lap in laps:
        enc.write_mesg({"mesg_num": mesg["LAP"], **lap})
    totals = {"timestamp": end, "start_time": start_utc, "total_elapsed_time": elapsed,
              "total_timer_time": elapsed, "total_distance": records[-1]["distance"]}
    enc.write_mesg({"mesg_num": mesg["SESSION"], **totals, "sport": "running", "num_laps": len(laps),
                    "first_lap_index": 0, **_cadence(summarise_steps(steps).cadence_spm, "avg_")})
    enc.write_mesg({"mesg_num": mesg["ACTIVITY"], "timestamp": end, "num_sessions": 1,
                    "total_timer_time": elapsed, "type": "manual", "event": "activity", "event_type": "stop"})
    return bytes(enc.close())


def write_fit(steps: Sequence[Step], path: str | Path, start_utc: datetime,
              segments: Sequence[SegmentSpan] = ()) -> Path:
    Path(path).write_bytes(fit_bytes(steps, start_utc, segments))
    return Path(path)
