"""Live landings while the mounting is still being learnt.

The Analyser learns the mounting and the calibration (mounting.py) from the first `align_window_s` (12 s) of a
stream and holds the samples until then, so its landings would start 12 s late and then come in a burst. Live,
a Scout learns a provisional mounting from the first `scout_window_s` (2 s; 1 s more at a time until one shows
gait without a warning) and runs a contact detector of its own on the same samples, for landings only, until
the Analyser has its mounting. No Step comes from it. The Analyser then publishes its own landings from after
the Scout's last one (`last_ic`), so none is published twice.

Deterministic: the Scout learns at fixed sample counts and is fed exactly the samples the Analyser learns
from, so its landings do not depend on block cuts (tests/analysis/test_scout.py). A lost packet is bridged as
the Analyser does; a longer gap ends it (the Analyser's own landings follow once it has the mounting).
"""

from __future__ import annotations

import math

import numpy as np

from footfall.analysis.buffer import SampleWindow
from footfall.analysis.calib import Calibration
from footfall.analysis.clipping import ClipDetector
from footfall.analysis.contacts import ContactDetector
from footfall.analysis.contacts_acc import AccContactDetector
from footfall.analysis.landing import LandingEvent
from footfall.analysis.mounting import learn_mounting
from footfall.analysis.orient import Alignment
from footfall.analysis.params import AnalysisParams
from footfall.samples import FloatArray

_RETRY_S = 1.0  # no usable mounting yet (standing at the start, too few strides): try again with 1 s more


class Scout:
    """Provisional landings of one sensor before its Analyser has learnt the mounting (module docstring)."""

    def __init__(self, params: AnalysisParams, rate_hz: float, clip: ClipDetector) -> None:
        self.params, self.rate_hz, self._clip = params, rate_hz, clip
        self._learn_n = max(1, int(params.scout_window_s * rate_hz))  # the sample count the next attempt learns from
        self._retry_n = max(1, int(_RETRY_S * rate_hz))
        self._mounting: tuple[Alignment, Calibration, bool] | None = None
        self._win: SampleWindow | None = None
        self._det: ContactDetector | AccContactDetector | None = None
        self._raws: list[tuple[int, FloatArray, FloatArray]] = []  # the Analyser's pending samples, as they came
        self._added_n = 0
        self._next, self._pos = 0, 0  # the raw block to feed next, and the samples before it
        self._fed_n = 0  # samples given to the detector so far
        self._ended = False  # a gap: no more landings from the Scout
        self.last_ic = -math.inf  # sample index of its last landing

    def add(self, first: int, acc: FloatArray, gyr: FloatArray) -> None:
        """The samples the Analyser holds back next (references, not copies)."""
        self._raws.append((first, acc, gyr))
        self._added_n += len(acc)

    def feed(self, limit_n: int) -> list[LandingEvent]:
        """The landings found once the first `limit_n` samples added are in (fewer while fewer were added)."""
        if self._ended or (self._mounting is None and not self._learn(limit_n)):
            return []
        while self._next < len(self._raws) and self._fed_n < limit_n and not self._ended:
            first, acc, gyr = self._raws[self._next]
            lo, hi = self._fed_n - self._pos, min(len(acc), limit_n - self._pos)
            self._ingest(first + lo, acc[lo:hi], gyr[lo:hi])
            self._fed_n = self._pos + hi
            if hi == len(acc):
                self._next, self._pos = self._next + 1, self._pos + hi
        events = [] if self._det is None else self._det.pop_landing_events()
        if events:
            self.last_ic = events[-1].ic_index
        return events

    def _learn(self, limit_n: int) -> bool:
        """Learn the provisional mounting at each multiple of the window within `limit_n` until one sees gait."""
        while self._learn_n <= min(limit_n, self._added_n):
            acc = np.concatenate([a for _, a, _ in self._raws])[: self._learn_n]
            gyr = np.concatenate([g for _, _, g in self._raws])[: self._learn_n]
            m = learn_mounting(acc, gyr, self.rate_hz)
            if m.alignment.gait_seen and m.alignment.good:  # a poor one would give wrong landings
                self._mounting = (m.alignment, m.calibration, m.has_gyro)
                return True
            self._learn_n += self._retry_n
        return False

    def _ingest(self, first: int, acc: FloatArray, gyr: FloatArray) -> None:
        assert self._mounting is not None
        align, calibration, has_gyro = self._mounting
        if self._win is None:
            self._win = SampleWindow(first)
            detector = ContactDetector if has_gyro else AccContactDetector
            self._det = detector(self.params, self.rate_hz, first, measure_landings=True)
        assert self._det is not None
        gyr_foot = align.apply(calibration.gyro(gyr) if has_gyro else np.full_like(gyr, np.nan))
        missing = first - self._win.end
        if missing and not (0 < missing <= self.params.max_bridge_s * self.rate_hz and len(self._win.acc)):
            self._ended = True  # a long gap: left to the Analyser
            return
        if missing:  # a lost packet, bridged as the Analyser does
            self._win.bridge(align.apply(acc[:1]), gyr_foot[:1], missing)
        self._win.append(align.apply(acc), gyr_foot, self._clip.flags(acc, gyr))
        self._det.scan(self._win)
        self._win.trim(self._det.keep_from - 1)
