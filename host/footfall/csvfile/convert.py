"""CSV export of recordings (SI units, units named in the header) and import of other IMUs' CSV files.

Export columns: sensor, side, sample_index, time_s, acc_{x,y,z}_mps2, gyr_{x,y,z}_radps (empty without gyro).
sample_index is the sensor's own counter; time_s is on the recording's time base (footfall.recording.time_base), the
clock of `footfall analyse`'s ic_time_s, so two sensors' rows line up in time as their steps do.
Import reads `time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z` in the foot frame (x toward the toe, y left, z up)
by default, and knows the usual other spellings (`ax`, `accX`, `Acc_X`, `accel_x`, `gx`, `gyroX`, `Gyr_X`,
`time`, `t`, any case); unit suffixes (`_mps2`, `_g`, `_radps`, `_dps`) in the header set the units, options
map other columns, units and axis signs. An import is quantised like a sensor (footfall.protocol.encode), so import -> export
reproduces the values to half a count of the range chosen for them.

Nothing is invented: a row whose acceleration (or, in a file with a gyroscope, gyro) is NaN, infinite or beyond
any sensor's range (1e308) is left out, so it becomes a gap in the sample index exactly as a lost frame would,
and an import note counts it; a file that is nearly all such rows is refused. Gaps in time_s are noted too (how
long, where); one the recording's sample index cannot hold (2^31 samples, 59 days at 416 Hz) is refused.

Messages and notes give positions as line numbers of the file, as an editor shows them: every line counts,
comments and a preamble included (the header of a plain CSV is line 1, its first data row line 2).
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

import numpy as np
from numpy.typing import NDArray

from footfall.csvfile.clock import check_rate, sample_clock
from footfall.csvfile.rows import check_time_order, data_lines, finite_rows, gap_note, line_numbers
from footfall.csvfile.columns import (ACC_COLUMNS, AXES, GYR_COLUMNS, SUFFIX_UNITS, find_column, find_header,
                                 no_gyro_note, no_time_hint, repeated_note, require_columns, require_distinct,
                                 require_mapped)
from footfall.protocol.encode import SiStream
from footfall.errors import InputError
from footfall.protocol.frames import IMU_IMPORTED
from footfall.recording.file import Recording, read_time_base, write_si_recording
from footfall.recording.start import import_meta
from footfall.recording.time_base import TimeBase
from footfall.samples import MAX_PLAUSIBLE_GYR_RADPS, STANDARD_GRAVITY_MPS2, silent_gyro_radps, too_fast_gyro_radps

EXPORT_HEADER = ["sensor", "side", "sample_index", "time_s", *(f"{c}_mps2" for c in ACC_COLUMNS),
                 *(f"{c}_radps" for c in GYR_COLUMNS)]
ACC_UNITS = {"m/s2": 1.0, "m/s^2": 1.0, "mps2": 1.0, "ms2": 1.0, "g": STANDARD_GRAVITY_MPS2}
GYR_UNITS = {"rad/s": 1.0, "radps": 1.0, "deg/s": math.pi / 180, "dps": math.pi / 180}
GRAVITY_BAND_MPS2 = (0.4 * STANDARD_GRAVITY_MPS2, 3.0 * STANDARD_GRAVITY_MPS2)
PHASE_KEPT_SAMPLES = 1e-3  # time_s this far between whole samples is kept as the time base, not rounded away
MIN_UNIT_CHECK_S = 1.0  # gravity is the median magnitude only over a stride or more: shorter files are not judged


def export_csv(rec: Recording, out: str | Path | TextIO, sensors: Sequence[str] | None = None,
               time_base: TimeBase | None = None) -> int:
    """Write the samples of `sensors` (default all) in SI units to a file or a text stream; returns the number
    of rows. `time_base` defaults to the recording's (read_time_base)."""
    if isinstance(out, str | Path):
        with open(out, "w", newline="", encoding="utf-8") as f:  # the same bytes on every system
            return export_csv(rec, f, sensors, time_base)
    out.write(",".join(EXPORT_HEADER) + "\n")
    offsets = (time_base or read_time_base(rec.path)).offsets_samples
    return sum(_export_sensor(rec, s, out, offsets.get(s, 0.0)) for s in sensors or list(rec.sensors))


