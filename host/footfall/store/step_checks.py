"""What a step read back from a file (`history add` of a step file, `runner import`) may hold.

NaN is "not measured" all through footfall, so an empty cell or null stays NaN and is stored as such. What cannot
be a measurement is refused, naming the field: an infinite figure, one outside any body's or sensor's range (a
negative contact time, a cadence of 10,000), a word where a known word belongs (side "X"), a step without a time,
and steps of one foot that go back in time or come closer together than any foot can step. `footfall analyse`
never writes such steps; a hand-edited file or another program's can hold them, and stored they became a run of
496 km in 18 s, a report that could not draw its axes, or a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from footfall.analysis.step import Step
from footfall.errors import InputError

SIDES = ("L", "R", "?")
ACTIVITIES = ("running", "walking", "standing", "none")
MAX_INDEX = 2**63 - 1  # SQLite's largest integer
MAX_SESSION_S = 7 * 86400.0  # a step's time on its session's clock: a week covers any single run
MIN_STEP_GAP_S = 0.1  # one foot's contacts 0.1 s apart: 600 strides/min, beyond any runner

# (low, high) of each figure, when measured: wide enough for any runner, sensor or analysis, and no wider
RANGES: dict[str, tuple[float, float]] = {
    "to_time_s": (-60.0, MAX_SESSION_S),
    "contact_time_ms": (0.0, 10_000.0),
    "swing_time_ms": (0.0, 10_000.0),
    "flight_time_ms": (-10_000.0, 10_000.0),
    "strike_angle_deg": (-180.0, 180.0),
    "pattern_confidence": (0.0, 1.0),
    "cadence_spm": (0.0, 600.0),
    "stride_length_m": (0.0, 20.0),
    "stride_time_s": (0.0, 60.0),
    "speed_mps": (0.0, 20.0),
    "foot_velocity_at_ic_mps": (-50.0, 50.0),
    "braking_mps2": (-10_000.0, 10_000.0),
    "overstride_index": (0.0, 1.0),
    "impact_g": (0.0, 1_000.0),
}


def check_step(step: Step) -> None:
    """InputError naming the first field of `step` that cannot be a measurement."""
    if not -60.0 <= step.ic_time_s <= MAX_SESSION_S:  # (NaN fails too: a step without a time is no step)
        raise InputError(f"ic_time_s {step.ic_time_s!r} is not a time on the session's clock (-60 to "
                         f"{MAX_SESSION_S:.0f} s): every step needs one")
    if not 0 <= step.index <= MAX_INDEX:
        raise InputError(f"index {step.index} is not a step number (0 to {MAX_INDEX})")
    if step.side not in SIDES:
        raise InputError(f"side {step.side!r} is not one of {', '.join(SIDES)}")
    if step.activity not in ACTIVITIES:
        raise InputError(f"activity {step.activity!r} is not one of {', '.join(ACTIVITIES)}")
    for name, (low, high) in RANGES.items():
        value = getattr(step, name)
        if not math.isnan(value) and not low <= value <= high:
            raise InputError(f"{name} {value!r} cannot be a measurement ({low:g} to {high:g}; empty or null when "
                             "not measured)")


def check_sequence(steps: Sequence[Step], where: Sequence[str]) -> None:
    """Each sensor's steps in time order and at least MIN_STEP_GAP_S apart; InputError naming the step
    (`where[k]`, e.g. "step 12" or "line 13") that is not."""
    last: dict[tuple[str, str], float] = {}
    for step, place in zip(steps, where):
        foot = (step.sensor, step.side)
        if foot in last and step.ic_time_s < last[foot] + MIN_STEP_GAP_S:
            gap_s = step.ic_time_s - last[foot]
            when = f"{-gap_s:.3g} s before" if gap_s <= 0 else f"only {gap_s:.3g} s after"
            raise InputError(f"{place}: ic_time_s {step.ic_time_s:g} is {when} the step before it of sensor "
                             f"{step.sensor!r}: one foot's steps go forward in time, at least {MIN_STEP_GAP_S:g} s "
                             "apart")
        last[foot] = step.ic_time_s
