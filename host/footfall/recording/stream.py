"""Reading a recording (.ffr) in bounded memory: records are parsed from the file chunk by chunk and decoded
into SampleBlocks as they go, so neither the file nor its frames are ever held whole (a 10-hour two-sensor
recording is ~400 MB on disk). Same records, same damage handling and the same samples as
`footfall.recording.file.open_recording`, which keeps everything in memory for the tools that need random access
(info, export, replay).
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from footfall.protocol.decode import StreamDecoder
from footfall.recording.file import (
    RecordingReport,
    RecordParser,
    SensorInfo,
    check_block_samples,
    read_time_base,
)
from footfall.recording.records import next_candidate, open_regular, read_header
from footfall.recording.writer import (CRC_BYTES, FILE_HEADER, MAGIC, MAX_PAYLOAD, REC_FRAME, RECORD_HEADER,
                                        RECORD_OVERHEAD, SYNC)
from footfall.samples import SampleBlock

__all__ = ["RecordingStream", "stream_recording", "iter_blocks", "on_time_base"]

_MAX_RECORD = RECORD_OVERHEAD + MAX_PAYLOAD
_BATCH_FRAMES = 16384  # frames decoded per batch (as Recording.blocks does)
Frame = tuple[str, float, bytes]  # sensor, arrival time, frame bytes


class _StreamParser(RecordParser):
    """RecordParser over a sliding window of the file: at least two maximal records stay ahead of the cursor
    until the end of the file, so every record (and every resynchronisation candidate) is judged on whole
    bytes."""

    def __init__(self, path: Path, file: BinaryIO, first: bytes, chunk_bytes: int) -> None:
        super().__init__(path, first)
        self.file, self.chunk = file, max(chunk_bytes, 4 * _MAX_RECORD)
        self.eof = False
        self.batch: list[Frame] = []

    def _frame(self, sensor: str, t: float, payload: bytes) -> None:
        self.batch.append((sensor, t, payload))

    def _refill(self, pos: int) -> int:
        new = self.file.read(self.chunk)
        self.eof = len(new) < self.chunk
        self.data = self.data[pos:] + new
        self.view = memoryview(self.data)
        return 0

    def batches(self) -> Iterator[list[Frame]]:
        """Frame records in file order, in lists of up to _BATCH_FRAMES; meta, sensors and the report fill in
        as the records are read. Valid frame records of declared sensors take an inlined path (the bulk of a
        file); everything else goes through RecordParser's record handling."""
        pos = FILE_HEADER.size
        while pos < len(self.data) or not self.eof:
            if not self.eof and len(self.data) - pos < 2 * _MAX_RECORD:
                pos = self._refill(pos)
                continue
            data, view, size = self.data, self.view, len(self.data)
            while pos + RECORD_OVERHEAD <= size and (self.eof or size - pos >= 2 * _MAX_RECORD):
                sync, rtype, number, length, t = RECORD_HEADER.unpack_from(data, pos)
                end = pos + RECORD_OVERHEAD + length
                if sync != SYNC or end > size or rtype != REC_FRAME or number not in self.by_number \
                        or self._carry or zlib.crc32(view[pos : end - CRC_BYTES]) != int.from_bytes(
                            view[end - CRC_BYTES : end], "little"):  # fmt: skip
                    break
                self.batch.append((self.by_number[number], t, data[pos + RECORD_HEADER.size : end - CRC_BYTES]))
                self.report.records += 1
                self.report.frames += 1
                pos = end
                if len(self.batch) >= _BATCH_FRAMES:
                    yield self.batch
                    self.batch = []
            if pos >= len(self.data) or (not self.eof and len(self.data) - pos < 2 * _MAX_RECORD):
                continue
            end = self._record_end(pos)
            if end is None:
                pos = self._skip_damage(pos)
                continue
            if self._carry:  # a damaged stretch that crossed windows ended here
                self.report.corrupt_records += 1
                self._carry = 0
            self._handle(pos, end)
            pos = end
            if len(self.batch) >= _BATCH_FRAMES:
                yield self.batch
                self.batch = []
        if self.batch:
            yield self.batch

    def _skip_damage(self, pos: int) -> int:
        if self.eof:
            nxt = super()._skip_damage(pos)
            if self._carry and nxt == len(self.data) and self.report.tail != "ok":  # the damage ran to the end
                self.report.skipped_bytes -= self._carry
                self.report.tail_bytes += self._carry
            self._carry = 0
            return nxt
        limit = len(self.data) - _MAX_RECORD  # candidates beyond this may not be whole yet
        nxt = next_candidate(self.data, pos + 1, limit + 2)  # one starting before the limit, with its type byte
        while nxt != -1 and self._record_end(nxt) is None:
            nxt = next_candidate(self.data, nxt + 1, limit + 2)
        if (joined := self._joined_header(pos, limit + len(MAGIC) - 1 if nxt == -1 else nxt)) is not None:
            return joined
        if nxt == -1:
            self.report.skipped_bytes += limit - pos
            self._carry += limit - pos
            return limit
        self.report.corrupt_records += 1
        self.report.skipped_bytes += nxt - pos
        self._carry = 0
        return nxt


