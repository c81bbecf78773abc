"""What the live view shows: rolling figures per foot, link health, cues. Pure data, updated by the session."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from footfall import finite
from footfall.analysis.cadence import stride_cadence_spm
from footfall.analysis.landing import Landing
from footfall.analysis.step import Pattern, Step
from footfall.analysis.summary import counts_in
from footfall.coaching.phases import PhasePlan

ROLLING_STEPS = 10  # per foot: about 7 s of running


@dataclass
class LaneState:
    """One sensor: its recent steps and its link."""

    sensor: str
    side: str
    name: str
    connected: bool = False
    gone: bool = False
    held: bool = False  # another footfall host holds the sensor (it answered 'held')
    rssi_dbm: int | None = None
    battery_pct: int | None = None
    frames: int = 0
    samples: int = 0
    gaps: int = 0
    missing_samples: int = 0
    resends: int = 0
    reconnects: int = 0
    corrupt: int = 0
    steps: deque[Step] = field(default_factory=lambda: deque(maxlen=ROLLING_STEPS))
    step_count: int = 0
    distance_m: float = 0.0
    landings: deque[float] = field(default_factory=lambda: deque(maxlen=ROLLING_STEPS + 1))  # provisional ICs
    last_landing: Landing | None = None

    def land(self, landing: Landing) -> None:
        self.landings.append(landing.ic_time_s)
        self.last_landing = landing

    def landing_cadence_spm(self) -> float:
        """Steps/min from this foot's last landings (2 steps per stride of one foot), before the Steps come."""
        if len(self.landings) < 3:
            return math.nan
        return stride_cadence_spm(float(np.median(np.diff(np.asarray(self.landings)))))

    def stride_cadence_spm(self) -> float:
        """Steps/min from this foot's own recent strides (2 steps each): unlike a step's cadence (60 / the time
        since the other foot's IC), it does not lean on how well the two sensors' time bases line up."""
        return stride_cadence_spm(self.median("stride_time_s"))

    def add(self, step: Step) -> None:
        self.steps.append(step)
        self.step_count += 1
        if math.isfinite(step.stride_length_m):
            self.distance_m += step.stride_length_m

    def median(self, name: str) -> float:
        """The median of `name` over the steps the session summary counts in it (summary.counts_in: not a
        turning stride's overstride index), so the live table and the summary after the run agree."""
        return finite.median(getattr(s, name) for s in self.steps if counts_in(s, name))

    @property
    def pattern(self) -> Pattern:
        if not self.steps:
            return Pattern.UNKNOWN
        patterns = [s.pattern for s in self.steps if s.pattern is not Pattern.UNKNOWN]
        return max(set(patterns), key=patterns.count) if patterns else Pattern.UNKNOWN


@dataclass
class LiveState:
    lanes: dict[str, LaneState] = field(default_factory=dict)
    elapsed_s: float = 0.0
    cues: deque[str] = field(default_factory=lambda: deque(maxlen=4))
    target_cadence_spm: float | None = None
    first_target_spm: float | None = None  # the metronome's first target, which the advice after the run says
    notes: deque[str] = field(default_factory=lambda: deque(maxlen=4))  # link events, gaps
    phases: PhasePlan | None = None  # a physiotherapist's timed phases, shown in the header
    stopped_by: str | None = None  # what ended the session before its time, e.g. "Ctrl-C" (None: it ran out)

    def cadence_spm(self) -> float:
        """Live cadence in steps/min: from the latest landings, else from the steps."""
        values = [lane.landing_cadence_spm() for lane in self.lanes.values()]
        if not any(math.isfinite(v) for v in values):
            values = [lane.median("cadence_spm") for lane in self.lanes.values()]
        finite = [v for v in values if math.isfinite(v)]
        return float(np.mean(finite)) if finite else math.nan

    def distance_m(self) -> float:
        """Both feet cover the same ground: the mean over feet of each foot's summed strides."""
        values = [lane.distance_m for lane in self.lanes.values() if lane.step_count]
        return float(np.mean(values)) if values else 0.0

    def balance_pct(self, name: str) -> float:
        """Left share of a figure in percent (50 = even), NaN unless both feet have it."""
        left, right = self.lanes.get("L"), self.lanes.get("R")
        if left is None or right is None:
            return math.nan
        a, b = left.median(name), right.median(name)
        return 100.0 * a / (a + b) if math.isfinite(a + b) and a + b > 0 else math.nan
