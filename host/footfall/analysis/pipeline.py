"""The streaming analyser of one sensor: sample blocks in, one Step per ground contact out.

Stages per block: mounting alignment (orient.py, learnt once from the first `align_window_s` of samples, so
the first steps come out after that start-up delay) -> foot-frame window -> contact detection (contacts.py)
-> per-stride measures (measures.py -> stride.py) -> Step.  Live and offline use the same code; results do not
depend on how the samples are cut into blocks (tests/analysis/test_chunking.py).

Look-ahead: a step is emitted once its toe-off is confirmed by the next swing, i.e. IC + contact time +
~60-100 ms (running: ~300 ms after IC; walking: ~0.8 s). A `Landing` comes first, 120 ms after the IC
(analysis/landing.py; while the mounting is learnt, from a provisional one: analysis/scout.py); see
docs/algorithms.md for why contact time forces the longer figure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from footfall.analysis.calib import NO_CALIBRATION, Calibration
from footfall.analysis.buffer import SampleWindow
from footfall.analysis.contacts import Contact, ContactDetector
from footfall.analysis.clipping import ACC_BIT, ClipDetector, ClipParams, withhold_clipped
from footfall.analysis.contacts_acc import AccContactDetector
from footfall.analysis.landing import Landing, LandingEvent
from footfall.analysis.measures import NOT_MEASURED, Measures, measure_strides
from footfall.analysis.mounting import learn_mounting
from footfall.analysis.orient import IDENTITY, Alignment
from footfall.analysis.params import AnalysisParams
from footfall.analysis.scout import Scout
from footfall.analysis.step import Pattern, Step
from footfall.analysis.stride import StrideParams
from footfall.errors import AnalysisError
from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray, SampleBlock

_CLIP = ClipParams()
_IMPACT_BEFORE_S, _IMPACT_AFTER_S = 0.01, 0.06  # the samples around IC that an impact (or its clipping) is read from


@dataclass
class _Raw:
    first_index: int
    acc: FloatArray
    gyr: FloatArray


@dataclass
class AnalyserReport:
    """What one sensor's analysis saw besides the steps: alignment, gaps, warnings."""

    samples: int = 0
    gaps: int = 0
    missing_samples: int = 0
    duplicate_samples: int = 0
    has_gyro: bool = True
    end_s: float = 0.0  # stream time of the last sample seen
    alignment: Alignment | None = None
    calibration: Calibration = NO_CALIBRATION  # gyroscope offset, accelerometer reading standing (calib.py)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON: the input bookkeeping, the mounting (rows = foot x, y, z axes in sensor coordinates)
        and the calibration, each with units in its name."""
        a, c = self.alignment, self.calibration
        return {
            "samples": self.samples, "gaps": self.gaps, "missing_samples": self.missing_samples,
            "duplicate_samples": self.duplicate_samples, "has_gyro": self.has_gyro, "end_s": self.end_s,
            "alignment": None if a is None else {
                "matrix": np.round(a.matrix, 6).tolist(), "pitch_share": a.pitch_share,
                "sign_margin": a.sign_margin, "good": a.good, "gait_seen": a.gait_seen},
            "calibration": {"measured": c.measured, "still_s": c.still_s,
                            "standing_g": None if math.isnan(c.standing_g) else c.standing_g,
                            "gyro_offset_dps": np.round(np.degrees(c.gyro_offset_radps), 4).tolist(),
                            "gyro_sign": c.gyro_sign.tolist()},
            "warnings": list(self.warnings),
        }  # fmt: skip


class Analyser:
    """Streaming step detection and measurement for one sensor (see the module docstring)."""

    def __init__(
        self, params: AnalysisParams, sensor: str, side: str, rate_hz: float, stride_params: StrideParams | None = None,
        landings: bool = False,
    ) -> None:
        """`landings`: keep the provisional landings for `pop_landings` (live); offline they are dropped."""
        if not rate_hz >= params.min_count_rate_hz:
            raise AnalysisError(f"sensor {sensor}: samples at {rate_hz:g} Hz are too few to count steps from (at least "
                                f"{params.min_count_rate_hz:g} Hz; {params.min_rate_hz:g} Hz for the other figures)")
        self.params, self.sensor, self.side, self.rate_hz = params, sensor, side, rate_hz
        self.stride_params = stride_params
        self.keep_landings = landings
        self._landings: list[Landing] = []
        self._last_landing_ic = -math.inf  # sample index of the previous landing, for the landing's cadence
        self._scout: Scout | None = None  # live landings while the mounting is learnt (scout.py)
        self._landings_after = -math.inf  # the Scout's last landing's IC: the detector's own ones come after it
        self.report = AnalyserReport()
        self._pending: list[_Raw] = []
        self._pending_n = 0
        self._window_n = max(1, int(params.align_window_s * rate_hz))
        self._align_n = self._window_n  # samples the alignment is learnt from (grows while there is no gait)
        self._align: Alignment | None = None if params.auto_align else IDENTITY
        self._next_index: int | None = None
        self._win: SampleWindow | None = None
        self._det: ContactDetector | AccContactDetector | None = None
        self._prev: Contact | None = None
        self._gap_before = False
        self._bridged: list[tuple[int, int]] = []  # interpolated sample spans [lo, hi) still in the window
        self._cut_at: int | None = None  # while a bout cut by a long gap is closed: the first missing sample
        self._clip = ClipDetector()
        self._count = 0

    @property
    def alignment(self) -> Alignment | None:
        return self._align

    def pop_landings(self) -> list[Landing]:
        """Provisional landings (IC, impact, strike angle when already known) found since the last call, each
        ~120 ms after its IC: for live cues that cannot wait for the Step, which needs the toe-off
        (analysis/landing.py). The Step's IC may differ slightly from the landing's."""
        out, self._landings = self._landings, []
        return out

    def _collect_landings(self) -> None:
        if self._det is not None:
            self._publish([e for e in self._det.pop_landing_events() if e.ic_index > self._landings_after])

    def _publish(self, events: list[LandingEvent]) -> None:
        if self.keep_landings:
            for e in events:
                stride_s = (e.ic_index - self._last_landing_ic) / self.rate_hz
                ok = self.params.min_stride_s <= stride_s <= self.params.max_stride_s
                self._landings.append(e.landing(self.sensor, self.side, self.rate_hz, stride_s if ok else math.nan))
                self._last_landing_ic = e.ic_index

    def _scout_until(self, limit_n: int, handover: bool) -> None:
        """Landings from the Scout on the first `limit_n` held samples; at the `handover` (the mounting is
        learnt) the detector's own landings start after the Scout's last one (half the shortest stride on: the
        same contact may be timed a little differently in the two frames)."""
        if self._scout is None:
            return
        self._publish(self._scout.feed(limit_n))
        if handover:
            self._landings_after = self._scout.last_ic + 0.5 * self.params.min_stride_s * self.rate_hz
            self._scout = None

    @property
    def analysed_until_s(self) -> float:
        """Stream time up to which samples went through detection (-inf while the mounting is being learnt)."""
        if self._align is None or self._next_index is None:
            return -math.inf
        return self._next_index / self.rate_hz

    @property
    def settled_until_s(self) -> float:
        """Stream time before which every step has been returned (-inf while the mounting is being learnt):
        the other foot's steps before this are final, so a step of the other foot can be paired."""
        if self._det is None:
            return self.analysed_until_s
        return min(self.analysed_until_s, self._det.settled_index / self.rate_hz)

    def feed(self, block: SampleBlock) -> list[Step]:
        if self._next_index is None:  # a device stream names its scales: its own rails are judged too
            scales = (block.meta.get("acc_mps2_per_count"), block.meta.get("gyr_radps_per_count"))
            self._clip = ClipDetector(*scales)
            if self.keep_landings and self._align is None and self.params.scout_window_s < self.params.align_window_s:
                self._scout = Scout(self.params, self.rate_hz, ClipDetector(*scales))
        if abs(block.rate_hz - self.rate_hz) > 1e-6 * self.rate_hz:
            raise AnalysisError(f"sensor {self.sensor}: rate changed from {self.rate_hz} to {block.rate_hz} Hz")
        raw = self._dedupe(block)
        if raw is None:
            return []
        if self._align is None:
            self._pending.append(raw)
            self._pending_n += len(raw.acc)
            if self._scout is not None:
                self._scout.add(raw.first_index, raw.acc, raw.gyr)
            learnt = self._try_align(final=False)
            self._scout_until(self._align_n, handover=learnt)
            return self._drain_pending() if learnt else []
        return self._ingest(raw)

    def _try_align(self, final: bool) -> bool:
        """Learn the mounting from the first `align_window_s` of samples; while that window shows no gait
        (standing at the start), try again with one window more, up to four. Decided on sample counts only,
        so it does not depend on how the samples were cut into blocks."""
        while final or self._pending_n >= self._align_n:
            self._learn_alignment()
            assert self._align is not None
            no_more = final and self._pending_n <= self._align_n
            if self._align.gait_seen or self._align_n >= 4 * self._window_n or no_more:
                return True
            self._align, self._align_n = None, self._align_n + self._window_n  # standing so far: wait for gait
            self.report.warnings.clear()
        return False

    def finish(self) -> list[Step]:
        steps: list[Step] = []
        if self._align is None:
            if not self._pending:
                return []
            self._try_align(final=True)
            self._scout_until(self._pending_n, handover=True)
            steps = self._drain_pending()
        return steps + self._close_segment()

    # --- input bookkeeping
    def _dedupe(self, block: SampleBlock) -> _Raw | None:
        acc, gyr, first = block.acc_mps2, block.gyr_radps, block.first_index
        if self._next_index is not None and first < self._next_index:
            skip = self._next_index - first  # overlap: samples we already have
            self.report.duplicate_samples += min(skip, block.n)
            acc, gyr, first = acc[skip:], gyr[skip:], first + skip
        if len(acc) == 0:
            return None
        self._next_index = first + len(acc)
        self.report.samples += len(acc)
        self.report.end_s = self._next_index / self.rate_hz
        return _Raw(first, np.asarray(acc, float), np.asarray(gyr, float))

    def _learn_alignment(self) -> None:
        n = self._align_n
        acc = np.concatenate([r.acc for r in self._pending])[:n]
        gyr = np.concatenate([r.gyr for r in self._pending])[:n]
        m = learn_mounting(acc, gyr, self.rate_hz)
        self.report.has_gyro, self.report.calibration, self._align = m.has_gyro, m.calibration, m.alignment
        self.report.alignment = self._align
        self.report.warnings.extend(m.warnings)
        if self.rate_hz < self.params.min_rate_hz:
            self.report.warnings.append(f"sampled at {self.rate_hz:g} Hz, below the {self.params.min_rate_hz:g} Hz "
                                        "that timing a 0.1-0.3 s ground contact needs: steps and cadence only")
        elif self.rate_hz < self.params.validated_rate_hz:
            self.report.warnings.append(f"sampled at {self.rate_hz:g} Hz, below the {self.params.validated_rate_hz:g} "
                                        "Hz the figures are validated at: contact times are coarse, the impact reads "
                                        "low and stride lengths are less sure")

    def _drain_pending(self) -> list[Step]:
        steps: list[Step] = []
        for raw in self._pending:
            steps.extend(self._ingest(raw))
        self._pending, self._pending_n = [], 0
        return steps

    # --- processing
    def _ingest(self, raw: _Raw) -> list[Step]:
        steps: list[Step] = []
        if self._win is not None and raw.first_index != self._win.end:
            missing = raw.first_index - self._win.end
            self.report.gaps += 1
            self.report.missing_samples += missing
            if missing <= self.params.max_bridge_s * self.rate_hz and len(self._win.acc):
                self._bridge(raw, missing)
            else:
                steps = self._close_segment(cut=True)
                self._gap_before = True
        if self._win is None:
            self._win = SampleWindow(raw.first_index)
            detector = ContactDetector if self.report.has_gyro else AccContactDetector
            self._det = detector(self.params, self.rate_hz, raw.first_index, measure_landings=self.keep_landings)
        assert self._align is not None and self._det is not None
        gyr = self.report.calibration.gyro(raw.gyr) if self.report.has_gyro else np.full_like(raw.gyr, np.nan)
        self._win.append(self._align.apply(raw.acc), self._align.apply(gyr), self._clip.flags(raw.acc, raw.gyr))
        steps.extend(self._steps(self._det.scan(self._win)))
        self._collect_landings()
        keep = self._det.keep_from if self._prev is None else min(self._det.keep_from, self._prev.ms_index)
        self._win.trim(keep - 1)
        self._bridged = [span for span in self._bridged if span[1] > self._win.start]
        return steps

    def _bridge(self, raw: _Raw, missing: int) -> None:
        """Fill a short gap by linear interpolation so one lost radio packet does not end a bout; the steps
        around it are flagged "gap_bridged" (the samples are not stored or passed on anywhere else)."""
        assert self._win is not None and self._align is not None
        self._bridged.append((self._win.end, self._win.end + missing))
        self._win.bridge(self._align.apply(raw.acc[:1]), self._align.apply(self.report.calibration.gyro(raw.gyr[:1])),
                         missing)

    def _close_segment(self, cut: bool = False) -> list[Step]:
        """End the bout: at the end of the stream, or `cut` by a gap too long to bridge (the samples after the
        window's end are missing: a contact still open there is measured no further than what was seen)."""
        self._cut_at = self._win.end if cut and self._win is not None else None
        steps = [] if self._det is None or self._win is None else self._steps(self._det.finish(self._win))
        self._cut_at = None
        self._collect_landings()
        self._win, self._det, self._prev, self._last_landing_ic = None, None, None, -math.inf
        self._bridged = []
        return steps

    def _steps(self, contacts: list[Contact]) -> list[Step]:
        """The Steps of the contacts found in one detection pass: their strides are measured together (one
        batched call of the stride module, see measures.measure_strides), then each Step is built in order."""
        pairs = []
        for c in contacts:
            prev, self._prev = self._prev, c
            stride_s = (c.ic_index - prev.ic_index) / self.rate_hz if prev is not None else math.nan
            if not self.params.min_stride_s <= stride_s <= self.params.max_stride_s:
                stride_s, prev = math.nan, None  # a pause or a missed step: no stride across it
            pairs.append((prev, c, stride_s))
        measured = iter(self._measures([(prev, c) for prev, c, _ in pairs if prev is not None]))
        return [self._step(c, prev, stride_s, *(next(measured) if prev is not None else (NOT_MEASURED, math.nan)))
                for prev, c, stride_s in pairs]  # fmt: skip

    def _bridged_in(self, lo: float, hi: float) -> bool:
        """Whether samples lo..hi (absolute, inclusive) include interpolated ones."""
        return any(a <= hi and b > lo for a, b in self._bridged)

    def _impact_bridged(self, c: Contact) -> bool:
        r = self.rate_hz
        return self._bridged_in(c.ic_index - _IMPACT_BEFORE_S * r, c.ic_index + _IMPACT_AFTER_S * r)

    def _gap_measures(self, c: Contact, prev: Contact | None, m: Measures) -> Measures:
        """The measures that do not rest on interpolated or missing samples, flagged. A bridged gap (lost
        packets, <= `max_bridge_s`) is a straight line where the foot turned: integrated through, it moved
        pyshoe strides by up to 30 % with every 100th packet lost. Everything integrated over the stride is
        dropped when the gap lies in it; the strike angle (integrated from IC to the closing foot-flat only)
        and the impact (IC - 10 ms to + 60 ms) only when the gap lies in theirs. A contact still open where a
        longer gap cut the bout (`gap_after`) may not have reached its foot-flat: its stride is dropped too."""
        r = self.rate_hz
        open_end = c.ic_index + self.params.max_contact_s * r
        cut = self._cut_at is not None and math.isnan(c.to_index) and open_end >= self._cut_at
        start = prev.ms_index if prev is not None else c.ic_index
        bridged = self._bridged_in(start, c.to_index if math.isfinite(c.to_index) else c.ms_index)
        if not (bridged or cut):
            return m
        v = dict(m.values)
        if prev is not None and (cut or self._bridged_in(prev.ms_index, c.ms_index)):
            v.update({k: math.nan for k in v if k not in ("strike_angle_deg", "impact_g")})
        strike_lost = cut or self._bridged_in(c.ic_index - _IMPACT_BEFORE_S * r, c.ms_index)
        if strike_lost:
            v["strike_angle_deg"] = math.nan
        if self._impact_bridged(c):
            v["impact_g"] = math.nan
        pattern = (Pattern.UNKNOWN, math.nan) if strike_lost else (m.pattern, m.pattern_confidence)
        flags = m.flags + (("gap_bridged",) if bridged else ()) + (("gap_after",) if cut else ())
        return Measures(v, *pattern, flags)

    def _step(self, c: Contact, prev: Contact | None, stride_s: float, measures: Measures, yaw_deg: float) -> Step:
        assert self._win is not None
        r = self.rate_hz
        if not self.report.has_gyro:  # the toe-off is not observable: c.to_index is only the stride window's border
            c = replace(c, to_index=math.nan)
            prev = None if prev is None else replace(prev, to_index=math.nan)
        measures, timing_lost = self._withheld(c, prev, self._gap_measures(c, prev, measures))
        contact_s = (c.to_index - c.ic_index) / r  # (the activity still reads it when clipping spoilt it by tens of ms)
        impact_g = measures.values["impact_g"]
        if not math.isfinite(impact_g) and not self._impact_bridged(c) and "low_rate" not in measures.flags:
            impact_g = self._impact(c)
        flags = self._flags(c, prev, yaw_deg) + measures.flags
        flags += ("saturated",) if self._clipped_near(c) else ()
        flags = tuple(dict.fromkeys(flags))
        self._count += 1
        return Step(
            sensor=self.sensor,
            side=self.side,
            index=self._count,
            ic_time_s=c.ic_index / r,
            to_time_s=c.to_index / r,
            contact_time_ms=math.nan if timing_lost else contact_s * 1000.0,
            swing_time_ms=(c.ic_index - prev.to_index) / r * 1000.0 if prev is not None and not timing_lost else math.nan,
            flight_time_ms=math.nan,
            strike_angle_deg=measures.values["strike_angle_deg"],
            pattern=measures.pattern,
            pattern_confidence=measures.pattern_confidence,
            cadence_spm=120.0 / stride_s,
            stride_length_m=measures.values["stride_length_m"],
            stride_time_s=stride_s,
            speed_mps=measures.values["speed_mps"],
            foot_velocity_at_ic_mps=measures.values["foot_velocity_at_ic_mps"],
            braking_mps2=measures.values["braking_mps2"],
            overstride_index=measures.values["overstride_index"],
            impact_g=impact_g,
            activity=_activity(contact_s, stride_s, self.params) if self.report.has_gyro else _acc_activity(stride_s),
            flags=flags,
        )

    def _measures(self, strides: list[tuple[Contact, Contact]]) -> list[tuple[Measures, float]]:
        """Measures and yaw (deg) of each stride from the previous contact's mid-stance to this one's."""
        if not strides:
            return []
        win = self._win
        assert win is not None
        s0 = win.start
        windows = [(prev.ms_index - s0, prev.to_index - s0, c.ic_index - s0, c.ms_index - s0) for prev, c in strides]
        out = []
        for m, (lo, _, _, hi) in zip(measure_strides(win.acc, win.gyr, self.rate_hz, windows, self.stride_params),
                                     windows):  # fmt: skip
            yaw_deg = m.values["heading_change_deg"]
            if not math.isfinite(yaw_deg):  # vertical-axis rate integrated over the stride: a turn estimate
                yaw_deg = float(np.degrees(np.sum(win.gyr[lo : hi + 1, 2]) / self.rate_hz))
            out.append((m, yaw_deg))
        return out

    def _clipped_near(self, c: Contact) -> bool:
        assert self._win is not None
        lo = max(self._win.start, int(c.ic_index - _IMPACT_BEFORE_S * self.rate_hz)) - self._win.start
        near = self._win.clipped[lo : int(c.ic_index + _IMPACT_AFTER_S * self.rate_hz) + 1 - self._win.start]
        return bool((near & ACC_BIT).any())

    def _withheld(self, c: Contact, prev: Contact | None, m: Measures) -> tuple[Measures, bool]:
        """The stride's measures without what the input spoilt, and whether its timing is spoilt too: all but the
        count and cadence below `min_rate_hz`, else what sensor clipping spoilt (clipping.py; a first step of a
        bout has no stride to spoil)."""
        if self.rate_hz < self.params.min_rate_hz:
            return Measures(NOT_MEASURED.values, flags=("low_rate",)), True
        if prev is None or self._win is None:
            return m, False
        s0 = self._win.start
        stride = self._win.clipped[max(0, int(prev.ms_index) - s0) : int(c.ms_index) + 1 - s0]
        return withhold_clipped(m, stride, self.rate_hz, _CLIP)

    def _impact(self, c: Contact) -> float:
        """Peak specific force near IC in g (when the stride module did not measure it)."""
        assert self._win is not None
        lo = max(self._win.start, int(c.ic_index - _IMPACT_BEFORE_S * self.rate_hz))
        acc = self._win.acc_at(lo, min(self._win.end, int(c.ic_index + _IMPACT_AFTER_S * self.rate_hz) + 1))
        return float(np.max(np.linalg.norm(acc, axis=1))) / STANDARD_GRAVITY_MPS2 if len(acc) else math.nan

    def _flags(self, c: Contact, prev: Contact | None, yaw_deg: float) -> tuple[str, ...]:
        flags = []
        if self._gap_before:
            flags.append("gap_before")
            self._gap_before = False
        if math.isnan(c.to_index) and self.report.has_gyro:
            flags.append("no_toe_off")
        if prev is None:
            flags.append("first_of_bout")
        if abs(yaw_deg) > self.params.turn_yaw_deg:
            flags.append("turn")
        if not self.report.has_gyro:
            flags.append("acc_only")
        if self._align is not None and not self._align.good:
            flags.append("alignment_poor")
        return tuple(flags)


