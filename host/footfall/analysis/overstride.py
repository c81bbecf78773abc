"""A transparent overstride index from measurable signs of landing too far ahead of the body.

Overstriding means landing with the foot well ahead of the hip/centre of mass, which brings a larger
posteriorly directed braking force (Lieberman et al. 2015) and larger loads at the knee and hip; shortening
the step by raising the step rate 5-10 % reduces them (Heiderscheit et al. 2011). A foot-mounted IMU cannot
see the hip, so the index combines four signs it can measure, each mapped linearly onto 0..1:

| component | 0 at | 1 at | why |
|---|---|---|---|
| strike angle | 2 deg | 20 deg | a steep heel strike goes with the foot ahead of the knee (Lieberman 2015) |
| forward foot velocity at IC | 0 m/s | 1.5 m/s | landing while the foot still swings forward, not pulled back under the body |
| braking (the foot's own forward deceleration just after IC) | 0 | 40 m/s^2 | a foot landing ahead still moving forward is stopped at contact (a foot-level sign, not the centre-of-mass braking force of Lieberman 2015 / Napier et al. 2018) |
| cadence deficit vs a speed norm | 0 spm | 20 spm | long, slow steps at a given speed (Heiderscheit 2011) |

The cadence norm is 155 + 5 x speed (m/s) steps/min, scaled by sqrt(0.90 m / leg length) when the leg length
is known (pendulum scaling: longer legs swing slower). The index is the weighted mean of the available
components (weights 0.30, 0.30, 0.20, 0.20; a component that cannot be measured is left out and the weights
renormalised). The norm, the break points and the weights are footfall's own starting values, to be refined
against labelled data, not clinical cut-offs; docs/algorithms.md gives the rationale and docs/validation.md
the check against the RBDS force plate and pelvis markers (one runner).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from footfall.errors import InputError

REFERENCE_LEG_LENGTH_M = 0.90


@dataclass(frozen=True)
class OverstrideWeights:
    strike: float = 0.30
    landing_velocity: float = 0.30
    braking: float = 0.20
    cadence: float = 0.20


@dataclass(frozen=True)
class Overstride:
    """Each component's score in 0..1 (NaN = not measurable) and their weighted combination."""

    strike_score: float
    landing_velocity_score: float
    braking_score: float
    cadence_score: float
    index: float
    cadence_norm_spm: float  # the speed (and leg length) norm the cadence was compared with


LEG_LENGTH_RANGE_M = (0.3, 1.5)  # hip to floor; outside it the value is almost surely in other units (cm for m)


def check_leg_length_m(leg_length_m: float) -> None:
    """InputError for a leg length no runner has (NaN, 0, negative, in cm): the same bounds and words as the
    runner's record in the history (store.checks)."""
    low, high = LEG_LENGTH_RANGE_M
    if isinstance(leg_length_m, (int, float)) and low <= leg_length_m <= high:
        return
    hint = f"give it in metres, {low:g}-{high:g}, or None when not known"
    if isinstance(leg_length_m, (int, float)) and low * 100 <= leg_length_m <= high * 100:
        hint += f": {leg_length_m:g} cm is {leg_length_m / 100:g}"
    raise InputError(f"leg length {leg_length_m!r} m is not plausible", hint=hint)


def _ramp(value: float, zero_at: float, one_at: float) -> float:
    if not math.isfinite(value):
        return math.nan
    return min(1.0, max(0.0, (value - zero_at) / (one_at - zero_at)))


def cadence_norm_spm(speed_mps: float, leg_length_m: float | None) -> float:
    """A typical step rate at this running speed, scaled for leg length when known."""
    norm = 155.0 + 5.0 * speed_mps
    if leg_length_m is not None and leg_length_m > 0:
        norm *= math.sqrt(REFERENCE_LEG_LENGTH_M / leg_length_m)
    return norm


def overstride(
    strike_angle_deg: float,
    foot_velocity_at_ic_mps: float,
    braking_mps2: float,
    cadence_spm: float,
    speed_mps: float,
    leg_length_m: float | None = None,
    weights: OverstrideWeights = OverstrideWeights(),
) -> Overstride:
    """Components and index (see the module docstring for the mapping and its sources)."""
    norm = cadence_norm_spm(speed_mps, leg_length_m) if math.isfinite(speed_mps) else math.nan
    parts = (
        (_ramp(strike_angle_deg, 2.0, 20.0), weights.strike),
        (_ramp(foot_velocity_at_ic_mps, 0.0, 1.5), weights.landing_velocity),
        (_ramp(braking_mps2, 0.0, 40.0), weights.braking),
        (_ramp(norm - cadence_spm, 0.0, 20.0), weights.cadence),
    )
    used = [(v, w) for v, w in parts if math.isfinite(v)]
    total = sum(w for _, w in used)
    index = sum(v * w for v, w in used) / total if total > 0 else math.nan
    return Overstride(parts[0][0], parts[1][0], parts[2][0], parts[3][0], index, norm)
