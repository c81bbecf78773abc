"""What the virtual shoe's IMU model plays: int16 counts from the virtual runner or from a recording."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from footfall.errors import InputError
from footfall.samples import STANDARD_GRAVITY_MPS2

I64 = NDArray[np.int64]


def scales(imu: str, acc_range_g: int, gyr_range_dps: int) -> tuple[float, float]:
    """(m/s^2, rad/s) per count as the firmware's driver for `imu` reports them (datasheet sensitivities)."""
    acc = acc_range_g * STANDARD_GRAVITY_MPS2 / 32768
    if imu == "mpu6886":
        return acc, gyr_range_dps * math.pi / 180 / 32768
    return acc, gyr_range_dps * 0.035e-3 * math.pi / 180


def to_counts(acc_mps2: NDArray[np.float64], gyr_radps: NDArray[np.float64], acc_mps2_per_count: float,
              gyr_radps_per_count: float) -> I64:
    """SI samples -> (n, 6) int16 counts, clipped as a sensor clips at its range."""
    counts = np.hstack([acc_mps2 / acc_mps2_per_count, np.nan_to_num(gyr_radps) / gyr_radps_per_count])
    return np.clip(np.rint(counts), -32768, 32767).astype(np.int64)


def runner_counts(preset_name: str, side: str, duration_s: float, imu: str = "lsm6dso32",
                  acc_range_g: int = 32, gyr_range_dps: int = 2000, rate_hz: float = 416.0) -> tuple[I64, float]:
    """Counts of one foot of the virtual runner `preset_name` sampled at `rate_hz`, and that rate."""
    from footfall.virtual.runner import preset, simulate

    run = simulate(preset(preset_name, duration_s=duration_s, feet=side if side in "LR" else "L", rate_hz=rate_hz))
    foot = next(iter(run.feet.values()))
    acc_mps2_per_count, gyr_radps_per_count = scales(imu, acc_range_g, gyr_range_dps)
    return to_counts(foot.acc_mps2, foot.gyr_radps, acc_mps2_per_count, gyr_radps_per_count), foot.rate_hz


def recording_counts(path: Path, side: str, imu: str = "lsm6dso32", acc_range_g: int = 32,
                     gyr_range_dps: int = 2000) -> tuple[I64, float]:
    """The samples of the sensor on `side` (or the first) of a .ffr recording as counts of `imu` at its ranges
    (a recording made at other ranges played as its own counts read at half or twice its acceleration), and the
    recording's rate."""
    from footfall.recording.file import open_recording

    rec = open_recording(path)
    sensors = [s for s in rec.sensors.values() if s.side == side] or list(rec.sensors.values())
    if not sensors:
        raise InputError(f"{path} holds no sensor")
    decoder = rec.decoder(sensors[0].id)
    blocks = decoder.feed_many([f.data for f in rec.frames(sensors[0].id)], [f.arrival_time_s for f in
                                                                              rec.frames(sensors[0].id)])
    if not blocks or decoder.status is None:
        raise InputError(f"{path} holds no decodable samples for sensor {sensors[0].id}")
    acc = np.concatenate([b.acc_mps2 for b in blocks])
    gyr = np.concatenate([b.gyr_radps for b in blocks])
    return to_counts(acc, gyr, *scales(imu, acc_range_g, gyr_range_dps)), float(decoder.status.rate_hz)
