"""The sample clock of another IMU's CSV: its time column -> a sample rate and each row's sample index.

Rows are taken in order; a hole (lost samples) is counted only where the time stamps after a long step stay
behind those before it, so a late stamp is no hole and clock drift invents none. The rate is a least-squares
fit over all rows (convert.read_csv uses it; docs/protocol.md, "CSV export and import").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import median_filter

from footfall.errors import InputError

CLOCK_WINDOW_ROWS = 15  # rows each side of a long step whose median lateness is compared: see _clock
MAX_OFF_CLOCK_FRACTION = 0.1  # rows more than half a period off their sample: see sample_clock
MAX_RATE_MISMATCH = 0.1  # --rate vs the rate of time_s (MEMS clocks are off by a few %, Xsens 100 vs 102.4 Hz)
MIN_RATE_HZ, MAX_RATE_HZ = 1.0, 65535.0  # what a status frame carries
TIME_UNITS = (("milliseconds", 1e3), ("microseconds", 1e6), ("nanoseconds", 1e9))  # loggers' usual time stamps
MIN_PLAUSIBLE_HZ = 10.0  # no foot IMU samples slower: time_s whose rate would be this in ms was in ms
EXACT_CLOCK_RMS_PERIODS = 1e-3  # stamps this close (rms) to their fitted line are a clock, not a logger's jitter
NEAR_WHOLE_FRACTION = 5e-4  # a jittery logger's rate this close to whole hertz is taken as the whole rate


@dataclass(frozen=True)
class _Clock:
    """The time column's own sample clock."""

    period_s: float  # least squares over all rows
    start_s: float  # time of sample `count` 0 (the first row's, unless its stamp is off)
    count: NDArray[np.int64]  # each row's sample, from 0 at the first row: row order plus the holes before it
    off_rows: int  # rows more than half a period off their neighbours' clock, or under half a period after the last
    rms_periods: float  # rms distance of the stamps from the fitted line, in periods: ~0 for an exact clock


def sample_clock(time_s: NDArray[np.float64] | None, n: int, rate_hz: float | None
                 ) -> tuple[float, NDArray[np.int64]]:
    """(rate to 1 mHz, sample index per row) from the time column and/or --rate; gaps stay gaps.

    Loggers stamp rows with jitter (host clocks, USB/BLE batching), so a fixed grid `rint(t * rate)` is
    not used: rows are samples in row order, plus a hole wherever time_s falls behind by whole samples and
    stays behind (`_clock`). Without --rate the rate is time_s's own (least squares), and the file is
    refused when more than MAX_OFF_CLOCK_FRACTION of its rows are over half a period off the clock of their
    neighbours, or under half a period after the row before: then time_s is no sample clock. With --rate
    the user says the rows are samples at that rate: time_s only shows where the holes are, and a --rate
    more than MAX_RATE_MISMATCH off time_s's own rate is refused (a typo, or time_s not in seconds).

    Measured on 30 s at 416 Hz (2.4 ms period) with a 60-sample hole and a clock 0.03% slow: with Gaussian
    jitter on every stamp every row lands on its sample up to 0.4 ms rms (1/6 period, 2% off-clock rows);
    from 0.5 ms rms the stamps themselves run backwards (refused: time_s must increase). With one-sided
    host delays (exponential, stamps kept in order) of 0.3 ms mean, exact; of 0.6 ms mean, 13% off-clock
    rows (refused), exact with --rate 416; of 1 ms, time_s no longer shows holes. The old fixed grid
    refused 0.2 ms rms. Real loggers: pyshoe (200 Hz) stamps with 0.1 ms rms and a row 0.7 period late
    every few thousand (under 0.05% off-clock rows): its 44 trials import at 200 Hz without holes; ipol's
    packet counter as time_s (100 Hz, 12467 lost-packet holes of up to ~10 samples in 150 files) gives
    exactly the counter's sample indices.
    """
    if rate_hz is not None:
        check_rate(rate_hz)
    if time_s is None:
        if rate_hz is None:
            raise InputError("the CSV has no time_s column", hint="give the sample rate with --rate HZ")
        return _stored_rate(rate_hz), np.arange(n)
    if not np.all(np.isfinite(time_s)) or np.any(np.diff(time_s) <= 0):
        raise InputError("time_s must increase strictly from row to row", hint="sort the file or fix its clock")
    if n == 1:
        if rate_hz is None:
            raise InputError("one row is not enough to infer the sample rate", hint="give it with --rate HZ")
        return _stored_rate(rate_hz), np.rint(time_s * rate_hz).astype(np.int64)
    clock = _clock(time_s)
    return _given_rate(clock, rate_hz) if rate_hz is not None else _inferred_rate(clock)


