"""The rows of another IMU's CSV judged one by one: their line numbers in the file, which rows to leave out
(NaN, infinite, or beyond any sensor's range), time_s in order, and the time gaps a recording must hold.

Positions are line numbers of the file as an editor shows them (convert's docstring).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from footfall.errors import InputError
from footfall.words import counted

MAX_LEFT_OUT_FRACTION = 0.9  # more rows without usable values than this: the file is refused, not imported
# beyond any sensor's range in any unit read by mistake (mg read as m/s2 is <= 32000, deg/s read as rad/s
# <= 4000): such a cell is junk (1e308, an uninitialised float), left out like NaN, never a 32 g sample
MAX_SENSOR_ACC_MPS2 = 1e6
MAX_SENSOR_GYR_RADPS = 1e6
MAX_GAP_SAMPLES = 2**31 - 1  # missing samples a recording's 32-bit sample index can step over (protocol/decode.py)
GAPS_NOTED = 3  # gaps named one by one in the import note


def data_lines(path: Path, skip: int) -> Iterator[tuple[int, str]]:
    """(line number in the file, text) of each data row after the header (line `skip`), as np.loadtxt reads
    them: lines blank or all comment are no rows."""
    with open(path, encoding="utf-8-sig") as f:
        for k, line in enumerate(f, 1):
            if k > skip and line.split("#", 1)[0].strip():
                yield k, line


def line_numbers(path: Path, skip: int, rows: NDArray[np.int64]) -> NDArray[np.int64]:
    """The file's line numbers of some data rows (0 = the first after the header)."""
    lines = np.fromiter((k for k, _ in data_lines(path, skip)), dtype=np.int64)
    return lines[rows]


def ranges(numbers: NDArray[np.int64], shown: int = 3) -> str:
    """'101-110, 200 and 4 more ranges' for sorted line numbers."""
    starts = np.flatnonzero(np.diff(numbers, prepend=numbers[0] - 2) != 1)
    ends = np.append(starts[1:], len(numbers)) - 1
    parts = [f"{numbers[a]}" if a == b else f"{numbers[a]}-{numbers[b]}" for a, b in zip(starts, ends)]
    more = f" and {counted(len(parts) - shown, 'more ranges')}" if len(parts) > shown else ""
    return ", ".join(parts[:shown]) + more


def _unusable(values: NDArray[np.float64], limit: float) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """(rows with a NaN or infinite value, rows with a finite value beyond `limit`)."""
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        huge: NDArray[np.bool_] = np.asarray((finite & (np.abs(values) > limit)).any(axis=1))
    return np.asarray(~finite.all(axis=1)), huge


def finite_rows(sensor: str, rows: NDArray[np.int64], acc_mps2: NDArray[np.float64],
                gyr_radps: NDArray[np.float64] | None, notes: list[str], source: tuple[Path, int]
                ) -> NDArray[np.bool_]:
    """Which rows to keep: those whose acceleration (and gyro, if the sensor has one) is finite and within
    any sensor's range. Storing a NaN as 0 would invent a sample (and a 0 m/s2 foot), and one inf or 1e308
    would push the whole file to a coarser range; the rows left out are counted in a note instead. `rows`
    are the sensor's data rows in the file, `source` the file and its header's line number."""
    nan_acc, huge_acc = _unusable(acc_mps2, MAX_SENSOR_ACC_MPS2)
    bad_acc = nan_acc | huge_acc
    if bad_acc.all():
        raise InputError(f"{sensor}: the acceleration columns hold no numbers (every row is NaN or infinite)",
                         hint="check the file, or map the acceleration columns with --columns acc_x=...")
    nan_gyr, huge_gyr = (_unusable(gyr_radps, MAX_SENSOR_GYR_RADPS) if gyr_radps is not None
                         else (np.zeros_like(bad_acc), np.zeros_like(bad_acc)))
    bad_gyr = nan_gyr | huge_gyr
    bad: NDArray[np.bool_] = np.logical_or(bad_acc, bad_gyr)
    huge = bool((huge_acc | huge_gyr).any())
    what = "NaN, infinite or beyond any sensor's range" if huge else "NaN or infinite"
    if bad.sum() > MAX_LEFT_OUT_FRACTION * len(bad):
        raise InputError(
            f"{sensor}: {bad.sum()} of {len(bad)} rows have {'NaN, infinite or out-of-range' if huge else 'NaN or infinite'} values "
            "(acceleration in "
            f"{bad_acc.sum()}, gyro in {bad_gyr.sum()}): too few samples left to import",
            hint="if the sensor has no gyroscope, leave out the gyro columns; else check the file")
    if bad.any():
        lines = line_numbers(*source, rows[bad])
        notes.append(f"{sensor}: left out {bad.sum()} of {len(bad)} rows whose acceleration or gyro is {what} "
                     f"(line{'s' if bad.sum() > 1 else ''} {ranges(lines)}): the recording has gaps there")
    return ~bad


