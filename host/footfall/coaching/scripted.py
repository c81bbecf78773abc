"""Scripted step sequences: a runner whose gait follows a plan or responds to cues. For tests and demos.

This works at the level of Step records (what the analyser emits), so coaching can be exercised without
sensors; the virtual runner (footfall.virtual) exercises the whole chain from raw samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from footfall.analysis.step import Pattern, Step
from footfall.coaching.cues import Cue, CueKind


@dataclass(frozen=True)
class Gait:
    cadence_spm: float = 160.0
    strike_angle_deg: float = 20.0
    overstride_index: float = 0.6
    speed_mps: float = 3.0
    contact_time_ms: float = 260.0


def pattern_of(angle_deg: float) -> Pattern:
    """Altman & Davis 2012 style thresholds on the sagittal strike angle."""
    if angle_deg > 8.0:
        return Pattern.REARFOOT
    return Pattern.MIDFOOT if angle_deg > -1.6 else Pattern.FOREFOOT


def make_step(time_s: float, n: int, g: Gait, rng: np.random.Generator, noise: float = 1.0) -> Step:
    side = "L" if n % 2 == 0 else "R"
    cad = g.cadence_spm + noise * rng.normal(0, 2.0)
    angle = g.strike_angle_deg + noise * rng.normal(0, 3.0)
    stride_m = 2 * g.speed_mps * 60.0 / g.cadence_spm
    return Step(
        sensor=side, side=side, index=n // 2, ic_time_s=time_s, to_time_s=time_s + g.contact_time_ms / 1000,
        contact_time_ms=g.contact_time_ms + noise * rng.normal(0, 8), swing_time_ms=120.0 / cad * 1000 * 0.6,
        flight_time_ms=math.nan, strike_angle_deg=angle, pattern=pattern_of(angle), pattern_confidence=0.9,
        cadence_spm=cad, stride_length_m=stride_m, stride_time_s=120.0 / cad, speed_mps=g.speed_mps,
        foot_velocity_at_ic_mps=0.5 * g.overstride_index, braking_mps2=8.0 * g.overstride_index,
        overstride_index=float(np.clip(g.overstride_index + noise * rng.normal(0, 0.05), 0, 1)),
        impact_g=6.0 + 4 * g.overstride_index, activity="running")


def planned_run(phases: list[tuple[float, Gait]], seed: int = 0, start_s: float = 0.0) -> list[Step]:
    """Steps for consecutive phases of (duration_s, gait)."""
    rng = np.random.default_rng(seed)
    steps: list[Step] = []
    t = start_s
    for duration_s, gait in phases:
        end = t + duration_s
        while t < end:
            steps.append(make_step(t, len(steps), gait, rng))
            t += 60.0 / gait.cadence_spm
    return steps


class ResponsiveRunner:
    """An overstrider who adopts the metronome target after a correction, then slowly drifts back.

    After a corrective cue the cadence moves to the target over `adapt_s`, and strike angle and overstride
    fall with it. With the metronome off the runner keeps most of the gain but drifts back `drift_spm_per_min`.
    """

    def __init__(self, start: Gait, adapt_s: float = 15.0, drift_spm_per_min: float = 1.5, seed: int = 0) -> None:
        self.start, self.gait = start, start
        self.adapt_s, self.drift = adapt_s, drift_spm_per_min
        self.rng = np.random.default_rng(seed)
        self.t, self.n = 0.0, 0
        self.target: float | None = None
        self.metronome = False

    def hear(self, cue: Cue) -> None:
        if cue.kind is not CueKind.PRAISE and cue.metronome_spm:
            self.target, self.metronome = cue.metronome_spm, True
        elif cue.kind is CueKind.PRAISE:
            self.metronome = False

    def next_step(self) -> Step:
        step = make_step(self.t, self.n, self.gait, self.rng)
        dt = 60.0 / self.gait.cadence_spm
        self.t, self.n = self.t + dt, self.n + 1
        self._adapt(dt)
        return step

    def _adapt(self, dt: float) -> None:
        cad = self.gait.cadence_spm
        if self.target is not None and self.metronome:
            cad += (self.target + 1.0 - cad) * min(1.0, dt / self.adapt_s * 3)
        elif self.target is not None:
            cad -= self.drift * dt / 60.0
        # Shorter steps at the same speed land closer under the body: angle and overstride fall with cadence.
        gain = max(0.0, (cad - self.start.cadence_spm) / (0.1 * self.start.cadence_spm))
        self.gait = replace(self.gait, cadence_spm=cad,
                            strike_angle_deg=self.start.strike_angle_deg * (1 - 0.6 * min(gain, 1.0)),
                            overstride_index=self.start.overstride_index * (1 - 0.6 * min(gain, 1.0)))
