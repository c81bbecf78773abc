"""Finding a recording's records in its bytes: the file opened only when it is a regular file, its header
checked before anything else is read, and records told from damage (sync, a plausible header, the CRC).
footfall.recording.file and footfall.recording.stream parse with these."""

from __future__ import annotations

import re
import stat
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from footfall.errors import RecordingError
from footfall.recording.writer import (CRC_BYTES, FILE_HEADER, FORMAT_VERSION, MAGIC, REC_END, REC_FRAME, REC_META,
                                        REC_NOTE, REC_SENSOR, RECORD_HEADER, RECORD_OVERHEAD, SYNC)

T = TypeVar("T")
MAX_FRAME_RECORD_BYTES = 1024  # a frame is at most 244 bytes; no link delivers more than 514 (a BLE notification)
NOT_A_RECORDING_HINT = "footfall recordings are .ffr files it wrote itself; bring a CSV in with `footfall import`"


def reading(path: Path, read: Callable[[], T]) -> T:
    """`read()` (opening or reading `path`), its OSError said as a RecordingError naming the file."""
    try:
        return read()
    except FileNotFoundError:
        raise RecordingError(f"{path} does not exist", path=str(path), hint="check the file name") from None
    except OSError as exc:
        raise RecordingError(f"cannot read {path}: {exc.strerror}", path=str(path)) from None


def read_header(path: Path, read: Callable[[], bytes]) -> bytes:
    """The file's first bytes (from `read`), checked to be a recording this footfall reads."""
    data = reading(path, read)
    if data[1:4] == b"FFR" and data[:8] != MAGIC:  # the magic's \r\n, \n or high bit changed on the way
        raise RecordingError(f"{path} was damaged by a text-mode transfer (line endings changed)", path=str(path),
                             hint="copy it again in binary mode (e.g. ftp `binary`, or scp / a USB copy)")
    if len(data) < FILE_HEADER.size or data[:8] != MAGIC:
        raise RecordingError(f"{path} is not a footfall recording", path=str(path), hint=NOT_A_RECORDING_HINT)
    _, version, _ = FILE_HEADER.unpack_from(data)
    if version != FORMAT_VERSION:
        raise RecordingError(f"{path} is recording format {version}; this footfall reads {FORMAT_VERSION}",
                             path=str(path), hint="update footfall")
    return data


def not_regular(path: Path) -> str | None:
    """What `path` is when it is not a regular file ("a FIFO (named pipe)", "a device", "a folder"), else None
    (missing too: opening it says so). Asked before opening: opening a FIFO waits for a writer, forever, and
    a device such as /dev/zero never ends."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device")


def check_regular(path: Path) -> None:
    """RecordingError when `path` is a FIFO, a device or a folder (see not_regular): asked before anything opens it."""
    if (what := not_regular(path)) is not None:
        raise RecordingError(f"{path} is {what}, not a recording file", path=str(path),
                             hint="give a .ffr file footfall wrote; to replay a stream live, use `footfall live`")


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading, RecordingError when it is missing, unreadable or not a regular file."""
    check_regular(path)
    return reading(path, lambda: open(path, "rb"))  # noqa: SIM115 - the caller closes it


def record_end(view: memoryview, pos: int) -> int | None:
    """End offset of a valid record (sync, length within the data, CRC) starting at `pos`, or None."""
    if pos + RECORD_OVERHEAD > len(view):
        return None
    sync, rtype, number, length, _ = RECORD_HEADER.unpack_from(view, pos)
    end = pos + RECORD_OVERHEAD + length
    if sync != SYNC or end > len(view) or not plausible_record(rtype, number, length):
        return None
    body_end = end - CRC_BYTES
    return end if zlib.crc32(view[pos:body_end]) == int.from_bytes(view[body_end:end], "little") else None


CANDIDATE = re.compile(re.escape(SYNC) + b"[\x01-\x05]")  # sync, then a record type the format defines


def next_candidate(data: bytes, start: int, end: int) -> int:
    """Where the next record may start in data[start:end] (sync and a known type, found in C), or -1."""
    found = CANDIDATE.search(data, start, end)
    return -1 if found is None else found.start()


def plausible_record(rtype: int, number: int, length: int) -> bool:
    """Whether a record header could be one the format defines (docs/protocol.md: types 1..5, sensor number
    0..254 for sensor and frame records, else 0; a frame no link delivers longer than MAX_FRAME_RECORD_BYTES).
    Asked before the CRC: after damage every `F5 FA` is a candidate, and a run of them (a hostile file) each
    claiming up to 64 KB made the resynchronisation quadratic (4 MB of `F5 FA`: 22 s)."""
    if rtype == REC_FRAME:
        return number < 255 and length <= MAX_FRAME_RECORD_BYTES
    if rtype == REC_SENSOR:
        return number < 255
    return rtype in (REC_META, REC_NOTE, REC_END) and number == 0
