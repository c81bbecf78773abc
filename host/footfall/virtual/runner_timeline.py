"""When each foot lands and leaves the ground, and the per-contact kinematic targets: the virtual runner's plan.

Steps alternate between the feet; a foot's stride is two consecutive steps. Standing holds both feet flat
(their last contact simply lasts longer). Stride length is speed x stride time exactly for every stride that
starts and ends inside one moving segment (`steady`), so the truth satisfies v = L * f by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from footfall.samples import STANDARD_GRAVITY_MPS2
from footfall.virtual.runner_params import RunnerParams, default_contact_time_s

F64 = NDArray[np.float64]
PREROLL_S = 2.5  # strides start this long before t=0 so the recording opens mid-run
POSTROLL_S = 2.5
MIN_SWING_S = 0.25
ACTIVITY_CODE = {"standing": 0, "walking": 1, "running": 2}


@dataclass(frozen=True)
class Segment:
    activity: str
    start_s: float
    end_s: float


@dataclass
class Contacts:
    """One row per ground contact of one foot (arrays of equal length, sorted by ic_s)."""

    ic_s: F64  # initial contact
    to_s: F64  # toe-off (inf when the foot stays down to the end)
    next_ic_s: F64  # initial contact of the next contact of this foot (inf for the last)
    activity: NDArray[np.int64]  # ACTIVITY_CODE of the segment the contact lands in
    steady: NDArray[np.bool_]  # the stride ending here lies inside one moving segment
    strike_rad: F64  # pitch at IC relative to foot flat, + toe up
    heel_x_m: F64  # forward position of the heel while the foot is flat
    speed_mps: F64  # of the stride ending at this contact (stride length / stride time)
    t_ff_s: F64  # IC to foot flat
    t_ho_s: F64  # IC to heel-off
    rate_ic_radps: F64  # pitch rate at IC
    toe_off_rad: F64
    rate_to_radps: F64
    u_ic_mps: F64  # forward velocity of the landing pivot at IC (overstride)
    w_ic_mps: F64  # vertical velocity of the landing pivot at IC (negative: down)
    brake_s: F64  # time for the landing pivot to stop moving forward
    settle_s: F64  # time for it to stop moving down (sole compression)
    impact_mps2: F64  # amplitude of the impact transient
    impact_hz: F64
    swing_z_max_m: F64  # sensor height target in swing
    swing_v_peak_mps: F64  # peak forward sensor velocity target in swing
    swing_min_rad: F64  # most toe-down pitch target in swing
    swing_roll_rad: F64  # small roll bump in swing
    swing_lateral_m: F64  # small lateral bump in swing

    @property
    def n(self) -> int:
        return int(self.ic_s.size)


@dataclass(frozen=True)
class _Step:
    ic_s: float
    activity: str
    held: bool  # this contact lasts through a following standing segment
    first_after_stand: bool


def segments(p: RunnerParams) -> list[Segment]:
    """The schedule as absolute segments covering exactly 0..duration_s (running fills the rest)."""
    out: list[Segment] = []
    t = 0.0
    for activity, seconds in p.schedule:
        end = min(t + seconds, p.duration_s)
        if end > t:
            out.append(Segment(activity, t, end))
        t = end
    if t < p.duration_s:
        out.append(Segment("running", t, p.duration_s))
    return out


def nominal_step_s(p: RunnerParams, activity: str, time_s: float) -> float:
    if activity == "walking":
        return 60.0 / p.walk_cadence_spm
    drift = 1.0 + p.cadence_drift_pct_per_h / 100.0 * max(time_s, 0.0) / 3600.0
    return 60.0 / (p.cadence_spm * drift)


def nominal_contact_s(p: RunnerParams, activity: str, time_s: float) -> float:
    if activity == "walking":
        return 0.62 * 2.0 * nominal_step_s(p, activity, time_s)
    base = p.contact_time_ms / 1000.0 if p.contact_time_ms is not None else default_contact_time_s(p.speed_mps)
    return base * (1.0 + 0.08 * p.overstride)


def plan_steps(p: RunnerParams, rng: np.random.Generator) -> dict[str, list[_Step]]:
    """Alternating initial contacts of both feet over the schedule (plus pre- and post-roll)."""
    segs = segments(p)
    steps: dict[str, list[_Step]] = {"L": [], "R": []}
    foot, t, moving = "L", -PREROLL_S, False
    for i, seg in enumerate(segs):
        start = seg.start_s - PREROLL_S if i == 0 else seg.start_s
        end = seg.end_s + POSTROLL_S if i == len(segs) - 1 else seg.end_s
        if seg.activity == "standing":
            for side in ("L", "R"):
                if steps[side]:
                    steps[side][-1] = _Step(steps[side][-1].ic_s, steps[side][-1].activity, True, False)
                else:
                    steps[side].append(_Step(start - 1.0, "standing", True, False))
            moving = False
            continue
        if not moving:
            t = start + (2.0 * nominal_step_s(p, seg.activity, start) - nominal_contact_s(p, seg.activity, start)
                         if i > 0 else 0.0)
        after_stand = i > 0 and not moving
        first = {"L": after_stand, "R": after_stand}
        while t < end:
            steps[foot].append(_Step(t, seg.activity, False, first[foot]))
            first[foot] = False
            asym = 1.0 + (p.asymmetry_pct / 200.0) * (1.0 if foot == "L" else -1.0)
            t += nominal_step_s(p, seg.activity, t) * asym * (1.0 + p.stride_variability_cv * rng.standard_normal())
            foot = "R" if foot == "L" else "L"
        moving = True
    return steps


def build_contacts(p: RunnerParams, side: str, steps: list[_Step], rng: np.random.Generator) -> Contacts:
    """Turn one foot's planned contacts into the per-contact kinematic targets."""
    n = len(steps)
    ic = np.array([s.ic_s for s in steps])
    act = np.array([ACTIVITY_CODE[s.activity] for s in steps], dtype=np.int64)
    walking = act == 1
    next_ic = np.append(ic[1:], np.inf)
    sign = 1.0 if side == "L" else -1.0
    strike_deg = _strike_deg(p, ic, walking, sign, rng)
    tc = np.array([nominal_contact_s(p, s.activity, s.ic_s) for s in steps])
    tc *= (1.0 + sign * p.asymmetry_pct / 200.0) * (1.0 + 0.02 * rng.standard_normal(n))
    to = _toe_off_s(p, steps, ic, tc, next_ic)
    steady, speed, heel_x = _strides(p, steps, ic)
    t_ff = tc * np.clip(0.12 + 0.006 * np.abs(strike_deg), 0.12, 0.35)
    heel_off_s = tc * np.where(walking, 0.45, 0.5)  # heel-off to toe-off, from the nominal contact time
    # a contact held through standing (or shortened before a quick next stride) keeps its heel-off duration
    t_ho = np.maximum((to - ic) - heel_off_s, t_ff + 0.02)
    heel_off_s = np.where(np.isfinite(to), (to - ic) - np.where(np.isfinite(t_ho), t_ho, 0.0), np.inf)
    toe_off = np.radians(np.where(walking, -42.0, p.toe_off_angle_deg))
    ov = np.where(walking, 0.0, p.overstride)
    strike = np.radians(strike_deg)
    rear = np.clip(strike_deg / 20.0, 0.0, 1.5)
    impact = p.impact_g * STANDARD_GRAVITY_MPS2 * (0.3 + 0.7 * rear) * (1.0 + 0.8 * ov) * np.where(walking, 0.35, 1.0)
    swing_s = np.where(np.isfinite(to) & np.isfinite(next_ic), next_ic - np.where(np.isfinite(to), to, 0.0), np.inf)
    stride_s = np.where(np.isfinite(next_ic), next_ic - ic, 2.0 * nominal_step_s(p, "running", 0.0))
    run_speed = np.where(walking, p.walk_speed_mps, p.speed_mps)
    mean_swing = run_speed * stride_s / np.where(np.isfinite(swing_s), swing_s, 1.0)
    v_peak = np.where(walking, 1.35 * mean_swing, np.maximum(p.swing_peak_ratio * run_speed, 1.2 * mean_swing))
    swing_min = p.swing_min_pitch_deg if p.swing_min_pitch_deg is not None else -(55.0 + 8.0 * p.speed_mps)
    return Contacts(
        ic_s=ic, to_s=to, next_ic_s=next_ic, activity=act, steady=steady, strike_rad=strike, heel_x_m=heel_x,
        speed_mps=speed, t_ff_s=t_ff, t_ho_s=t_ho, rate_ic_radps=-0.3 * strike / t_ff, toe_off_rad=toe_off,
        rate_to_radps=2.0 * toe_off / np.where(np.isfinite(heel_off_s), np.maximum(heel_off_s, 0.03), 1.0),
        u_ic_mps=np.where(walking, 0.1, 0.15 + 1.35 * ov),
        w_ic_mps=np.where(walking, -0.3, -(0.35 + 0.25 * rear + 0.35 * ov)),
        brake_s=np.minimum(np.where(walking, 0.06, 0.03 + 0.01 * ov), t_ff + 0.02), settle_s=np.where(walking, 0.02, 0.010),
        impact_mps2=impact, impact_hz=15.0 + 1.5 * rng.standard_normal(n),
        swing_z_max_m=np.where(walking, 0.15, 0.12 + 0.06 * run_speed), swing_v_peak_mps=v_peak,
        swing_min_rad=np.radians(np.where(walking, -55.0, swing_min)),
        swing_roll_rad=np.radians(sign * (7.0 + 1.5 * rng.standard_normal(n))),
        swing_lateral_m=sign * -0.02 * (1.0 + 0.2 * rng.standard_normal(n)),
    )


