"""Recordings (.ffr): the frames exactly as they arrived, with host arrival time and session metadata.

Layout (docs/protocol.md, "Recording format"; written by footfall.recording.writer): a 12-byte file header,
then append-only records `sync(2) type(1) sensor(1) length(2) arrival_time_s(f64) payload crc32(4)`,
little-endian. The writer flushes at least every 0.25 s, so `kill -9` loses at most that much and the file
still opens; the reader
skips a corrupt record (resynchronising on the next valid one) and reports a truncated or corrupt tail.
Everything else (SI samples, gaps, analysis) is derived from the frames by footfall.protocol.
`open_recording` holds the file and its frames in memory (random access for info, export, replay);
footfall.recording.stream reads the same records in one bounded-memory pass (analysis, bench).
"""

from __future__ import annotations

import heapq
import json
import math
import warnings
from collections.abc import Iterator, Sequence
from numbers import Integral
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from footfall.protocol.clock import ClockCheck, check_clock
from footfall.protocol.encode import SiStream, device_frames
from footfall.errors import InputError, RecordingError
from footfall.protocol.decode import StreamDecoder, StreamReport
from footfall.protocol.frames import StatusFrame
from footfall.recording.writer import (  # the record layout (its home), and the writer for write_si_recording
    CRC_BYTES,
    FILE_HEADER,
    MAGIC,
    REC_END,
    REC_FRAME,
    REC_META,
    REC_NOTE,
    REC_SENSOR,
    RECORD_HEADER,
    RECORD_OVERHEAD,
    SYNC,
    RecordingWriter,
)
from footfall.recording.records import next_candidate, open_regular, read_header, reading, record_end
from footfall.samples import SIDES, SampleBlock
from footfall.recording.time_base import TimeBase, derive
from footfall.words import counted

__all__ = ["RecordingWriter", "Recording", "RecordingReport", "RecordedFrame", "SensorInfo", "SiStream",
           "SensorScan", "open_recording", "scan", "write_si_recording"]



class RecordedFrame(NamedTuple):
    arrival_time_s: float
    data: bytes


@dataclass(frozen=True)
class SensorInfo:
    id: str
    side: str
    number: int
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class RecordingReport:
    """The file's health; `streams` holds each sensor's StreamReport once its frames were decoded."""

    records: int = 0
    frames: int = 0
    corrupt_records: int = 0  # damaged records in the middle, skipped
    skipped_bytes: int = 0
    tail: str = "ok"  # "ok", "truncated" (cut short, e.g. kill -9 mid-write) or "corrupt"
    tail_bytes: int = 0
    clean_close: bool = False  # the writer reached close()
    joined: int = 0  # file headers met after the first: recordings appended to this one (`cat a.ffr b.ffr`)
    streams: dict[str, StreamReport] = field(default_factory=dict)

    def summary(self) -> str:
        text = f"{counted(self.records, 'records')}, {counted(self.frames, 'frames')}"
        if self.corrupt_records:
            text += f", {counted(self.corrupt_records, 'corrupt records')} skipped ({self.skipped_bytes} bytes)"
        if self.tail != "ok":
            text += f", {self.tail} tail of {self.tail_bytes} bytes skipped"
        if self.joined:
            text += f", {_number(self.joined + 1)} recordings joined together"
        return text + ("" if self.clean_close else ", not closed cleanly (recording was interrupted)")

    def damage(self, name: str = "it") -> str | None:
        """What a reader of the file's analysis should know about the file itself, in one line (None: intact);
        `name` is the file's, as the line names it."""
        what = []
        if self.joined:
            what.append(f"{name} holds {_number(self.joined + 1)} recordings joined together (as `cat a.ffr b.ffr` makes), "
                        "read one after the other, with the first one's details (nothing lost)")
        if self.corrupt_records:
            places = "1 place" if self.corrupt_records == 1 else f"{self.corrupt_records} places"
            what.append(f"{self.skipped_bytes} damaged bytes skipped in {places}: the samples in them are missing "
                        "(counted in the gaps)")
        if self.tail != "ok":
            cut = "cut off mid-record" if self.tail == "truncated" else "unreadable"
            what.append(f"its last {self.tail_bytes} bytes are {cut} and were skipped")
        if not self.clean_close:
            what.append("the recording was interrupted (not closed cleanly): analysed up to its last complete record")
        return "the file: " + "; ".join(what) if what else None


