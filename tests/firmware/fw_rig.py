"""Driver-level rig shared by the firmware tests: a chip model on a bus with a hand-moved clock."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"
if str(FIRMWARE) not in sys.path:
    sys.path.insert(0, str(FIRMWARE))

from footfall.virtual.imu_model import FakeClock, ModelBus, SampleSource  # noqa: E402
from footfall.virtual.imu_model_lsm6dsox import LSM6DSOXModel  # noqa: E402
from footfall.virtual.imu_model_mpu6886 import MPU6886Model  # noqa: E402


def random_counts(n: int, seed: int = 0) -> np.ndarray:
    """n samples of six int16 counts covering the whole range (bit-exactness shows in every bit)."""
    return np.random.default_rng(seed).integers(-32768, 32768, size=(n, 6), dtype=np.int64)


def runner_counts(cadence_spm: float, seconds: float, rate_hz: int) -> np.ndarray:
    """The virtual runner's left foot in LSM6DSO32 counts at +-16 g / 2000 dps."""
    from footfall.virtual.runner import RunnerParams, simulate

    foot = simulate(RunnerParams(cadence_spm=cadence_spm, duration_s=seconds, rate_hz=rate_hz, feet="L")).feet["L"]
    acc = foot.acc_mps2 / (0.488e-3 * 9.80665)
    gyr = np.degrees(foot.gyr_radps) / 70e-3
    return np.clip(np.rint(np.hstack([acc, gyr])), -32768, 32767).astype(np.int64)


class Rig:
    """A driver-level test rig: the chip model on a bus, a hand-moved clock, and the counts it plays."""

    def __init__(self, kind: str = "lsm6dso32", n: int = 3000, seed: int = 0, freq_fine: int = 0,
                 clock_error_frac: float = 0.0, counts: np.ndarray | None = None) -> None:
        self.counts = random_counts(n, seed) if counts is None else counts
        self.clock = FakeClock()
        source = SampleSource(data=self.counts.astype("<i2").tobytes())
        if kind == "mpu6886":
            self.model: Any = MPU6886Model(source, clock_ns=self.clock.ns, clock_error_frac=clock_error_frac)
            self.addr = 0x68
        else:
            self.model = LSM6DSOXModel(source, clock_ns=self.clock.ns, freq_fine=freq_fine)
            self.addr = 0x6A
        self.bus = ModelBus({self.addr: self.model})
        self.kind = kind

    def imu(self) -> Any:
        from imu import make_imu

        return make_imu(self.kind, self.bus, self.addr)

    def expected(self, start: int, n: int) -> np.ndarray:
        idx = (np.arange(start, start + n)) % len(self.counts)
        return self.counts[idx]




class Port:
    """A serial port that takes every byte (what a USB link writes to)."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += bytes(data)
        return len(data)


def make_device(rig: Rig, nslots: int = 64, **settings: Any) -> Any:
    """A Device on the rig's IMU with a small ring, settings saved to a list instead of flash."""
    import config
    from device import Device
    from ring import Ring

    from imu import find_imu

    imu, imu_errno = find_imu(rig.kind, rig.bus, rig.addr)  # as at power-up: errno when the chip is not on the bus
    base = config.Settings("xiao_esp32s3", imu.DEFAULT_RATE_HZ, imu.DEFAULT_ACC_RANGE_G, 2000)
    s = config.merged(base, settings, imu)
    saved: list[dict[str, Any]] = []
    dev = Device(s, imu, Ring(nslots), boards={"xiao_esp32s3": {}}, save=lambda x: saved.append(x.as_dict()),
                 ticks=lambda: rig.clock.t_ns // 1_000_000, imu_errno=imu_errno)
    dev.saved = saved
    return dev


def frames_of(dev: Any) -> list[bytes]:
    """Every frame in the device's ring from its cursor on (advancing the cursor, as a link would)."""
    out = []
    dev.cursor.skip_lost()
    while (f := dev.cursor.peek()) is not None:
        out.append(bytes(f))
        dev.cursor.advance()
    return out