def _strike_deg(p: RunnerParams, ic: F64, walking: NDArray[np.bool_], sign: float,
                rng: np.random.Generator) -> F64:
    drift = p.strike_drift_deg_per_h * np.maximum(ic, 0.0) / 3600.0
    run = p.strike_angle_deg + drift + sign * p.strike_asymmetry_deg / 2.0
    base = np.where(walking, p.walk_strike_angle_deg, run)
    return np.asarray(base + p.strike_sd_deg * rng.standard_normal(ic.size), dtype=np.float64)


def _toe_off_s(p: RunnerParams, steps: list[_Step], ic: F64, tc: F64, next_ic: F64) -> F64:
    """Toe-off: after the contact time, or (held through standing) one swing before the next contact."""
    to = np.minimum(ic + tc, next_ic - MIN_SWING_S)
    for k, step in enumerate(steps):
        if step.held:
            if np.isfinite(next_ic[k]):
                nxt = steps[k + 1]
                swing = 2.0 * nominal_step_s(p, nxt.activity, nxt.ic_s) - nominal_contact_s(p, nxt.activity, nxt.ic_s)
                to[k] = next_ic[k] - swing
            else:
                to[k] = np.inf
    return np.asarray(to, dtype=np.float64)


def _strides(p: RunnerParams, steps: list[_Step], ic: F64) -> tuple[NDArray[np.bool_], F64, F64]:
    """Per contact: is the stride ending here steady, its speed, and the heel position at foot flat."""
    n = len(steps)
    steady = np.zeros(n, dtype=bool)
    length = np.zeros(n)
    for k in range(1, n):
        v = p.walk_speed_mps if steps[k].activity == "walking" else p.speed_mps
        same = steps[k].activity == steps[k - 1].activity and not steps[k - 1].held
        steady[k] = same and steps[k].activity != "standing" and not steps[k].first_after_stand
        nominal = 2.0 * nominal_step_s(p, steps[k].activity, ic[k])
        length[k] = v * (ic[k] - ic[k - 1]) if steady[k] else (v * nominal if steps[k].activity != "standing" else 0.0)
    stride_s = np.diff(ic, prepend=np.nan)
    speed = np.where(stride_s > 0, length / np.where(stride_s > 0, stride_s, 1.0), np.nan)
    return steady, speed, np.cumsum(length)
