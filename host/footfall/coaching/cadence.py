"""One speed-aware cadence norm and target for the live cues and the post-run advice alike.

The norm is the one the overstride index compares with (footfall.analysis.overstride): 155 + 5 x speed (m/s)
steps/min, scaled for leg length when known. It is footfall's own starting value, not from the articles. A
cadence below it counts as "low"; the target raises the cadence 7.5% (within the 5-10% of Heiderscheit et al.
2011) but never past the norm: a runner close below the norm is asked for the norm, one further below for +7.5%.
So the target never falls as the cadence rises, and is never above the norm. A runner at or above the norm gets
no target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from footfall.analysis.overstride import cadence_norm_spm


@dataclass(frozen=True)
class CadenceParams:
    target_increase_frac: float = 0.075  # Heiderscheit et al. 2011: +5-10%
    unknown_speed_norm_spm: float = 166.0  # footfall's own, used when the speed was not measured


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