def check_time_order(time_s: NDArray[np.float64], rows: NDArray[np.int64], source: tuple[Path, int]) -> None:
    """time_s must be finite and increase strictly: refused with the line where it does not."""
    bad = ~np.isfinite(time_s)
    bad[1:] |= ~(np.diff(time_s) > 0)
    if not bad.any():
        return
    k = int(np.argmax(bad))
    path, skip = source
    line = int(line_numbers(path, skip, rows[[k]])[0])
    said = (f"time_s is {time_s[k]}" if not np.isfinite(time_s[k]) else
            f"time_s {time_s[k]:.9g} is not after {time_s[k - 1]:.9g} on the row before")
    raise InputError(f"{path.name}, line {line}: {said}: time_s must increase strictly from row to row",
                     hint="sort the file or fix its clock")


def gap_note(sensor: str, index: NDArray[np.int64], rate_hz: float, rows: NDArray[np.int64],
             source: tuple[Path, int]) -> str | None:
    """Say where time_s has gaps (rows missing by the sample clock) and how long they are; refuse a gap of
    2^31 samples or more, which the recording's 32-bit sample index would read as going back in time."""
    steps = np.diff(index)
    at = np.flatnonzero(steps > 1)  # gap between row at and at + 1
    if not len(at):
        return None
    path, skip = source
    missing = steps[at] - 1
    if (too_long := at[missing > MAX_GAP_SAMPLES]).size:
        k = int(too_long[0])
        line = int(line_numbers(path, skip, rows[[k + 1]])[0])
        raise InputError(
            f"{path.name}, line {line}: time_s jumps by {span((steps[k] - 1) / rate_hz)} ({steps[k] - 1} samples at "
            f"{rate_hz:g} Hz) after the row before: longer than a recording can hold in one gap (under 2^31 samples,"
            f" {MAX_GAP_SAMPLES / rate_hz / 86400:.3g} days at {rate_hz:g} Hz)",
            hint=f"if the logger's clock jumped there, fix time_s; else split the file before line {line} and import "
                 "each part")
    lines = line_numbers(path, skip, rows[at + 1])
    each = [f"{span(m / rate_hz)} before line {ln}" for m, ln in zip(missing[:GAPS_NOTED], lines[:GAPS_NOTED])]
    more = f" and {len(at) - GAPS_NOTED} more" if len(at) > GAPS_NOTED else ""
    total_s = float(missing.sum()) / rate_hz
    gaps = "a gap" if len(at) == 1 else counted(len(at), "gaps")
    return (f"{sensor}: time_s has {gaps} ({span(total_s)} in all, {int(missing.sum())} samples): "
            f"{', '.join(each)}{more}; the recording has gaps there")


def span(seconds: float) -> str:
    """A duration as people say it: '0.144 s', '12 min', '60 min', '69.4 days'."""
    for above_s, unit_s, unit in ((3 * 86400, 86400, "days"), (2 * 3600, 3600, "h"), (100, 60, "min")):
        if seconds >= above_s:
            return f"{seconds / unit_s:.3g} {unit}"
    return f"{seconds:.3g} s"
