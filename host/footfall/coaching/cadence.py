"""One speed-aware cadence norm and target for the live cues and the post-run advice alike.

The norm is the one the overstride index compares with (footfall.analysis.overstride): 155 + 5 x speed (m/s)
steps/min, scaled for leg length when known. It is footfall's own starting value, not from the articles. A
cadence below it counts as "low"; the target raises the cadence 5% (a first step: Heiderscheit et al. 2011
tested +5% and +10% in one lab session; no article gives a figure) but never past the norm: a runner close below
the norm is asked for the norm, one further below for +5%. So the target never falls as the cadence rises, and
is never above the norm. A runner at or above the norm gets no target. Like the step towards a runner's own
target (below), the 5% is measured from the runner's recent typical cadence when the history has one, so the
runs of a first week do not each ask for another 5% above the last (158, then 163: aim 166 again, not 171),
and a run that reached the step asks for no quicker steps.

A runner's own target (`footfall runner set --target-cadence-spm`) is the goal, not this run's aim: a run aims
at most `target_increase_frac` (5%) above the runner's recent typical cadence (`typical_spm`: the median of the
runs of the last `typical_days`, else this run's own cadence), the same first step as footfall's own target,
and the runner builds towards the goal over weeks. Measured from the typical cadence, one slow run does not
lower the step, and one quick run does not raise it. A goal at or below this run's cadence, or a step that
this run already reached, asks for no quicker steps. The live metronome's first target and the after-run
advice take the step from the same typical cadence, so both say one figure.

After a clinic test (baseline, cue, retest) the home-practice aim (`practice_aim`) starts from what the runner
held in the retest, without the cue: the same step above it, but at most the step above the typical cadence
(or the baseline's), never past the goal, and never above the cadence the runner reached in the test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from footfall.analysis.overstride import cadence_norm_spm
from footfall.finite import median


@dataclass(frozen=True)
class CadenceParams:
    # a first step, and the most one run steps towards a runner's own target; Heiderscheit et al. 2011 tested +5%
    # and +10%
    target_increase_frac: float = 0.05
    max_step_frac: float = 0.10  # the most any aim is above the run's own cadence (Heiderscheit's larger step)
    unknown_speed_norm_spm: float = 166.0  # footfall's own, used when the speed was not measured
    typical_days: float = 7.0  # footfall's own: the runs whose median cadence a step is measured from
    # footfall's own: the shortest session that counts as a typical run. A demo (40 s by default) or a sensor test
    # is no run: six short demos at 158 outvoted three real runs at 163-168
    typical_min_s: float = 120.0


@dataclass(frozen=True)
class CadenceAim:
    """What one run aims for; `goal_spm` is the runner's own target when set (the aim may be a step towards it)."""

    aim_spm: float
    goal_spm: float | None = None
    typical_spm: float | None = None  # the recent typical cadence the step was measured from (None: this run's)

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
               params: CadenceParams = CadenceParams(), typical_cadence_spm: float | None = None) -> float | None:
    """The cadence to aim for: the step above the typical cadence (`typical_spm`; this run's `cadence_spm` when
    None or slower: never more than the step above the cadence just run, qa19), never past the norm; None when the
    cadence is already at (as printed) or above the norm, or at the step (or unknown). Measured from the typical cadence, each run of a first week does not ask for another 5%
    above the last one (158, then 163: 166 again, not 171)."""
    norm = norm_spm(speed_mps, leg_length_m, params)
    if not math.isfinite(cadence_spm) or cadence_spm >= norm:
        return None
    base = _base_spm(cadence_spm, _typical_below(cadence_spm, typical_cadence_spm))  # a slow day: its own
    target = float(round(min(base * (1 + params.target_increase_frac), norm)))
    return target if target > round(cadence_spm) else None  # "at 173, aim for 173" is no target


def _base_spm(cadence_spm: float, typical_cadence_spm: float | None) -> float:
    """What a step is measured from: the runner's recent typical cadence when known, else this run's."""
    if typical_cadence_spm is not None and math.isfinite(typical_cadence_spm):
        return typical_cadence_spm
    return cadence_spm


def _typical_below(cadence_spm: float, typical_cadence_spm: float | None) -> float | None:
    """The typical cadence when footfall's own step is measured from it: not above this run's cadence."""
    return typical_cadence_spm if typical_cadence_spm is not None and typical_cadence_spm <= cadence_spm else None


def typical_spm(recent_cadences_spm: Sequence[float]) -> float | None:
    """The runner's recent typical cadence: the median of the recent runs' cadences (those measured), None
    without any (the step is then measured from this run's own cadence)."""
    typical = median(recent_cadences_spm)
    return typical if math.isfinite(typical) else None


def step_towards(cadence_spm: float, goal_spm: float, params: CadenceParams = CadenceParams(),
                 typical_cadence_spm: float | None = None) -> float | None:
    """This run's aim towards the runner's own goal: the goal, but at most `target_increase_frac` above the
    typical cadence (`typical_spm`; this run's `cadence_spm` when None); None when the goal or that step is at or
    below this run's cadence (as printed), or the cadence is unknown."""
    if not math.isfinite(cadence_spm) or round(goal_spm) <= round(cadence_spm):
        return None
    base = _base_spm(cadence_spm, typical_cadence_spm)
    step = float(min(round(goal_spm), round(base * (1 + params.target_increase_frac)), _most_spm(cadence_spm, params)))
    return step if step > round(cadence_spm) else None


def _most_spm(cadence_spm: float, params: CadenceParams) -> float:
    """The highest aim for a run at `cadence_spm`: a slow day below the typical cadence is not asked for more (usually
    170, 150 today: 165, not 178)."""
    return float(round(cadence_spm * (1 + params.max_step_frac)))


def practice_aim(held_spm: float, ceiling_spm: float, base_spm: float,
                 params: CadenceParams = CadenceParams(), *, reached_spm: float) -> float:
    """The home-practice cadence after a clinic retest: one step above `held_spm` (the retest, without the cue),
    but at most one step above `base_spm` (the typical cadence, else the baseline's), never past `ceiling_spm`
    (the runner's own goal, else the speed norm) and never above what the runner reached in the test:
    `reached_spm` (the cadence with the cue), or `held_spm` when the retest was quicker. No aim the runner did
    not reach even with help (QA17 N3). May be at or below `held_spm`: the runner holds it already."""
    f = 1 + params.target_increase_frac
    return float(min(round(held_spm * f), round(base_spm * f), round(ceiling_spm), round(max(reached_spm, held_spm))))


def aim_for(cadence_spm: float, speed_mps: float, leg_length_m: float | None = None, goal_spm: float | None = None,
            params: CadenceParams = CadenceParams(), typical_cadence_spm: float | None = None) -> CadenceAim | None:
    """The aim of this run: a step towards the runner's own goal when set, else footfall's target; either
    measured from the typical cadence when known."""
    if goal_spm is not None:
        step = step_towards(cadence_spm, goal_spm, params, typical_cadence_spm)
        capped = step is not None and step == _most_spm(cadence_spm, params) < round(goal_spm)  # said from the run
        return None if step is None else CadenceAim(step, goal_spm, None if capped else typical_cadence_spm)
    target = target_spm(cadence_spm, speed_mps, leg_length_m, params, typical_cadence_spm)
    return None if target is None else CadenceAim(target, typical_spm=_typical_below(cadence_spm, typical_cadence_spm))
