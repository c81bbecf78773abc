"""Technique advice from the run summary: cadence, strike, overstride and left/right balance."""

from __future__ import annotations

import math
from dataclasses import dataclass

from footfall.coaching.advice_types import Advice
from footfall.coaching.knowledge import Category, item
from footfall.coaching.references import ALTMAN_DAVIS_2012, HEIDERSCHEIT_2011
from footfall.coaching.summary import RunSummary


@dataclass(frozen=True)
class TechniqueParams:
    rearfoot_share: float = 0.6
    strike_angle_deg: float = 15.0
    low_cadence_spm: float = 166.0
    overstride_index: float = 0.5
    target_increase_frac: float = 0.075  # Heiderscheit et al. 2011: +5-10%
    balance_tolerance_frac: float = 0.05  # share of contact time; 0.55/0.45 = 10 points apart


def cadence_target(cadence_spm: float, params: TechniqueParams = TechniqueParams()) -> float:
    return float(round(cadence_spm * (1.0 + params.target_increase_frac)))


def _heel_and_slow(s: RunSummary, p: TechniqueParams) -> bool:
    return s.rearfoot_share >= p.rearfoot_share and s.strike_angle_deg >= p.strike_angle_deg and \
        s.cadence_spm < p.low_cadence_spm


def figure(value: float, fmt: str, unit: str = "") -> str:
    """`value` formatted with its unit, or "n/a" when it was not measured (NaN)."""
    return fmt.format(value) + unit if math.isfinite(value) else "n/a"


def _figures(s: RunSummary) -> str:
    return (f"cadence {figure(s.cadence_spm, '{:.0f}', ' steps/min')}, rearfoot "
            f"{figure(s.rearfoot_share * 100, '{:.0f}', '%')} of steps, strike angle "
            f"{figure(s.strike_angle_deg, '{:.0f}', ' deg')}, overstride index {figure(s.overstride_index, '{:.2f}')}")


def technique_advice(s: RunSummary, target_spm: float | None = None,
                     params: TechniqueParams = TechniqueParams()) -> list[Advice]:
    lit = (HEIDERSCHEIT_2011, ALTMAN_DAVIS_2012)
    if s.activity != "running":  # the cadence, strike and overstride rules and their sources are about running
        what = "no steps were found" if s.activity == "none" else f"its steps were walking ({_figures(s)})"
        msg = f"This session has no running to judge: {what}. Technique advice comes from running steps."
        return [Advice(Category.TECHNIQUE, "Technique: no running in this session", msg, (item("cadence"),), lit,
                       urgency=-3)]
    out: list[Advice] = []
    if _heel_and_slow(s, params):
        target = target_spm or cadence_target(s.cadence_spm, params)
        msg = (f"Mostly heavy heel landings at a low step rate ({_figures(s)}). Aim for about {target:.0f} "
               f"steps/min at the same speed: shorter, quicker steps.")
        out.append(Advice(Category.TECHNIQUE, "Shorter, quicker steps", msg,
                          (item("cadence"), item("shorter_steps"), item("heavy_heel")), lit, urgency=1))
    elif math.isfinite(s.overstride_index) and s.overstride_index >= params.overstride_index:
        msg = f"Your feet landed well ahead of you ({_figures(s)}). Take shorter steps that land under the hips."
        out.append(Advice(Category.TECHNIQUE, "Overstriding", msg,
                          (item("shorter_steps"), item("shoe_confidence"), item("cadence")), lit))
    if math.isfinite(s.balance_left_share) and abs(s.balance_left_share - 0.5) > params.balance_tolerance_frac:
        left = s.balance_left_share * 100
        msg = (f"Ground contact differed between feet (left {left:.0f}% / right {100 - left:.0f}%). If this "
               f"persists or one side hurts, a physiotherapist can assess your gait.")
        out.append(Advice(Category.TECHNIQUE, "Left/right balance", msg, (item("heavy_heel"), item("old_injuries"))))
    if not out:
        msg = f"Nothing to change in your stride today ({_figures(s)})."
        out.append(Advice(Category.TECHNIQUE, "Technique: looks good", msg, (item("shorter_steps"),), lit, urgency=-3))
    return out
