"""Streaming initial-contact (IC), toe-off (TO) and mid-stance detection from the foot's pitch rate.

Signal: the toe-up pitch rate w = -gyr_y in the foot frame (rotation about +y, the left axis, turns the toe
down). One gait cycle of w reads: ~0 at foot-flat, a negative dip at push-off (the fastest plantar flexion,
toe-off), a large positive swing peak (the foot pitches toe-up as it swings through), a fall through zero as
the foot stops pitching up and lands, a negative foot-slap, ~0 at foot-flat again.

- Swing: w above `swing_rate_radps` for at least `swing_confirm_s` (the mid-swing peak of Rampp et al. 2015 /
  Herzer's find-peaks search; the confirmation time rejects short heel-drop blips of forefoot landings).
  A longer heel drop that would leave the contact shorter than `min_contact_s` is skipped, not a swing.
- IC: the first downward zero crossing of w after the swing, linearly interpolated between samples: the
  foot's toe-up rotation is stopped by the ground (the gyr_ml zero crossing used by Rampp et al. 2015 as the
  heel-strike candidate; Hannink et al. 2017; it matches mocap IC within a few ms in walking, see
  docs/validation.md). In running the landing impact (impact.py) nearest the crossing, from
  `ic_impact_before_s` before it to `ic_impact_search_s` after it, is taken instead: a rearfoot lander
  starts to plantar-flex in the air (crossing before contact), a forefoot lander keeps pitching toe-up
  through its heel drop (crossing after contact). A touchdown before the crossing is recognised by the heel
  drop or the foot standing flat right after a hard impact, and that impact is the IC even when the heel
  contact rings nearer the crossing (`_touchdown`).
- TO: the release of the push-off. The fastest plantar flexion (the minimum of w in the `to_search_s` before
  the swing starts: Falbriard et al. 2018's "minimum of the pitch angular velocity"; Herzer/gaitmap's gyr_ml
  minimum) comes while the forefoot still pushes: 12 ms before the mocap toe-off in walking, ~20 ms before
  the force-plate toe-off in running (docs/validation.md). The toe leaves when the ground stops pushing it
  up: the vertical specific force, high through the push-off, falls. So from the fastest plantar flexion
  the vertical (foot z) specific force, smoothed like w, is followed over its push-off peak (it may still
  rise for `to_release_peak_s`) and down its fall to the next trough; TO = the steepest point of that fall,
  the mirror of the landing impact that times IC (Hreljac & Marshall 2000 time toe-off by the toe's
  acceleration extreme; Falbriard et al. 2018 list the vertical acceleration among the TC features). A
  specific force still rising longer than that (no push-off release seen: a foot lifted rather than pushed
  off) keeps the fastest plantar flexion. TO never precedes the fastest plantar flexion nor follows the
  swing start.
- Pivot steps (U-turns): the foot turns about the vertical and hardly pitches; yaw above `turn_rate_radps`
  for `turn_confirm_s`, then a calm foot, all before any pitch swing: TO = yaw start, IC = yaw end.
- Mid-stance (foot flat): the minimum of the smoothed angular-rate energy between IC and TO (the min_vel
  event of Rampp et al. 2015), at a sample whose whole smoothing window lies inside the contact.

Look-ahead: a contact is known once the next swing is confirmed, i.e. TO + (time for w to rise above the
threshold) + `swing_confirm_s`, typically 60-100 ms after toe-off; from IC that is contact time + ~80 ms.
Each landing is published for live cues before that (landing.py): at the crossing, or once its impact is
settled (running: landing.LandingQueue), or at once for a touchdown before the crossing (`_touchdown`).

Everything is decided from samples at fixed absolute indices and only once those samples are present, so
any chunking of the input gives the same contacts. Loops run over events (a few per second), never samples.

References: Rampp A. et al. (2015) IEEE TBME 62(4):1089-1097. Hannink J. et al. (2017) IEEE JBHI 21(1):85-93.
Falbriard M. et al. (2018) Front. Physiol. 9:610. Skog I. et al. (2010) IEEE TBME 57(11):2657-2666.
Hreljac A., Marshall R.N. (2000) J. Biomech. 33(6):783-786.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np

from footfall.analysis.buffer import CentredMean, GyrEnergy, SampleWindow
from footfall.analysis.impact import anchors, impact_onset, late_swing, peak_jerk, turns_up
from footfall.analysis.landing import LandingEvent, LandingQueue
from footfall.analysis.params import AnalysisParams
from footfall.analysis.series import refine_min, runs
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray, n_samples

_SEEK, _SWING = 0, 1
Wait = enum.Enum("Wait", "WAIT")  # "the data ends before this can be decided": typed, unlike a bare object()
_WAIT = Wait.WAIT
# |a|^2 bounds of a foot standing flat: gravity within 2 m/s^2 (in the air the foot decelerates at 2-8 g)
_FLAT_ACC_SQ = ((STANDARD_GRAVITY_MPS2 - 2.0) ** 2, (STANDARD_GRAVITY_MPS2 + 2.0) ** 2)


@dataclass(frozen=True)
class Contact:
    """One ground contact; times as fractional absolute sample indices (NaN when not found)."""

    ic_index: float
    to_index: float  # NaN when the foot stayed down (standing) or the stream ended
    ms_index: int  # mid-stance (foot-flat) sample
    swing_peak_radps: float  # peak toe-up rate of the swing before this IC


class ContactDetector:
    """Feed it a growing SampleWindow with `scan`; it returns each contact once its toe-off is known."""

    def __init__(self, params: AnalysisParams, rate_hz: float, first_index: int, measure_landings: bool = True) -> None:
        """`measure_landings`: measure each provisional landing (impact, strike angle) for
        `pop_landing_events`; off when nobody reads them (offline analysis: ~8% of its time)."""
        self.measure_landings = measure_landings
        self.p, self.rate_hz = params, rate_hz
        n = lambda s: n_samples(s, rate_hz)  # noqa: E731
        self.half = max(0, int(round(params.smooth_s * rate_hz)))
        self.confirm_n, self.min_contact_n = n(params.swing_confirm_s), n(params.min_contact_s)
        self.max_contact_n, self.max_swing_n = n(params.max_contact_s), n(params.max_swing_s)
        self.to_search_n, self.impact_n = n(params.to_search_s), n(params.ic_impact_search_s)
        self.turn_confirm_n = n(params.turn_confirm_s)
        self.release_peak_n = int(round(params.to_release_peak_s * rate_hz))
        sigma = max(params.smooth_s * rate_hz / math.sqrt(3.0), 1e-9)  # a box of 2 smooth_s, at any rate
        k = np.exp(-0.5 * (np.arange(-self.half, self.half + 1) / sigma) ** 2)
        self._release_kernel = k / k.sum()
        self.impact_before_n = n(params.ic_impact_before_s)
        self.phase, self.cursor = _SEEK, first_index + self.half
        self.swing_start = -1
        self.ic = math.nan
        self.peak = math.nan
        self.prev_ic = math.nan  # zero crossing of the previous contact, for the duty factor
        self.zero_i = -1
        self.was_running = False  # the last complete contact was a running one
        self._early: float | None = None  # IC of the pending landing when it touched down before its crossing
        self._awaits_impact = False  # the pending contact is timed by the impact after its crossing
        self._impact_jerk = math.inf  # peak jerk of the last running contact's impact
        self.max_stride_n = n(params.max_stride_s)
        self.standing_n = n(params.standing_rest_s)
        self._rate = CentredMean(self.half, axis=1, sign=-1.0)  # the toe-up rate -gyr_y
        self._energy = GyrEnergy()  # |gyr|^2: rest, calm and mid-stance tests
        self._ms_half = max(1, int(0.02 * rate_hz))  # mid-stance energy smoothing half-width
        self._burst_gap_n = max(1, int(0.02 * rate_hz))  # samples of one impact burst are closer than 20 ms
        self._settle_reach_n = n_samples(params.settle_reach_s, rate_hz)
        self._rest_sq = params.rest_rate_radps**2  # |gyr|^2 of a foot at rest
        # the same landings with impact and strike angle (landing.py)
        self.landing_queue = LandingQueue(rate_hz, self.impact_n, self._burst_gap_n)

    @property
    def keep_from(self) -> int:
        """Oldest sample the detector may still read."""
        oldest = self.cursor if math.isnan(self.ic) else min(self.cursor, int(self.ic))
        if self.phase == _SWING:
            oldest = min(oldest, self.swing_start)
        return self.landing_queue.keep_from(oldest - self.to_search_n - self.half - 2)

    @property
    def settled_index(self) -> float:
        """Every contact whose IC lies before this sample has been returned: a pending contact waits for its
        toe-off, and a landing not found yet may be timed by its impact up to `ic_impact_before_s` before
        the zero crossing the cursor is still looking for."""
        reach = self.cursor if math.isnan(self.ic) else min(self.cursor, self.ic)
        return reach - self.impact_before_n - self.half - 1

    def toe_up_rate(self, win: SampleWindow, lo: int, hi: int) -> FloatArray:
        """Centred moving mean of -gyr_y over [lo, hi) (read-only); needs `half` samples of context on both
        sides. Smoothed once per appended stretch and sliced (buffer.CentredMean): read ~5 times per stride."""
        return self._rate.at(win, lo, hi)

    def scan(self, win: SampleWindow) -> list[Contact]:
        found: list[Contact] = []
        while True:
            before = (self.phase, self.cursor)
            if self.phase == _SEEK:
                self._seek_swing(win, found)
            else:
                self._seek_landing(win)
            if (self.phase, self.cursor) == before:
                self.landing_queue.resolve(win)
                return found

    def finish(self, win: SampleWindow) -> list[Contact]:
        """End of stream (or a gap): the pending contact ends without a toe-off."""
        found = []
        impact_missing = self._awaits_impact and self.zero_i + self.impact_n + 1 > win.end
        if not math.isnan(self.ic) and not impact_missing and int(self.ic) + self.min_contact_n < win.end - self.half:
            if self.was_running:  # the bout was running: its last landing is timed by the impact too
                self.ic = self._running_ic(win)
            found.append(self._contact(win, math.nan, min(win.end - self.half, int(self.ic) + self.max_contact_n)))
        self.ic, self.phase, self.prev_ic, self.was_running, self._early = math.nan, _SEEK, math.nan, False, None
        self._awaits_impact = False
        self.landing_queue.resolve(win, final=True)
        return found

    def pop_landing_events(self) -> list[LandingEvent]:
        """Landings measured since the last call (impact, provisional strike angle): see analysis/landing.py."""
        return self.landing_queue.pop()

    # --- phases
    def _seek_swing(self, win: SampleWindow, found: list[Contact]) -> None:
        hi = win.end - self.half
        limit = hi if math.isnan(self.ic) else min(hi, int(self.ic) + self.max_contact_n + self.confirm_n)
        if limit - self.cursor >= 1:
            w = self.toe_up_rate(win, self.cursor, limit)
            pitch = self._first_run(w > self.p.swing_rate_radps, self.confirm_n, limit == hi)
            before = -pitch - 1 if pitch < 0 else pitch  # pivots only count before the next pitch swing
            # a pitch run still growing may yet turn out a blip: decide nothing that a longer region could change
            pivot = self._pivot(win, self.cursor, self.cursor + before, limit == hi and (pitch < 0 or before == len(w)))
            if pivot is _WAIT:
                return
            if isinstance(pivot, tuple):
                self._pivot_landed(win, pivot, found)
                return
            weak = self._weak_swing(win, w, before, limit == hi)
            if weak is _WAIT:
                return
            if isinstance(weak, int):
                self._swing_confirmed(win, self.cursor + weak, found)
                return
            if pitch < 0:  # a run still growing at the end of the data: wait for it
                self.cursor += -pitch - 1
                return
            if pitch < len(w):
                self._swing_confirmed(win, self.cursor + pitch, found)
                return
            self.cursor = limit
        if limit < hi and not math.isnan(self.ic):  # no swing within max_contact: standing still
            found.append(self._contact(win, math.nan, int(self.ic) + self.max_contact_n))
            self.ic, self.prev_ic = math.nan, math.nan

    def _weak_swing(self, win: SampleWindow, w: FloatArray, before: int, at_data_end: bool) -> int | Wait | None:
        """Offset in `w` (which starts at the cursor) of a slow last swing into standing, before the first full
        swing at offset `before`; _WAIT while the data cannot decide yet.

        The last step of a walk (the trailing foot placed beside the other) is short and slow: its toe-up
        rate peaks at 1.3-1.9 rad/s where steady walking swings peak at 3 rad/s and more (ipol-walking). So a
        toe-up run above `start_swing_rate_radps` for `swing_confirm_s` is a swing too when it follows a
        push-off (toe-up rate below minus that rate within `to_search_s` before it) and the foot then stands:
        at rest for `standing_rest_s` (longer than any foot-flat of walking) starting within `to_search_s`
        after the run. Standing is what makes the lower threshold safe: gait never rests that long, so
        steady walking and running keep the full threshold. (The first step out of standing is as slow; the
        mirror rule finds those too but is left out: see docs/algorithms.md.)"""
        starts, ends = runs(w > self.p.start_swing_rate_radps)
        for s, e in zip(starts, ends):
            if s >= before or e > before:  # from here on it is the full swing (or its rise)
                break
            if e == len(w) and at_data_end:  # may still grow, or become a full swing
                return _WAIT
            if e - s < self.confirm_n:
                continue
            start = self.cursor + int(s)
            lo = max(win.start + self.half, start - self.to_search_n)
            if not math.isnan(self.ic):
                lo = max(lo, int(self.ic) + self.min_contact_n)
            if lo >= start or np.min(self.toe_up_rate(win, lo, start)) > -self.p.start_swing_rate_radps:
                continue
            standing = self._standing_at(win, self.cursor + int(e))
            if standing is _WAIT:
                return _WAIT
            if standing:
                return int(s)
        return None

    def _standing_at(self, win: SampleWindow, swing_end: int) -> bool | Wait:
        """The foot comes to rest for `standing_rest_s` within `to_search_s` after `swing_end`: yes as soon as
        such a rest is in the samples, no once the samples to tell are all there (_WAIT until then)."""
        hi = swing_end + self.to_search_n + self.standing_n
        end = min(hi, win.end - self.half)
        starts, ends = runs(self._energy.at(win, swing_end, max(swing_end, end)) < self._rest_sq)
        if any(e - s >= self.standing_n and s <= self.to_search_n for s, e in zip(starts, ends)):
            return True
        return False if end == hi else _WAIT

    def _pivot(self, win: SampleWindow, lo: int, hi: int, at_data_end: bool) -> tuple[int, int] | Wait | None:
        """A pivot step (a U-turn step turns the foot about the vertical and hardly pitches it): yaw rate above
        `turn_rate_radps` for `turn_confirm_s`, followed within 0.3 s by a calm foot (|rate| < 1 rad/s for
        0.1 s: it stands again), all before the next pitch swing (`hi`). Returns (start, end) of the yaw run,
        _WAIT when the region ends at the end of the data before this can be decided."""
        if hi <= lo:
            return None
        turning = np.abs(win.gyr_at(lo, hi)[:, 2]) > self.p.turn_rate_radps
        if not turning.any():
            return None
        starts, ends = runs(turning)
        calm = self._energy.at(win, lo, hi) < self._rest_sq
        calm_n, reach = self.turn_confirm_n, self.turn_confirm_n * 3
        for s, e in zip(starts, ends):
            if e == len(calm) and at_data_end:  # the yaw run may still grow
                return _WAIT
            if e - s < self.turn_confirm_n:
                continue
            if e + reach + calm_n > len(calm) and at_data_end:
                return _WAIT
            c_starts, c_ends = runs(calm[e : e + reach + calm_n])
            if any(ce - cs >= calm_n and cs <= reach for cs, ce in zip(c_starts, c_ends)):
                return lo + int(s), lo + int(e)
        return None

    def _pivot_landed(self, win: SampleWindow, pivot: tuple[int, int], found: list[Contact]) -> None:
        start, end = pivot
        if not math.isnan(self.ic) and start > self.ic + self.min_contact_n:
            found.append(self._contact(win, float(start), start))
        self.prev_ic = self.ic
        self.ic, self.zero_i, self.peak, self._awaits_impact = float(end), end, math.nan, False
        self._publish(float(end))
        self.cursor = end + self.min_contact_n

    @staticmethod
    def _first_run(mask: np.ndarray, min_n: int, may_grow: bool) -> int:
        """Start of the first run of at least min_n; -(start + 1) if an unconfirmed run touches the end of the
        data and may still grow; len(mask) if there is none."""
        starts, ends = runs(mask)
        for s, e in zip(starts, ends):
            if e - s >= min_n:
                return int(s)
            if may_grow and e == len(mask):
                return -int(s) - 1
        return len(mask)

    def _swing_confirmed(self, win: SampleWindow, start: int, found: list[Contact]) -> None:
        if not math.isnan(self.ic):
            lo = max(int(self.ic) + self.min_contact_n, start - self.to_search_n)
            if lo < start:
                to = self._toe_off(win, lo, start)
                running = self._running(to)
                if running and self.zero_i + self.impact_n + 1 > win.end:
                    return  # its impact window is not all in yet (possible below ~100 Hz): wait for it
                ic = self._running_ic(win) if running else self.ic
                if to - ic < self.min_contact_n:  # a toe-up blip inside the contact (a long heel drop), not a swing
                    self._skip_run(win, start)
                    return
                zero, self.was_running, self.ic = self.ic, running, ic
                found.append(self._contact(win, to, start))
                self.ic = zero  # the duty factor of the next stride is measured between zero crossings
            self.prev_ic, self.ic = self.ic, math.nan
        self.phase, self.swing_start, self.cursor, self._early, self._awaits_impact = _SWING, start, start, None, False

    def _skip_run(self, win: SampleWindow, start: int) -> None:
        """Move the cursor past the toe-up run that starts at `start` (waits until its end is in the data).

        A running contact is timed from its impact, which may follow the pitch-rate zero crossing by up to
        `ic_impact_search_s`; a forefoot landing whose heel drop keeps the foot pitching toe-up above
        `swing_rate_radps` for longer than `swing_confirm_s` would otherwise end the contact at the
        plantar flexion before that drop, shorter than `min_contact_s` or even before its IC."""
        rate = min(self.p.swing_rate_radps, self.p.start_swing_rate_radps)  # a weak swing's run too
        below = self.toe_up_rate(win, start, win.end - self.half) <= rate
        if below.any():
            self.cursor = start + max(1, int(below.argmax()))

    def _toe_off(self, win: SampleWindow, lo: int, start: int) -> float:
        """Toe-off between `lo` and the swing start (see the module docstring): the steepest fall of the
        vertical specific force after the fastest plantar flexion, or that plantar flexion itself when no
        push-off release follows it. Reads samples up to `start` + `half` only: present once the swing is
        confirmed, so the contact's look-ahead is unchanged."""
        w = self.toe_up_rate(win, lo, start + 1)
        j = int(np.argmin(w))
        release = self._release(win, lo + j, start)
        return lo + refine_min(w, j) if release is None else release

    def _release(self, win: SampleWindow, fastest: int, end: int) -> float | None:
        """Steepest fall of the smoothed vertical specific force in its first descent after `fastest`, if it
        peaks within `to_release_peak_s`; None otherwise (or when it does not fall before `end`)."""
        h = self.half
        raw = win.acc_at(fastest - h, end + 1 + h)[:, 2]
        z = np.convolve(raw, self._release_kernel, mode="valid") if h else raw
        d = z[1:] - z[:-1]  # d[k]: change from sample fastest + k to fastest + k + 1
        falling = d <= 0.0
        rise = int(falling.argmax()) if falling.any() else len(d)
        if rise >= len(d) or rise > self.release_peak_n:
            return None
        fall = d[rise:]
        n = int((fall > 0.0).argmax()) if (fall > 0.0).any() else len(fall)  # the descent ends at a trough
        k = int(np.argmin(fall[:n]))
        return fastest + rise + refine_min(fall[:n], k) + 0.5

    def _seek_landing(self, win: SampleWindow) -> None:
        hi = min(win.end - self.half, self.swing_start + self.max_swing_n)
        if hi - self.cursor < 1:
            return
        w = self.toe_up_rate(win, self.cursor, hi)
        down = w <= 0.0
        zero = int(down.argmax()) if down.any() else len(w)  # the first sample at or below zero
        if self.was_running and self._early is None:
            self._early = self._touchdown(win, hi, self.cursor + zero if zero < len(w) else None)
        rest = self._rest_start(win, self.cursor, hi, zero)
        if rest is _WAIT:
            return
        if isinstance(rest, int):  # the foot came to rest with no zero crossing: a flat landing into standing
            zero = rest
        if zero == len(w):
            if hi == self.swing_start + self.max_swing_n:  # swing too long: not gait
                self.phase = _SEEK
            self.cursor = hi
            return
        i = self.cursor + zero
        # an impact-timed landing: wait until the touchdown test above has all it reads (and for _land's reads)
        touchdown_n = self._burst_gap_n + self.half + 2 if self.was_running and self._early is None else 0
        if i + max(touchdown_n, self.half + 2) > win.end:
            self.cursor = max(self.cursor, i - 1)
            return
        self._land(win, i, crossed=not isinstance(rest, int))

    def _touchdown(self, win: SampleWindow, hi: int, crossing: int | None) -> float | None:
        """IC of a running foot that touched down before its pitch rate crossed zero (forefoot first, or flat),
        published as its landing at once (None: it did not, or not yet, or its samples are not in yet).

        A forefoot-first foot touches down 40-150 ms before the crossing (the heel drop keeps it pitching
        toe-up) and its heel rings nearer the crossing; a flat lander's rate hovers above zero until the
        push-off. So at each anchor (`_anchors`: a heel drop, the foot standing flat) the impact is searched
        up to `_burst_gap_n` after it; it is the IC if it starts before the anchor, is at least
        `touchdown_impact_share` as hard as the last contact's (late-swing jerk is not), and the heel drops
        right after it (`_heel_drop`) or the foot stood flat within `_settle_reach_n`. docs/algorithms.md."""
        for anchor, heel in self._anchors(win, hi if crossing is None else crossing):
            if anchor + self._burst_gap_n + 1 + self.half > win.end:  # (_heel_drop's reads)
                return None
            onset = self._find_impact_onset(win, anchor, self._burst_gap_n)
            hard = self._jerk_peak(win, onset) >= self.p.touchdown_impact_share * self._impact_jerk
            after = self._heel_drop(win, int(onset), anchor + self._burst_gap_n) if heel else \
                anchor - onset <= self._settle_reach_n
            if onset < anchor and hard and after:
                self._publish(onset)
                return onset
        return None

    def _anchors(self, win: SampleWindow, end: int) -> list[tuple[int, bool]]:
        """impact.anchors in the late swing before `end` (still: gyro calm and specific force ~1 g)."""
        w = self.toe_up_rate(win, self.swing_start, end)
        late = late_swing(w)
        if late is None:
            return []
        lo = self.swing_start + late
        sq = np.einsum("ij,ij->i", *(2 * [win.acc_at(lo, end)]))
        still = (self._energy.at(win, lo, end) < self._rest_sq) & (sq > _FLAT_ACC_SQ[0]) & (sq < _FLAT_ACC_SQ[1])
        return [(lo + k, heel) for k, heel in anchors(w[late:], still, self.p.heel_drop_radps, self._ms_half)]

    def _jerk_peak(self, win: SampleWindow, ic: float) -> float:
        """Largest jerk (per sample) of the impact burst that starts at `ic`."""
        return peak_jerk(win.acc_at(int(ic), min(win.end, int(ic) + self._burst_gap_n + 2)))

    def _heel_drop(self, win: SampleWindow, onset: int, hi: int) -> bool:
        """The heel drops right after the impact at `onset` (impact.turns_up, within `_burst_gap_n`)."""
        w = self.toe_up_rate(win, max(onset, win.start + self.half), hi + 1)
        return turns_up(w, self._burst_gap_n, self.p.heel_drop_radps)

    def _publish(self, ic: float) -> None:  # a landing for live cues (landing.py)
        if self.measure_landings:
            self.landing_queue.add(ic)

    def _rest_start(self, win: SampleWindow, lo: int, hi: int, before: int) -> int | Wait | None:
        """Offset from `lo` of the first rest of the foot (|angular rate| < `rest_rate_radps` for
        `turn_confirm_s`) that starts before offset `before`, _WAIT if one may still form at the end of the data.

        A foot that lands flat and stands (the last step of a walk, placed beside the other foot) stops
        pitching without its toe-up rate ever turning negative: the rate decays to ~0 and stays there, so the
        zero crossing would come only with noise, up to the whole swing window later. The foot at rest is
        on the ground, so the landing is no later than the start of that rest."""
        calm = self._energy.at(win, lo, min(hi, lo + before + self.turn_confirm_n)) < self._rest_sq
        starts, ends = runs(calm)
        for s, e in zip(starts, ends):
            if s >= before:
                break
            if e - s >= self.turn_confirm_n:
                return int(s)
            if e == len(calm) and lo + len(calm) >= win.end - self.half:  # may still grow into a rest
                return _WAIT
        return None

    def _land(self, win: SampleWindow, i: int, crossed: bool = True) -> None:
        w = self.toe_up_rate(win, i - 1, i + 1)
        zero = (i - 1) + float(w[0] / (w[0] - w[1])) if crossed and w[0] != w[1] else float(i)
        self.peak = float(self.toe_up_rate(win, self.swing_start, i).max())
        self.ic, self.zero_i = zero, i
        # early landing event for live cues: the method of the last contact (the final IC waits for the TO)
        self._awaits_impact = self.was_running and self._early is None  # (an early touchdown's is out already)
        if self._awaits_impact and self.measure_landings:
            self.landing_queue.add_impact_timed(i, self._impact_lo(win, i))
        elif self._early is None:
            self._publish(zero)
        self.phase, self.cursor = _SEEK, int(self.ic) + self.min_contact_n

    def _running(self, to: float) -> bool:
        """Running: a contact shorter than `running_contact_s` (walking contacts last 0.5-0.8 s, running
        0.15-0.35 s) or a duty factor (contact / stride) below 0.5 (a flight phase)."""
        if (to - self.ic) < self.p.running_contact_s * self.rate_hz:
            return True
        stride = self.ic - self.prev_ic
        return 0 < stride < self.max_stride_n and (to - self.ic) / stride < self.p.running_duty_factor

    def _running_ic(self, win: SampleWindow) -> float:
        """The pending running contact's IC: its touchdown before the crossing, else the impact nearest it
        (whose hardness the next early touchdown must half match)."""
        ic = self._early if self._early is not None else self._find_impact_onset(win, self.zero_i)
        self._impact_jerk = self._jerk_peak(win, ic)
        return ic

    def _impact_lo(self, win: SampleWindow, i: int) -> int:
        """Where the impact search for the crossing at `i` starts."""
        return max(win.start, i - self.impact_before_n, self.swing_start)

    def _find_impact_onset(self, win: SampleWindow, i: int, after_n: int | None = None) -> float:
        """Start of the landing impact (impact.py) from `ic_impact_before_s` before to `ic_impact_search_s`
        (or `after_n` samples) after `i`: the pitch-rate zero crossing, or where a heel drop shows."""
        lo = self._impact_lo(win, i)
        acc = win.acc_at(lo, min(win.end, i + (self.impact_n if after_n is None else after_n) + 1))
        return lo + impact_onset(acc, i - lo, self._burst_gap_n)

    def _contact(self, win: SampleWindow, to: float, end: int) -> Contact:
        lo = int(math.ceil(self.ic))
        hi = max(lo + 1, int(to) if not math.isnan(to) else end)
        energy = self._energy.at(win, lo, hi)
        half = self._ms_half
        if len(energy) <= 2 * half + 1:
            return Contact(self.ic, to, lo + int(energy.argmin()), self.peak)
        # only centres whose whole window lies in the contact: padding by the edge values let a calm instant at
        # an early IC (a heel lander's rotation reversing just before it lands) win over the foot-flat
        energy = np.convolve(energy, np.ones(2 * half + 1), mode="valid")
        return Contact(self.ic, to, lo + half + int(energy.argmin()), self.peak)
