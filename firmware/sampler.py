# Sampler: drains the IMU FIFO in batches (woken by the watermark interrupt, or by a timeout as a fallback)
# and cuts the samples into full data frames (frame_samples each), keeping the sample index continuous for the
# whole session.
#
# The interrupt handler only sets a ThreadSafeFlag (micropython-async habit); all work happens in run().
#
# An I2C error (OSError from the driver: a NACK, a timeout, a loose wire) never leaves run(): the sampler
# reports it (on_fault(errno)), probes the chip again with a backoff growing with the time it has been down,
# re-initialises it and carries on. The time lost becomes a gap in the sample index (on_fault(0) on recovery).
#
# `quiet`: the samples feed on_samples (the on-device cadence) and advance the index, but make no frames:
# a watch paired as a footpod gets cadence without a footfall session.

import asyncio
import gc

import frame
from clock import asleep_ms, ticks_diff, ticks_ms

_U32 = 0xFFFFFFFF
_RETRY_MIN_MS = 10  # first probe after a fault: a short bus glitch costs little more than itself
_RETRY_MAX_MS = 1000  # a dead chip is probed once a second
_EIO = 5
# Polled boards (no interrupt line: the M5StickC Plus2): a garbage collection right after a drain, at most this
# often, so the heap never fills and no automatic collection lands at the end of a drain period with the FIFO
# nearly full (firmware/README.md "Known limits" has the figures)
_GC_PERIOD_MS = 5000


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
    def __init__(self, imu, emit, watermark_samples, on_samples=None, on_overrun=None, ticks=ticks_ms,
                 on_fault=None):
        self.imu = imu
        self._emit = emit  # emit(payload_memoryview, first_index, flags): one data frame
        self._on_samples = on_samples  # on_samples(buf, n): step detector, calibration
        self._on_overrun = on_overrun  # on_overrun(index, lost)
        self._on_fault = on_fault  # on_fault(errno): the IMU stopped answering; on_fault(0): it is back
        self.watermark = watermark_samples
        self._ticks = ticks
        self._batch = bytearray(imu.max_batch * frame.SAMPLE_BYTES)
        self._batch_mv = memoryview(self._batch)
        self._pending = bytearray(frame.MAX_SAMPLES * frame.SAMPLE_BYTES)
        self._pending_mv = memoryview(self._pending)
        self._npending = 0
        # samples per data frame (1..MAX_SAMPLES): the BLE host's link may carry less than a full frame (ble.py)
        self.frame_samples = frame.MAX_SAMPLES
        self._flags = 0 if imu.has_gyro else frame.FLAG_NO_GYRO
        self.index = 0  # index of the next sample (u32, since power-on)
        self.running = False
        self.quiet = False  # sample for on_samples only, no frames
        self.flag = new_flag()
        self._t_drained = 0
        self._kept = 0  # samples read since _t_drained by a drain that failed part-way
        self.fault = 0  # errno of the I2C error the IMU is down with, 0 when it answers
        self._t_fault = 0
        self.polled = False  # no interrupt line (main.build): the timeout is the only wake-up
        self._t_gc = ticks()

    @property
    def sample_count(self):
        """Samples read since power-on (including those still waiting for a full frame)."""
        return (self.index + self._npending) & _U32

    def irq(self, _pin=None):
        self.flag.set()

    def start(self):
        self._t_drained = self._ticks()
        self._kept = 0
        self.running = True
        if not self.fault:  # else run() starts the chip once it answers; the time until then is a gap
            try:
                self.imu.start(self.watermark)
            except OSError as exc:
                self.failed(exc)
        self.flag.set()

    def stop(self):
        """Stop the IMU first (no new samples), then drain what the FIFO holds and flush a partial frame."""
        if not self.running:
            return
        if not self.fault:
            try:
                self.imu.stop()
                if self.drain() >= 0:  # -1: the drain failed (and reported it)
                    self.imu.reset_fifo()
            except OSError as exc:
                self.failed(exc)
        self.flush()
        self.running = False

    def hush(self):
        """Make no more frames but keep sampling: what the FIFO holds now still goes out as frames."""
        if self.running and not self.fault:
            self.drain()
        self.flush()
        self.quiet = True

    def drain(self):
        """Read the FIFO until it is empty (bounded); returns samples read, -1 when the IMU failed."""
        total = 0
        first = True
        overrun = False
        elapsed_ms = ticks_diff(self._ticks(), self._t_drained)
        try:
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
        except OSError as exc:
            self._kept = total
            self.failed(exc)
            return -1
        if overrun and not getattr(self.imu, "LOSES_OLDEST", True):
            self._lost(elapsed_ms, total)
        self._t_drained = self._ticks()
        return total

    def failed(self, exc):
        """The IMU raised OSError: flush what was read, report the fault once, and let run() retry."""
        if self.fault:
            return
        self.fault = exc.args[0] if exc.args and isinstance(exc.args[0], int) and exc.args[0] else _EIO
        self._t_fault = self._ticks()
        self.flush()
        if self._on_fault:
            self._on_fault(self.fault)

    def retry_ms(self):
        """Wait before the next probe: a quarter of the time down so far, so the retries cost at most a
        quarter more than the outage itself, from _RETRY_MIN_MS up to _RETRY_MAX_MS."""
        down = ticks_diff(self._ticks(), self._t_fault)
        return min(_RETRY_MAX_MS, _RETRY_MIN_MS + down // 4)

    def recover(self):
        """Probe the IMU and, when streaming, re-initialise it; the samples it made since the last good drain
        are lost (its FIFO is reset) and become a gap in the index. True when the chip answers again."""
        try:
            self.imu.probe()
            if self.running:
                self.imu.start(self.watermark)
        except OSError:
            return False
        now = self._ticks()
        if self.running:
            lost = self._due(ticks_diff(now, self._t_drained)) - self._kept
            if lost > 0:
                self.index = (self.index + lost) & _U32
            self._t_drained = now
            self._kept = 0
        self.fault = 0
        if self._on_fault:
            self._on_fault(0)
        self.flag.set()
        return True

    def _lost(self, elapsed_ms, kept):
        # The chip cannot say how many samples it lost: estimate them from the time since the last drain,
        # and leave that gap in the sample indices so the host sees it where it happened.
        lost = max(1, self._due(elapsed_ms) - kept)
        self.flush()
        self.index = (self.index + lost) & _U32
        if self._on_overrun:
            self._on_overrun(self.index, lost)

    def _due(self, elapsed_ms):
        """Samples the chip makes in elapsed_ms, at its own rate when it says (416.69 Hz, not 416)."""
        mhz = self.imu.rate_mhz
        if mhz:
            return (elapsed_ms * mhz + 500_000) // 1_000_000
        return (elapsed_ms * self.imu.rate_hz + 500) // 1000

    def _take(self, n):
        if self._on_samples:
            self._on_samples(self._batch, n)
        if self.quiet:
            self.index = (self.index + n) & _U32
            return
        size = frame.SAMPLE_BYTES
        i = 0
        while i < n:
            full = self.frame_samples
            if self._npending >= full:  # the frame size shrank meanwhile (a host with a smaller MTU)
                self.flush()
            k = min(n - i, full - self._npending)
            o = self._npending * size
            self._pending[o : o + k * size] = self._batch_mv[i * size : (i + k) * size]
            self._npending += k
            i += k
            if self._npending == full:
                self.flush()

    def flush(self):
        """Emit the pending samples as one (possibly short) data frame, or several when frame_samples shrank
        below what was waiting (each fits the new host's link)."""
        size = frame.SAMPLE_BYTES
        done = 0
        while done < self._npending:
            k = min(self.frame_samples, self._npending - done)
            self._emit(self._pending_mv[done * size : (done + k) * size], self.index, self._flags)
            self.index = (self.index + k) & _U32
            done += k
        self._npending = 0

    def timeout_ms(self):
        """The wait for the watermark interrupt: a watermark's time and a margin (a fallback). Without an
        interrupt line (`polled`) it is the only wake-up: a third of the FIFO's time (24 ms of the MPU6886's 73 at
        1000 Hz), so a stall of two thirds of it (a garbage collection, a burst of radio work) still fits."""
        rate_hz = self.imu.rate_hz
        if self.polled:
            return max(1, self.imu.FIFO_SAMPLES * 1000 // (3 * rate_hz))
        return self.watermark * 1000 // rate_hz + 20

    def collect(self):
        """Polled boards, right after a drain (the whole FIFO free): collect the garbage every _GC_PERIOD_MS."""
        now = self._ticks()
        if ticks_diff(now, self._t_gc) >= _GC_PERIOD_MS:
            self._t_gc = now
            gc.collect()

    async def run(self):
        while True:
            if self.fault:
                await asleep_ms(self.retry_ms())
                self.recover()
                continue
            if self.running and self.polled:
                await asleep_ms(self.timeout_ms())  # no interrupt to wait for (a timed wait makes ~1.4 kB of garbage)
            else:
                await wait_flag(self.flag, self.timeout_ms() if self.running else 1000)
            if self.running:
                self.drain()
                if self.polled:
                    self.collect()