def _clock(time_s: NDArray[np.float64]) -> _Clock:
    """Each row's sample on the time column's clock. A step of 1.5 periods or more may be a hole; its size
    is how far the timestamps after it stay behind those before it, as medians of CLOCK_WINDOW_ROWS rows
    each side: a late or early stamp moves only its own row (the median ignores it), a hole every later
    row. Only local differences count, so neither a first guess of the period that is off (the median
    step is, by ~0.1% with 0.2 ms jitter at 416 Hz) nor a clock that wanders over an hour invents holes."""
    rel_s = time_s - time_s[0]  # Unix times would eat the float's precision
    rows = np.arange(len(rel_s))
    steps_s = np.diff(rel_s)
    guess_s = float(np.median(steps_s))  # a period if most steps are one sample
    late = rel_s / guess_s - rows  # samples behind row order
    count = rows + _holes(late, np.flatnonzero(steps_s >= 1.5 * guess_s))
    period_s, start_s = (float(c) for c in np.polyfit(count, rel_s, 1))
    rms_periods = float(np.sqrt(np.mean((rel_s - period_s * count - start_s) ** 2))) / period_s
    jitter = late - (count - rows)
    off = np.abs(jitter - median_filter(jitter, size=CLOCK_WINDOW_ROWS, mode="nearest")) > 0.5
    off[1:] |= steps_s < 0.5 * guess_s  # two rows in one sample period
    return _Clock(period_s, float(time_s[0]) + start_s, count, int(np.count_nonzero(off)), rms_periods)


def _holes(late: NDArray[np.float64], candidates: NDArray[np.int64]) -> NDArray[np.int64]:
    """Samples missing before each row. `candidates` are the long steps (step k: rows k to k+1). The rows
    compared across one stop at the holes found next to it, so two holes close together are each counted
    once; a pass finds the holes with windows bounded by the last pass's holes, until they stay the same
    (one or two passes in practice)."""
    holes = np.zeros(0, np.int64)
    for _ in range(4):
        sizes = _hole_sizes(late, candidates, holes)
        found = candidates[sizes > 0]
        if np.array_equal(found, holes):
            break
        holes = found
    missing = np.zeros(len(late), np.int64)
    missing[candidates + 1] = sizes
    return np.cumsum(missing)


def _hole_sizes(late: NDArray[np.float64], candidates: NDArray[np.int64], holes: NDArray[np.int64]
                ) -> NDArray[np.int64]:
    """How far (in whole samples) the rows after each candidate step stay behind those before it: the
    medians of up to CLOCK_WINDOW_ROWS rows each side, not reaching past the neighbouring `holes`."""
    starts = np.concatenate([[0], holes + 1, [len(late)]])  # first rows of the stretches between holes
    first_after = candidates + 1
    at = np.searchsorted(starts, first_after, side="right")  # starts[at - 1] <= first_after < starts[at]
    own = starts[at - 1]  # the stretch the row after the step belongs to; if the step is a hole, the one before
    stretch_before = np.where(own <= candidates, own, starts[np.maximum(at - 2, 0)])
    before = _medians(late, np.maximum(stretch_before, first_after - CLOCK_WINDOW_ROWS), first_after)
    after = _medians(late, first_after, np.minimum(starts[at], first_after + CLOCK_WINDOW_ROWS))
    return np.maximum(0, np.rint(after - before)).astype(np.int64)


def _medians(values: NDArray[np.float64], start: NDArray[np.int64], end: NDArray[np.int64],
             chunk: int = 1 << 15) -> NDArray[np.float64]:
    """Median of values[start:end] for each pair (1 to CLOCK_WINDOW_ROWS rows), vectorised in chunks."""
    out = np.empty(len(start))
    for a in range(0, len(start), chunk):
        rows = start[a:a + chunk, None] + np.arange(CLOCK_WINDOW_ROWS)
        window = values[np.minimum(rows, len(values) - 1)]
        window[rows >= end[a:a + chunk, None]] = np.nan
        out[a:a + chunk] = np.nanmedian(window, axis=1)
    return out


