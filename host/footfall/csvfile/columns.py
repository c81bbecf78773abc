"""The columns of another IMU's CSV: where its header is, which column is which (our names, their usual other
spellings, or the user's --columns map), and what to suggest when the time or the gyro is not found."""

from __future__ import annotations

import csv
import itertools
import re
from pathlib import Path

from footfall.csvfile.text import bounded_lines, cell_too_long, check_text_file
from footfall.errors import InputError
from footfall.shell import shell_word

AXES = ("x", "y", "z")
ACC_COLUMNS = tuple(f"acc_{a}" for a in AXES)
GYR_COLUMNS = tuple(f"gyr_{a}" for a in AXES)
SUFFIX_UNITS = {"_mps2": "m/s2", "_ms2": "m/s2", "_g": "g", "_radps": "rad/s", "_dps": "deg/s"}
MAX_PREAMBLE_LINES = 20  # lines searched for the header
NOT_GYRO_STEMS = ("mag", "m", "q", "quat", "eul", "ori", "pos", "p", "vel", "v", "lin", "grav")  # x/y/z triples
_AXIS_NAME = re.compile(r"(.*?)([xyz])((?:_[a-z0-9]+)?)")  # stem, axis, optional suffix: wx, gyro_x, w_x_dps


STEP_FILE_COLUMN = "ic_time_s"  # every per-step file footfall writes has it (each step's initial contact)


def step_file_hint(path: Path) -> str:
    """What to do with one of footfall's own per-step files given where a recording or samples were wanted."""
    return f"store it with `footfall history add {shell_word(str(path))} --runner NAME`, or analyse the recording " \
           "it was made from"


def require_mapped(path: Path, header: list[str], mapping: dict[str, str]) -> None:
    """Every column --columns names must be in the header (a misspelt time_s=... was silently no time column);
    a column may also be given by its number, #1 for the first."""
    for ours, theirs in mapping.items():
        if _numbered(theirs, header) is None and theirs.lower() not in header:
            raise InputError(f"--columns {ours}={theirs}: {path.name} has no column {theirs!r}",
                             hint=f"its columns are {shown(header)} (or give a column's number: {ours}=#1 "
                                  f"for the first, up to #{len(header)})")


def _numbered(given: str, header: list[str]) -> int | None:
    """The index of column "#N" (1-based) of the header, None when `given` is not such a number or out of range."""
    number = given[1:] if given.startswith("#") else ""
    return int(number) - 1 if number.isdigit() and 1 <= int(number) <= len(header) else None


def repeated_note(header: list[str], where: dict[str, int | None], mapping: dict[str, str]) -> str | None:
    """A column read whose name the header repeats (two sensors side by side, as in gaitmap's file) and that
    --columns did not choose: the first of each name is read, and the note says so and how to read the other."""
    repeated = [(name, k) for name, k in where.items()
                if k is not None and name not in mapping and header.count(header[k]) > 1]
    if not repeated:
        return None
    others = [(name, [j + 1 for j, h in enumerate(header) if h == header[k] and j != k]) for name, k in repeated]
    given = ",".join(f"{name}=#{numbers[0]}" for name, numbers in others)
    return (f"column names repeated in the header ({', '.join(dict.fromkeys(header[k] for _, k in repeated))}): "
            f"the first of each was read (columns {', '.join(str(k + 1) for _, k in repeated)}); to read the next "
            f"set, add --columns {given}")


def shown(names: list[str], most: int = 10, most_chars: int = 200) -> str:
    """Column names for a message: the first `most`, cut at `most_chars` (a header of one 20 kB line is not
    echoed whole)."""
    text = ", ".join(names[:most])
    text = text if len(text) <= most_chars else text[:most_chars] + "..."
    return text + (f" and {len(names) - most} more" if len(names) > most else "")


def _unused(header: list[str], where: dict[str, int | None]) -> list[str]:
    used = set(where.values())
    return [h for k, h in enumerate(header) if k not in used and h]


def no_time_hint(header: list[str], where: dict[str, int | None]) -> str:
    """Give --rate, or name a column that looks like time (timestamp, Time [s], t_ms, ...) as time_s."""
    timelike = [h for h in _unused(header, where) if "time" in h or "stamp" in h or re.fullmatch(r"t(_\w*)?|ts", h)]
    if not timelike:
        return "give the sample rate with --rate HZ"
    return f"if {timelike[0]} holds the time in seconds, add --columns time_s={timelike[0]}; else give --rate HZ"


def no_gyro_note(header: list[str], where: dict[str, int | None]) -> str | None:
    """Without gyro columns the gait events are not measured: say so when the file has columns left unused
    (three or more, as a gyro needs), suggesting the x/y/z triple among them as the gyro."""
    unused = _unused(header, where)
    if any(where[c] is not None for c in GYR_COLUMNS) or len(unused) < 3:
        return None
    triple = _axis_triple(unused)
    given = ",".join(f"gyr_{a}={c}" for a, c in zip(AXES, triple or ("COLUMN",) * 3))
    return (f"no gyro columns found, so contact time, strike angle and stride are not measured; unused columns: "
            f"{', '.join(unused)} (if {'/'.join(triple) if triple else 'three of them'} are the gyro, add "
            f"--columns {given})")


