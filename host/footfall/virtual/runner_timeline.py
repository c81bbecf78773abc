"""When each foot lands and leaves the ground, and the per-contact kinematic targets: the virtual runner's plan.

Steps alternate between the feet; a foot's stride is two consecutive steps. Standing holds both feet flat
(their last contact simply lasts longer). Stride length is speed x stride time exactly for every stride that
starts and ends inside one moving segment (`steady`), so the truth satisfies v = L * f by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from footfall.samples import STANDARD_GRAVITY_MPS2
from footfall.virtual.runner_params import RunnerParams, default_contact_time_s

F64 = NDArray[np.float64]
PREROLL_S = 2.5  # strides start this long before t=0 so the recording opens mid-run
POSTROLL_S = 2.5
MIN_SWING_S = 0.25
RAMP_S = 4.0
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
class Gait:
    """Nominal step time, speed and contact time at one moment of the run."""

    step_s: float
    speed_mps: float
    contact_s: float

    @property
    def swing_s(self) -> float:
        return 2.0 * self.step_s - self.contact_s


@dataclass(frozen=True)
class _Step:
    ic_s: float
    activity: str
    gait: Gait
    held: bool = False  # this contact lasts through a following standing segment
    first_after_stand: bool = False
    ramp: bool = False  # during a walk <-> run change


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


def gait(p: RunnerParams, activity: str, time_s: float) -> Gait:
    """The nominal gait of an activity; running cadence drifts with time (fatigue), speed stays."""
    if activity == "walking":
        step = 60.0 / p.walk_cadence_spm
        return Gait(step, p.walk_speed_mps, 0.62 * 2.0 * step)
    drift = 1.0 + p.cadence_drift_pct_per_h / 100.0 * max(time_s, 0.0) / 3600.0
    base = p.contact_time_ms / 1000.0 if p.contact_time_ms is not None else default_contact_time_s(p.speed_mps, p.cadence_spm)
    return Gait(60.0 / (p.cadence_spm * drift), p.speed_mps, base * (1.0 + 0.08 * p.overstride))


def _blended(p: RunnerParams, prev: str | None, seg: Segment, t: float) -> tuple[Gait, bool]:
    """Between walking and running the gait changes gradually over RAMP_S (nobody switches in one step)."""
    new = gait(p, seg.activity, t)
    w = (t - seg.start_s) / RAMP_S
    if prev is None or prev == seg.activity or w >= 1.0:
        return new, False
    old = gait(p, prev, t)
    w = max(w, 0.0)
    return Gait(*(w * a + (1.0 - w) * b for a, b in zip(
        (new.step_s, new.speed_mps, new.contact_s), (old.step_s, old.speed_mps, old.contact_s)))), True


def plan_steps(p: RunnerParams, rng: np.random.Generator) -> dict[str, list[_Step]]:
    """Alternating initial contacts of both feet over the schedule (plus pre- and post-roll)."""
    segs = segments(p)
    steps: dict[str, list[_Step]] = {"L": [], "R": []}
    foot, t, prev = "L", -PREROLL_S, None
    for i, seg in enumerate(segs):
        start = seg.start_s - PREROLL_S if i == 0 else seg.start_s
        end = seg.end_s + POSTROLL_S if i == len(segs) - 1 else seg.end_s
        if seg.activity == "standing":
            _hold(steps, start, gait(p, "walking", start))
            prev = None
            continue
        after_stand = i > 0 and prev is None
        if prev is None:
            t = start + (gait(p, seg.activity, start).swing_s if i > 0 else 0.0)
        first = {"L": after_stand, "R": after_stand}
        while t < end:
            g, ramp = _blended(p, prev, seg, t)
            steps[foot].append(_Step(t, seg.activity, g, first_after_stand=first[foot], ramp=ramp))
            first[foot] = False
            asym = 1.0 + (p.asymmetry_pct / 200.0) * (1.0 if foot == "L" else -1.0)
            t += g.step_s * asym * (1.0 + p.stride_variability_cv * rng.standard_normal())
            foot = "R" if foot == "L" else "L"
        prev = seg.activity
    for side in steps:  # a contact that starts the run standing pushes off into the gait of the next
        seq = steps[side]
        for k in range(len(seq) - 1):
            if seq[k].activity == "standing":
                seq[k] = replace(seq[k], gait=seq[k + 1].gait)
    return steps


def _hold(steps: dict[str, list[_Step]], start: float, g: Gait) -> None:
    """Both feet stay on the ground: their last contact is held (or one starts before the run)."""
    for seq in steps.values():
        if seq:
            seq[-1] = replace(seq[-1], held=True)
        else:
            seq.append(_Step(start - 1.0, "standing", g, held=True))


def build_contacts(p: RunnerParams, side: str, steps: list[_Step], rng: np.random.Generator) -> Contacts:
    """Turn one foot's planned contacts into the per-contact kinematic targets."""
    ic = np.array([s.ic_s for s in steps])
    act = np.array([ACTIVITY_CODE[s.activity] for s in steps], dtype=np.int64)
    kind = act.copy()  # a contact held from standing pushes off into the next contact's gait
    for k in range(len(steps) - 2, -1, -1):
        kind[k] = kind[k + 1] if kind[k] == 0 else kind[k]
    walking = kind == 1
    sign = 1.0 if side == "L" else -1.0
    strike_deg = _strike_deg(p, ic, walking, sign, rng)
    next_ic = np.append(ic[1:], np.inf)
    steady, speed, heel_x = _strides(p, steps, ic)
    stance = _stance(p, steps, ic, next_ic, strike_deg, walking, sign, rng)
    landing = _landing(p, strike_deg, np.where(walking, 0.0, p.overstride), walking, rng)
    for name in ("brake_s", "settle_s"):  # the landing pivot is at rest before the heel lifts
        landing[name] = np.minimum(landing[name], stance["t_ho_s"])
    return Contacts(ic_s=ic, next_ic_s=next_ic, activity=act, steady=steady, heel_x_m=heel_x, speed_mps=speed,
                    strike_rad=np.radians(strike_deg), **stance, **landing,
                    **_swing_targets(p, steps, stance["to_s"], next_ic, heel_x, walking, sign, rng))


