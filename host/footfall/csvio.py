"""CSV export of recordings (SI units, units named in the header) and import of other IMUs' CSV files.

Export columns: sensor, side, sample_index, time_s, acc_{x,y,z}_mps2, gyr_{x,y,z}_radps (NaN without gyro).
Import reads `time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z` in the foot frame (x toward the toe, y left, z up)
by default, and knows the usual other spellings (`ax`, `accX`, `Acc_X`, `accel_x`, `gx`, `gyroX`, `Gyr_X`,
`time`, `t`, any case); unit suffixes (`_mps2`, `_g`, `_radps`, `_dps`) in the header set the units, options
map other columns, units and axis signs. An import is quantised like a sensor (footfall.encode), so import -> export
reproduces the values to half a count of the range chosen for them.
"""

from __future__ import annotations

import csv
import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np
from numpy.typing import NDArray

from footfall.encode import SiStream
from footfall.errors import InputError
from footfall.protocol import ACC_RANGES_G, GYR_RANGES_DPS, IMU_IMPORTED
from footfall.recording import Recording, write_si_recording
from footfall.samples import STANDARD_GRAVITY_MPS2

AXES = ("x", "y", "z")
ACC_COLUMNS = tuple(f"acc_{a}" for a in AXES)
GYR_COLUMNS = tuple(f"gyr_{a}" for a in AXES)
EXPORT_HEADER = ["sensor", "side", "sample_index", "time_s", *(f"{c}_mps2" for c in ACC_COLUMNS),
                 *(f"{c}_radps" for c in GYR_COLUMNS)]
ACC_UNITS = {"m/s2": 1.0, "m/s^2": 1.0, "mps2": 1.0, "ms2": 1.0, "g": STANDARD_GRAVITY_MPS2}
GYR_UNITS = {"rad/s": 1.0, "radps": 1.0, "deg/s": math.pi / 180, "dps": math.pi / 180}
SUFFIX_UNITS = {"_mps2": "m/s2", "_ms2": "m/s2", "_g": "g", "_radps": "rad/s", "_dps": "deg/s"}
GRAVITY_BAND_MPS2 = (0.4 * STANDARD_GRAVITY_MPS2, 3.0 * STANDARD_GRAVITY_MPS2)
_MAX_PREAMBLE = 20  # lines searched for the header
MAX_PLAUSIBLE_GYR_RADPS = 45.0  # ~2600 deg/s: beyond any foot and any +-2000 dps sensor


def export_csv(rec: Recording, out: str | Path, sensors: Sequence[str] | None = None) -> int:
    """Write the samples of `sensors` (default all) in SI units; returns the number of rows."""
    rows = 0
    with open(out, "w", newline="") as f:
        f.write(",".join(EXPORT_HEADER) + "\n")
        for sensor in sensors or list(rec.sensors):
            rows += _export_sensor(rec, sensor, f)
    return rows


def _export_sensor(rec: Recording, sensor: str, f: TextIO) -> int:
    rows = 0
    name = sensor.replace("%", "%%").replace(",", "_")
    for block in rec.blocks(sensor):
        index = block.first_index + np.arange(block.n)
        table = np.column_stack([index, block.time_s, block.acc_mps2, block.gyr_radps])
        fmt = f"{name},{block.side},%d,%.9f," + ",".join(["%.6f"] * 6)
        np.savetxt(f, table, fmt=fmt)
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


def import_csv(csv_path: str | Path, out: str | Path, options: ImportOptions = ImportOptions()) -> ImportResult:
    """Read a CSV of another IMU and write it as a recording."""
    streams, notes = read_csv(csv_path, options)
    meta = {"source": "csv import", "imported_from": Path(csv_path).name, "axes_map": options.axes,
            "notes": " ".join(notes)}
    return ImportResult(write_si_recording(out, streams, meta), streams, notes)


def read_csv(csv_path: str | Path, options: ImportOptions) -> tuple[list[SiStream], list[str]]:
    path = Path(csv_path)
    header, delimiter, skip = _header(path, options.columns)
    where = {name: _find_column(header, name, options.columns) for name in ("time_s", *ACC_COLUMNS, *GYR_COLUMNS)}
    _require_columns(path, header, where)
    present = {n: k for n, k in where.items() if k is not None}
    table = _load_numeric(path, delimiter, list(present.values()), skip)
    cols = {n: table[:, k] for k, n in enumerate(present)}
    acc_unit = _unit(header, where, ACC_COLUMNS, options.acc_unit, ACC_UNITS, "m/s2", "--acc-unit")
    gyr_unit = _unit(header, where, GYR_COLUMNS, options.gyr_unit, GYR_UNITS, "rad/s", "--gyr-unit")
    perm, signs = parse_axes(options.axes)
    acc = np.column_stack([cols[c] for c in ACC_COLUMNS])[:, perm] * signs * ACC_UNITS[acc_unit]
    has_gyro = all(where[c] is not None for c in GYR_COLUMNS)
    gyr = (np.column_stack([cols[c] for c in GYR_COLUMNS])[:, perm] * signs * GYR_UNITS[gyr_unit]
           if has_gyro else np.full_like(acc, np.nan))
    has_gyro = has_gyro and not np.isnan(gyr).all()
    labels = _labels(path, delimiter, header, options, skip)
    streams: list[SiStream] = []
    notes: list[str] = []
    for sensor, side, rows in labels:
        if options.check_units:
            check_units(acc[rows], gyr[rows] if has_gyro else None, acc_unit, gyr_unit)
        time_s = cols["time_s"][rows] if "time_s" in cols else None
        rate_hz, index = sample_clock(time_s, len(rows), options.rate_hz)
        streams.append(_si_stream(sensor, side, rate_hz, acc[rows], gyr[rows], has_gyro, index, notes))
    return streams, notes


