"""What the overstride index is made of (qa17 #12): its four components per part of a session, each as a figure in
its own units and as the 0..1 score the index weighs (analysis/overstride.py, docs/algorithms.md "Overstride
index").

Each step's components are recomputed from its stored figures with the same function the analyser used
(`overstride`), with the leg length the session's stored index was computed with (kept since schema v8: see
`used_leg_length`), so the scores and the index beside them agree. For a session stored before, that value is not
known: the runner's profile today stands in, and the report says so (after `runner set --leg-length-m` the two
can then disagree). The table's
figures are medians over the part's running steps; the index is the median of each step's index, so it need not
equal the weighted mean of the median scores.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from footfall.analysis.cadence import stride_cadence_spm
from footfall.analysis.overstride import REFERENCE_LEG_LENGTH_M, Overstride, OverstrideWeights, overstride
from footfall.analysis.step import Step
from footfall.analysis.summary import counts_in
from footfall.coaching.summary import summarise_steps
from footfall.finite import median
from footfall.report.change import (PARAMS, Change, ChangeParams, block_steps, diff_ci, reference_of,
                                    speed_difference, values)
from footfall.report.segments import SegmentFigures, figure_steps

if TYPE_CHECKING:
    from footfall.store.rows import Session

WEIGHTS = OverstrideWeights()
# key, label in the client's words, unit, decimals, weight
COMPONENTS: tuple[tuple[str, str, str, int, float], ...] = (
    ("strike_angle_deg", "strike angle (toe up at landing)", "deg", 1, WEIGHTS.strike),
    ("foot_velocity_at_ic_mps", "foot still moving forward at landing", "m/s", 2, WEIGHTS.landing_velocity),
    ("braking_mps2", "braking of the foot just after landing", "m/s²", 1, WEIGHTS.braking),
    ("cadence_deficit_spm", "cadence below the norm for the speed", "steps/min", 1, WEIGHTS.cadence),
)
EXPLAINED = ("The overstride index (0-1) is footfall's own summary of four signs of landing with the foot far ahead "
             "of the body, each scored 0 (no sign) to 1 (strong) and weighted as shown: how steep the landing is "
             "(toe up), whether the foot is still moving forward when it lands, how sharply it brakes just after, "
             "and how far the cadence is below a typical one for the speed. The sensor is on the foot, so it cannot "
             "see where the foot lands relative to the hips: the index is not a measured distance, and a flatter "
             "landing alone lowers it. Its break points are starting values, not clinical cut-offs.")


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    unit: str
    decimals: int
    weight: float
    value: float  # median of the steps' figures, in `unit`; NaN = not measured
    score: float  # median of the steps' 0..1 scores

    def text(self) -> str:
        """"8.2 deg → 0.35"."""
        if not math.isfinite(self.value):
            return "–"
        score = f" → {self.score:.2f}" if math.isfinite(self.score) else ""
        return f"{self.value:.{self.decimals}f} {self.unit}{score}"


@dataclass(frozen=True)
class Landing:
    components: tuple[Component, ...]
    index: float  # median of the steps' overstride index (the summary's figure)
    norm_spm: float  # median cadence norm the cadence was compared with (155 + 5 x speed, leg-length scaled)


def window_cadence_spm(s: Step) -> float:
    """The cadence the index compared with its norm: of the stride module's mid-stance-to-mid-stance window
    (stride length / speed), as analysis/leg_length.py `overstride_for` recomputes it."""
    return stride_cadence_spm(s.stride_length_m / s.speed_mps) if s.speed_mps > 0 else math.nan


def step_parts(s: Step, leg_length_m: float | None) -> Overstride:
    """One step's components, as the analyser computed them (analysis/stride.py)."""
    return overstride(s.strike_angle_deg, s.foot_velocity_at_ic_mps, s.braking_mps2, window_cadence_spm(s),
                      s.speed_mps, leg_length_m, WEIGHTS)


