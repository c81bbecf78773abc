"""SI samples -> the frames a device would send: quantised to sensor counts, with status and event frames.

Used by the virtual runner and by CSV import (through footfall.recording.file.write_si_recording), so synthetic
and imported data travel the same path as live data. Values beyond the range clip at the int16 limits, as
a real sensor saturates.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.typing import NDArray

from footfall.errors import InputError
from footfall.protocol.frames import (
    ACC_RANGES_G,
    DATA_HEADER,
    EVENT_STARTED,
    EVENT_STOPPED,
    FLAG_NO_GYRO,
    GYR_RANGES_DPS,
    IMU_LSM6DSO32,
    IMU_LSM6DSOX,
    IMU_VIRTUAL,
    MAX_SAMPLES,
    TYPE_DATA,
    VERSION,
    EventFrame,
    StatusFrame,
)
from footfall.samples import SIDES, STANDARD_GRAVITY_MPS2

# LSM6DSOX / LSM6DSO32 gyroscope sensitivity in mdps per LSB (datasheet table 2): not range / 32768
LSM6DSOX_GYR_MDPS = {125: 4.375, 250: 8.75, 500: 17.5, 1000: 35.0, 2000: 70.0, 4000: 140.0}
_FULL = 0.999  # a value this close to the range's end is taken as saturated
LATENCY_S = 0.015  # sampling to host arrival: about one BLE connection interval


def f32(value: float) -> float:
    """The value a float32 field of the status frame really carries."""
    return float(np.float32(value))


def scales(imu: int, acc_range_g: int, gyr_range_dps: int) -> tuple[float, float]:
    """(acc m/s^2 per count, gyr rad/s per count) as float32, datasheet values for the ST parts."""
    acc = acc_range_g / 32768 * STANDARD_GRAVITY_MPS2  # 0.061 mg/LSB at +-2 g, doubling with the range
    mdps = LSM6DSOX_GYR_MDPS.get(gyr_range_dps) if imu in (IMU_VIRTUAL, IMU_LSM6DSOX, IMU_LSM6DSO32) else None
    gyr_dps = mdps / 1000 if mdps else gyr_range_dps / 32768
    return f32(acc), f32(math.radians(gyr_dps))


@dataclass(frozen=True)
class SiStream:
    """One sensor's samples in SI units in the foot frame, to be turned into device frames.

    `sample_index` (optional, strictly increasing ints) places rows on the sample clock, so gaps stay gaps;
    by default rows are samples 0, 1, 2, ...
    """

    sensor: str
    side: str
    rate_hz: float  # kept to 1 mHz (the status frame's rate_mhz); whole hertz in its rate_hz
    acc_mps2: NDArray[np.float64]  # (n, 3)
    gyr_radps: NDArray[np.float64]  # (n, 3); ignored when has_gyro is False
    acc_range_g: int = 16
    gyr_range_dps: int = 2000
    imu: int = IMU_VIRTUAL
    has_gyro: bool = True
    sample_index: Optional[NDArray[np.int64]] = None  # noqa: UP007 (dataclass field read at runtime)

    def __post_init__(self) -> None:
        acc, gyr = np.asarray(self.acc_mps2), np.asarray(self.gyr_radps)
        if acc.ndim != 2 or acc.shape[1] != 3 or (self.has_gyro and gyr.shape != acc.shape):
            raise InputError(f"acc {acc.shape} and gyr {gyr.shape} must both be (n, 3)")
        if not 1 <= self.rate_hz <= 0xFFFF:
            raise InputError(f"sensor {self.sensor}: rate_hz={self.rate_hz} must be 1..65535 Hz")
        if self.side not in SIDES:
            raise InputError(f"sensor {self.sensor}: side {self.side!r} must be one of {', '.join(SIDES)}")
        if self.sample_index is not None and (len(self.sample_index) != len(acc)
                                              or np.any(np.diff(self.sample_index) <= 0)):
            raise InputError("sample_index must be strictly increasing, one per row")
        _refuse_non_finite(self.sensor, acc, gyr if self.has_gyro else None)

    def status(self, seq: int, sample_index: int = 0) -> StatusFrame:
        acc_mps2_per_count, gyr_radps_per_count = scales(self.imu, self.acc_range_g, self.gyr_range_dps)
        time_ms = int(sample_index * 1000 // self.rate_hz)  # the device clock, paired with the sample index
        whole_hz = max(1, round(self.rate_hz))
        return StatusFrame(seq & 0xFFFF, whole_hz, self.acc_range_g, self.gyr_range_dps, acc_mps2_per_count,
                           gyr_radps_per_count, self.imu, self.side, state=1, sample_index=sample_index & 0xFFFFFFFF,
                           device_time_ms=time_ms & 0xFFFFFFFF,
                           rate_mhz=0 if self.rate_hz == whole_hz else round(self.rate_hz * 1000))

    def fitting_ranges(self) -> tuple[int, int]:
        """(acc_range_g, gyr_range_dps): the smallest ranges that hold every sample (the largest if none does)."""
        acc_peak_g, gyr_peak_dps = self._peaks()
        return (next((r for r in ACC_RANGES_G if acc_peak_g < r * _FULL), ACC_RANGES_G[-1]),
                next((r for r in GYR_RANGES_DPS if gyr_peak_dps < r * _FULL), GYR_RANGES_DPS[-1]))

    def clipped(self) -> str | None:
        """What saturates at this stream's ranges, said in words, or None when every sample fits."""
        acc_peak_g, gyr_peak_dps = self._peaks()
        if acc_peak_g < self.acc_range_g * _FULL and gyr_peak_dps < self.gyr_range_dps * _FULL:
            return None
        acc_g, gyr_dps = self.fitting_ranges()
        return (f"sensor {self.sensor}: values beyond +-{self.acc_range_g} g / +-{self.gyr_range_dps} dps are "
                f"clipped, as a sensor of that range saturates (peaks {acc_peak_g:.1f} g / {gyr_peak_dps:.0f} "
                f"dps; the smallest ranges that hold them: +-{acc_g} g / +-{gyr_dps} dps)")

    def _peaks(self) -> tuple[float, float]:
        acc_peak_g = float(np.max(np.abs(self.acc_mps2), initial=0.0)) / STANDARD_GRAVITY_MPS2
        gyr_peak_dps = math.degrees(float(np.max(np.abs(self.gyr_radps), initial=0.0))) if self.has_gyro else 0.0
        return acc_peak_g, gyr_peak_dps

    def counts(self) -> NDArray[np.int16]:
        """(n, 6) int16 counts, rounded and clipped like a saturating sensor."""
        acc_mps2_per_count, gyr_radps_per_count = scales(self.imu, self.acc_range_g, self.gyr_range_dps)
        acc = np.asarray(self.acc_mps2, float)
        gyr = np.asarray(self.gyr_radps, float) if self.has_gyro else np.zeros_like(acc)  # no gyro: sent as 0
        si = np.hstack([acc / acc_mps2_per_count, gyr / gyr_radps_per_count])  # finite: __post_init__ checked
        return np.clip(np.rint(si), -32768, 32767).astype("<i2")


