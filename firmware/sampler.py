# Sampler: drains the IMU FIFO in batches (woken by the watermark interrupt, or by a timeout as a fallback)
# and cuts the samples into full data frames, keeping the sample index continuous for the whole session.
#
# The interrupt handler only sets a ThreadSafeFlag (micropython-async habit); all work happens in run().

import asyncio

import frame
from clock import ticks_diff, ticks_ms

_U32 = 0xFFFFFFFF


def new_flag():
    """A flag an interrupt may set: ThreadSafeFlag on MicroPython, an Event under CPython (tests)."""
    make = getattr(asyncio, "ThreadSafeFlag", asyncio.Event)
    return make()


async def wait_flag(flag, timeout_ms):
    """Wait for `flag` at most `timeout_ms`; True when it was set."""
    try:
        if hasattr(asyncio, "wait_for_ms"):
            await asyncio.wait_for_ms(flag.wait(), timeout_ms)
        else:
            await asyncio.wait_for(flag.wait(), timeout_ms / 1000)
            flag.clear()
        return True
    except asyncio.TimeoutError:
        return False


class Sampler:
    def __init__(self, imu, emit, watermark_samples, on_samples=None, on_overrun=None, ticks=ticks_ms):
        self.imu = imu
        self._emit = emit  # emit(payload_memoryview, first_index, flags): one data frame
        self._on_samples = on_samples  # on_samples(buf, n): step detector, calibration
        self._on_overrun = on_overrun  # on_overrun(index, lost)
        self.watermark = watermark_samples
        self._ticks = ticks
        self._batch = bytearray(imu.max_batch * frame.SAMPLE_BYTES)
        self._batch_mv = memoryview(self._batch)
        self._pending = bytearray(frame.MAX_SAMPLES * frame.SAMPLE_BYTES)
        self._pending_mv = memoryview(self._pending)
        self._npending = 0
        self._flags = 0 if imu.has_gyro else frame.FLAG_NO_GYRO
        self.index = 0  # index of the next sample (u32, since power-on)
        self.running = False
        self.flag = new_flag()
        self._t_drained = 0

    @property
    def sample_count(self):
        """Samples read since power-on (including those still waiting for a full frame)."""
        return (self.index + self._npending) & _U32

    def irq(self, _pin=None):
        self.flag.set()

    def start(self):
        self.imu.start(self.watermark)
        self._t_drained = self._ticks()
        self.running = True
        self.flag.set()

    def stop(self):
        """Stop the IMU first (no new samples), then drain what the FIFO holds and flush a partial frame."""
        if not self.running:
            return
        self.imu.stop()
        self.drain()
        self.imu.reset_fifo()
        self.flush()
        self.running = False

    def drain(self):
        """Read the FIFO until it is empty (bounded); returns samples read."""
        total = 0
        first = True
        overrun = False
        elapsed_ms = ticks_diff(self._ticks(), self._t_drained)
        for _ in range(64):
            n, ovr = self.imu.drain(self._batch)
            if ovr and first:
                overrun = True
                if getattr(self.imu, "LOSES_OLDEST", True):
                    self._lost(elapsed_ms, self.imu.FIFO_SAMPLES)
            first = False
            if n == 0:
                break
            total += n
            self._take(n)
        if overrun and not getattr(self.imu, "LOSES_OLDEST", True):
            self._lost(elapsed_ms, total)
        self._t_drained = self._ticks()
        return total

    def _lost(self, elapsed_ms, kept):
        # The chip cannot say how many samples it lost: estimate them from the time since the last drain,
        # and leave that gap in the sample indices so the host sees it where it happened.
        due = (elapsed_ms * self.imu.rate_hz + 500) // 1000
        lost = max(1, due - kept)
        self.flush()
        self.index = (self.index + lost) & _U32
        if self._on_overrun:
            self._on_overrun(self.index, lost)

    def _take(self, n):
        if self._on_samples:
            self._on_samples(self._batch, n)
        size = frame.SAMPLE_BYTES
        i = 0
        while i < n:
            k = min(n - i, frame.MAX_SAMPLES - self._npending)
            o = self._npending * size
            self._pending[o : o + k * size] = self._batch_mv[i * size : (i + k) * size]
            self._npending += k
            i += k
            if self._npending == frame.MAX_SAMPLES:
                self.flush()

    def flush(self):
        """Emit the pending samples as one (possibly short) data frame."""
        n = self._npending
        if n == 0:
            return
        self._emit(self._pending_mv[: n * frame.SAMPLE_BYTES], self.index, self._flags)
        self.index = (self.index + n) & _U32
        self._npending = 0

    def timeout_ms(self):
        return self.watermark * 1000 // self.imu.rate_hz + 20

    async def run(self):
        while True:
            await wait_flag(self.flag, self.timeout_ms() if self.running else 1000)
            if self.running:
                self.drain()