def _activity(contact_s: float, stride_s: float, params: AnalysisParams) -> str:
    """Running has a flight phase: duty factor (contact / stride) below 0.5, or a short contact; walking has
    double support (duty factor 0.58-0.65, contacts of 0.5-0.8 s). A contact without a toe-off (the last step
    into a stop, or the stream's end) is judged by its stride, as without a gyroscope."""
    if math.isnan(contact_s):
        return _acc_activity(stride_s)
    if contact_s < params.running_contact_s:
        return "running"
    if not math.isnan(stride_s) and contact_s / stride_s < params.running_duty_factor:
        return "running"
    return "walking"


def _acc_activity(stride_s: float) -> str:
    """Without contact times: running cadences (> 140 steps/min) have strides under 0.85 s, walking over."""
    if math.isnan(stride_s):
        return "standing"
    return "running" if stride_s < 0.85 else "walking"


def analyse_blocks(
    blocks: Iterable[SampleBlock], params: AnalysisParams | None = None, stride_params: StrideParams | None = None
) -> tuple[list[Step], AnalyserReport]:
    """Analyse the blocks of ONE sensor to the end; returns its steps and report."""
    analyser: Analyser | None = None
    steps: list[Step] = []
    for block in blocks:
        if analyser is None:
            analyser = Analyser(params or AnalysisParams(), block.sensor, block.side, block.rate_hz, stride_params)
        steps.extend(analyser.feed(block))
    if analyser is None:
        return [], AnalyserReport(samples=0, warnings=["no samples"])
    steps.extend(analyser.finish())
    return steps, analyser.report


def blocks_from_arrays(
    acc_mps2: FloatArray,
    gyr_radps: FloatArray,
    rate_hz: float,
    sensor: str = "S",
    side: str = "?",
    block_n: int = 4096,
    sample_index: np.ndarray | None = None,
) -> Iterable[SampleBlock]:
    """Cut whole-recording arrays into SampleBlocks (for datasets and tests).

    `sample_index` (e.g. a packet counter) gives each row's sample number; where it jumps, a new block starts
    there, so the analyser sees the gap instead of silently shortened time.
    """
    index = np.arange(len(acc_mps2)) if sample_index is None else np.asarray(sample_index, np.int64)
    breaks = np.flatnonzero(np.diff(index) != 1) + 1
    for seg_lo, seg_hi in zip(np.r_[0, breaks], np.r_[breaks, len(index)]):
        for lo in range(int(seg_lo), int(seg_hi), block_n):
            hi = min(int(seg_hi), lo + block_n)
            yield SampleBlock(sensor, side, rate_hz, int(index[lo]), acc_mps2[lo:hi], gyr_radps[lo:hi])
