"""The sensor's sample clock checked against the board's own clock.

An IMU samples on its own RC oscillator; the board keeps time on a crystal (tens of ppm). Each status frame
pairs the two: `device_time_ms` with `sample_index`, the samples the chip had taken by then (docs/protocol.md).
The slope of one against the other is the rate the samples were really taken at. It checks the rate the
stream says (`rate_mhz`: the ST trim, or the MPU6886's count at boot), and measures it where the firmware says
none (firmware 0.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

_U32 = 1 << 32


@dataclass(frozen=True)
class ClockParams:
    min_span_s: float = 10.0  # shorter runs of pairs say too little (a sample in 10 s is 0.02 % at 416 Hz)
    max_rate_error_ratio: float = 0.2  # a pair further than this from the stated rate belongs to another run (a stop)
    # a warning needs a long run (firmware 0.1 counted only the samples read, up to 91 ms behind: 0.15 % in
    # 60 s) and an error that matters (cadence is to be within 2 %)
    warn_span_s: float = 60.0
    warn_error_ratio: float = 0.005


@dataclass(frozen=True)
class ClockCheck:
    rate_hz: float  # measured; NaN when no run of pairs spans min_span_s
    span_s: float  # the device time the measurement spans

    def error_vs(self, stated_hz: float) -> float:
        """Measured / stated - 1 (NaN when not measured)."""
        return self.rate_hz / stated_hz - 1 if stated_hz else math.nan


def check_clock(pairs: list[tuple[int, int]], stated_hz: float, params: ClockParams = ClockParams()) -> ClockCheck:
    """(device_time_ms, sample_index) pairs of streaming status frames, in order -> the sample rate over the
    longest run of pairs that advance together at about `stated_hz` (a stop, a reboot or a gap ends a run)."""
    runs: list[list[tuple[float, float]]] = []  # per run: (device time since its start in s, samples since)
    last: tuple[int, int] | None = None
    for ms, index in pairs:
        if last is not None:
            d_ms, d_index = (ms - last[0]) % _U32, (index - last[1]) % _U32
            if d_ms > 0 and abs(d_index / d_ms * 1000 / stated_hz - 1) < params.max_rate_error_ratio:
                t0, i0 = runs[-1][-1]
                runs[-1].append((t0 + d_ms / 1000, i0 + d_index))
                last = (ms, index)
                continue
        runs.append([(0.0, 0.0)])
        last = (ms, index)
    best = max(runs, key=lambda run: run[-1][0], default=[(0.0, 0.0)])
    span_s = best[-1][0]
    if span_s < params.min_span_s:
        return ClockCheck(math.nan, span_s)
    t, index = np.array(best).T
    return ClockCheck(float(np.polyfit(t, index, 1)[0]), span_s)


def clock_warning(check: ClockCheck, stated_hz: float, params: ClockParams = ClockParams()) -> str | None:
    """A sentence for the analysis notes when the samples are timed at a rate their chip did not run at."""
    error = check.error_vs(stated_hz)
    if check.span_s < params.warn_span_s or not abs(error) > params.warn_error_ratio:
        return None
    return (f"its sample clock ran {error * 100:+.1f} % off the {stated_hz:g} Hz the samples are timed at (measured "
            f"against the sensor board's clock over {check.span_s:.0f} s): times, cadence and stride lengths are "
            f"off by about as much")
