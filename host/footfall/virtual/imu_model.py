"""Register-level IMU models for the virtual shoe: the common part (clock, sample source, FIFO of words).

Runs under CPython (tests drive it with a fake clock) and under MicroPython (the shim `machine.I2C` of
the virtual shoe talks to it), so it sticks to the common subset: no typing at runtime, no numpy.
A model produces samples at its output data rate against a clock, as the chip would, and plays them from
a source of int16 counts (ax, ay, az, gx, gy, gz), looping at its end; it counts what it produced and what
its FIFO lost so tests can check every sample end to end.
"""

import struct
import time

try:
    from typing import Any
except ImportError:  # MicroPython: annotations are not evaluated
    pass

SAMPLE_BYTES = 12


def now_ns() -> int:
    """Nanoseconds from a monotonic-enough clock on either VM."""
    f = getattr(time, "monotonic_ns", None) or getattr(time, "time_ns")
    return f()


class SampleSource:
    """Samples from bytes or a file of little-endian int16 records (12 bytes each), looping at the end."""

    def __init__(self, data: "bytes | None" = None, path: "str | None" = None, chunk_samples: int = 512) -> None:
        self._data = data
        self._path = path
        self._file: Any = None
        self._chunk = b""
        self._pos = 0
        self._chunk_samples = chunk_samples
        if data is None and path is None:
            self._data = bytes(SAMPLE_BYTES)  # a shoe lying still on its side: all zero counts
        if self._data is not None and (len(self._data) == 0 or len(self._data) % SAMPLE_BYTES):
            raise ValueError("sample data must hold whole 12-byte samples")

    def next(self) -> bytes:
        """The next sample as 12 bytes (ax, ay, az, gx, gy, gz little-endian)."""
        if self._pos >= len(self._chunk):
            self._chunk = self._load()
            self._pos = 0
        i = self._pos
        self._pos = i + SAMPLE_BYTES
        return self._chunk[i : i + SAMPLE_BYTES]

    def _load(self) -> bytes:
        if self._data is not None:
            return self._data
        if self._file is None:
            self._file = open(str(self._path), "rb")
        want = self._chunk_samples * SAMPLE_BYTES
        block = self._file.read(want)
        if len(block) < SAMPLE_BYTES:  # end of the recording: play it again
            self._file.seek(0)
            block = self._file.read(want)
            if len(block) < SAMPLE_BYTES:
                raise ValueError("sample file holds no whole sample")
        return block[: len(block) - len(block) % SAMPLE_BYTES]


def unpack(sample: bytes) -> "tuple[int, ...]":
    return struct.unpack("<hhhhhh", sample)


class WordFifo:
    """A FIFO of fixed-size words in one preallocated bytearray; full -> overwrite oldest or refuse."""

    def __init__(self, capacity: int, word_bytes: int) -> None:
        self.capacity = capacity
        self.word = word_bytes
        self._buf = bytearray(capacity * word_bytes)
        self.head = 0
        self.count = 0

    def clear(self) -> None:
        self.head = 0
        self.count = 0

    def push(self, data: "bytes | bytearray | memoryview", overwrite: bool) -> bool:
        """Add one word; returns True when a word was lost (the oldest overwritten, or this one refused)."""
        lost = False
        if self.count == self.capacity:
            if not overwrite:
                return True
            self.head = (self.head + 1) % self.capacity
            self.count -= 1
            lost = True
        i = ((self.head + self.count) % self.capacity) * self.word
        self._buf[i : i + self.word] = data
        self.count += 1
        return lost

    def pop_into(self, out: Any, offset: int) -> None:
        """Move the oldest word into out[offset:]; an empty FIFO yields zeros (as the chips do)."""
        w = self.word
        if self.count == 0:
            for k in range(w):
                out[offset + k] = 0
            return
        i = self.head * w
        out[offset : offset + w] = self._buf[i : i + w]
        self.head = (self.head + 1) % self.capacity
        self.count -= 1


class ClockedModel:
    """Turns elapsed clock time into a number of output-data-rate periods (no drift, no float error)."""

    def __init__(self, source: "SampleSource | None" = None, clock_ns: Any = now_ns) -> None:
        self.source = source or SampleSource()
        self.clock_ns = clock_ns
        self.rate_hz: float = 0
        self._t0 = 0
        self._periods = 0  # periods accounted for since _t0
        self.produced = 0  # samples the chip made (into the FIFO or lost)
        self.lost = 0  # samples lost to FIFO overrun
        # the clock time of the source's sample 0 (None: it plays from wherever the chip starts). Shoes of one
        # rig share it, so both feet play the same runner instant at the same moment, as on a real runner,
        # however far apart their firmware started: a chip that starts late skips what it missed.
        self.epoch_ns: "int | None" = None
        self.skipped = 0

    def run_at(self, rate_hz: float) -> None:
        """Start (rate_hz > 0) or stop (0) producing, after catching up to now at the old rate."""
        self.catch_up()
        if rate_hz != self.rate_hz:
            self.rate_hz = rate_hz
            self._t0 = self.clock_ns()
            self._periods = 0
            if rate_hz > 0 and self.epoch_ns is not None:
                self._catch_up_with_epoch(self.epoch_ns)

    def _catch_up_with_epoch(self, epoch_ns: int) -> None:
        due = (self._t0 - epoch_ns) * self.rate_hz // 1_000_000_000 - self.produced - self.skipped
        for _ in range(max(0, int(due))):
            self.source.next()
            self.skipped += 1

    def catch_up(self) -> None:
        if self.rate_hz <= 0:
            return
        due = int((self.clock_ns() - self._t0) * self.rate_hz // 1_000_000_000)
        n = due - self._periods
        if n <= 0:
            return
        self._periods = due
        for _ in range(n):
            self.produce(self.source.next())
            self.produced += 1

    def write(self, reg: int, data: Any) -> None:
        """A burst write from the bus: consecutive registers from `reg`, after the clock catches up."""
        self.catch_up()
        for b in data:
            self._write_reg(reg, b)
            reg += 1

    def _write_reg(self, reg: int, value: int) -> None:  # pragma: no cover - each chip model defines it
        raise NotImplementedError

    def produce(self, sample: bytes) -> None:  # pragma: no cover - each chip model defines it
        raise NotImplementedError


class ModelBus:
    """An I2C bus with IMU models at their addresses (readfrom_mem_into/writeto_mem, as machine.I2C);
    an address nobody answers raises OSError(19) (ENODEV) like a missing ACK on the ESP32."""

    def __init__(self, models: Any = None) -> None:
        self.models = dict(models or {})

    def _dev(self, addr: int) -> Any:
        model = self.models.get(addr)
        if model is None:
            raise OSError(19, "no ACK")
        return model

    def scan(self) -> "list[int]":
        return sorted(self.models)

    def readfrom_mem_into(self, addr: int, reg: int, buf: Any) -> None:
        self._dev(addr).read_into(reg, buf)

    def readfrom_mem(self, addr: int, reg: int, n: int) -> bytes:
        buf = bytearray(n)
        self._dev(addr).read_into(reg, buf)
        return bytes(buf)

    def writeto_mem(self, addr: int, reg: int, buf: Any) -> None:
        self._dev(addr).write(reg, buf)


class FakeClock:
    """A clock tests move by hand: `clock.advance_s(0.1)`; pass `clock.ns` as a model's clock_ns."""

    def __init__(self) -> None:
        self.t_ns = 0

    def ns(self) -> int:
        return self.t_ns

    def advance_s(self, seconds: float) -> None:
        self.t_ns += int(seconds * 1_000_000_000)