def csv_cell(text: str) -> str:
    """A text cell of the export: a comma becomes _ (as ever: the import splits rows on commas), and a cell
    holding a quote, a line break or another control character is quoted, its quotes doubled (RFC 4180), so
    one crafted sensor id cannot break the rows."""
    text = text.replace(",", "_")
    if '"' in text or has_control_chars(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _export_sensor(rec: Recording, sensor: str, f: TextIO, offset_samples: float) -> int:
    rows = 0
    name = csv_cell(sensor).replace("%", "%%")
    for block in rec.blocks(sensor):
        index = block.first_index + np.arange(block.n)
        table = np.column_stack([index, block.shifted(offset_samples).time_s, block.acc_mps2, block.gyr_radps])
        text = io.StringIO()
        np.savetxt(text, table, fmt=f"{name},{block.side},%d,%.9f," + ",".join(["%.6f"] * 6))
        f.write(text.getvalue().replace(",nan", ","))  # not measured: an empty cell, as in the step CSV
        rows += block.n
    return rows


@dataclass(frozen=True)
class ImportOptions:
    """How to read a foreign CSV. Units None = from the header's unit suffix, else SI."""

    acc_unit: str | None = None  # "m/s2" or "g"
    gyr_unit: str | None = None  # "rad/s" or "deg/s"
    rate_hz: float | None = None  # None: inferred from time_s
    axes: str = "x,y,z"  # foot axis k = sign * file axis, e.g. "x,-y,-z" or "y,x,-z"
    columns: dict[str, str] = field(default_factory=dict)  # our name -> the file's column name
    side: str | None = None  # "L" / "R"; default: the file's side column, else "?"
    sensor: str | None = None  # sensor id for a file without a sensor column
    check_units: bool = True


@dataclass(frozen=True)
class ImportResult:
    path: Path
    streams: list[SiStream]
    notes: list[str]


def import_csv(csv_path: str | Path, out: str | Path, options: ImportOptions = ImportOptions(),
               start: datetime | None = None) -> ImportResult:
    """Read a CSV of another IMU and write it as a recording. Where time_s puts a sensor's samples between whole
    samples of the index (the export of a live recording: its sensors lined up to a fraction of a sample), the
    fraction is kept as the recording's time base (docs/protocol.md), so export -> import -> export keeps time_s.
    `start`: when the recording began (`import --start`); None dates it by the import (recording.start)."""
    phases: dict[str, float] = {}
    streams, notes = read_csv(csv_path, options, phases)
    meta: dict[str, object] = {"source": "csv import", "imported_from": Path(csv_path).name,
                               "axes_map": options.axes, "notes": " ".join(notes), **import_meta(start)}
    if any(abs(v) > PHASE_KEPT_SAMPLES for v in phases.values()):
        meta["time_base"] = {"offsets_samples": phases}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # what its ranges clip is in the notes already (_si_stream)
        return ImportResult(write_si_recording(out, streams, meta, discard_on_error=True), streams, notes)


@dataclass(frozen=True)
class _Table:
    """The file's numbers in SI units in the foot frame, all sensors' rows together."""

    time_s: NDArray[np.float64] | None
    acc_mps2: NDArray[np.float64]
    gyr_radps: NDArray[np.float64]  # all NaN without gyro columns
    acc_unit: str
    gyr_unit: str


def read_csv(csv_path: str | Path, options: ImportOptions, phases: dict[str, float] | None = None
             ) -> tuple[list[SiStream], list[str]]:
    """(one SiStream per sensor of the file, import notes); `phases` gets each sensor's time_s between whole
    samples (samples, within +-0.5). Raises InputError for anything it cannot read."""
    path = Path(csv_path)
    if options.rate_hz is not None:
        check_rate(options.rate_hz)
    header, delimiter, skip = find_header(path, options.columns)
    require_mapped(path, header, options.columns)
    where = {name: find_column(header, name, options.columns)
             for name in ("time_s", *ACC_COLUMNS, *GYR_COLUMNS, "sensor", "side")}
    require_columns(path, header, where)
    require_distinct(header, where, options.columns)
    if where["time_s"] is None and options.rate_hz is None:
        raise InputError(f"{path.name} has no time_s column", hint=no_time_hint(header, where))
    table = _read_table(path, header, where, delimiter, skip, options)
    streams: list[SiStream] = []
    notes = [note for note in (repeated_note(header, where, options.columns), no_gyro_note(header, where)) if note]
    for sensor, side, rows in _labels(path, delimiter, header, options, skip):
        stream, phase = _sensor_stream(sensor, side, table, rows, options, notes, (path, skip))
        streams.append(stream)
        if phases is not None:
            phases[sensor] = phase
    return _common_start(streams, notes), notes


def _common_start(streams: list[SiStream], notes: list[str]) -> list[SiStream]:
    """Sample indices the recording cannot hold (time_s in Unix time): every sensor moved by the same number of
    samples, so they stay lined up (moving each to 0 on its own put two feet seconds apart)."""
    firsts = [int(s.sample_index[0]) for s in streams if s.sample_index is not None and len(s.sample_index)]
    if not firsts or all(0 <= f < 2**31 for f in firsts):
        return streams
    notes.append("time_s shifted to start at 0" + (", every sensor by the same time" if len(firsts) > 1 else ""))
    return [replace(s, sample_index=s.sample_index - min(firsts)) if s.sample_index is not None else s
            for s in streams]


def _read_table(path: Path, header: list[str], where: dict[str, int | None], delimiter: str, skip: int,
                options: ImportOptions) -> _Table:
    present = {n: k for n, k in where.items() if k is not None and n not in ("sensor", "side")}
    table = _load_numeric(path, header, delimiter, list(present.values()), skip)
    cols = {n: table[:, k] for k, n in enumerate(present)}
    acc_unit = _unit(header, where, ACC_COLUMNS, options.acc_unit, ACC_UNITS, "m/s2", "--acc-unit")
    gyr_unit = _unit(header, where, GYR_COLUMNS, options.gyr_unit, GYR_UNITS, "rad/s", "--gyr-unit")
    perm, signs = parse_axes(options.axes)
    with np.errstate(over="ignore"):  # a junk cell (1e308) in g overflows to inf: left out with the NaNs
        acc = np.column_stack([cols[c] for c in ACC_COLUMNS])[:, perm] * signs * ACC_UNITS[acc_unit]
        gyr = (np.column_stack([cols[c] for c in GYR_COLUMNS])[:, perm] * signs * GYR_UNITS[gyr_unit]
               if all(c in cols for c in GYR_COLUMNS) else np.full_like(acc, np.nan))
    return _Table(cols.get("time_s"), acc, gyr, acc_unit, gyr_unit)


def _sensor_stream(sensor: str, side: str, table: _Table, rows: NDArray[np.int64], options: ImportOptions,
                   notes: list[str], source: tuple[Path, int]) -> tuple[SiStream, float]:
    """One sensor's rows as a stream, and where time_s puts them between whole samples. The sample clock is
    found on all its rows first, so a row left out for NaN or infinite values leaves a hole in the sample index
    where it was, as a lost frame does."""
    time_s = table.time_s[rows] if table.time_s is not None else None
    if time_s is not None:
        check_time_order(time_s, rows, source)
    rate_hz, index = sample_clock(time_s, len(rows), options.rate_hz)
    if gaps := gap_note(sensor, index, rate_hz, rows, source):
        notes.append(gaps)
    acc, gyr = table.acc_mps2[rows], table.gyr_radps[rows]
    has_gyro = not np.isnan(gyr).all()  # gyro columns all NaN: an accelerometer-only sensor, not damage
    keep = finite_rows(sensor, rows, acc, gyr if has_gyro else None, notes, source)
    acc, gyr, index = acc[keep], gyr[keep], index[keep]
    if options.check_units:
        skipped = check_units(acc, gyr if has_gyro else None, table.acc_unit, table.gyr_unit, rate_hz=rate_hz)
        if skipped:
            notes.append(f"{sensor}: {skipped}")
    phase = float(np.median(time_s[keep] * rate_hz - index)) if time_s is not None and len(index) else 0.0
    return _si_stream(sensor, side, rate_hz, acc, gyr, has_gyro, index, notes), round(phase, 6)


def _load_numeric(path: Path, header: list[str], delimiter: str, usecols: list[int], skip: int
                  ) -> NDArray[np.float64]:
    def load(converters: Callable[[str], float] | None = None) -> NDArray[np.float64]:
        with warnings.catch_warnings(), open(path, encoding="utf-8-sig") as f:
            warnings.simplefilter("ignore", UserWarning)  # "input contained no data": reported below
            lines = f if delimiter == "," else (_decimal_point(line) for line in f)
            return np.loadtxt(lines, delimiter=delimiter, skiprows=skip, usecols=usecols, ndmin=2, comments="#",
                              converters=converters, quotechar='"')  # "0.1" from loggers that quote every cell

    try:
        try:
            table = load()
        except ValueError:  # empty cells (not measured, as `footfall export` writes them) read as NaN: slower
            table = load(lambda cell: float(cell) if cell.strip() else math.nan)
    except ValueError as exc:
        raise _bad_row(path, header, delimiter, usecols, skip, exc, numbers=True) from None
    if table.shape[0] == 0:
        raise InputError(f"{path.name} has a header but no data rows")
    return table


def _decimal_point(line: str) -> str:
    """A row of a ;- or tab-separated file, as European spreadsheets write them, with a decimal comma (9,81)."""
    return line.replace(",", ".")


def _bad_row(path: Path, header: list[str], delimiter: str, usecols: list[int], skip: int, exc: ValueError,
             numbers: bool) -> InputError:
    """The first data row np.loadtxt could not read, said plainly with its line number: too few cells, or
    (when the columns must hold `numbers`) a cell that is not a number."""
    for k, line in data_lines(path, skip):
        cells = line.split("#", 1)[0].rstrip("\r\n").split(delimiter)
        for col in usecols:
            name = header[col] if col < len(header) else f"{col + 1}"
            if col >= len(cells):
                return InputError(f"{path.name}, line {k}: {len(cells)} cells, too few for column {name} (cell "
                                  f"{col + 1})", hint="every data row needs a cell for each column of the header")
            if cells[col].count('"') % 2:  # read as quoted on into the lines below it
                return InputError(f"{path.name}, line {k}: column {name} holds {cells[col].strip()[:20]!r}, a quote "
                                  "that is not closed", hint="a quoted cell ends with a quote on the same line")
            cell = cells[col].strip().strip('"')
            if numbers and not _is_number(cell if delimiter == "," else _decimal_point(cell)):
                return InputError(f"{path.name}, line {k}: column {name} holds {cells[col].strip()!r}, not a number",
                                  hint="every data row must hold numbers in the acceleration, gyro and time columns")
    return InputError(f"{path.name}: {str(exc).splitlines()[0].rstrip('.')}")


def _is_number(cell: str) -> bool:
    """A number, or an empty cell (not measured)."""
    try:
        float(cell or "nan")
    except ValueError:
        return False
    return True


def _unit(header: list[str], where: dict[str, int | None], names: Sequence[str], given: str | None,
          units: dict[str, float], default: str, option: str) -> str:
    suffixed = {SUFFIX_UNITS[s] for n in names if where[n] is not None for s in SUFFIX_UNITS
                if header[where[n] or 0].endswith(s)}
    if given is not None and given not in units:
        raise InputError(f"{option} {given!r} is not one of {', '.join(units)}")
    if len(suffixed) > 1:
        raise InputError(f"the header mixes units {sorted(suffixed)} in {', '.join(names)}")
    if given and suffixed and units[given] != units[next(iter(suffixed))]:
        raise InputError(f"{option} {given} contradicts the header, which says {next(iter(suffixed))}")
    return given or (next(iter(suffixed)) if suffixed else default)


def parse_axes(spec: str) -> tuple[list[int], NDArray[np.float64]]:
    """'x,-y,-z' -> (column order, signs): foot axis k = sign_k * file axis perm_k. Must be a rotation."""
    parts = [p.strip().lower() for p in spec.split(",")]
    try:
        perm = [AXES.index(p.lstrip("+-")) for p in parts]
    except ValueError:
        perm = []
    if len(parts) != 3 or sorted(perm) != [0, 1, 2]:
        raise InputError(f"--axes {spec!r} must name x, y and z once each with optional signs, e.g. x,-y,-z")
    signs = np.array([-1.0 if p.startswith("-") else 1.0 for p in parts])
    matrix = np.zeros((3, 3))
    matrix[range(3), perm] = signs
    if np.linalg.det(matrix) < 0:
        raise InputError(f"--axes {spec} mirrors the axes (turns a right-handed frame left-handed)",
                         hint="flip one more or one fewer sign, or swap two axes")
    return perm, signs


def check_units(acc_mps2: NDArray[np.float64], gyr_radps: NDArray[np.float64] | None, acc_unit: str,
                gyr_unit: str, *, rate_hz: float | None = None) -> str | None:
    """Refuse data whose gravity or rotation rate is physically implausible in the units claimed; rows with
    NaN or inf are not counted. Gravity and gait are judged only on `MIN_UNIT_CHECK_S` of rows or more
    (when `rate_hz` is given): the median magnitude is gravity over a stride, not over a few samples of one
    (half a second of a run can sit at 5 g), unless the rows are at rest (`_resting_in_other_unit`).
    Returns why those checks were skipped, else None."""
    finite = np.isfinite(acc_mps2).all(axis=1)
    if not finite.any():
        raise InputError("the acceleration columns hold no numbers (every row is NaN or infinite)")
    acc = acc_mps2[finite]
    gyr = gyr_radps[np.isfinite(gyr_radps).all(axis=1)] if gyr_radps is not None else None
    short = rate_hz is not None and len(acc) < MIN_UNIT_CHECK_S * rate_hz
    if not short or _resting_in_other_unit(acc, acc_unit):
        _check_gravity(acc, acc_unit)
    if gyr is not None and len(gyr):
        _check_gyro_ceiling(gyr, gyr_unit)  # no foot reaches it, however short the file
    if short and rate_hz is not None:
        return (f"units not checked: {len(acc)} rows ({len(acc) / rate_hz:.2g} s) are too few to judge gravity "
                f"and gait, which takes {MIN_UNIT_CHECK_S:g} s")
    if gyr is not None and len(gyr) >= 2:
        _check_gyro_turns(acc, gyr, gyr_unit)
    return None


def _resting_in_other_unit(acc_mps2: NDArray[np.float64], acc_unit: str) -> bool:
    """Rows too few for a stride can still show their unit when the sensor is at rest: then every
    magnitude is gravity. True when they are steady (within 2%) at 1 g (within 5%) only in the other unit,
    e.g. 1.00 read as m/s2: no foot holds 0.1 g steady, and no impact lasts a plateau at 9.8 g."""
    magnitude = np.linalg.norm(acc_mps2, axis=1)
    median = float(np.median(magnitude))
    other = "g" if ACC_UNITS[acc_unit] == 1.0 else "m/s2"
    in_other_mps2 = median * ACC_UNITS[other] / ACC_UNITS[acc_unit]
    steady = float(magnitude.max() - magnitude.min()) <= 0.02 * median
    return steady and abs(in_other_mps2 / STANDARD_GRAVITY_MPS2 - 1) <= 0.05


def _check_gravity(acc_mps2: NDArray[np.float64], acc_unit: str) -> None:
    """A foot spends most of its time near 1 g, so the median magnitude falls in GRAVITY_BAND_MPS2; if it
    does in the other unit, that is the file's unit, else the columns are not acceleration at all."""
    magnitude = float(np.median(np.linalg.norm(acc_mps2, axis=1)))
    lo, hi = GRAVITY_BAND_MPS2
    if lo <= magnitude <= hi:
        return
    other = "g" if ACC_UNITS[acc_unit] == 1.0 else "m/s2"
    in_other = magnitude * ACC_UNITS[other] / ACC_UNITS[acc_unit]
    said = (f"typical acceleration magnitude is {magnitude:.3g} m/s2 with --acc-unit {acc_unit}, but gravity "
            "alone is 9.81 m/s2")
    if lo <= in_other <= hi:
        raise InputError(f"{said}: the file looks like it is in {other}",
                         hint=f"use --acc-unit {other} (or --no-unit-check if the data really is like this)")
    mg = lo <= magnitude / ACC_UNITS[acc_unit] * ACC_UNITS["g"] / 1000 <= hi  # no unit option: the hint says how
    raise InputError(f"{said}, and in {other} it would be {in_other:.3g} m/s2: the columns do not look like "
                     f"acceleration{', unless the file is in mg (milli-g, 1000 per g)' if mg else ''}",
                     hint=("if it is in mg, divide the acceleration columns by 1000 and give --acc-unit g; else "
                           if mg else "") + "check --columns (or --no-unit-check if the data really is like this)")


def _check_gyro_ceiling(gyr_radps: NDArray[np.float64], gyr_unit: str) -> None:
    """No foot and no +-2000 dps sensor turns faster than MAX_PLAUSIBLE_GYR_RADPS: that is deg/s read as rad/s."""
    if too_fast_gyro_radps(gyr_radps) is None:
        return
    said = f"angular rates above {MAX_PLAUSIBLE_GYR_RADPS:.0f} rad/s with --gyr-unit {gyr_unit}"
    if GYR_UNITS[gyr_unit] == 1.0:
        raise InputError(f"{said}: the gyro columns look like deg/s", hint="use --gyr-unit deg/s")
    raise InputError(f"{said}: the gyro columns do not look like rotation rates",
                     hint="check --columns (or --no-unit-check if the data really is like this)")


def _check_gyro_turns(acc_mps2: NDArray[np.float64], gyr_radps: NDArray[np.float64], gyr_unit: str) -> None:
    """A foot whose accelerometer shows gait also turns (samples.silent_gyro_radps). Without this, rad/s read
    as deg/s or a dead gyro passes, and the analysis reports a 9 g run as standing still. Rates are taken
    about the gyro's median, so a gyro stuck at a constant is as dead as one stuck at zero."""
    turning_radps = silent_gyro_radps(acc_mps2, gyr_radps)
    if turning_radps is None:
        return
    magnitude = np.linalg.norm(acc_mps2, axis=1)
    span_mps2 = float(np.percentile(magnitude, 99) - np.percentile(magnitude, 1))
    shows = (f"the accelerometer shows gait (its magnitude spans {span_mps2 / STANDARD_GRAVITY_MPS2:.1f} g) but "
             f"the gyro hardly turns (99th percentile {turning_radps:.2g} rad/s with --gyr-unit {gyr_unit}, where "
             "a walking foot turns at 3+ rad/s and a running one at 10+)")
    if GYR_UNITS[gyr_unit] != 1.0:
        raise InputError(f"{shows}: the gyro columns are in rad/s, or the gyroscope is dead",
                         hint="use --gyr-unit rad/s; if the gyro is dead (all zero or constant), drop its columns "
                         "to analyse with the accelerometer only")
    raise InputError(f"{shows}: the gyroscope looks dead (all zero or constant)",
                     hint="drop the gyro columns to analyse with the accelerometer only (or --no-unit-check if "
                     "the data really is like this)")


def _labels(path: Path, delimiter: str, header: list[str], options: ImportOptions, skip: int
            ) -> list[tuple[str, str, NDArray[np.int64]]]:
    """(sensor, side, rows) for each sensor of the file."""
    def strings(name: str) -> NDArray[np.str_] | None:
        k = find_column(header, name, options.columns)
        if k is None:
            return None
        try:
            return np.loadtxt(path, delimiter=delimiter, skiprows=skip, usecols=[k], dtype=str, ndmin=1,
                              comments="#", encoding="utf-8-sig", quotechar='"')
        except ValueError as exc:
            raise _bad_row(path, header, delimiter, [k], skip, exc, numbers=False) from None

    sensors, sides = strings("sensor"), strings("side")
    _check_sides(path, skip, sides)
    _check_labels(options, sensors, sides)
    if sensors is None:
        rows = np.arange(len(sides) if sides is not None else _count_rows(path, skip))
        side = _side(options.side or (str(sides[0]).upper() if sides is not None and len(sides) else "?"))
        return [(options.sensor or (side if side != "?" else "imported"), side, rows)]  # an empty side: '?'
    out = []
    for sensor in dict.fromkeys(sensors.tolist()):
        rows = np.flatnonzero(sensors == sensor)
        side = options.side or (str(sides[rows[0]]).upper() if sides is not None else "?")
        out.append((str(sensor), _side(side), rows))
    return out


def _check_labels(options: ImportOptions, sensors: NDArray[np.str_] | None, sides: NDArray[np.str_] | None) -> None:
    """Refuse a --side or --sensor that contradicts the file's own side or sensor column, or cannot apply to
    it (one --side for several sensors; --sensor when the file names its sensors)."""
    if options.side is not None and options.side not in ("L", "R"):
        raise InputError(f"--side {options.side!r} must be L or R")
    names = list(dict.fromkeys(sensors.tolist())) if sensors is not None else []
    for name in names + ([options.sensor] if options.sensor is not None else []):
        check_sensor_id(name, "--sensor" if name == options.sensor else "in the sensor column")
    if options.sensor is not None and sensors is not None and names != [options.sensor]:
        raise InputError(f"--sensor {options.sensor} cannot apply: the file's sensor column names "
                         f"{', '.join(names)}", hint="leave out --sensor: each sensor keeps the id of its column")
    if options.side is None:
        return
    said = sorted({str(s).upper() for s in sides} & {"L", "R"}) if sides is not None else []
    if said and said != [options.side]:
        raise InputError(f"--side {options.side} contradicts the file's side column, which says {', '.join(said)}",
                         hint="leave out --side: the side column names each sensor's foot")
    if not said and len(names) > 1:
        raise InputError(f"--side {options.side} cannot apply to the {len(names)} sensors of the file's sensor "
                         f"column ({', '.join(names)})", hint="leave out --side, or add a side column")


def has_control_chars(text: str) -> bool:
    """A line break, tab or another control character (ASCII 0-31, 127) in `text`."""
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def check_sensor_id(name: str, whose: str) -> None:
    """A sensor id is one line of printable text: a line break or another control character in it broke every
    CSV and table it was written to."""
    if has_control_chars(name):
        raise InputError(f"sensor id {name[:40]!r} ({whose}) must be one line of printable text",
                         hint="e.g. L, R or left-shoe: no line breaks, tabs or other control characters")


def _check_sides(path: Path, skip: int, sides: NDArray[np.str_] | None) -> None:
    """A side column says L, R or ? (any case): anything else (a typo, 'Q') is refused, not taken for '?'."""
    if sides is None or not len(sides):
        return
    bad = ~np.isin(np.char.upper(np.char.strip(sides)), ["L", "R", "?", ""])
    if bad.any():
        k = int(np.argmax(bad))
        line = int(line_numbers(path, skip, np.array([k]))[0])
        raise InputError(f"{path.name}, line {line}: side {str(sides[k]).strip()[:20]!r} must be L, R or ?",
                         hint="L for the left foot, R for the right, ? (or an empty cell) if not known")


def _side(side: str) -> str:
    side = side.strip()
    return side if side in ("L", "R") else "?"


def _count_rows(path: Path, skip: int) -> int:
    """Data rows after the header (the first `skip` lines)."""
    return sum(1 for _ in data_lines(path, skip))


def _si_stream(sensor: str, side: str, rate_hz: float, acc: NDArray[np.float64], gyr: NDArray[np.float64],
               has_gyro: bool, index: NDArray[np.int64], notes: list[str]) -> SiStream:
    stream = SiStream(sensor, side, rate_hz, acc, gyr, imu=IMU_IMPORTED, has_gyro=has_gyro, sample_index=index)
    acc_range, gyr_range = stream.fitting_ranges()
    stream = replace(stream, acc_range_g=acc_range, gyr_range_dps=gyr_range)
    if stream.clipped():
        notes.append(f"{sensor}: values beyond +-{acc_range} g / +-{gyr_range} dps were clipped")
    return stream
