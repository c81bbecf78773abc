"""Accelerometer-only contact detection, for sensors without a gyroscope (steps flagged "acc_only").

Without the pitch rate there is no toe-off signature and no swing peak, only two robust facts: in mid-stance
the foot is still (specific force ~1 g and steady), and a landing is the largest jerk shortly before the foot
comes to rest again. So:

- still = | |a| - g | < `acc_still_tol_mps2` with a steady magnitude (range < `acc_steady_mps2` over 40 ms), held at
  least `acc_min_still_s` (a running foot is still for only ~25-40 ms of its foot-flat);
- IC = the onset (first sample at half the peak) of the largest jerk in the 0.2 s before a still period
  starts (the swing itself is smooth; the impact is the contact); a still period with no jerk standing out
  before it (5x the median jerk over that look-back and the still period together: a real heel strike at
  100 Hz rings over much of the look-back alone) is not a new stance;
- a landing needs a swing before it: an IC less than `acc_min_swing_s` (0.3 s, about the shortest swing of
  walking or running) after the previous stance's still period ended is not a new stance. In mid-swing the
  foot passes an instant where it barely accelerates and is nearly level, which looks still for 20-70 ms
  (ipol-walking, 100 Hz: 0.24-0.26 s after the stance ended, the next stance starts 0.45 s or more after it);
- the foot leaves the ground some time after the still period ends; that instant is not observable without
  the gyroscope, so the Step's toe-off and contact time stay NaN. The end of the still period (heel-off) is
  handed to the stride measures only as the window's "toe-off" border they need.

Like ContactDetector, decisions use samples at fixed indices once they are present: chunking-invariant.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.ndimage import maximum_filter1d, minimum_filter1d

from footfall.analysis.buffer import SampleWindow
from footfall.analysis.contacts import Contact
from footfall.analysis.landing import LandingEvent, LandingQueue
from footfall.analysis.params import AnalysisParams
from footfall.analysis.series import runs
from footfall.samples import STANDARD_GRAVITY_MPS2, n_samples



class AccContactDetector:
    """Same interface as ContactDetector: `scan`, `finish`, `keep_from`, `landings`."""

    def __init__(self, params: AnalysisParams, rate_hz: float, first_index: int, measure_landings: bool = True) -> None:
        """`measure_landings`: measure each provisional landing (impact, strike angle) for
        `pop_landing_events`; off when nobody reads them (offline analysis: ~8% of its time)."""
        self.measure_landings = measure_landings
        self.p, self.rate_hz = params, rate_hz
        n = lambda s: n_samples(s, rate_hz)  # noqa: E731
        self.half, self.min_still_n, self.lookback_n = n(0.02), n(params.acc_min_still_s), n(params.acc_impact_lookback_s)
        self.max_stride_n, self.min_swing_n, self.merge_n = n(params.max_stride_s), n(params.acc_min_swing_s), n(params.acc_merge_s)
        self.cursor = first_index + self.lookback_n + self.half
        self.last: tuple[float, int, int] | None = None  # (ic, still start, still end) of the pending contact
        self.landing_queue = LandingQueue(rate_hz)  # with impact; no strike angle without the gyroscope

    @property
    def keep_from(self) -> int:
        oldest = self.cursor if self.last is None else min(self.cursor, int(self.last[0]), self.last[1])
        return self.landing_queue.keep_from(oldest - self.lookback_n - 2 * self.half - 2)

    @property
    def settled_index(self) -> float:
        """Every contact whose IC lies before this sample has been returned (see ContactDetector)."""
        reach = self.cursor if self.last is None else min(self.cursor, self.last[0])
        return reach - self.lookback_n - self.half - 1

    def _still(self, win: SampleWindow, lo: int, hi: int) -> np.ndarray:
        norm = np.linalg.norm(win.acc_at(lo - self.half, hi + self.half), axis=1)
        span = 2 * self.half + 1
        steady = (maximum_filter1d(norm, span) - minimum_filter1d(norm, span))[self.half : -self.half]
        return (np.abs(norm[self.half : -self.half] - STANDARD_GRAVITY_MPS2) < self.p.acc_still_tol_mps2) & (
            steady < self.p.acc_steady_mps2
        )

    def scan(self, win: SampleWindow) -> list[Contact]:
        found = self._scan(win)
        self.landing_queue.resolve(win)
        return found

    def _scan(self, win: SampleWindow) -> list[Contact]:
        hi = win.end - self.half
        if hi - self.cursor < 1:
            return []
        found: list[Contact] = []
        still = self._still(win, self.cursor, hi)
        starts, ends = runs(still)
        for s, e in zip(starts, ends):
            if e == len(still):  # still running at the end of the data: its end is not known yet
                self.cursor += int(s)
                return found
            if e - s >= self.min_still_n:
                self._rest(win, self.cursor + int(s), self.cursor + int(e), found)
        self.cursor = hi
        return found

    def _rest(self, win: SampleWindow, start: int, end: int, found: list[Contact]) -> None:
        if self.last is not None and start - self.last[2] < self.merge_n:  # the same stance, interrupted
            self.last = (self.last[0], self.last[1], end)
            return
        ic = self._landing(win, start, end)
        if ic is None or (self.last is not None and ic - self.last[2] < self.min_swing_n):
            return  # no landing before this calm, or no time for a swing since the last stance
        if self.last is not None:
            prev_ic, prev_start, prev_end = self.last
            if ic - prev_ic < self.max_stride_n and prev_end < ic:
                found.append(Contact(prev_ic, float(prev_end), (prev_start + prev_end) // 2, math.nan))
        if self.measure_landings:
            self.landing_queue.add(ic)
        self.last = (ic, start, end)

    def _landing(self, win: SampleWindow, start: int, end: int) -> float | None:
        """IC of the landing before the still period [start, end): the onset of the largest jerk in the
        look-back, if it stands out from the jerk of the look-back and the still period; else None."""
        jerk = np.linalg.norm(np.diff(win.acc_at(start - self.lookback_n, start + 1), axis=0), axis=1)
        calm = np.linalg.norm(np.diff(win.acc_at(start, end), axis=0), axis=1)
        if jerk.max() < self.p.acc_impact_ratio * np.median(np.concatenate((jerk, calm))):
            return None
        return float(start - self.lookback_n + int(np.flatnonzero(jerk >= 0.5 * jerk.max())[0]))

    def finish(self, win: SampleWindow) -> list[Contact]:
        """End of stream or a gap: the pending contact (its stance was seen) goes out."""
        found = [] if self.last is None else [Contact(self.last[0], float(self.last[2]), sum(self.last[1:]) // 2, math.nan)]
        self.last = None
        self.landing_queue.resolve(win, final=True)
        return found

    def pop_landing_events(self) -> list[LandingEvent]:
        return self.landing_queue.pop()
