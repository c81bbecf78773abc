"""Writing recordings (.ffr): the record layout and the append-only writer (footfall.recording.file reads them).

Layout (docs/protocol.md, "Recording format"): a 12-byte file header, then append-only records
`sync(2) type(1) sensor(1) length(2) arrival_time_s(f64) payload crc32(4)`, little-endian. The writer
flushes at least every 0.25 s, so `kill -9` loses at most that much and the file still opens.

A write that fails (disk full, a USB stick pulled) stops the recording, never the program: nothing more is
written, the file keeps every whole record that reached it (readable up to there), and the failure is
raised as one RecordingError ("disk full: recording stopped at 11.6 s into r.ffr") at the next call, or at
close() when nothing called after it. No traceback from the flush thread.

A writer never closed (a batch script that forgot `close()` and ends in milliseconds, well inside one flush
interval) still gets its pending records onto disk: at interpreter exit (atexit), or when it is garbage-collected
(with a ResourceWarning, as an unclosed file gives). Neither writes the end record: the file reads as "not closed
cleanly", which is what happened.

While it records, the writer holds an advisory exclusive lock on the file (flock, POSIX; the system drops it when
the process ends, even on `kill -9`): `footfall history add` of a recording still being made is refused
(`being_recorded`), and a second writer on the same file is refused. Without fcntl (Windows) there is no lock.
"""

from __future__ import annotations

import atexit
import builtins
import errno
import json
import os
import struct
import threading
import time
import warnings
import weakref
import zlib
from pathlib import Path
from typing import IO, Any

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; a recording in progress is not recognised
    fcntl = None  # type: ignore[assignment]

from footfall import __version__
from footfall.atomic import DISK_FULL, PRIVATE_MODE
from footfall.errors import RecordingError
from footfall.finite import null_nan

MAGIC = b"\x89FFR\r\n\x1a\n"  # PNG-style: catches text-mode mangling and files that are not recordings
FORMAT_VERSION = 1
FILE_HEADER = struct.Struct("<8sHH")  # magic, format version, reserved
RECORD_HEADER = struct.Struct("<2sBBHd")  # sync, type, sensor number, payload length, arrival time (s)
SYNC = b"\xf5\xfa"
CRC_BYTES = 4
RECORD_OVERHEAD = RECORD_HEADER.size + CRC_BYTES
REC_META, REC_SENSOR, REC_FRAME, REC_NOTE, REC_END = 1, 2, 3, 4, 5
MAX_PAYLOAD = 0xFFFF


def pack_record(rtype: int, sensor: int, payload: bytes, arrival_time_s: float) -> bytes:
    head = RECORD_HEADER.pack(SYNC, rtype, sensor, len(payload), arrival_time_s)
    crc = zlib.crc32(payload, zlib.crc32(head))
    return head + payload + crc.to_bytes(4, "little")


def json_bytes(obj: dict[str, Any]) -> bytes:
    try:
        data = json.dumps(null_nan(obj), sort_keys=True, allow_nan=False).encode()  # NaN is no JSON: null
    except (TypeError, ValueError) as exc:
        raise RecordingError(f"metadata is not JSON-serialisable: {exc}") from None
    if len(data) > MAX_PAYLOAD:
        raise RecordingError(f"metadata of {len(data)} bytes exceeds {MAX_PAYLOAD}")
    return data


def _meta_bytes(meta: dict[str, Any]) -> bytes:
    """The metadata record's payload: footfall's own keys (docs/protocol.md), then the caller's over them."""
    header = {"format": "footfall recording", "format_version": FORMAT_VERSION,
              "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "software": __version__}
    return json_bytes({**header, **meta})


def open(path: Path, mode: str, buffering: int = -1) -> Any:  # (the builtin's name: tests fake a disk through it)
    """The builtin open, but a file it creates is its owner's only (PRIVATE_MODE), whatever the umask, from the
    moment it exists: a recording is a person's gait, health data. (On Windows the mode sets only the read-only
    flag.)"""
    return builtins.open(path, mode, buffering=buffering, opener=_private)


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, PRIVATE_MODE)