def _stance(p: RunnerParams, steps: list[_Step], ic: F64, next_ic: F64, strike_deg: F64,
            walking: NDArray[np.bool_], sign: float, rng: np.random.Generator) -> dict[str, F64]:
    """Toe-off, time to foot flat, heel-off and the pitch rates at contact and toe-off."""
    tc = np.array([s.gait.contact_s for s in steps])
    tc *= (1.0 + sign * p.asymmetry_pct / 200.0) * (1.0 + 0.02 * rng.standard_normal(tc.size))
    to = _toe_off_s(steps, ic, tc, next_ic)
    t_ff = tc * np.clip(0.14 + 0.006 * np.abs(strike_deg), 0.14, 0.35)
    heel_off_s = tc * np.where(walking, 0.45, 0.5)  # heel-off to toe-off, from the nominal contact time
    # a contact held through standing (or shortened before a quick next stride) keeps its heel-off duration
    t_ho = np.maximum((to - ic) - heel_off_s, t_ff + 0.02)
    heel_off_s = np.where(np.isfinite(to), (to - ic) - np.where(np.isfinite(t_ho), t_ho, 0.0), np.inf)
    toe_off = np.radians(np.where(walking, -42.0, p.toe_off_angle_deg))
    return {"to_s": to, "t_ff_s": t_ff, "t_ho_s": t_ho, "toe_off_rad": toe_off,
            # running: already turning toward flat at contact; walking: the heel lands as the toe-up rotation
            # stops (a real walker's toe-up rate crosses zero 4 ms after the mocap IC: gaitmap, docs/validation.md)
            "rate_ic_radps": np.where(walking, 0.0, -0.15 * np.radians(strike_deg) / t_ff),
            "rate_to_radps": 2.0 * toe_off / np.where(np.isfinite(heel_off_s), np.maximum(heel_off_s, 0.03), 1.0)}