def _refuse_non_finite(sensor: str, acc_mps2: NDArray[np.float64], gyr_radps: NDArray[np.float64] | None) -> None:
    """A NaN or inf sample has no count: storing it as 0 would invent a measurement, so it is refused."""
    for name, values in (("acc_mps2", acc_mps2), ("gyr_radps", gyr_radps)):
        bad = ~np.isfinite(np.asarray(values, float)).all(axis=1) if values is not None else np.zeros(0, bool)
        if bad.any():
            raise InputError(f"sensor {sensor}: {name} has NaN or infinite values in {int(bad.sum())} of "
                             f"{len(bad)} rows (first row {int(np.argmax(bad))})",
                             hint="leave those rows out and give sample_index, so they stay a gap "
                                  "(as footfall import does)")


def _runs(index: NDArray[np.int64]) -> Iterator[tuple[int, int]]:
    """(row start, row end) of frames: at most 19 rows, never across a gap in the sample index."""
    breaks = np.flatnonzero(np.diff(index) != 1) + 1
    bounds = [0, *breaks.tolist(), len(index)]
    for a, b in zip(bounds[:-1], bounds[1:]):
        for k in range(a, b, MAX_SAMPLES):
            yield k, min(k + MAX_SAMPLES, b)


@dataclass
class FrameCounter:
    """Where a device's frame stream stands: its next sequence number and the sample index due a status frame."""

    seq: int = 0
    next_status_index: float = 0.0


def data_frames(stream: SiStream, counter: FrameCounter, start_time_s: float = 0.0, status_every_s: float = 5.0
                ) -> Iterator[tuple[float, bytes]]:
    """(arrival time, frame bytes) of `stream`'s samples, with a status frame every `status_every_s`; `counter`
    carries on where the previous piece of the same stream left it."""
    counts = stream.counts()
    index = np.arange(len(counts)) if stream.sample_index is None else np.asarray(stream.sample_index, np.int64)
    flags = 0 if stream.has_gyro else FLAG_NO_GYRO
    rate = float(stream.rate_hz)
    for a, b in _runs(index):
        start = int(index[a])
        t = start_time_s + (start + b - a) / rate + LATENCY_S
        if start >= counter.next_status_index:
            yield t, bytes(stream.status(counter.seq, start))
            counter.seq, counter.next_status_index = counter.seq + 1, start + status_every_s * rate
        header = DATA_HEADER.pack(VERSION, TYPE_DATA, counter.seq & 0xFFFF, start & 0xFFFFFFFF, b - a, flags)
        yield t, header + counts[a:b].tobytes()
        counter.seq += 1


def device_frames(stream: SiStream, start_time_s: float = 0.0, status_every_s: float = 5.0
                  ) -> Iterator[tuple[float, bytes]]:
    """(arrival time, frame bytes) as a device would send `stream`: status, started, data..., stopped."""
    index = np.arange(len(stream.acc_mps2)) if stream.sample_index is None else stream.sample_index
    rate = float(stream.rate_hz)
    first = int(index[0]) if len(index) else 0
    t0 = start_time_s + first / rate + LATENCY_S
    yield t0, bytes(stream.status(0, first))
    yield t0, bytes(EventFrame(1, EVENT_STARTED, first & 0xFFFFFFFF))
    counter = FrameCounter(2, first + status_every_s * rate)
    yield from data_frames(stream, counter, start_time_s, status_every_s)
    end = int(index[-1]) + 1 if len(index) else 0
    stopped = EventFrame(counter.seq & 0xFFFF, EVENT_STOPPED, end & 0xFFFFFFFF)
    yield start_time_s + end / rate + LATENCY_S, bytes(stopped)