def _axis_triple(names: list[str]) -> tuple[str, str, str] | None:
    """The first x, y, z columns of one stem (wx/wy/wz, rot_x_dps/...), other than a magnetometer's and such."""
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for name in names:
        if (m := _AXIS_NAME.fullmatch(name)) and m[1].rstrip("_") not in NOT_GYRO_STEMS:
            groups.setdefault((m[1], m[3]), {})[m[2]] = name
    return next(((g["x"], g["y"], g["z"]) for g in groups.values() if len(g) == 3), None)


def _refuse_a_recording(path: Path) -> None:
    from footfall.recording.records import not_regular
    from footfall.recording.writer import MAGIC

    if not_regular(path) is not None:
        return  # check_text_file says what it is
    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC))
    except OSError:
        return  # the caller says why it cannot be read
    if head == MAGIC:
        raise InputError(f"{path} is already a footfall recording, not a CSV to import",
                             hint=f"analyse it with `footfall analyse {path}`")


def find_header(path: Path, mapping: dict[str, str]) -> tuple[list[str], str, int]:
    """(column names in lower case, delimiter, lines up to and including the header). The header is the
    first line naming an acceleration column: comment lines (#) and a preamble such as Xsens's
    "Acquisition frequency: 100 Hz" may come before it. Without one, the first line, for the error.
    Read as utf-8-sig: Excel and many Windows tools start a UTF-8 file with a byte order mark, which would
    otherwise stick to the first column's name."""
    _refuse_a_recording(path)
    check_text_file(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            content = ((k, ln) for k, ln in bounded_lines(f, path) if ln.strip() and not ln.startswith("#"))
            lines = list(itertools.islice(content, MAX_PREAMBLE_LINES))  # not the whole file: it may be large
    except (OSError, UnicodeDecodeError) as exc:  # changed since it was checked
        raise InputError(f"cannot read {path} as text: {exc}") from None
    if not lines:
        raise InputError(f"{path} is empty", hint="expected a header such as time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z")
    parsed = [(k, *_split_header(path, k, ln)) for k, ln in lines]
    named = {ours: theirs for ours, theirs in mapping.items() if not theirs.startswith("#")}  # a number fits any line
    for k, header, delimiter in parsed:
        if find_column(header, "acc_x", named) is not None:
            return header, delimiter, k
    return parsed[0][1], parsed[0][2], parsed[0][0]


def _split_header(path: Path, k: int, line: str) -> tuple[list[str], str]:
    """Line `k`'s cells, lower case, and the delimiter it uses; a cell too long for the csv module is refused."""
    delimiter = max(",;\t", key=line.count)
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        raise cell_too_long(path, k) from None
    return [h.strip().strip('"').lower() for h in cells], delimiter


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


def find_column(header: list[str], name: str, mapping: dict[str, str]) -> int | None:
    if name in mapping:
        number = _numbered(mapping[name], header)
        wanted = mapping[name].lower()
        return number if number is not None else next((k for k, h in enumerate(header) if h == wanted), None)
    for alias in _aliases(name):  # in order of preference: our own name first
        for k, h in enumerate(header):
            if h == alias or h in (alias + s for s in SUFFIX_UNITS):
                return k
    return None


def require_distinct(header: list[str], where: dict[str, int | None], mapping: dict[str, str]) -> None:
    """One column read for two roles (--columns acc_x=time_s, while time_s is the time) is refused: the
    plausibility checks do not catch a time column read as acceleration."""
    seen: dict[int, str] = {}
    for name, k in where.items():
        if k is not None and k in seen:
            given = name if name in mapping else seen[k]
            raise InputError(f"--columns {given}={mapping.get(given, header[k])}: column {header[k]!r} would be read "
                             f"as both {seen[k]} and {name}", hint="map each column to one role only")
        if k is not None:
            seen[k] = name


def require_columns(path: Path, header: list[str], where: dict[str, int | None]) -> None:
    missing = [c for c in ACC_COLUMNS if where[c] is None]
    gyr_found = [c for c in GYR_COLUMNS if where[c] is not None]
    if gyr_found and len(gyr_found) < 3:
        missing += [c for c in GYR_COLUMNS if where[c] is None]
    if missing and STEP_FILE_COLUMN in header:  # footfall's own per-step output, not samples
        raise InputError(f"{path.name} is a footfall step file (from `footfall analyse --csv` or `history export`), "
                         "not raw samples", hint=step_file_hint(path))
    if missing:
        raise InputError(f"{path.name} has no column {', '.join(missing)} (found: {shown(header)})",
                         hint="map your columns, e.g. --columns acc_x=ax,acc_y=ay,acc_z=az")