class RecordingStream:
    """One pass over a recording: `blocks()` yields every sensor's SampleBlocks in arrival order.

    `meta` and `sensors` are complete for everything declared before the first frames (as the writer does);
    `report` (with each sensor's StreamReport) is complete once `blocks()` is exhausted.
    """

    def __init__(self, path: str | Path, chunk_bytes: int = 1 << 20) -> None:
        self.path = Path(path)
        self._file = self._open()
        try:  # not a recording, empty, damaged header: the file is closed before the error goes out
            first = read_header(self.path, lambda: self._file.read(max(chunk_bytes, 4 * _MAX_RECORD)))
            self._parser = _StreamParser(self.path, self._file, first, chunk_bytes)
            self._batches = self._parser.batches()
            self._first = next(self._batches, [])  # reads the header records (meta, sensors) before any frame
        except BaseException:
            self._file.close()
            raise
        self._decoders: dict[str, StreamDecoder] = {}

    def __enter__(self) -> RecordingStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> BinaryIO:
        return open_regular(self.path)  # closed when blocks() ends or in close()

    @property
    def meta(self) -> dict[str, object]:
        return self._parser.meta

    @property
    def sensors(self) -> dict[str, SensorInfo]:
        return self._parser.sensors

    @property
    def report(self) -> RecordingReport:
        return self._parser.report

    @property
    def decoders(self) -> dict[str, StreamDecoder]:
        """Each sensor's decoder (its last status frame, events and clock pairs), complete once blocks() ends."""
        return self._decoders

    def close(self) -> None:
        self._file.close()

    def blocks(self, max_block_samples: int = 1 << 16) -> Iterator[SampleBlock]:
        """All sensors' blocks, each batch of frames decoded per sensor and its blocks ordered by arrival."""
        try:
            check_block_samples(max_block_samples)
            batch = self._first
            while batch:
                yield from self._decode(batch, max_block_samples)
                batch = next(self._batches, [])
            for sensor, decoder in self._decoders.items():
                decoder.finish()
                self.report.streams[sensor] = decoder.report
        finally:
            self.close()

    def _decode(self, batch: list[Frame], max_block_samples: int) -> list[SampleBlock]:
        per_sensor: dict[str, tuple[list[bytes], list[float]]] = {}
        for sensor, t, data in batch:
            frames, times = per_sensor.setdefault(sensor, ([], []))
            frames.append(data)
            times.append(t)
        out: list[SampleBlock] = []
        for sensor, (frames, times) in per_sensor.items():
            decoder = self._decoders.get(sensor)
            if decoder is None:
                decoder = self._decoders[sensor] = StreamDecoder(sensor, side=self.sensors[sensor].side)
            out.extend(decoder.feed_many(frames, times, max_block_samples))
        return sorted(out, key=_arrival)


def _arrival(block: SampleBlock) -> float:
    t = block.meta.get("arrival_time_s", 0.0)
    return float(t) if isinstance(t, (int, float)) else 0.0


def stream_recording(path: str | Path, chunk_bytes: int = 1 << 20) -> RecordingStream:
    """Open a recording for one bounded-memory pass (see RecordingStream)."""
    return RecordingStream(path, chunk_bytes)


def iter_blocks(path: str | Path, max_block_samples: int = 1 << 16) -> Iterator[SampleBlock]:
    """Every sensor's SampleBlocks of a recording in arrival order, in bounded memory, on the recording's time
    base: a live recording's sensors shifted as the live session shifted them (footfall.live.align), so the two
    feet's times agree and `analysis.session.Session` pairs them as `footfall analyse` does. InputError for
    `max_block_samples` < 1; RecordingError for a file that is missing or not a recording."""
    check_block_samples(max_block_samples)
    return on_time_base(stream_recording(path).blocks(max_block_samples), read_time_base(path).offsets_samples)


def on_time_base(blocks: Iterable[SampleBlock], offsets: dict[str, float]) -> Iterator[SampleBlock]:
    """Each block shifted by its sensor's time-base offset in samples (`recording.read_time_base`)."""
    for block in blocks:
        yield block.shifted(offsets.get(block.sensor, 0.0))


class Demux:
    """Per-sensor iterators over one shared block stream (for analyse_session, which pulls the sensor that is
    furthest behind): blocks of the other sensors wait in small queues."""

    def __init__(self, blocks: Iterator[SampleBlock]) -> None:
        self._blocks = blocks
        self._queues: dict[str, deque[SampleBlock]] = {}

    def sensor(self, sensor: str) -> Iterator[SampleBlock]:
        queue = self._queues.setdefault(sensor, deque())
        while True:
            while not queue:
                block = next(self._blocks, None)
                if block is None:
                    return
                self._queues.setdefault(block.sensor, deque()).append(block)
            yield queue.popleft()

    @property
    def unclaimed(self) -> list[str]:
        """Sensors whose blocks nobody asked for (not known when the iterators were made)."""
        return [s for s, q in self._queues.items() if q]