class Recording:
    """A recording read into memory: metadata, sensors, frames per sensor and a health report."""

    def __init__(self, path: Path, meta: dict[str, Any], sensors: dict[str, SensorInfo],
                 frames: dict[str, list[RecordedFrame]], report: RecordingReport) -> None:
        self.path = path
        self.meta = meta
        self.sensors = sensors
        self._frames = frames
        self._report = report

    def frames(self, sensor: str) -> list[RecordedFrame]:
        """The frames of `sensor` as recorded; RecordingError when the recording has no such sensor."""
        self._sensor(sensor)
        return self._frames[sensor]

    def _sensor(self, sensor: str) -> SensorInfo:
        if sensor not in self.sensors:
            raise RecordingError(f"no sensor {sensor!r} in {self.path}",
                                 hint=f"sensors: {', '.join(self.sensors) or 'none'}")
        return self.sensors[sensor]

    def blocks(self, sensor: str, max_block_samples: int = 1 << 16) -> Iterator[SampleBlock]:
        """SI sample blocks of one sensor; contiguous frames are merged (vectorised decoding). RecordingError
        at once (not when iterated) for a sensor the recording does not have or `max_block_samples` < 1."""
        check_block_samples(max_block_samples)
        return self._blocks(self.decoder(sensor), self.frames(sensor), sensor, max_block_samples)

    def _blocks(self, decoder: StreamDecoder, frames: list[RecordedFrame], sensor: str,
                max_block_samples: int) -> Iterator[SampleBlock]:
        for k in range(0, len(frames), 8192):
            chunk = frames[k : k + 8192]
            yield from decoder.feed_many([f.data for f in chunk], [f.arrival_time_s for f in chunk],
                                         max_block_samples)
        decoder.finish()
        self._report.streams[sensor] = decoder.report

    def damage(self, name: str = "it") -> str | None:
        """What is wrong with the file itself (RecordingReport.damage), known without decoding its frames."""
        return self._report.damage(name)

    def decoder(self, sensor: str) -> StreamDecoder:
        """A fresh decoder for `sensor`'s frames; RecordingError when the recording has no such sensor."""
        return StreamDecoder(sensor, side=self._sensor(sensor).side)

    @property
    def report(self) -> RecordingReport:
        """File health plus every sensor's stream report (decoding what was not decoded yet)."""
        for sensor in self.sensors:
            if sensor not in self._report.streams:
                for _ in self.blocks(sensor):
                    pass
        return self._report


def check_block_samples(max_block_samples: int) -> None:
    """The most samples a block may hold: a whole number, at least one."""
    if isinstance(max_block_samples, bool) or not isinstance(max_block_samples, Integral) or max_block_samples < 1:
        raise InputError(f"max_block_samples={max_block_samples!r} must be a whole number of samples, at least 1")


def open_recording(path: str | Path) -> Recording:
    """Read a .ffr file. A damaged tail is reported and skipped; not a recording -> RecordingError. The header
    is checked before the rest is read, so /dev/zero or a 4 GB video is refused at once, not read whole."""
    path = Path(path)
    with open_regular(path) as f:
        read_header(path, lambda: f.read(FILE_HEADER.size))
        f.seek(0)  # read whole in one piece (not head + rest: a second copy of a 400 MB file)
        return RecordParser(path, reading(path, f.read)).parse()


TIME_BASE_SCAN_BYTES = 4 << 20  # a live session notes its time base within its first seconds
NOTE_SCAN_CHUNK_BYTES = 4 << 20  # the later notes are searched this much of the file at a time