_RAW: dict[str, Callable[[Step, Overstride], float]] = {  # each component's figure, in its own units
    "strike_angle_deg": lambda s, _: s.strike_angle_deg,
    "foot_velocity_at_ic_mps": lambda s, _: s.foot_velocity_at_ic_mps,
    "braking_mps2": lambda s, _: s.braking_mps2,
    "cadence_deficit_spm": lambda s, p: p.cadence_norm_spm - window_cadence_spm(s),
}
_SCORE: dict[str, Callable[[Overstride], float]] = {
    "strike_angle_deg": lambda p: p.strike_score, "foot_velocity_at_ic_mps": lambda p: p.landing_velocity_score,
    "braking_mps2": lambda p: p.braking_score, "cadence_deficit_spm": lambda p: p.cadence_score,
}


def landing(steps: Sequence[Step], leg_length_m: float | None) -> Landing | None:
    """The components over the running steps of `steps`; None when the part has no running figures (a walk)."""
    summary = summarise_steps(steps)
    if summary.activity != "running":
        return None
    pairs = [(s, step_parts(s, leg_length_m)) for s in figure_steps(steps, "running")]
    comps = tuple(Component(key, label, unit, decimals, weight,
                            median(_RAW[key](s, p) for s, p in pairs if counts_in(s, key)),
                            median(_SCORE[key](p) for s, p in pairs if counts_in(s, key)))
                  for key, label, unit, decimals, weight in COMPONENTS)
    return Landing(comps, summary.overstride_index, median(p.cadence_norm_spm for _, p in pairs))


@dataclass(frozen=True)
class LegLengthUsed:
    """The leg length to recompute a session's components with, and whether it is the session's own."""
    value_m: float | None  # None: none given (the reference leg's cadence norm)
    known: bool  # True: the one its stored index used; False: not known (stored before v8), the profile's today


def used_leg_length(session: Session, profile_leg_length_m: float | None) -> LegLengthUsed:
    """The session's own leg length when the history kept it, else the runner's profile today (`profile_...`)."""
    if session.leg_length is not None:
        return LegLengthUsed(session.leg_length.value_m, True)
    return LegLengthUsed(profile_leg_length_m, False)


def leg_length_text(leg_length_m: float | None, known: bool = False) -> str:
    """The leg length the component scores were recomputed with, said on the page (qa17 #11). `known`: it is the
    one the stored index used, so no caveat; otherwise the profile's today, which need not be that one."""
    used = (f"none given (the cadence norm of a {REFERENCE_LEG_LENGTH_M:.2f} m leg)" if leg_length_m is None
            else f"{leg_length_m:g} m")
    if known:
        return f"leg length the session's overstride index was computed with: {used}; the component scores use it too"
    return (f"leg length in the runner's current profile: {used}; the component scores use it, the stored "
            "overstride index used the profile's value when the session was added")


OVERSTRIDE_SIGNS = ("foot_velocity_at_ic_mps", "braking_mps2")  # the components that are about overstride itself


def sign_changes(figures: Sequence[SegmentFigures], params: ChangeParams = PARAMS) -> list[Change]:
    """The change of the foot's forward velocity at landing and of its braking, each segment with running steps
    against the reference segment (report/change.py `reference_of`), with the same block-bootstrap 95 % CI and
    speed flag as the Δ rows; within noise when the CI includes 0 (footfall has no floor for these)."""
    ref, _ = reference_of(figures)
    if ref is None:
        return []
    others = [g for g in figures if g is not ref and g.basis == "running"]
    return [_sign_change(key, ref, g, params) for key in OVERSTRIDE_SIGNS for g in others]


def _sign_change(key: str, ref: SegmentFigures, g: SegmentFigures, params: ChangeParams) -> Change:
    base, later = values(ref, key), values(g, key)
    diff = median(later) - median(base)
    low, high = diff_ci(key, base, later, block_steps(ref, params), block_steps(g, params), params)
    noise = not (low > 0 or high < 0)
    return Change(key, g.label, diff, low, high, noise, ref.label, speed_difference(ref, g, params)[0])
