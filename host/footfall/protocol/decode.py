"""Host side of the footfall wire protocol, version 1 (docs/protocol.md is the contract).

The frame dataclasses, constants and `decode_frame` live in footfall.protocol.frames (the package
footfall.protocol re-exports both for users). `StreamDecoder` turns one sensor's frames into SI
`SampleBlock`s while counting every gap, duplicate, reordered, truncated, corrupt and unknown-version frame
in a `StreamReport`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from footfall.errors import ProtocolError, TruncatedFrameError, UnknownVersionError
from footfall.protocol.frames import (
    DATA_HEADER,
    DATA_HEADER_BYTES,
    EVENT_FIFO_OVERRUN,
    EVENT_FRAMES_DROPPED,
    EventFrame,
    FLAG_NO_GYRO,
    FULL_FRAME_MTU,
    Frame,
    MAX_SAMPLES,
    MIN_MTU,
    MTU_SIZED_FW,
    NOTIFY_HEADER_BYTES,
    SAMPLE_BYTES,
    STATE_STREAMING,
    StatusFrame,
    TYPE_DATA,
    VERSION,
    decode_frame,
    samples_for_mtu,
)
from footfall.samples import SampleBlock
from footfall.words import counted


@dataclass
class StreamReport:
    """What a StreamDecoder saw. Counts are frames unless the name says samples."""

    frames: int = 0
    data_frames: int = 0
    status_frames: int = 0
    event_frames: int = 0
    samples: int = 0  # delivered in SampleBlocks
    gaps: int = 0  # discontinuities in the sample index
    missing_samples: int = 0  # samples skipped by those gaps (never filled in)
    missing_frames: int = 0  # sequence numbers never seen (a late arrival takes one back)
    duplicates: int = 0
    reordered: int = 0  # frames that arrived after a later one
    late_samples: int = 0  # samples of late or overlapping frames, not delivered (their time had passed)
    truncated: int = 0
    corrupt: int = 0
    unknown_version: int = 0
    restarts: int = 0  # the device's counters went back (reboot): indices continue after the last sample
    unscaled_frames: int = 0  # data frames dropped because no status frame gave their scales
    seq_wraps: int = 0
    index_wraps: int = 0
    config_changes: int = 0  # status frames that changed rate, ranges or scales mid-stream
    fifo_overrun_samples: int = 0  # reported by the device (event 3)
    device_dropped_frames: int = 0  # reported by the device (event 4)

    PROBLEMS: ClassVar[tuple[str, ...]] = (
        "gaps", "missing_frames", "duplicates", "reordered", "truncated", "corrupt", "unknown_version",
        "restarts", "unscaled_frames", "fifo_overrun_samples", "device_dropped_frames")

    @property
    def problems(self) -> int:
        return sum(getattr(self, name) for name in self.PROBLEMS)

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def summary(self) -> str:
        text = f"{counted(self.frames, 'frames')}, {counted(self.samples, 'samples')}"
        trouble = [counted(getattr(self, n), n.replace("_", " ")) for n in self.PROBLEMS if getattr(self, n)]
        trouble += [counted(self.missing_samples, "missing samples")] if self.missing_samples else []
        trouble += [f"{counted(self.late_samples, 'samples')} of late frames left out"] if self.late_samples else []
        return text + ("; " + ", ".join(trouble) if trouble else "; no gaps or errors")


def mtu_note(mtu: int, fw_version: tuple[int, int, int] | None = None) -> str:
    """What a BLE link's ATT MTU below FULL_FRAME_MTU means for the stream (docs/protocol.md "ATT MTU"), for the
    firmware version a status frame gave (None: not known yet, both cases said)."""
    if mtu < MIN_MTU:
        return (f"link ATT MTU {mtu} is below the {MIN_MTU} footfall needs: the sensor will not stream on it "
                "(its answers arrive cut); try another Bluetooth adapter or computer, or USB")
    head = f"link ATT MTU {mtu} (full frames need {FULL_FRAME_MTU}): "
    if fw_version is None:
        return (head + f"firmware 0.7 sends {samples_for_mtu(mtu)} samples a frame instead of {MAX_SAMPLES}; "
                "older firmware's data frames arrive cut and are lost: update it")
    version = ".".join(map(str, fw_version))
    if fw_version < MTU_SIZED_FW:
        return head + f"firmware {version}'s data frames arrive cut and are lost: update it (footfall firmware install)"
    return head + f"firmware {version} sends {samples_for_mtu(mtu)} samples a frame instead of {MAX_SAMPLES}; nothing is lost"


# one accepted run of data: (unwrapped start index, packed int16 payload, flags, arrival time, status)
_Item = tuple[int, bytes, int, float, "StatusFrame | None"]
_NEW, _DUPLICATE, _LATE = 0, 1, 2
REORDER_WINDOW_FRAMES = 64  # a frame this far behind the newest is late; further back means a device restart


def _same_scales(a: StatusFrame | None, b: StatusFrame | None) -> bool:
    if a is b:
        return True
    if a is None or b is None:
        return False
    return _scales_of(a) + (a.side, a.imu) == _scales_of(b) + (b.side, b.imu)


def _scales_of(status: StatusFrame) -> tuple[float, float, float]:
    """What turns one sensor's counts and indices into SI units and seconds."""
    return status.sample_rate_hz, status.acc_mps2_per_count, status.gyr_radps_per_count


