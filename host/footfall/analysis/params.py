"""Parameters of the streaming analyser: every threshold in one frozen dataclass, units in the names."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from footfall.errors import InputError

# (lower, upper) pairs that must be strictly ordered
_ORDERED = (("min_stride_s", "max_stride_s"), ("min_contact_s", "max_contact_s"), ("min_count_rate_hz", "min_rate_hz"))
_MAY_BE_ZERO = {"max_bridge_s"}  # 0: never bridge a gap
_MAY_BE_INFINITE = {"scout_window_s"}  # inf: no provisional landings (the Analyser's own only)


@dataclass(frozen=True)
class AnalysisParams:
    """Tuning of orientation, contact detection, cadence and activity classification.

    The defaults cover walking and running at 50-1000 Hz; they were chosen from the literature and the
    physics of the gait cycle (see docs/algorithms.md), not fitted to one recording.
    """

    # --- mounting alignment (orient.py)
    auto_align: bool = True  # False: the blocks are already in the foot frame (x toe, y left, z up)
    align_window_s: float = 12.0  # samples used for the alignment estimate, from the stream start
    scout_window_s: float = 2.0  # live landings before align_window_s: a provisional mounting of this (scout.py)
    align_min_swing_s: float = 1.0  # minimum swing motion within the window for a usable pitch-axis estimate
    min_rate_hz: float = 50.0  # below this a 0.1-0.3 s contact is a few samples: steps and cadence only
    validated_rate_hz: float = 100.0  # the lowest rate validated (ipol-walking; docs/validation.md): below it, a note
    min_count_rate_hz: float = 10.0  # below this not even the steps (virtual runner at 5 Hz: 30 of 41 found)
    max_bridge_s: float = 0.1  # shorter gaps (lost packets) are bridged by interpolation, longer ones end a bout
    # --- contact detection (contacts.py)
    swing_rate_radps: float = 1.5  # toe-up pitch rate that marks a swing (slow walking peaks near 3 rad/s)
    swing_confirm_s: float = 0.05  # the rate must stay above the threshold this long (rejects heel-drop blips)
    start_swing_rate_radps: float = 1.0  # ... or above this for the last step into standing (peaks 1.3-1.9)
    standing_rest_s: float = 0.5  # the foot at rest this long is standing (walking foot-flat is shorter)
    turn_rate_radps: float = 2.5  # yaw rate of a pivot step (a U-turn step turns the foot, hardly pitches it)
    turn_confirm_s: float = 0.1  # ... held this long, then the foot stands again within 0.3 s
    min_contact_s: float = 0.08  # a contact is at least this long (sprinting ~0.09 s)
    max_contact_s: float = 1.5  # longer "contacts" are standing: the step ends without a toe-off
    max_swing_s: float = 1.2  # longer swings are not gait (foot lifted, sitting, ...)
    to_search_s: float = 0.35  # toe-off is searched this far before the swing starts
    to_release_peak_s: float = 0.02  # the vertical specific force may still rise this long after the fastest
    # plantar flexion (its push-off peak) before the fall that marks toe-off; rising longer: no release seen
    smooth_s: float = 0.008  # half-width of the centred moving average applied to the pitch rate
    ic_impact_search_s: float = 0.12  # running: the landing impact is searched this long after the zero crossing
    ic_impact_before_s: float = 0.15  # ... and this long before it (forefoot landings: up to ~120 ms before)
    rest_rate_radps: float = 1.0  # a foot turning slower than this in every axis is at rest (pivot calm, flat landing)
    heel_drop_radps: float = 1.0  # a forefoot touchdown turns the falling toe-up rate back up by more than this
    settle_reach_s: float = 0.08  # a flat-landing foot stands flat within this of its impact
    touchdown_impact_share: float = 0.5  # an early touchdown's impact is at least this share of the last one's
    # --- accelerometer-only contacts (contacts_acc.py)
    acc_still_tol_mps2: float = 1.5  # still: | |a| - g | below this ...
    acc_steady_mps2: float = 2.0  # ... with |a| varying less than this over 40 ms ...
    acc_min_still_s: float = 0.02  # ... for at least this long (a running foot is still for ~25-40 ms)
    acc_impact_lookback_s: float = 0.2  # the landing impact is searched this long before a still period
    acc_merge_s: float = 0.15  # shorter breaks between still periods belong to one stance
    acc_min_swing_s: float = 0.3  # shortest swing: a landing this soon after the last stance's rest ended is none
    acc_impact_ratio: float = 5.0  # a landing's jerk stands out from the smooth swing and the rest by this factor
    # --- cadence and activity (cadence.py, segments.py)
    min_stride_s: float = 0.45  # shorter strides are not physiological (cadence > 266 steps/min)
    max_stride_s: float = 2.5  # longer: the runner stopped; no cadence across the pause
    running_duty_factor: float = 0.5  # contact/stride below this is running (walking has double support)
    running_contact_s: float = 0.4  # ... or a contact shorter than this (walking: 0.5-0.8 s, running: 0.15-0.35 s)
    standing_gap_s: float = 2.0  # no step for this long = standing
    turn_yaw_deg: float = 30.0  # strides turning more than this are flagged "turn"

    def __post_init__(self) -> None:
        """InputError for values with no sensible meaning: a time, rate or threshold that is NaN, negative or
        zero (a few may be 0 or inf, see _MAY_BE_*), a duty factor of 1 or more, bounds the wrong way round."""
        for f in fields(self):
            if f.type == "float" and not _plausible(f.name, getattr(self, f.name)):
                raise InputError(f"AnalysisParams.{f.name}={getattr(self, f.name)!r} must be a number above 0")
        if not self.running_duty_factor < 1.0:
            raise InputError(f"AnalysisParams.running_duty_factor={self.running_duty_factor!r} must be below 1")
        for low, high in _ORDERED:
            if not getattr(self, low) < getattr(self, high):
                raise InputError(f"AnalysisParams.{low}={getattr(self, low)!r} must be below {high}="
                                 f"{getattr(self, high)!r}")


def _plausible(name: str, value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return False
    low_ok = value >= 0 if name in _MAY_BE_ZERO else value > 0
    return low_ok and (name in _MAY_BE_INFINITE or math.isfinite(value))