def _header(path: Path, mapping: dict[str, str]) -> tuple[list[str], str, int]:
    """(column names in lower case, delimiter, lines up to and including the header). The header is the
    first line naming an acceleration column: comment lines (#) and a preamble such as Xsens's
    "Acquisition frequency: 100 Hz" may come before it. Without one, the first line, for the error."""
    try:
        with open(path, newline="") as f:
            content = ((k, ln) for k, ln in enumerate(f, 1) if ln.strip() and not ln.startswith("#"))
            lines = list(itertools.islice(content, _MAX_PREAMBLE))  # not the whole file: it may be large
    except FileNotFoundError:
        raise InputError(f"{path} does not exist", hint="check the file name") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} as text: {exc}") from None
    if not lines:
        raise InputError(f"{path} is empty", hint="expected a header such as time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z")
    parsed = [(k, *_split_header(ln)) for k, ln in lines]
    for k, header, delimiter in parsed:
        if _find_column(header, "acc_x", mapping) is not None:
            return header, delimiter, k
    return parsed[0][1], parsed[0][2], parsed[0][0]


def _split_header(line: str) -> tuple[list[str], str]:
    delimiter = max(",;\t", key=line.count)
    return [h.strip().strip('"').lower() for h in next(csv.reader([line], delimiter=delimiter), [])], delimiter


def _aliases(name: str) -> tuple[str, ...]:
    """Other spellings of one of our column names, lower case: acc_x -> ax, accx, accel_x, ... (the header
    is lower-cased before matching); time_s -> time, t."""
    if name == "time_s":
        return ("time_s", "time", "t")
    if name not in ACC_COLUMNS + GYR_COLUMNS:
        return (name,)
    kind, axis = name.split("_")
    stems = ("a", "acc", "accel") if kind == "acc" else ("g", "gyr", "gyro")
    return tuple(dict.fromkeys([name, *(stem + sep + axis for stem in stems for sep in ("", "_"))]))


def _find_column(header: list[str], name: str, mapping: dict[str, str]) -> int | None:
    if name in mapping:
        wanted = mapping[name].lower()
        return next((k for k, h in enumerate(header) if h == wanted), None)
    for alias in _aliases(name):  # in order of preference: our own name first
        for k, h in enumerate(header):
            if h == alias or h in (alias + s for s in SUFFIX_UNITS):
                return k
    return None


def _require_columns(path: Path, header: list[str], where: dict[str, int | None]) -> None:
    missing = [c for c in ACC_COLUMNS if where[c] is None]
    gyr_found = [c for c in GYR_COLUMNS if where[c] is not None]
    if gyr_found and len(gyr_found) < 3:
        missing += [c for c in GYR_COLUMNS if where[c] is None]
    if missing:
        raise InputError(f"{path.name} has no column {', '.join(missing)} (found: {', '.join(header)})",
                         hint="map your columns, e.g. --columns acc_x=ax,acc_y=ay,acc_z=az")


def _load_numeric(path: Path, delimiter: str, usecols: list[int], skip: int) -> NDArray[np.float64]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "input contained no data": reported below
            table = np.loadtxt(path, delimiter=delimiter, skiprows=skip, usecols=usecols, ndmin=2, comments="#")
    except ValueError as exc:
        raise InputError(f"{path.name}: {str(exc).splitlines()[0]}", hint="every data row must hold numbers "
                         "in the acceleration, gyro and time columns") from None
    if table.shape[0] == 0:
        raise InputError(f"{path.name} has a header but no data rows")
    return table


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
                gyr_unit: str) -> None:
    """Refuse data whose gravity or rotation rate is physically implausible in the units claimed."""
    magnitude = float(np.nanmedian(np.linalg.norm(acc_mps2, axis=1)))
    lo, hi = GRAVITY_BAND_MPS2
    if not lo <= magnitude <= hi:
        likely = "g" if magnitude < lo else "m/s2"
        raise InputError(
            f"typical acceleration magnitude is {magnitude:.3g} m/s2 with --acc-unit {acc_unit}, but gravity "
            f"alone is 9.81 m/s2: the file looks like it is in {likely}",
            hint=f"use --acc-unit {likely} (or --no-unit-check if the data really is like this)")
    if gyr_radps is not None and float(np.nanpercentile(np.abs(gyr_radps), 99)) > MAX_PLAUSIBLE_GYR_RADPS:
        raise InputError(f"angular rates above {MAX_PLAUSIBLE_GYR_RADPS:.0f} rad/s with --gyr-unit {gyr_unit}: "
                         "the gyro columns look like deg/s", hint="use --gyr-unit deg/s")