def _landing(p: RunnerParams, strike_deg: F64, ov: F64, walking: NDArray[np.bool_],
             rng: np.random.Generator) -> dict[str, F64]:
    """How the landing pivot arrives (overstride: still moving forward) and the impact transient."""
    rear = np.clip(strike_deg / 20.0, 0.0, 1.5)
    impact = p.impact_g * STANDARD_GRAVITY_MPS2 * (0.3 + 0.7 * rear) * (1.0 + 0.6 * ov) * np.where(walking, 0.35, 1.0)
    return {"u_ic_mps": np.where(walking, 0.1, 0.15 + 1.35 * ov),
            "w_ic_mps": np.where(walking, -0.3, -(0.35 + 0.25 * rear + 0.35 * ov)),
            "brake_s": np.where(walking, 0.06, 0.03 + 0.01 * ov), "settle_s": np.where(walking, 0.02, 0.014),
            "impact_mps2": impact, "impact_hz": 15.0 + 1.5 * rng.standard_normal(strike_deg.size)}


def _swing_targets(p: RunnerParams, steps: list[_Step], to: F64, next_ic: F64, heel_x: F64,
                   walking: NDArray[np.bool_], sign: float, rng: np.random.Generator) -> dict[str, F64]:
    """Peak forward velocity, height, most toe-down pitch and the small roll/lateral bumps of each swing."""
    n = to.size
    swing_s = np.where(np.isfinite(to) & np.isfinite(next_ic), next_ic - np.where(np.isfinite(to), to, 0.0), 1.0)
    speed = np.array([s.gait.speed_mps for s in steps])
    mean_swing = np.diff(heel_x, append=np.nan) / swing_s
    mean_swing = np.where(np.isfinite(mean_swing), mean_swing, speed)
    v_peak = np.where(walking, 1.35 * mean_swing, np.maximum(p.swing_peak_ratio * speed, 1.2 * mean_swing))
    swing_min = p.swing_min_pitch_deg if p.swing_min_pitch_deg is not None else -min(55.0 + 8.0 * p.speed_mps, 90.0)
    return {"swing_z_max_m": np.where(walking, 0.15, 0.12 + 0.06 * speed), "swing_v_peak_mps": v_peak,
            "swing_min_rad": np.radians(np.where(walking, -55.0, swing_min)),
            "swing_roll_rad": np.radians(sign * (7.0 + 1.5 * rng.standard_normal(n))),
            "swing_lateral_m": sign * -0.02 * (1.0 + 0.2 * rng.standard_normal(n))}


def _strike_deg(p: RunnerParams, ic: F64, walking: NDArray[np.bool_], sign: float,
                rng: np.random.Generator) -> F64:
    drift = p.strike_drift_deg_per_h * np.maximum(ic, 0.0) / 3600.0
    run = p.strike_angle_deg + drift + sign * p.strike_asymmetry_deg / 2.0
    base = np.where(walking, p.walk_strike_angle_deg, run)
    return np.asarray(base + p.strike_sd_deg * rng.standard_normal(ic.size), dtype=np.float64)


def _toe_off_s(steps: list[_Step], ic: F64, tc: F64, next_ic: F64) -> F64:
    """Toe-off: after the contact time, or (held through standing) one swing before the next contact."""
    to = np.minimum(ic + tc, next_ic - MIN_SWING_S)
    for k, step in enumerate(steps):
        if step.held:
            to[k] = next_ic[k] - steps[k + 1].gait.swing_s if np.isfinite(next_ic[k]) else np.inf
    return np.asarray(to, dtype=np.float64)


def _strides(p: RunnerParams, steps: list[_Step], ic: F64) -> tuple[NDArray[np.bool_], F64, F64]:
    """Per contact: is the stride ending here steady, its speed, and the heel position at foot flat.

    Consecutive moving contacts: length = speed x stride time exactly. After standing: one nominal stride.
    """
    n = len(steps)
    steady = np.zeros(n, dtype=bool)
    length = np.zeros(n)
    for k in range(1, n):
        now, before = steps[k], steps[k - 1]
        steady[k] = (now.activity == before.activity and not before.held and not now.first_after_stand
                     and not now.ramp and not before.ramp)
        if not before.held:
            length[k] = now.gait.speed_mps * (ic[k] - ic[k - 1])
        elif now.activity != "standing":
            length[k] = now.gait.speed_mps * 2.0 * now.gait.step_s
    stride_s = np.diff(ic, prepend=np.nan)
    speed = np.where(stride_s > 0, length / np.where(stride_s > 0, stride_s, 1.0), np.nan)
    return steady, speed, np.cumsum(length)