def read_time_base(path: str | Path) -> TimeBase:
    """How the recording's sensors share one clock (footfall.recording.time_base): a live session's "time_base" note
    (whole samples in recordings made before sub-sample alignment), else derived from the arrival times; read
    from the start of the file only."""
    path = Path(path)

    def prefix() -> bytes:
        with open_regular(path) as f:
            return f.read(TIME_BASE_SCAN_BYTES)

    rec = RecordParser(path, read_header(path, prefix)).parse()
    note = rec.meta.get("time_base")
    if not rec.report.joined:  # a sensor settled late (joined after the prefix): its offset is in a later note
        note = last_note_value(path, "time_base", note)
    if note is None:
        return _derived(rec)
    try:
        return _noted(note)
    except (AttributeError, TypeError, ValueError, OverflowError) as exc:  # another program's or a buggy writer's
        return _damaged_note(_derived(rec), str(exc))


def _derived(rec: Recording) -> TimeBase:
    return derive({s: [(f.data, f.arrival_time_s) for f in rec.frames(s)] for s in rec.sensors}, rec.decoder)


def _noted(note: Any) -> TimeBase:
    """The time base a "time_base" note gives; ValueError and friends when it is not one."""
    if not isinstance(note, dict):
        raise TypeError(f"{type(note).__name__} where an object was expected")
    offsets = {str(k): float(v) for k, v in note.get("offsets_samples", {}).items()}
    origin = float(note.get("origin_host_s", math.nan))
    if not all(math.isfinite(v) for v in offsets.values()):
        raise ValueError("an offset is not a finite number")
    return TimeBase(offsets, origin)


def _damaged_note(derived: TimeBase, why: str) -> TimeBase:
    """A damaged note loses no sample: the sensors go on the clock their arrival times give (as for a recording
    without a note), or on their own counters when those do not give one; the note says which."""
    said = f"the recording's time-base note is damaged ({why[:80]}), so it was not used: "
    if derived.offsets_samples:
        return replace(derived, note=said + "the sensors were put on one clock from their arrival times")
    return replace(derived, note=said + "each sensor's times are its own sample counter")


def last_note_value(path: Path, key: str, default: Any = None) -> Any:
    """`key` of the last valid note record in the whole file that has it, else `default`. Note records are found
    by their header bytes (bytes.find, in C, over the file read in chunks, so memory stays flat however long the
    recording: a whole-file map put every page of a 10-hour file in the process's memory), each checked by its
    CRC, so a frame's payload that happens to hold the same bytes is not taken for one."""
    pattern, found = SYNC + bytes((REC_NOTE, 0)), default
    with path.open("rb") as f:
        for pos in _positions(f, pattern):
            f.seek(pos)
            head = f.read(RECORD_HEADER.size)
            length = RECORD_HEADER.unpack(head)[3] if len(head) == RECORD_HEADER.size else 0
            note = _note_at(memoryview(head + f.read(length + CRC_BYTES)), 0)
            if isinstance(note, dict) and key in note:
                found = note[key]
    return found


def _positions(f: BinaryIO, pattern: bytes, chunk_bytes: int = NOTE_SCAN_CHUNK_BYTES) -> list[int]:
    """Every offset of `pattern` in the file, read `chunk_bytes` at a time (a match across two chunks is found by
    carrying the last len(pattern) - 1 bytes over)."""
    found: list[int] = []
    base, carry = 0, b""
    while chunk := f.read(chunk_bytes):
        data = carry + chunk
        pos = data.find(pattern)
        while pos >= 0:
            found.append(base + pos)
            pos = data.find(pattern, pos + 1)
        carry = data[max(0, len(data) - (len(pattern) - 1)):]
        base += len(data) - len(carry)
    return found


def _note_at(view: memoryview, pos: int) -> Any:
    """The JSON of the note record at `pos`, None when the bytes there are not one (record_end, JSON)."""
    end = record_end(view, pos)
    try:
        return None if end is None else json.loads(bytes(view[pos + RECORD_HEADER.size : end - CRC_BYTES]))
    except ValueError:
        return None