def sample_clock(time_s: NDArray[np.float64] | None, n: int, rate_hz: float | None
                 ) -> tuple[float, NDArray[np.int64]]:
    """(rate to 1 mHz, sample index per row) from the time column and/or --rate; gaps stay gaps."""
    if time_s is None:
        if rate_hz is None:
            raise InputError("the CSV has no time_s column", hint="give the sample rate with --rate HZ")
        return _stored_rate(rate_hz), np.arange(n)
    if not np.all(np.isfinite(time_s)) or np.any(np.diff(time_s) <= 0):
        raise InputError("time_s must increase strictly from row to row", hint="sort the file or fix its clock")
    rate = rate_hz if rate_hz is not None else (1.0 / float(np.median(np.diff(time_s))) if n > 1 else None)
    if rate is None:
        raise InputError("one row is not enough to infer the sample rate", hint="give it with --rate HZ")
    if rate_hz is None and abs(rate - round(rate)) < 5e-4 * rate:
        rate = float(round(rate))  # times printed with few decimals blur the step: 0.002404 s is 416 Hz
    stored = _stored_rate(rate)
    index = np.rint(time_s * rate).astype(np.int64)  # on the true clock: rows stay rows, gaps stay gaps
    if np.any(np.diff(index) <= 0):
        raise InputError(f"time_s is too irregular for {rate:.6g} Hz: two rows fall on one sample",
                         hint="give the true rate with --rate HZ")
    return stored, index


def _stored_rate(rate_hz: float) -> float:
    """The rate as the status frame carries it: to 1 mHz (10 ppm of a 100 Hz rate)."""
    if not 1 <= rate_hz <= 0xFFFF or not math.isfinite(rate_hz):
        raise InputError(f"sample rate {rate_hz} Hz is outside 1..65535 Hz")
    return round(rate_hz * 1000) / 1000


def _labels(path: Path, delimiter: str, header: list[str], options: ImportOptions, skip: int
            ) -> list[tuple[str, str, NDArray[np.int64]]]:
    """(sensor, side, rows) for each sensor of the file."""
    def strings(name: str) -> NDArray[np.str_] | None:
        k = _find_column(header, name, options.columns)
        if k is None:
            return None
        return np.loadtxt(path, delimiter=delimiter, skiprows=skip, usecols=[k], dtype=str, ndmin=1, comments="#")

    sensors, sides = strings("sensor"), strings("side")
    if options.side is not None and options.side not in ("L", "R"):
        raise InputError(f"--side {options.side!r} must be L or R")
    if sensors is None:
        rows = np.arange(len(sides) if sides is not None else _count_rows(path, skip))
        side = options.side or (str(sides[0]).upper() if sides is not None and len(sides) else "?")
        return [(options.sensor or (side if side != "?" else "imported"), _side(side), rows)]
    out = []
    for sensor in dict.fromkeys(sensors.tolist()):
        rows = np.flatnonzero(sensors == sensor)
        side = options.side or (str(sides[rows[0]]).upper() if sides is not None else "?")
        out.append((str(sensor), _side(side), rows))
    return out


def _side(side: str) -> str:
    return side if side in ("L", "R") else "?"


def _count_rows(path: Path, skip: int) -> int:
    """Data rows after the header (the first `skip` lines)."""
    with open(path) as f:
        return sum(1 for k, ln in enumerate(f, 1) if k > skip and ln.strip() and not ln.startswith("#"))


def _si_stream(sensor: str, side: str, rate_hz: float, acc: NDArray[np.float64], gyr: NDArray[np.float64],
               has_gyro: bool, index: NDArray[np.int64], notes: list[str]) -> SiStream:
    acc_peak_g = float(np.nanmax(np.abs(acc))) / STANDARD_GRAVITY_MPS2 if acc.size else 0.0
    acc_range = next((r for r in ACC_RANGES_G if acc_peak_g < r * 0.999), ACC_RANGES_G[-1])
    gyr_peak_dps = math.degrees(float(np.nanmax(np.abs(gyr)))) if has_gyro and gyr.size else 0.0
    gyr_range = next((r for r in GYR_RANGES_DPS if gyr_peak_dps < r * 0.999), GYR_RANGES_DPS[-1])
    if acc_peak_g >= acc_range or gyr_peak_dps >= gyr_range:
        notes.append(f"{sensor}: values beyond +-{acc_range} g / +-{gyr_range} dps were clipped")
    if len(index) and not 0 <= index[0] < 2**31:  # e.g. Unix time: start the sample clock at 0 instead
        notes.append(f"{sensor}: time_s shifted to start at 0")
        index = index - index[0]
    return SiStream(sensor, side, rate_hz, acc, gyr, acc_range_g=acc_range, gyr_range_dps=gyr_range,
                    imu=IMU_IMPORTED, has_gyro=has_gyro, sample_index=index)