def _lock(file: IO[bytes], *, exclusive: bool) -> bool:
    """Take the recording's advisory lock without waiting: False when another holder has it. True where
    there are no locks (no fcntl, or a file system without them): nothing can be told there."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(file.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # ENOLCK, EOPNOTSUPP (some network file systems)
        return True
    return True


def being_recorded(path: Path) -> bool:
    """Whether a RecordingWriter (in this process or another, still alive) is writing `path`. Always False
    without fcntl (Windows)."""
    try:
        with path.open("rb") as file:
            return not _lock(file, exclusive=False)  # the shared lock goes with the file, closed here
    except OSError:
        return False  # missing or unreadable: the reader says so


def last_frame_time_s(data: bytes | bytearray, start: int, end: int) -> float | None:
    """Latest arrival time of the frame records wholly inside data[start:end] (records from `start`), or None."""
    found = None
    while start + RECORD_OVERHEAD <= end:
        _, rtype, _, length, t = RECORD_HEADER.unpack_from(data, start)
        start += RECORD_OVERHEAD + length
        if start > end:
            break
        found = max(t, found if found is not None else t) if rtype == REC_FRAME else found
    return found


class RecordingWriter:
    """Append-only writer. Data sits in memory at most `flush_interval_s` (a background thread flushes it).

    It never overwrites an existing file: a recording already made must not be lost to a typo.
    """

    def __init__(self, path: str | Path, meta: dict[str, Any], *, flush_interval_s: float = 0.25) -> None:
        self.path = Path(path)
        self.flush_interval_s = flush_interval_s
        self.frames_written = 0
        self.error: RecordingError | None = None  # a write failed: nothing more is written
        self._error_raised = False
        self._first_frame_s: float | None = None  # earliest arrival time of a frame
        self._disk_frame_s: float | None = None  # latest arrival time of the frames wholly on disk
        self._bytes_on_disk = 0
        self._buf_frame_s: float | None = None  # latest arrival time of the frames in the buffer
        self._sensors: dict[str, int] = {}
        self._buf = bytearray()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        head = FILE_HEADER.pack(MAGIC, FORMAT_VERSION, 0) + pack_record(REC_META, 0, _meta_bytes(meta), time.time())
        self._file = self._create()  # bad metadata was refused above, before any file existed
        self._buf += head
        self.flush()
        if self.error is not None:  # not even the header fits: leave nothing behind, so a retry can use the name
            self._discard()
            raise self.error
        self._last_flush = time.monotonic()
        self._thread = threading.Thread(target=_flush_loop, args=(weakref.ref(self), self._closed, flush_interval_s),
                                        name="ffr-flush", daemon=True)  # a weak reference: it may be collected
        self._thread.start()
        _OPEN_WRITERS.add(self)

    def __del__(self) -> None:
        """Collected unclosed: its pending records are written (no end record), with a ResourceWarning."""
        file = getattr(self, "_file", None)  # None: __init__ failed before the file existed
        if file is None or file.closed:
            return
        warnings.warn(f"unclosed RecordingWriter {str(self.path)!r}: call close() or use it in a with block",
                      ResourceWarning, source=self, stacklevel=2)
        self._closed.set()
        self.flush()
        file.close()

    def discard(self) -> None:
        """Stop writing and delete the file: for a caller whose output is worthless unless whole (a failed
        `footfall import`, so that the retry finds the name free). The file is this writer's own: it created
        it (it never opens an existing one), and closed or not, it is deleted."""
        _OPEN_WRITERS.discard(self)
        self._closed.set()
        self._thread.join()
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        """Close and delete the file this writer created (only ever called before it holds any frame)."""
        self._file.close()
        self.path.unlink(missing_ok=True)

    def _create(self) -> Any:
        try:
            file = open(self.path, "xb", buffering=0)  # noqa: SIM115 - closed in close()
        except FileExistsError:
            raise RecordingError(f"{self.path} already exists", path=str(self.path),
                                 hint="choose another name or delete it first") from None
        except OSError as exc:
            raise RecordingError(f"cannot create {self.path}: {exc.strerror}", path=str(self.path)) from None
        if not _lock(file, exclusive=True):  # made and taken between our create and lock: not ours to write
            file.close()
            raise RecordingError(f"{self.path} is being recorded by another program", path=str(self.path),
                                 hint="choose another name")
        return file

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_sensor(self, sensor_id: str, side: str = "?", **info: Any) -> int:
        """Declare a sensor (id stable within the session, side L/R/?); returns its record number."""
        if sensor_id in self._sensors:
            return self._sensors[sensor_id]
        if len(self._sensors) >= 255:
            raise RecordingError("a recording holds at most 255 sensors")
        number = len(self._sensors)
        payload = json_bytes({"id": sensor_id, "side": side, **info})
        self._append(pack_record(REC_SENSOR, number, payload, time.time()))
        self._sensors[sensor_id] = number
        return number

    def write_frame(self, sensor: str, frame: bytes, arrival_time_s: float) -> None:
        """Store one frame exactly as it arrived (valid or not: the reader judges)."""
        number = self._sensors.get(sensor)
        if number is None:
            number = self.add_sensor(sensor)
        if len(frame) > MAX_PAYLOAD:
            raise RecordingError(f"frame of {len(frame)} bytes is too long to record")
        if self._first_frame_s is None or arrival_time_s < self._first_frame_s:
            self._first_frame_s = arrival_time_s
        self._append(pack_record(REC_FRAME, number, bytes(frame), arrival_time_s), arrival_time_s)
        self.frames_written += 1

    def note(self, info: dict[str, Any], arrival_time_s: float | None = None) -> None:
        """Metadata learnt during the session (notes, a changed setting); merged over the header on reading."""
        self._append(pack_record(REC_NOTE, 0, json_bytes(info), time.time() if arrival_time_s is None
                                 else arrival_time_s))

    def flush(self) -> None:
        with self._lock:
            if self._buf and not self._file.closed and self.error is None:
                data, self._buf = self._buf, bytearray()
                frame_s, self._buf_frame_s = self._buf_frame_s, None
                self._write(data, frame_s)
            self._last_flush = time.monotonic()

    def close(self) -> None:
        """Write the end record and close; raises the write failure if no call raised it yet."""
        if self._file.closed:
            return
        _OPEN_WRITERS.discard(self)
        with self._lock:
            if self.error is None:
                self._buf += pack_record(REC_END, 0, json_bytes({"frames": self.frames_written}), time.time())
        self._closed.set()
        self._thread.join()
        self.flush()
        with self._lock:
            if self.error is None:
                try:
                    os.fsync(self._file.fileno())
                except OSError as exc:
                    self._fail(exc)
            self._file.close()
        self._raise_failure()

    def _write(self, data: bytearray, frame_s: float | None) -> None:
        """All of `data` (a short write is continued), or the failure is kept in `error`. Called locked;
        `frame_s` is the latest arrival time of the frames in `data`."""
        written = 0
        with memoryview(data) as view:
            try:
                while written < len(data):
                    n = self._file.write(view[written:])
                    if not n:
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    written += n
            except OSError as exc:  # the frames wholly written before it still count
                frame_s = last_frame_time_s(data, FILE_HEADER.size if self._bytes_on_disk == 0 else 0, written)
                if frame_s is not None:
                    self._disk_frame_s = max(frame_s, self._disk_frame_s or frame_s)
                self._fail(exc)
        self._bytes_on_disk += written
        if self.error is None and frame_s is not None:
            self._disk_frame_s = frame_s if self._disk_frame_s is None else max(frame_s, self._disk_frame_s)

    def _fail(self, exc: OSError) -> None:
        if self.error is not None:
            return
        first, last = self._first_frame_s, self._disk_frame_s
        into_s = last - first if first is not None and last is not None else 0.0
        where = f"recording stopped at {into_s:.1f} s into {self.path.name}"
        what = "disk full" if exc.errno in DISK_FULL else f"cannot write {self.path.name} ({exc.strerror})"
        self.error = RecordingError(f"{what}: {where}", path=str(self.path),
                                    hint="the file is readable up to there; free some space or record elsewhere")

    def _raise_failure(self) -> None:
        if self.error is not None and not self._error_raised:
            self._error_raised = True
            raise self.error

    def _append(self, record: bytes, frame_s: float | None = None) -> None:
        if self.error is not None:
            self._error_raised = True
            raise self.error
        if self._file.closed:
            raise RecordingError(f"{self.path} is closed")
        with self._lock:
            self._buf += record
            if frame_s is not None:
                self._buf_frame_s = frame_s if self._buf_frame_s is None else max(frame_s, self._buf_frame_s)
        if time.monotonic() - self._last_flush >= self.flush_interval_s or len(self._buf) > 1 << 20:
            self.flush()
            self._raise_failure()


def _flush_loop(ref: weakref.ReferenceType[RecordingWriter], closed: threading.Event, interval_s: float) -> None:
    """The background flush: holds the writer only while flushing, so an unclosed writer can be collected."""
    while not closed.wait(interval_s / 2):
        writer = ref()
        if writer is None or writer.error is not None:
            return
        if time.monotonic() - writer._last_flush >= interval_s / 2:
            writer.flush()
        del writer


_OPEN_WRITERS: weakref.WeakSet[RecordingWriter] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    """The pending records of every writer still open when the interpreter exits (no end record)."""
    for writer in list(_OPEN_WRITERS):
        writer.flush()
