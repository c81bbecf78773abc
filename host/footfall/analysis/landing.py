"""Landings: each step's first record, emitted `LANDING_DELAY_S` (120 ms) after its initial contact.

The full Step needs its toe-off (contact time, stride, overstride: it goes out once the next swing is confirmed,
contact time + ~0.2 s after IC); a live cue cannot wait that long. The contact detector knows the IC at the
pitch-rate zero crossing (a touchdown before the crossing, shown by a heel drop or the foot standing flat, at
once: docs/algorithms.md; a running one timed by its impact near the crossing once that impact is settled, see
`LandingQueue`), and `LANDING_DELAY_S` after it the samples hold the impact and, in running, usually the
foot-flat that follows the strike. So each landing carries the IC time and:

- `impact_g`: the peak |specific force| from 10 ms before to 50 ms after IC, in g (the window of the Step's
  impact, stride.StrideParams.impact_before_s / impact_after_s);
- `strike_angle_deg`: provisional sagittal strike angle, the foot's pitch at IC relative to the foot-flat that
  follows, = -integral of the toe-up rate from IC to foot-flat (+ toe up at IC, i.e. heel first). Foot-flat
  is the least angular rate (20 ms smoothed) after the landing rotation (the heel drop of a forefoot strike,
  the foot slap of a rearfoot one: the largest rate in the window) and before `LANDING_DELAY_S` after IC;
  it only counts when
  the foot has really settled there (rate below `FOOT_FLAT_RATE_RADPS`, not still falling at the window's
  end); otherwise NaN (walking: the foot-flat comes later). The Step's angle (integrated 3-D orientation,
  levelled at the mid-stance rest) replaces it;
- `pattern` and `pattern_confidence` from that angle (strike.py, Altman & Davis thresholds). When the foot
  is still rotating towards flat at the window's end, the rotation so far is a bound on the angle (the rest
  of the slap or heel drop only adds to it): beyond a threshold it settles the pattern although the angle
  waits for the Step (a heel strike that has already turned 8 deg is rearfoot; a forefoot landing whose heel
  has dropped 1.6 deg is forefoot). Otherwise UNKNOWN;
- `cadence_spm`: 2 x 60 / the time since this foot's previous landing (one foot: steps = 2 x strides), NaN
  across a pause.

Deterministic: computed once the samples up to IC + `LANDING_DELAY_S` are present (or at the end of the
stream), so the same recording gives the same landings whatever its block cuts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from footfall.analysis.buffer import SampleWindow
from footfall.analysis.cadence import stride_cadence_spm
from footfall.analysis.impact import impact_onset, settled_impact_onset
from footfall.analysis.step import Pattern
from footfall.analysis.stride import StrideParams
from footfall.analysis.strike import classify, confidence
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray, n_samples

LANDING_DELAY_S = 0.12  # a landing is reported this long after its IC (live cue target: <= 150 ms)
_STEP = StrideParams()  # the landing measures what the Step measures, the same way
IMPACT_BEFORE_S, IMPACT_AFTER_S = _STEP.impact_before_s, _STEP.impact_after_s
FOOT_FLAT_RATE_RADPS = 2.0  # a running foot at foot-flat turns slower than this (it never fully rests)
_SMOOTH_S = 0.02
STRIKE_SIGMA_DEG = _STEP.strike_sigma_deg  # the provisional angle's error, for the pattern confidence


@dataclass(frozen=True)
class Landing:
    """One foot strike as known `LANDING_DELAY_S` after it; NaN = not known yet (see the module docstring)."""

    sensor: str
    ic_time_s: float
    impact_g: float
    strike_angle_deg: float
    pattern: Pattern = Pattern.UNKNOWN
    pattern_confidence: float = math.nan  # none for an unknown pattern
    cadence_spm: float = math.nan
    side: str = "?"


@dataclass(frozen=True)
class LandingEvent:
    """A Landing before the sensor's name is attached (the contact detector does not know it)."""

    ic_index: float  # fractional absolute sample index
    impact_g: float
    strike_angle_deg: float
    strike_bound_deg: float = math.nan  # the rotation so far when the foot was not flat yet (module doc)

    def landing(self, sensor: str, side: str, rate_hz: float, stride_s: float) -> Landing:
        """The record, given this foot's time since its previous landing (NaN across a pause)."""
        angle, cadence_spm = self.strike_angle_deg, stride_cadence_spm(stride_s)
        known = angle if math.isfinite(angle) else self.strike_bound_deg
        pattern = classify(known)
        if not math.isfinite(angle) and pattern is Pattern.MIDFOOT:
            pattern = Pattern.UNKNOWN  # a bound inside the midfoot band says nothing yet
        conf = confidence(known, STRIKE_SIGMA_DEG) if pattern is not Pattern.UNKNOWN else math.nan
        return Landing(sensor, self.ic_index / rate_hz, self.impact_g, angle, pattern, conf, cadence_spm, side)


def measure_landing(win: SampleWindow, ic: float, rate_hz: float) -> LandingEvent:
    """Impact and provisional strike angle of the landing at sample `ic`, from the samples present."""
    i = int(math.floor(ic))
    acc = win.acc_at(max(win.start, i - n_samples(IMPACT_BEFORE_S, rate_hz)), min(win.end, i + n_samples(IMPACT_AFTER_S, rate_hz) + 1))
    impact = float(np.max(np.linalg.norm(acc, axis=1))) / STANDARD_GRAVITY_MPS2 if len(acc) else math.nan
    return LandingEvent(ic, impact, *_strike_angle_deg(win, ic, rate_hz, n_samples(LANDING_DELAY_S, rate_hz), n_samples(_SMOOTH_S, rate_hz)))