def check_rate(rate_hz: float) -> None:
    """--rate must be a finite number above 0 (0 divided by zero)."""
    if not (math.isfinite(rate_hz) and rate_hz > 0):
        raise InputError(f"--rate {rate_hz:g} Hz must be a number above 0", hint="e.g. --rate 100")


def _time_unit(clock_hz: float, rate_hz: float | None = None) -> tuple[str, float] | None:
    """The unit time_s looks to be in when its steps give `clock_hz` in seconds: the first in TIME_UNITS in
    which the rate is plausible (or, given `rate_hz`, agrees with it); None if none."""
    for unit, factor in TIME_UNITS:
        hz = clock_hz * factor
        if (abs(hz / rate_hz - 1) <= MAX_RATE_MISMATCH if rate_hz else MIN_PLAUSIBLE_HZ <= hz <= MAX_RATE_HZ):
            return unit, factor
    return None


def _in_other_unit(unit: str, factor: float, clock_hz: float) -> InputError:
    return InputError(f"time_s steps give {clock_hz:.3g} Hz, or {clock_hz * factor:.4g} Hz if time_s is in {unit}",
                      hint=f"footfall reads time_s in seconds only: divide the column by {factor:g}, or rename it and "
                      f"give the rate with --rate {clock_hz * factor:.4g}")


def _inferred_rate(clock: _Clock) -> tuple[float, NDArray[np.int64]]:
    n = len(clock.count)
    rate = 1.0 / clock.period_s
    if rate < MIN_RATE_HZ and (unit := _time_unit(rate)):
        raise _in_other_unit(*unit, rate)
    if clock.off_rows > MAX_OFF_CLOCK_FRACTION * n:
        raise InputError(f"time_s is too irregular for a sample clock at {rate:.6g} Hz: {clock.off_rows} of {n} "
                         f"rows are more than half a sample period ({500 * clock.period_s:.3g} ms) off it",
                         hint="if the rows are consecutive samples, give their rate with --rate HZ")
    if _snaps_to_whole_hz(clock, rate):
        rate = float(round(rate))
    return _stored_rate(rate), clock.count + int(np.rint(clock.start_s * rate))


def _snaps_to_whole_hz(clock: _Clock, rate_hz: float) -> bool:
    """A rate near whole hertz is taken as the whole rate when the stamps are a logger's (jitter, a host clock a
    little off the sensor's, times printed with few decimals): the sensor runs at its nominal rate. Stamps on an
    exact clock (footfall's own export: 1 ns decimals, on their line to EXACT_CLOCK_RMS_PERIODS) keep their
    rate to 1 mHz, so 422.937 Hz stays 422.937 Hz and an export round-trips its times."""
    near = abs(rate_hz - round(rate_hz)) < NEAR_WHOLE_FRACTION * rate_hz
    return near and clock.rms_periods >= EXACT_CLOCK_RMS_PERIODS


def _given_rate(clock: _Clock, rate_hz: float) -> tuple[float, NDArray[np.int64]]:
    clock_hz = 1.0 / clock.period_s
    if clock_hz < MIN_RATE_HZ and (unit := _time_unit(clock_hz, rate_hz)):
        raise _in_other_unit(*unit, clock_hz)
    if not abs(clock_hz / rate_hz - 1) <= MAX_RATE_MISMATCH:
        raise InputError(f"--rate {rate_hz:g} Hz disagrees with time_s, whose steps give {clock_hz:.4g} Hz",
                         hint="check --rate, and that time_s is in seconds")
    return _stored_rate(rate_hz), clock.count + int(np.rint(clock.start_s * clock_hz))


def _stored_rate(rate_hz: float) -> float:
    """The rate as the status frame carries it: to 1 mHz (10 ppm of a 100 Hz rate)."""
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ or not math.isfinite(rate_hz):
        raise InputError(f"sample rate {rate_hz:.4g} Hz is outside {MIN_RATE_HZ:g}..{MAX_RATE_HZ:g} Hz")
    return round(rate_hz * 1000) / 1000