class StreamDecoder:
    """Frames of one sensor, in arrival order -> SampleBlocks in SI units, with a StreamReport.

    Sequence numbers and sample indices are unwrapped against the last frame (docs/protocol.md, host
    decoding rules). Blocks never go back in sample index and never contain invented samples: a gap stays a
    gap, a late frame is counted and not delivered (a recording still holds it). Data frames that arrive
    before any status frame wait (up to `max_pending_frames`) for the scales.
    """

    def __init__(self, sensor: str = "?", side: str | None = None, status: StatusFrame | None = None,
                 window_frames: int = 4096, max_pending_frames: int = 4096) -> None:
        self.sensor = sensor
        self.side = side
        self.status = status
        self.events: list[EventFrame] = []
        self.clock_pairs: list[tuple[int, int]] = []  # (device_time_ms, sample_index) while streaming: footfall.protocol.clock
        self.report = StreamReport()
        self._window = window_frames
        self._max_pending = max_pending_frames
        self._last_seq: int | None = None
        self._seen: dict[int, int] = {}  # unwrapped seq -> hash of the frame bytes, last `window` frames
        self._missing: set[int] = set()
        self._next_index: int | None = None  # the device's unwrapped sample counter expected next
        self._offset = 0  # added to the device's counter so that blocks never go back after a restart
        self._rebase = False
        self._pending: list[_Item] = []
        self.truncated_sizes: set[int] = set()  # lengths of the truncated frames (truncation_note)
        self.longest_whole_bytes = 0  # the longest frame decoded whole (cut_mtu)
        self._scales: tuple[StatusFrame | None, NDArray[np.float64]] = (None, np.ones(6))

    def feed(self, frame: bytes, arrival_time_s: float = math.nan) -> list[SampleBlock]:
        """One frame as it arrived -> the sample blocks it completes (usually 0 or 1)."""
        return [self._block([item]) for item in self._accept(bytes(frame), arrival_time_s)]

    def feed_many(self, frames: Iterable[bytes], arrival_times_s: Iterable[float],
                  max_block_samples: int = 1 << 16) -> list[SampleBlock]:
        """Many frames at once: contiguous data is merged into long blocks (the fast offline path)."""
        blocks: list[SampleBlock] = []
        run: list[_Item] = []
        end = -1
        frames, times = list(frames), list(arrival_times_s)
        i = 0
        while i < len(frames):
            m = self._in_order_run(frames, i)
            items = self._accept_in_order(frames, times, i, m) if m else self._accept(frames[i], times[i])
            i += max(m, 1)
            for item in items:
                if run and (item[0] != end or item[2] != run[0][2] or not _same_scales(item[4], run[0][4])
                            or end - run[0][0] >= max_block_samples):
                    blocks.append(self._block(run))
                    run = []
                run.append(item)
                end = item[0] + len(item[1]) // SAMPLE_BYTES
        if run:
            blocks.append(self._block(run))
        return blocks

    # --- the fast path of feed_many: the common case of new, in-order data frames checked as one array
    _RUN_FRAMES = 2048

    def _in_order_run(self, frames: list[bytes], i: int) -> int:
        """How many frames from i are plain data frames of one length and flags, each with the next sequence
        number and the next sample index, none seen before: exactly what _accept would take one by one as
        _NEW with no gap, overlap, restart or wrap bookkeeping beyond counting (0 = use _accept)."""
        last, expected = self._last_seq, self._next_index
        if self.status is None or self._rebase or self._pending or last is None or expected is None \
                or len(self._missing) > self._window:
            return 0
        size = len(frames[i])
        chunk = frames[i : i + self._RUN_FRAMES]
        m = next((k for k, f in enumerate(chunk) if len(f) != size), len(chunk))
        if m < 2 or size < DATA_HEADER_BYTES:
            return 0
        head = np.frombuffer(b"".join(chunk[:m]), np.uint8).reshape(m, size)[:, :DATA_HEADER_BYTES].copy()
        h = head.view(np.dtype([("v", "u1"), ("t", "u1"), ("seq", "<u2"), ("idx", "<u4"), ("n", "u1"),
                                ("flags", "u1")]))[:, 0]  # fmt: skip
        n = h["n"].astype(np.int64)
        starts = expected + np.concatenate(([0], np.cumsum(n)[:-1]))
        ok = ((h["v"] == VERSION) & (h["t"] == TYPE_DATA) & (n >= 1) & (n <= MAX_SAMPLES)
              & (size == DATA_HEADER_BYTES + SAMPLE_BYTES * n) & (h["flags"] == h["flags"][0]) & (h["flags"] <= 1)
              & (h["seq"] == (last + 1 + np.arange(m)) & 0xFFFF) & (h["idx"] == starts & 0xFFFFFFFF))  # fmt: skip
        m = int(np.argmin(ok)) if not ok.all() else m
        seen = next((k for k in range(m) if last + 1 + k in self._seen), m)
        return seen if seen >= 2 else 0

    def _accept_in_order(self, frames: list[bytes], times: list[float], i: int, m: int) -> list[_Item]:
        """_accept's effect on frames[i : i + m] (see _in_order_run), applied as one update."""
        r, last, expected = self.report, self._last_seq, self._next_index
        assert last is not None and expected is not None
        chunk = frames[i : i + m]
        self.longest_whole_bytes = max(self.longest_whole_bytes, len(chunk[0]))  # all of one length
        r.frames += m
        r.data_frames += m
        r.seq_wraps += ((last + m) >> 16) - (last >> 16)
        for k, frame in enumerate(chunk):
            self._remember(last + 1 + k, hash(frame))
        self._last_seq = last + m
        _, _, _, _, _, flags = DATA_HEADER.unpack_from(chunk[0])
        items: list[_Item] = []
        start = expected
        for frame, t in zip(chunk, times[i : i + m]):
            items.append((start + self._offset, frame[DATA_HEADER_BYTES:], flags, t, self.status))
            start += (len(frame) - DATA_HEADER_BYTES) // SAMPLE_BYTES
        r.index_wraps += ((start - 1) >> 32) - ((expected - 1) >> 32)
        self._next_index = start
        return items

    def finish(self) -> None:
        """End of stream: data still waiting for a status frame is counted as unscaled."""
        self.report.unscaled_frames += len(self._pending)
        self._pending = []

    def _accept(self, frame: bytes, t: float) -> list[_Item]:
        r = self.report
        r.frames += 1
        if len(frame) >= DATA_HEADER_BYTES and frame[0] == VERSION and frame[1] == TYPE_DATA:
            _, _, seq, first_index, n, flags = DATA_HEADER.unpack_from(frame)
            if 1 <= n <= MAX_SAMPLES and len(frame) == DATA_HEADER_BYTES + SAMPLE_BYTES * n and flags <= 1:
                self.longest_whole_bytes = max(self.longest_whole_bytes, len(frame))
                return self._data(frame, seq, first_index, n, flags, t)
        decoded = self._decode_slow(frame)
        if decoded is not None:
            self.longest_whole_bytes = max(self.longest_whole_bytes, len(frame))
        if isinstance(decoded, StatusFrame):
            return self._status(frame, decoded)
        if isinstance(decoded, EventFrame):
            self._event(frame, decoded)
        return []

    def cut_mtu(self) -> int | None:
        """The ATT MTU that cut the frames: every truncated frame has one length L below a full data frame's 238 bytes
        and no whole frame longer than L came (one did: the link's MTU grew since), so a link of MTU L + 3 cut them
        (the sensor's stack does so without a word). None when the cuts say nothing of the kind."""
        if len(self.truncated_sizes) != 1:
            return None
        size = next(iter(self.truncated_sizes))
        if size + NOTIFY_HEADER_BYTES >= FULL_FRAME_MTU or self.longest_whole_bytes > size:
            return None
        return size + NOTIFY_HEADER_BYTES

    def truncation_note(self) -> str | None:
        """What the MTU that cut the frames means (cut_mtu), or None."""
        mtu = self.cut_mtu()
        return None if mtu is None else f"every cut frame is {mtu - NOTIFY_HEADER_BYTES} bytes: {mtu_note(mtu)}"

    def _decode_slow(self, frame: bytes) -> Frame | None:
        try:
            return decode_frame(frame)
        except TruncatedFrameError:
            self.report.truncated += 1
            self.truncated_sizes.add(len(frame))
        except UnknownVersionError:
            self.report.unknown_version += 1
        except ProtocolError:
            self.report.corrupt += 1
        return None

    def _data(self, frame: bytes, seq: int, first_index: int, n: int, flags: int, t: float) -> list[_Item]:
        r = self.report
        r.data_frames += 1
        kind = self._classify(seq, frame)
        if kind != _NEW:
            r.late_samples += n if kind == _LATE else 0
            return []
        placed = self._place(first_index, n)
        if placed is None:
            return []
        start, skip = placed
        item = (start, frame[DATA_HEADER_BYTES + SAMPLE_BYTES * skip:], flags, t, self.status)
        if self.status is not None:
            return [item]
        if len(self._pending) < self._max_pending:
            self._pending.append(item)
        else:
            r.unscaled_frames += 1
        return []

    def _status(self, frame: bytes, status: StatusFrame) -> list[_Item]:
        self.report.status_frames += 1
        old = self.status
        if old is not None and status.device_time_ms + 1000 < old.device_time_ms < 0x80000000 \
                and not self._known(status.seq, frame):
            self._restart()  # the device clock went back (not wrapped, not a resent frame): it rebooted
            self._last_seq = None
        kind = self._classify(status.seq, frame)
        if kind == _DUPLICATE or (kind == _LATE and old is not None):
            return []
        if old is not None and _scales_of(old) != _scales_of(status):
            self.report.config_changes += 1
        self.status = status
        if status.state & STATE_STREAMING:
            self.clock_pairs.append((status.device_time_ms, status.sample_index))
        released: list[_Item] = [(s, p, f, t, status) for s, p, f, t, _ in self._pending]
        self._pending = []
        return released

    def _event(self, frame: bytes, event: EventFrame) -> None:
        r = self.report
        r.event_frames += 1
        if self._classify(event.seq, frame) == _DUPLICATE:
            return
        self.events.append(event)
        if event.code == EVENT_FIFO_OVERRUN:
            r.fifo_overrun_samples += event.value
        elif event.code == EVENT_FRAMES_DROPPED:
            r.device_dropped_frames += event.value

    def _classify(self, seq: int, frame: bytes) -> int:
        """New, duplicate or late; updates the missing/seen bookkeeping and spots restarts."""
        r = self.report
        last = self._last_seq
        delta = ((seq - last + 0x8000) & 0xFFFF) - 0x8000 if last is not None else 1
        useq = seq if last is None else last + delta
        digest = hash(frame)
        seen = self._seen.get(useq)
        if seen == digest:
            r.duplicates += 1
            return _DUPLICATE
        if seen is None and delta < 0 and (useq in self._missing or -delta <= REORDER_WINDOW_FRAMES):
            if useq in self._missing:
                self._missing.discard(useq)
                r.missing_frames -= 1
            r.reordered += 1
            self._remember(useq, digest)
            return _LATE
        if seen is not None or delta <= 0:  # same seq with other bytes, or far back: the device restarted
            self._restart()
            useq = seq
        elif last is not None:
            self._note_skipped(last, useq)
        self._last_seq = useq
        self._remember(useq, digest)
        return _NEW

    def _known(self, seq: int, frame: bytes) -> bool:
        """A copy of a frame seen before, or one that fills a recorded hole (a resend)."""
        last = self._last_seq
        if last is None:
            return False
        useq = last + ((seq - last + 0x8000) & 0xFFFF) - 0x8000
        return self._seen.get(useq) == hash(frame) or useq in self._missing

    def _note_skipped(self, last: int, useq: int) -> None:
        skipped = useq - last - 1
        self.report.missing_frames += skipped
        self.report.seq_wraps += (useq >> 16) - (last >> 16)
        if 0 < skipped <= self._window:
            self._missing.update(range(last + 1, useq))
        if len(self._missing) > self._window:
            self._missing = {s for s in self._missing if s > useq - self._window}

    def _remember(self, useq: int, digest: int) -> None:
        self._seen[useq] = digest
        if len(self._seen) > 2 * self._window:  # prune in batches: deleting a dict's oldest keys one by one is slow
            self._seen = dict(list(self._seen.items())[-self._window:])

    def _restart(self) -> None:
        self.report.restarts += 1
        self._seen.clear()
        self._missing.clear()
        self._rebase = True

    def _place(self, first_index: int, n: int) -> tuple[int, int] | None:
        """Unwrapped start index and the number of leading samples already delivered (overlap)."""
        r = self.report
        expected = self._next_index
        if expected is None or self._rebase:
            if expected is not None:  # after a restart the new counter continues right after the last sample
                self._offset += expected - first_index
            self._rebase = False
            self._next_index = first_index + n
            return first_index + self._offset, 0
        ahead = (first_index - expected) & 0xFFFFFFFF
        if ahead >= 0x80000000:  # behind what was delivered: overlap
            behind = 0x100000000 - ahead
            if behind >= n:
                r.late_samples += n
                return None
            r.late_samples += behind
            self._next_index = expected + n - behind
            return expected + self._offset, behind
        if ahead:
            r.gaps += 1
            r.missing_samples += ahead
        start = expected + ahead
        r.index_wraps += ((start + n - 1) >> 32) - ((expected - 1) >> 32)
        self._next_index = start + n
        return start + self._offset, 0

    def _block(self, run: list[_Item]) -> SampleBlock:
        start, _, flags, t, status = run[0]
        assert status is not None
        payload = run[0][1] if len(run) == 1 else b"".join(item[1] for item in run)
        counts = np.frombuffer(payload, "<i2").reshape(-1, 6)
        si = counts * self._scale_row(status)  # one vectorised multiply for all six axes
        gyr = np.full((counts.shape[0], 3), np.nan) if flags & FLAG_NO_GYRO else si[:, 3:]
        side = status.side if status.side != "?" or self.side is None else self.side
        self.report.samples += counts.shape[0]
        return SampleBlock(self.sensor, side, status.sample_rate_hz, start, si[:, :3], gyr,
                           meta={"arrival_time_s": t, "acc_mps2_per_count": status.acc_mps2_per_count,
                                 "gyr_radps_per_count": status.gyr_radps_per_count})

    def _scale_row(self, status: StatusFrame) -> NDArray[np.float64]:
        if self._scales[0] is not status:
            a, g = status.acc_mps2_per_count, status.gyr_radps_per_count
            self._scales = (status, np.array([a, a, a, g, g, g]))
        return self._scales[1]