class RecordParser:
    """A recording's records from its bytes: the header's metadata, each sensor's frames, and the damage met
    (recording/stream.py runs it over a sliding window of a file too large to hold)."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.data = data
        self.view = memoryview(data)
        self.meta: dict[str, Any] = {}
        self.sensors: dict[str, SensorInfo] = {}
        self.by_number: dict[int, str] = {}
        self.frames: dict[str, list[RecordedFrame]] = {}
        self.report = RecordingReport()
        self._carry = 0  # bytes of a damaged stretch already skipped (recording.stream's earlier windows)

    def parse(self) -> Recording:
        pos, size = FILE_HEADER.size, len(self.data)
        while pos < size:
            end = self._record_end(pos)
            if end is None:
                pos = self._skip_damage(pos)
                continue
            self._handle(pos, end)
            pos = end
        if not self.meta and not any(self.frames.values()):
            raise RecordingError(f"{self.path} has no readable header record", path=str(self.path),
                                 hint="the file is damaged at its start")
        if not self.meta:  # the frames after a damaged header are still the run: keep them, say what is lost
            self.meta = {"notes": "the session details at the start of the file were damaged and are lost"}
        return Recording(self.path, self.meta, self.sensors, self.frames, self.report)

    def _record_end(self, pos: int) -> int | None:
        return record_end(self.view, pos)

    def _skip_damage(self, pos: int) -> int:
        """Find the next valid record after damage at `pos`; at the end, classify the tail."""
        nxt = next_candidate(self.data, pos + 1, len(self.data))
        while nxt != -1 and self._record_end(nxt) is None:
            nxt = next_candidate(self.data, nxt + 1, len(self.data))
        if (joined := self._joined_header(pos, len(self.data) if nxt == -1 else nxt)) is not None:
            return joined
        if nxt == -1:
            self.report.tail = "truncated" if self._looks_truncated(pos) else "corrupt"
            self.report.tail_bytes = len(self.data) - pos
            return len(self.data)
        self.report.corrupt_records += 1
        self.report.skipped_bytes += nxt - pos
        return nxt

    def _joined_header(self, pos: int, end: int) -> int | None:
        """Where the records go on after a file header in data[pos:end]: a recording appended to this one
        (`cat a.ffr b.ffr`), not damage; the bytes before it (the first one cut short) are. None without one."""
        at = self.data.find(MAGIC, pos, end)
        if at == -1:
            return None
        if at > pos or self._carry:
            self.report.corrupt_records += 1
            self.report.skipped_bytes += at - pos
        self._carry = 0
        self.report.joined += 1
        self.report.clean_close = False  # the next one's end record says
        return at + FILE_HEADER.size

    def _looks_truncated(self, pos: int) -> bool:
        if self.data[pos : pos + 2] != SYNC[: len(self.data) - pos]:
            return False
        if pos + RECORD_HEADER.size > len(self.data):
            return True
        length = RECORD_HEADER.unpack_from(self.data, pos)[3]
        return pos + RECORD_OVERHEAD + length > len(self.data)

    def _handle(self, pos: int, end: int) -> None:
        _, rtype, number, length, t = RECORD_HEADER.unpack_from(self.data, pos)
        payload = self.data[pos + RECORD_HEADER.size : end - CRC_BYTES]
        self.report.records += 1
        if rtype == REC_FRAME:
            sensor = self.by_number.get(number) or self._add_sensor(number, {"id": f"sensor{number}"})
            self._frame(sensor, t, payload)
            self.report.frames += 1
        elif rtype in (REC_META, REC_NOTE, REC_SENSOR, REC_END):
            self._handle_json(rtype, number, payload)

    def _frame(self, sensor: str, t: float, payload: bytes) -> None:
        self.frames[sensor].append(RecordedFrame(t, payload))

    def _handle_json(self, rtype: int, number: int, payload: bytes) -> None:
        try:
            obj = json.loads(payload)
        except (ValueError, RecursionError):
            obj = None
        if not isinstance(obj, dict):  # CRC was fine, so this was written wrong: skip it, say so
            self.report.corrupt_records += 1
            return
        if rtype in (REC_META, REC_NOTE) and self.report.joined:  # a later recording's: kept apart
            joined = self.meta.setdefault("joined_recordings", [])
            if rtype == REC_META or not joined:
                joined.append({})
            joined[-1].update(obj)
        elif rtype in (REC_META, REC_NOTE):
            self.meta.update(obj)
        elif rtype == REC_SENSOR:
            self._add_sensor(number, obj)
        else:
            self.report.clean_close = True

    def _add_sensor(self, number: int, obj: dict[str, Any]) -> str:
        sensor = str(obj.get("id", f"sensor{number}"))
        info = {k: v for k, v in obj.items() if k not in ("id", "side")}
        side = str(obj.get("side", "?"))  # another program's "left" is not a side SampleBlock takes: not known
        self.sensors[sensor] = SensorInfo(sensor, side if side in SIDES else "?", number, info)
        self.by_number[number] = sensor
        self.frames.setdefault(sensor, [])
        return sensor


def _number(n: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(n, str(n))


def duration_s(blocks: list[SampleBlock]) -> float:
    """Time from the first to one past the last sample of some blocks of one sensor."""
    if not blocks:
        return 0.0
    return (blocks[-1].end_index - blocks[0].first_index) / blocks[0].rate_hz if blocks[0].rate_hz else math.nan


def write_si_recording(path: str | Path, streams: Sequence[SiStream], meta: dict[str, Any],
                       start_time_s: float = 0.0, *, discard_on_error: bool = False) -> Path:
    """Write SI streams as a recording of the frames a live session would have received, interleaved by
    arrival time (quantised to counts; see footfall.protocol.encode). A stream whose values exceed its ranges
    is written clipped, as its sensor would saturate, with a warning that names the ranges that hold them.
    With `discard_on_error`, a failure (disk full, an id too long) deletes the file it created, else the file
    keeps what was written (readable up to there)."""
    ids = [s.sensor for s in streams]
    if len(set(ids)) != len(ids):
        raise RecordingError(f"sensor ids must be unique, got {ids}")
    for said in filter(None, (s.clipped() for s in streams)):
        warnings.warn(said, stacklevel=2)
    with RecordingWriter(path, meta) as writer:
        try:
            _write_streams(writer, streams, start_time_s)
            writer.close()  # here, so a disk found full at the end is discarded too
        except BaseException:
            if discard_on_error:
                writer.discard()
            raise
    return Path(path)


def _write_streams(writer: RecordingWriter, streams: Sequence[SiStream], start_time_s: float) -> None:
    for s in streams:
        writer.add_sensor(s.sensor, s.side, rate_hz=s.rate_hz, imu=s.imu)
    tagged = [_tagged(s.sensor, device_frames(s, start_time_s)) for s in streams]
    for t, sensor, frame in heapq.merge(*tagged, key=lambda item: item[0]):
        writer.write_frame(sensor, frame, t)


def _tagged(sensor: str, frames: Iterator[tuple[float, bytes]]) -> Iterator[tuple[float, str, bytes]]:
    for t, frame in frames:
        yield t, sensor, frame


@dataclass(frozen=True)
class SensorScan:
    """One sensor's stream at a glance: its (last) status frame, extent and stream report."""

    sensor: str
    status: StatusFrame | None
    report: StreamReport
    first_index: int
    end_index: int
    rate_hz: float
    clock: ClockCheck  # the rate measured against the device's clock (footfall.protocol.clock)

    @property
    def duration_s(self) -> float:
        return (self.end_index - self.first_index) / self.rate_hz if self.rate_hz else 0.0


def scan(rec: Recording, sensor: str) -> SensorScan:
    """Decode one sensor's frames (without keeping the samples) for `footfall info` and friends."""
    decoder = rec.decoder(sensor)
    first = end = 0
    rate = 0.0
    frames = rec.frames(sensor)
    for block in decoder.feed_many([f.data for f in frames], [f.arrival_time_s for f in frames]):
        first = block.first_index if not rate else first
        end, rate = block.end_index, block.rate_hz
    decoder.finish()
    return SensorScan(sensor, decoder.status, decoder.report, first, end, rate, check_clock(decoder.clock_pairs, rate))
