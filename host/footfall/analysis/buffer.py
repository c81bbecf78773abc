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
        self.clipped = np.zeros(0, np.uint8)  # a raw sensor axis sat on its rail here (clipping.ClipDetector)

    @property
    def end(self) -> int:
        return self.start + len(self.acc)

    def append(self, acc_mps2: FloatArray, gyr_radps: FloatArray, clipped: np.ndarray | None = None) -> None:
        self.acc = np.concatenate((self.acc, acc_mps2)) if len(self.acc) else np.array(acc_mps2, float)
        self.gyr = np.concatenate((self.gyr, gyr_radps)) if len(self.gyr) else np.array(gyr_radps, float)
        clip = np.zeros(len(acc_mps2), np.uint8) if clipped is None else clipped
        self.clipped = np.concatenate((self.clipped, clip))

    def bridge(self, acc_next: FloatArray, gyr_next: FloatArray, missing: int) -> None:
        """Fill `missing` samples by linear interpolation from the last sample to the next one (`*_next`, (1, 3)
        foot frame), so one lost radio packet does not end a bout."""
        t = (np.arange(1, missing + 1) / (missing + 1))[:, None]
        self.append(self.acc[-1] + t * (acc_next - self.acc[-1]), self.gyr[-1] + t * (gyr_next - self.gyr[-1]))

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


class WindowSeries:
    """A per-sample series derived from a SampleWindow's samples, by absolute index: computed once per newly
    appended stretch and then sliced, for a detector that reads it over overlapping ranges many times.

    Subclasses give `direct` (the values over [lo, hi) computed from the samples, needing `half` samples of
    context on both sides) as a per-sample computation, so that each value does not depend on the range it
    was computed in: cached and direct values are bit-identical, whatever the block cuts.
    """

    half = 0

    def __init__(self) -> None:
        self._win: SampleWindow | None = None
        self._lo = 0  # absolute index of _vals[0]
        self._vals = np.zeros(0)

    def direct(self, win: SampleWindow, lo: int, hi: int) -> FloatArray:
        raise NotImplementedError

    def at(self, win: SampleWindow, lo: int, hi: int) -> FloatArray:
        """The values over [lo, hi) (a read-only view when cached; computed directly outside the cache)."""
        if win is not self._win:  # a new window (new segment): start over
            self._win, self._lo, self._vals = win, win.start + self.half, np.zeros(0)
        end = self._lo + len(self._vals)
        if hi > end and end < win.end - self.half:
            self._extend(win, end)
            end = self._lo + len(self._vals)
        if lo < self._lo or hi > end:
            return self.direct(win, lo, hi)
        return self._vals[lo - self._lo : hi - self._lo]

    def _extend(self, win: SampleWindow, end: int) -> None:
        if end - self.half < win.start:  # not read while the window dropped the samples it needs: start over
            self._lo, self._vals, end = win.start + self.half, np.zeros(0), win.start + self.half
        keep = max(0, min(win.start, end) - self._lo)  # values of samples the window has dropped go too ...
        if keep * 2 < len(self._vals):  # ... once they are half the cache (as SampleWindow.trim copies)
            keep = 0
        self._vals = np.concatenate((self._vals[keep:], self.direct(win, end, win.end - self.half)))
        self._vals.flags.writeable = False
        self._lo += keep


class CentredMean(WindowSeries):
    """Centred moving mean over 2*half+1 samples of `sign * gyr[:, axis]`: each value is the same np.convolve
    dot product over the same samples however the range is cut (checked in tests/analysis/test_contacts_speed.py)."""

    def __init__(self, half: int, axis: int, sign: float = 1.0) -> None:
        super().__init__()
        self.half, self.axis, self.sign = half, axis, sign
        self.kernel = np.ones(2 * half + 1) / (2 * half + 1)

    def direct(self, win: SampleWindow, lo: int, hi: int) -> FloatArray:
        raw = self.sign * win.gyr_at(lo - self.half, hi + self.half)[:, self.axis]
        return raw if self.half == 0 else np.convolve(raw, self.kernel, mode="valid")


class GyrEnergy(WindowSeries):
    """Squared angular rate |gyr|^2 (rad^2/s^2) per sample."""

    def direct(self, win: SampleWindow, lo: int, hi: int) -> FloatArray:
        g = win.gyr_at(lo, hi)
        return np.einsum("ij,ij->i", g, g)
