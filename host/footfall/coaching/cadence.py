"""One speed-aware cadence norm and target for the live cues and the post-run advice alike.

The norm is the one the overstride index compares with (footfall.analysis.overstride): 155 + 5 x speed (m/s)
steps/min, scaled for leg length when known. It is footfall's own starting value, not from the articles. A
cadence below it counts as "low"; the target raises the cadence 5% (a first step: Heiderscheit et al. 2011
tested +5% and +10% in one lab session; no article gives a figure) but never past the norm: a runner close below
the norm is asked for the norm, one further below for +5%. So the target never falls as the cadence rises, and
is never above the norm. A runner at or above the norm gets no target.

A runner's own target (`footfall runner set --target-cadence-spm`) is the goal, not this run's aim: a run aims
at most `target_increase_frac` (5%) above the measured cadence, the same first step as footfall's own target,
and the runner builds towards the goal over weeks. A goal at or below the measured cadence asks for no quicker
steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from footfall.analysis.overstride import cadence_norm_spm


@dataclass(frozen=True)
class CadenceParams:
    # a first step, and the most one run steps towards a runner's own target; Heiderscheit et al. 2011 tested +5%
    # and +10%
    target_increase_frac: float = 0.05
    unknown_speed_norm_spm: float = 166.0  # footfall's own, used when the speed was not measured


@dataclass(frozen=True)
class CadenceAim:
    """What one run aims for; `goal_spm` is the runner's own target when set (the aim may be a step towards it)."""

    aim_spm: float
    goal_spm: float | None = None

    @property
    def stepped(self) -> bool:
        """The aim is a step towards a goal further away."""
        return self.goal_spm is not None and round(self.goal_spm) > self.aim_spm


def norm_spm(speed_mps: float, leg_length_m: float | None = None, params: CadenceParams = CadenceParams()) -> float:
    """The typical step rate at this speed (footfall's own starting value)."""
    if not math.isfinite(speed_mps):
        return params.unknown_speed_norm_spm
    return cadence_norm_spm(speed_mps, leg_length_m)


def target_spm(cadence_spm: float, speed_mps: float, leg_length_m: float | None = None,
               params: CadenceParams = CadenceParams()) -> float | None:
    """The cadence to aim for, or None when the cadence is already at (as printed) or above the norm (or unknown)."""
    norm = norm_spm(speed_mps, leg_length_m, params)
    if not math.isfinite(cadence_spm) or cadence_spm >= norm:
        return None
    target = float(round(min(cadence_spm * (1 + params.target_increase_frac), norm)))
    return target if target > round(cadence_spm) else None  # "at 173, aim for 173" is no target


def step_towards(cadence_spm: float, goal_spm: float, params: CadenceParams = CadenceParams()) -> float | None:
    """This run's aim towards the runner's own goal: the goal, but at most `target_increase_frac` above the cadence;
    None when the goal is at or below the cadence (as printed) or the cadence is unknown."""
    if not math.isfinite(cadence_spm) or round(goal_spm) <= round(cadence_spm):
        return None
    return float(min(round(goal_spm), round(cadence_spm * (1 + params.target_increase_frac))))


def aim_for(cadence_spm: float, speed_mps: float, leg_length_m: float | None = None, goal_spm: float | None = None,
            params: CadenceParams = CadenceParams()) -> CadenceAim | None:
    """The aim of this run: a step towards the runner's own goal when set, else footfall's target."""
    if goal_spm is not None:
        step = step_towards(cadence_spm, goal_spm, params)
        return None if step is None else CadenceAim(step, goal_spm)
    target = target_spm(cadence_spm, speed_mps, leg_length_m, params)
    return None if target is None else CadenceAim(target)