def _strike_angle_deg(win: SampleWindow, ic: float, rate_hz: float, reach_n: int, smooth_n: int
                      ) -> tuple[float, float]:  # fmt: skip
    """(provisional strike angle, NaN) once the foot is flat; else (NaN, the bound: the rotation so far while
    the foot still turns towards flat, NaN otherwise)."""
    i = int(math.floor(ic))
    if i < win.start or i + reach_n > win.end or reach_n <= smooth_n + 2:
        return math.nan, math.nan
    g = win.gyr_at(i, i + reach_n)
    energy = np.convolve(np.einsum("ij,ij->i", g, g), np.ones(smooth_n) / smooth_n, mode="valid")
    peak = int(np.argmax(energy))  # the landing rotation (heel drop or foot slap); foot-flat comes after it
    k = peak + int(np.argmin(energy[peak:]))
    w = -g[:, 1]  # toe-up rate
    if k == len(energy) - 1 or energy[k] > FOOT_FLAT_RATE_RADPS**2:  # not flat yet (walking, a long roll)
        so_far = _rotation_deg(w, ic - i, rate_hz)
        # a bound only while the foot has turned one way since IC and still does (toe-down after a heel
        # strike, toe-up after a forefoot one): a heel drop followed by the push-off is neither
        one_way = -w.min() < FOOT_FLAT_RATE_RADPS if so_far < 0 else w.max() < FOOT_FLAT_RATE_RADPS
        still_turning = so_far * w[-smooth_n:].mean() < 0
        return math.nan, so_far if one_way and still_turning else math.nan
    return _rotation_deg(w[: k + smooth_n // 2 + 1], ic - i, rate_hz), math.nan  # to the centre of foot-flat


def _rotation_deg(w: FloatArray, frac: float, rate_hz: float) -> float:
    """-integral of the toe-up rate `w` from IC (`frac` of a sample after w[0]) to w's last sample: the
    foot's pitch at IC relative to that instant, + toe up."""
    if len(w) < 2:
        return math.nan
    pitch_change = np.sum(0.5 * (w[1:] + w[:-1])) - frac * 0.5 * (w[0] + w[1])
    return -math.degrees(pitch_change / rate_hz)


class LandingQueue:
    """Landings seen by a contact detector, measured once `LANDING_DELAY_S` of samples after each IC are in.

    A running landing timed by its impact (`add_impact_timed`) gets its provisional IC as soon as the samples
    settle it (impact.settled_impact_onset: the impact has stopped ringing and no burst still to come could lie
    nearer the pitch-rate zero crossing), at the latest when the detector's whole impact window (120 ms past
    the crossing) is in: then it is the detector's own impact onset. Settling is checked at every sample end in
    turn, so the IC does not depend on how the samples were cut into blocks. Waiting for the whole window
    instead held back a flat landing, whose pitch rate crosses zero ~40 ms after touchdown, to 166 ms after IC."""

    def __init__(self, rate_hz: float, impact_n: int = 0, burst_gap_n: int = 1) -> None:
        """`impact_n`: the detector's impact window after the crossing; `burst_gap_n`: jerk samples closer than
        this belong to one burst (contacts.ContactDetector)."""
        self.rate_hz = rate_hz
        self.delay_n = n_samples(LANDING_DELAY_S, rate_hz)
        self.impact_n, self.burst_gap_n = impact_n, burst_gap_n
        self._timing: list[tuple[int, int, int]] = []  # (zero crossing, window start, next window end to try)
        self._waiting: list[float] = []
        self._ready: list[LandingEvent] = []

    def add(self, ic: float) -> None:
        self._waiting.append(ic)

    def add_impact_timed(self, zero: int, lo: int) -> None:
        """A landing whose IC is the impact nearest the zero crossing at sample `zero`, searched from `lo` to
        `impact_n` samples after the crossing."""
        self._timing.append((zero, lo, zero + 2))

    def keep_from(self, other: int) -> int:
        """`other`, or the oldest sample a waiting landing still needs if that is earlier."""
        oldest = [lo for _, lo, _ in self._timing]
        oldest += [int(math.floor(ic)) - n_samples(IMPACT_BEFORE_S, self.rate_hz) - 1 for ic in self._waiting]
        return min([other, *oldest])

    def resolve(self, win: SampleWindow, final: bool = False) -> None:
        """Time and measure every waiting landing whose samples are in (all of them at the end of the stream;
        one whose impact window was not in by then is dropped, as its contact is)."""
        self._time_impacts(win)
        if final:
            self._timing = []
        keep = []
        for ic in self._waiting:
            if final or int(math.floor(ic)) + self.delay_n <= win.end:
                self._ready.append(measure_landing(win, ic, self.rate_hz))
            else:
                keep.append(ic)
        self._waiting = keep

    def _time_impacts(self, win: SampleWindow) -> None:
        """Give each impact-timed landing its IC once settled; move it to the landings waiting to be measured."""
        keep = []
        for zero, lo, first_end in self._timing:
            full = zero + self.impact_n + 1
            end = min(win.end, full)
            acc, onset = win.acc_at(lo, end), None
            for stop in range(first_end, end + 1):  # every window end in turn: the same IC for any block cut
                onset = settled_impact_onset(acc[: stop - lo], zero - lo, self.burst_gap_n)
                if onset is not None:
                    break
            if onset is None and end == full:
                onset = impact_onset(acc, zero - lo, self.burst_gap_n)
            if onset is None:
                keep.append((zero, lo, max(first_end, end + 1)))
            else:
                self._waiting.append(lo + onset)
        self._timing = keep

    def pop(self) -> list[LandingEvent]:
        """The landings measured since the last call, in IC order (an impact-timed one is timed after the
        touchdowns found in the same block; the next one comes only after its whole impact window)."""
        out, self._ready = sorted(self._ready, key=lambda e: e.ic_index), []
        return out
