"""Live cues: rules over a rolling window of steps that decide when to say what, without nagging.

Rules (each over the last `window_s` seconds of running steps, once the warm-up grace has passed):
- quicker steps: mostly rearfoot, a large strike angle and a cadence below the speed norm (155 + 5 x speed,
  footfall.coaching.cadence, the same norm the post-run advice and the overstride index use) -> "shorter,
  quicker steps" and a metronome target 5% above the current cadence (a first step; above the runner's recent
  typical cadence when the history has one and the run is not slower, as the after-run advice), not past the
  norm; a runner's own target is approached by the same step, at most 5% above the runner's recent typical
  cadence (`typical_cadence_spm`, the median of the last week's runs, as the after-run advice measures it; the
  current cadence without one) and at most 10% above the current cadence (footfall.coaching.cadence), and a
  target, or a step, at or below the current cadence asks for no quicker steps. In a lab study a 5-10%
  higher step rate at the same speed lowered the load at the knee, and at +10% at the hip too (Heiderscheit
  et al. 2011).
- overstride: a high overstride index -> a cue to land closer under the body; the metronome only when the
  cadence is below the norm and the target has not been reached yet.
- praise: the cadence reaches the target, or the overstride clears -> praise, and the metronome stops so
  the runner holds the rhythm alone.
- blocks: the metronome runs in blocks, as the after-run advice prescribes ("a few minutes at a time, 3-4
  blocks per run"): a correction that starts the metronome says so ("...; metronome on, step with the beat",
  METRONOME_ON), after `metronome_block_s` of running with it on it stops with "Metronome off, run freely
  for a few minutes" (kind METRONOME_OFF, advice key "cadence"; not a correction), the cadence cue then rests
  for `metronome_rest_s`, and a later cadence cue starts the next block, saying so again; at most
  `metronome_blocks` a run, after which the cadence cue rests until after the run. Footfall's own values (3 min
  on, 5 min off, 4).

Never nagging: no cue in the first `grace_s` of running (the warm-up; footfall's own starting value, 5 min);
every rule switches on and off at different thresholds (hysteresis); any two cues are at least `cooldown_s`
apart; the schedule fades: each time the runner reaches the target, the interval before the same correction
may be repeated grows by `fade_factor`, and so does the interval between praises; and after
`max_unanswered` corrections not taken up (3, footfall's own) no more are given until the runner improves
(the last one says so: the post-run advice covers it). Fading the feedback as performance improves follows the guided-learning
literature (Winstein & Schmidt 1990, reduced relative frequency of knowledge of results) and the
faded-feedback gait retraining of Crowell & Davis 2011. The metronome is silent while the runner walks
(the engine) or stands (footfall.coaching.outputs.LiveCoach).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from enum import Enum

from footfall.analysis.step import Pattern, Step
from footfall.analysis.summary import counts_in
from footfall.coaching.cadence import CadenceParams, norm_spm, step_towards, target_spm
from footfall.errors import InputError
from footfall.finite import median


class CueKind(str, Enum):
    QUICKER_STEPS = "quicker_steps"
    OVERSTRIDE = "overstride"
    PRAISE = "praise"
    METRONOME_OFF = "metronome_off"  # the end of a metronome block: an announcement, not a correction


PHRASES: dict[CueKind, str] = {
    CueKind.QUICKER_STEPS: "Shorter, quicker steps",
    CueKind.OVERSTRIDE: "Land under your hips, shorter steps",
    CueKind.PRAISE: "Good, hold that rhythm",
    CueKind.METRONOME_OFF: "Metronome off, run freely for a few minutes",
}
LANDING_PRAISE = "Good, landing closer under you"  # praise when the overstride clears, not the cadence
LAST_REMINDER = "; last reminder, more after the run"  # ends the last correction of a kind not taken up
BLOCK_OFF = PHRASES[CueKind.METRONOME_OFF]  # the end of a metronome block
# The start of a block, said after the correction that starts it (one cue, one utterance: two cues at once would
# be spoken over each other); with tones only, the clicks themselves say it.
METRONOME_ON = "; metronome on, step with the beat"
_STEP_GAP_S = 2.0  # a longer gap between two running steps is a stop: it does not count as metronome time
ADVICE_KEY: dict[CueKind, str] = {
    CueKind.QUICKER_STEPS: "cadence",
    CueKind.OVERSTRIDE: "shorter_steps",
    CueKind.PRAISE: "shorter_steps",
    CueKind.METRONOME_OFF: "cadence",
}


@dataclass(frozen=True)
class CueParams:
    window_s: float = 20.0
    min_window_steps: int = 12
    grace_s: float = 300.0  # footfall's own: running time before the first cue (warm up, settle the pace)
    rearfoot_share_on: float = 0.6  # "mostly rearfoot"
    rearfoot_share_off: float = 0.45
    strike_angle_on_deg: float = 15.0  # a large toe-up angle at contact
    overstride_on: float = 0.5
    overstride_off: float = 0.45
    target_increase_frac: float = CadenceParams.target_increase_frac  # the after-run advice's first step (cadence.py)
    fixed_target_spm: float | None = None  # the runner's own target from the history, if set (approached by
    # at most target_increase_frac above the window's cadence, as footfall's own target)
    leg_length_m: float | None = None  # scales the cadence norm, as in the overstride index
    typical_cadence_spm: float | None = None  # the runner's recent typical cadence (the median of the last week's
    # runs, footfall.coaching.session_advice.typical_cadence_spm): the step, to fixed_target_spm or footfall's own
    # target, is measured from it
    target_tolerance_spm: float = 2.0  # reached at target - tolerance
    target_lost_spm: float = 5.0  # reached again only after falling below target - lost
    cooldown_s: float = 20.0
    repeat_s: float = 45.0  # first interval between two corrections
    praise_repeat_s: float = 60.0
    fade_factor: float = 2.0
    unanswered_growth: float = 0.25  # each unanswered correction stretches the next interval by this share
    max_repeat_s: float = 900.0
    max_unanswered: int = 3  # footfall's own: corrections not taken up before they rest until after the run
    metronome_block_s: float = 180.0  # footfall's own: the metronome runs this long, then stops for a rest
    metronome_rest_s: float = 300.0  # footfall's own: no cadence cue or metronome this long after a block
    metronome_blocks: int = 4  # footfall's own: metronome blocks per run ("3-4 blocks per run")

    def __post_init__(self) -> None:
        if not 0.05 <= self.target_increase_frac <= 0.10:
            raise InputError("target_increase_frac must be 0.05..0.10 (Heiderscheit et al. 2011)")
        if not (self.metronome_block_s > 0 and self.metronome_rest_s >= 0 and self.metronome_blocks >= 1):
            raise InputError("metronome_block_s must be > 0, metronome_rest_s >= 0 and metronome_blocks >= 1")

    @property
    def cadence(self) -> CadenceParams:
        return CadenceParams(target_increase_frac=self.target_increase_frac)


@dataclass(frozen=True)
class Cue:
    time_s: float
    kind: CueKind
    text: str
    metronome_spm: float | None  # the metronome setting from this cue on (None = off)
    cadence_spm: float
    overstride_index: float
    rearfoot_share: float
    advice_key: str  # knowledge item this cue rests on (its sources via knowledge.item(key))


@dataclass(frozen=True)
class WindowStats:
    """What the rules look at, over the rolling window (medians; shares of the steps with a known pattern). A
    median leaves out the steps the session summary leaves out of that figure (summary.counts_in: a turning
    stride's overstride index), so the cue during a run and the summary after it rest on the same steps."""

    cadence_spm: float
    strike_angle_deg: float
    rearfoot_share: float
    overstride_index: float
    speed_mps: float = math.nan

    @classmethod
    def of(cls, steps: list[Step]) -> WindowStats:
        def med(name: str) -> float:
            return median(getattr(s, name) for s in steps if counts_in(s, name))

        known = [s.pattern for s in steps if s.pattern is not Pattern.UNKNOWN]
        rear = sum(p is Pattern.REARFOOT for p in known) / len(known) if known else math.nan
        return cls(med("cadence_spm"), med("strike_angle_deg"), rear, med("overstride_index"), med("speed_mps"))


@dataclass
class _State:
    target_spm: float | None = None
    metronome_spm: float | None = None
    walking: bool = False  # the latest step was not running: the metronome is paused
    first_running_s: float | None = None
    reached: bool = False
    quick_active: bool = False
    over_active: bool = False
    successes: int = 0
    last_any_s: float = -math.inf
    unanswered: int = 0  # corrections since the last success
    last_correction_s: float = -math.inf
    last_kind_s: dict[CueKind, float] = field(default_factory=dict)
    blocks: int = 0  # metronome blocks started in this run
    block_run_s: float = 0.0  # cued running time with the metronome on since it last started
    last_cued_s: float | None = None  # the latest running step fed to the rules
    rest_until_s: float = -math.inf  # no cadence cue or metronome before this (the rest after a block)


class CueEngine:
    """Feed Step records in time order; get Cue events back. Pure: no sound, no clock, no I/O."""

    def __init__(self, params: CueParams | None = None) -> None:
        self.params = params or CueParams()
        self._window: deque[Step] = deque()
        self._s = _State()
        self.history: list[Cue] = []

    @property
    def target_spm(self) -> float | None:
        return self._s.target_spm

    @property
    def metronome_spm(self) -> float | None:
        """The metronome now: None while the runner walks, though the setting is kept for when they run again."""
        return None if self._s.walking else self._s.metronome_spm

    def observe(self, step: Step) -> None:
        """Take the step into the rolling window and decide nothing (a phase run without cues: the first cue
        after it looks at the steps that led up to it)."""
        self._s.walking = step.activity != "running"
        if not self._s.walking:
            self._push(step)

    def feed(self, step: Step) -> list[Cue]:
        self.observe(step)
        if not self._s.walking:
            self._count_block(step.ic_time_s)
        if self._s.walking or len(self._window) < self.params.min_window_steps or self._in_grace(step.ic_time_s):
            return []
        cue = self._decide(step.ic_time_s, WindowStats.of(list(self._window)))
        if cue is None:
            return []
        self.history.append(cue)
        return [cue]

    def feed_many(self, steps: list[Step]) -> list[Cue]:
        return [c for s in steps for c in self.feed(s)]

    def _count_block(self, t: float) -> None:
        """A metronome block lasts `metronome_block_s` of running with it on: a walk, a stop or a phase without
        cues (a gap between two running steps fed here longer than `_STEP_GAP_S`) does not use it up."""
        s = self._s
        if s.metronome_spm is not None and s.last_cued_s is not None:
            s.block_run_s += min(max(t - s.last_cued_s, 0.0), _STEP_GAP_S)
        s.last_cued_s = t

    def _in_grace(self, t: float) -> bool:
        first = self._s.first_running_s
        return first is None or t - first < self.params.grace_s

    def _push(self, step: Step) -> None:
        if self._s.first_running_s is None:
            self._s.first_running_s = step.ic_time_s
        self._window.append(step)
        while self._window and self._window[0].ic_time_s < step.ic_time_s - self.params.window_s:
            self._window.popleft()

    def _update_flags(self, w: WindowStats) -> None:
        p, s = self.params, self._s
        norm = norm_spm(w.speed_mps, p.leg_length_m, p.cadence)
        quick_on = (w.rearfoot_share >= p.rearfoot_share_on and w.strike_angle_deg >= p.strike_angle_on_deg
                    and w.cadence_spm < norm and self._goal_above(w))
        quick_off = w.rearfoot_share < p.rearfoot_share_off or w.cadence_spm >= norm + p.target_lost_spm
        s.quick_active = quick_on or (s.quick_active and not quick_off)
        s.over_active = w.overstride_index >= p.overstride_on or (s.over_active and w.overstride_index > p.overstride_off)
        if s.reached and s.target_spm is not None and w.cadence_spm < s.target_spm - p.target_lost_spm:
            s.reached = False

    def _decide(self, t: float, w: WindowStats) -> Cue | None:
        was_over = self._s.over_active
        self._update_flags(w)
        if t - self._s.last_any_s < self.params.cooldown_s:
            return None
        if self._target_just_reached(w):
            return self._praise(t, w, PHRASES[CueKind.PRAISE])
        if was_over and not self._s.over_active:
            return self._praise(t, w, LANDING_PRAISE)
        if self._block_over():
            return self._end_block(t, w)
        # Once the cadence target is reached the cadence cue rests; an overstride that persists is still cued.
        # So does it between metronome blocks and after the last one.
        quick = self._s.quick_active and not self._s.reached and self._block_allowed(t)
        for kind, active in ((CueKind.QUICKER_STEPS, quick), (CueKind.OVERSTRIDE, self._s.over_active)):
            if active and self._due(kind, t):
                return self._correct(t, kind, w)
        return None

    def _due(self, kind: CueKind, t: float) -> bool:
        s = self._s
        return s.unanswered < self.params.max_unanswered and t - s.last_correction_s >= self._correction_interval()

    def _target_just_reached(self, w: WindowStats) -> bool:
        s = self._s
        if s.target_spm is None or s.reached:
            return False
        return w.cadence_spm >= s.target_spm - self.params.target_tolerance_spm

    def _interval(self, base_s: float) -> float:
        return min(base_s * self.params.fade_factor ** self._s.successes, self.params.max_repeat_s)

    def _correction_interval(self) -> float:
        # A runner who does not respond is reminded less and less often too: nagging does not help.
        base = self.params.repeat_s * (1.0 + self.params.unanswered_growth * max(0, self._s.unanswered - 1))
        return self._interval(base)

    def _correct(self, t: float, kind: CueKind, w: WindowStats) -> Cue:
        s = self._s
        s.unanswered += 1
        s.last_correction_s = t
        started = self._start_metronome(t, w)
        last = s.unanswered >= self.params.max_unanswered
        said = PHRASES[kind] + (METRONOME_ON if started else "") + (LAST_REMINDER if last else "")
        return self._emit(t, kind, w, said)

    def _start_metronome(self, t: float, w: WindowStats) -> bool:
        """The metronome at the target, only while the cadence is below it and it has not been reached yet:
        a runner already at or above the speed norm, or who reached the target, gets no clicks. Off, it starts
        a new block, if one is left and the rest after the last one is over. True when a block starts."""
        s = self._s
        target = s.target_spm if s.target_spm is not None else self._new_target(w)
        if s.reached or target is None or w.cadence_spm >= target - self.params.target_tolerance_spm:
            return False
        started = s.metronome_spm is None
        if started:
            if not self._block_allowed(t):
                return False
            s.blocks += 1
            s.block_run_s = 0.0
        s.target_spm = s.metronome_spm = target
        return started

    def _block_allowed(self, t: float) -> bool:
        """A metronome block may start now: one is left and the rest after the last one is over."""
        return self._s.blocks < self.params.metronome_blocks and t >= self._s.rest_until_s

    def _block_over(self) -> bool:
        s = self._s
        return s.metronome_spm is not None and s.block_run_s >= self.params.metronome_block_s

    def _end_block(self, t: float, w: WindowStats) -> Cue:
        """The metronome stops after a block and the runner runs freely: announced, not a correction."""
        s = self._s
        s.metronome_spm = None
        s.rest_until_s = t + self.params.metronome_rest_s
        return self._emit(t, CueKind.METRONOME_OFF, w, BLOCK_OFF)

    def _goal_above(self, w: WindowStats) -> bool:
        """A step above the cadence: a runner's own target, or this week's step (from the typical cadence), at or
        below it asks for no quicker steps."""
        return self._new_target(w) is not None

    def _new_target(self, w: WindowStats) -> float | None:
        p = self.params
        if p.fixed_target_spm is not None:  # this run's step towards it, as the post-run advice says
            return step_towards(w.cadence_spm, p.fixed_target_spm, p.cadence, p.typical_cadence_spm)
        return target_spm(w.cadence_spm, w.speed_mps, p.leg_length_m, p.cadence, p.typical_cadence_spm)

    def _praise(self, t: float, w: WindowStats, text: str) -> Cue | None:
        s = self._s
        if s.target_spm is not None and w.cadence_spm >= s.target_spm - self.params.target_tolerance_spm:
            s.reached = True
        # Interval computed before counting this success: the first praise comes at once, later ones fade.
        # Stopping the metronome is always announced, so the runner (and the history) knows why it stopped.
        due = s.metronome_spm is not None or \
            t - s.last_kind_s.get(CueKind.PRAISE, -math.inf) >= self._interval(self.params.praise_repeat_s)
        s.successes += 1
        s.unanswered = 0
        s.metronome_spm = None
        return self._emit(t, CueKind.PRAISE, w, text) if due else None

    def _emit(self, t: float, kind: CueKind, w: WindowStats, text: str) -> Cue:
        s = self._s
        s.last_any_s = t
        s.last_kind_s[kind] = t
        return Cue(t, kind, text, s.metronome_spm, w.cadence_spm, w.overstride_index, w.rearfoot_share,
                   ADVICE_KEY[kind])
