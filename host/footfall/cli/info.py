"""`footfall info FILE`: what a recording holds (sensors, duration, samples) and what went wrong in it."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("info", help="show a recording's sensors, duration, samples, gaps and corruption",
                       description="Show a recording's sensors, duration, samples, gaps and corruption counts.")
    p.add_argument("file", help="a .ffr recording")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from footfall.protocol.frames import IMU_NAMES
    from footfall.recording.file import open_recording, scan
    from footfall.cli.common import rate_text, source_damage

    rec = open_recording(args.file)
    scans = [scan(rec, s) for s in rec.sensors]
    if args.json:
        from footfall.report.export import json_text

        out = {"meta": rec.meta, "file": {k: v for k, v in vars(rec.report).items() if k != "streams"},
               "sensors": {s.sensor: {"side": rec.sensors[s.sensor].side, "rate_hz": s.rate_hz,
                                      "duration_s": s.duration_s,
                                      "clock_rate_hz": s.clock.rate_hz if math.isfinite(s.clock.rate_hz) else None,
                                      **s.report.as_dict()} for s in scans}}
        print(json_text(out))
        return 0
    meta = rec.meta
    print(f"{args.file}: footfall recording made {meta.get('created_utc', '?')} by footfall {meta.get('software', '?')}")
    for key in ("runner", "notes", "source", "imported_from"):
        if meta.get(key):
            print(f"  {key}: {meta[key]}")
    for text in source_damage(meta):  # a replayed file: once, for both feet
        print(f"  recorded from a damaged source: {text}")
    if rec.report.joined:
        print(f"  {Path(args.file).name} holds {rec.report.joined + 1} recordings joined together (as `cat a.ffr b.ffr` "
              "makes): shown as one, with the first one's details above")
    for s in scans:
        side = rec.sensors[s.sensor].side
        st = s.status
        kit = (f"{IMU_NAMES.get(st.imu, st.imu)}, {rate_text(st)}, +-{st.acc_range_g} g, +-{st.gyr_range_dps} dps, "
               f"fw {'.'.join(map(str, st.fw_version))}") if st else "no status frame"
        print(f"  sensor {s.sensor} (side {side}; {kit}): {s.duration_s:.1f} s, {s.report.summary()}")
        if math.isfinite(s.clock.rate_hz):
            print(f"    sample clock against the device's clock over {s.clock.span_s:.0f} s: {s.clock.rate_hz:.3f} Hz, "
                  f"{s.clock.error_vs(s.rate_hz) * 100:+.3f} % from the rate the samples are timed at")
    print(f"  file: {rec.report.summary()}")
    return 0
