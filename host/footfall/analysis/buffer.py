"""A growable window of recent foot-frame samples addressed by absolute sample index."""

from __future__ import annotations

import numpy as np

from footfall.samples import FloatArray


class SampleWindow:
    """Foot-frame acc/gyr for absolute sample indices [start, end); old samples are dropped with `trim`."""

    def __init__(self, first_index: int = 0) -> None:
        self.start = first_index
        self.acc = np.zeros((0, 3))
        self.gyr = np.zeros((0, 3))
        self.clipped = np.zeros(0, bool)  # the raw accelerometer sat at its full scale here

    @property
    def end(self) -> int:
        return self.start + len(self.acc)

    def append(self, acc_mps2: FloatArray, gyr_radps: FloatArray, clipped: np.ndarray | None = None) -> None:
        self.acc = np.concatenate((self.acc, acc_mps2)) if len(self.acc) else np.array(acc_mps2, float)
        self.gyr = np.concatenate((self.gyr, gyr_radps)) if len(self.gyr) else np.array(gyr_radps, float)
        clip = np.zeros(len(acc_mps2), bool) if clipped is None else clipped
        self.clipped = np.concatenate((self.clipped, clip))

    def trim(self, keep_from: int) -> None:
        """Forget samples before `keep_from` (copies only when at least half the window goes)."""
        drop = min(keep_from, self.end) - self.start
        if drop > 0 and drop * 2 >= len(self.acc):
            self.acc = self.acc[drop:].copy()
            self.gyr = self.gyr[drop:].copy()
            self.clipped = self.clipped[drop:].copy()
            self.start += drop

    def acc_at(self, lo: int, hi: int) -> FloatArray:
        return self.acc[lo - self.start : hi - self.start]

    def gyr_at(self, lo: int, hi: int) -> FloatArray:
        return self.gyr[lo - self.start : hi - self.start]
