"""Sample blocks in SI units: what every source yields and the analyser consumes.

Axes are the foot frame: x toward the toe, y to the left, z up (right-handed); at rest the accelerometer
reads +9.81 m/s^2 on z. Sources that do not know the mounting hand over the sensor frame and let the
analyser auto-align (see analysis/orient.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

STANDARD_GRAVITY_MPS2 = 9.80665

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SampleBlock:
    """Consecutive samples of one sensor, starting at sample index `first_index`.

    `first_index` counts samples since the stream started (unwrapped, so it never goes back). A gap in the
    stream shows as the next block's first_index being larger than this block's end_index; samples are never
    invented to fill it.
    """

    sensor: str  # stable id of the sensor within a session, e.g. "L" or "R" or a BLE address
    side: str  # "L", "R" or "?"
    rate_hz: float
    first_index: int
    acc_mps2: FloatArray  # shape (n, 3)
    gyr_radps: FloatArray  # shape (n, 3); NaN when the sensor has no gyroscope
    meta: dict[str, object] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.acc_mps2.shape != self.gyr_radps.shape or self.acc_mps2.ndim != 2 or self.acc_mps2.shape[1] != 3:
            raise ValueError(f"acc {self.acc_mps2.shape} and gyr {self.gyr_radps.shape} must both be (n, 3)")

    @property
    def n(self) -> int:
        return int(self.acc_mps2.shape[0])

    @property
    def end_index(self) -> int:
        """Index one past the last sample of this block."""
        return self.first_index + self.n

    @property
    def time_s(self) -> FloatArray:
        """Sample times in seconds since stream start (sample index / rate)."""
        return (self.first_index + np.arange(self.n)) / self.rate_hz


def n_samples(seconds: float, rate_hz: float) -> int:
    """A duration as a whole number of samples, at least one."""
    return max(1, int(round(seconds * rate_hz)))
