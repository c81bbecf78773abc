"""Parameters of the virtual runner: one frozen dataclass, units in the names, plus named presets.

The defaults describe a recreational runner at 3.3 m/s (5:03 min/km) with a mild heel strike.
See docs/virtual-runner.md for what every parameter does to the kinematics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from footfall.errors import InputError

ACTIVITIES = ("standing", "walking", "running")
FEET = ("L", "R", "both")


@dataclass(frozen=True)
class RunnerParams:
    """Everything the virtual runner needs. Angles in degrees, times in s or ms as named."""

    # running gait
    cadence_spm: float = 166.0  # steps per minute (both feet together)
    speed_mps: float = 3.3
    strike_angle_deg: float = 12.0  # foot pitch at initial contact vs foot-flat: + toe up (rearfoot), - forefoot
    contact_time_ms: float | None = None  # None: from speed and cadence (see default_contact_time_s)
    overstride: float = 0.0  # 0..1: foot still moving forward at contact, extra braking, harder impact
    impact_g: float = 5.0  # transient amplitude for a 20 deg rearfoot strike without overstride
    toe_off_angle_deg: float = -40.0  # foot pitch when the toe leaves the ground (heel up = negative)
    swing_min_pitch_deg: float | None = None  # most toe-down pitch early in swing; None: -(55 + 8 x speed)
    swing_peak_ratio: float = 2.3  # peak forward foot velocity in swing / running speed
    # walking gait (used by walking segments of the schedule)
    walk_cadence_spm: float = 112.0
    walk_speed_mps: float = 1.4
    walk_strike_angle_deg: float = 22.0
    # feet and asymmetry
    feet: str = "both"  # "L", "R" or "both"
    asymmetry_pct: float = 0.0  # left step time and contact time longer by this percentage than the right
    strike_asymmetry_deg: float = 0.0  # left strike angle minus right strike angle
    # variability and fatigue
    stride_variability_cv: float = 0.015  # coefficient of variation of step time
    strike_sd_deg: float = 1.0  # stride-to-stride standard deviation of the strike angle
    cadence_drift_pct_per_h: float = 0.0  # fatigue: cadence change per hour of running
    strike_drift_deg_per_h: float = 0.0  # fatigue: strike angle change per hour of running
    # schedule: ((activity, duration_s), ...) played in order; running fills the rest of duration_s
    schedule: tuple[tuple[str, float], ...] = ()
    duration_s: float = 60.0
    # sensor
    mount_pitch_deg: float = 0.0  # sensor x axis tilted up (+) from the foot's x axis
    mount_roll_deg: float = 0.0  # right-handed about the foot's x axis
    mount_yaw_deg: float = 0.0  # right-handed about the foot's z axis (toward the left)
    sensor_offset_m: tuple[float, float] = (0.13, 0.07)  # sensor point from the heel: forward, up (laces)
    acc_noise_mps2: float = 0.05  # white noise std per sample
    gyr_noise_radps: float = 0.005
    gyro_bias_radps: tuple[float, float, float] = (0.004, -0.003, 0.005)
    acc_range_g: float = 16.0  # the sensor clips here
    gyr_range_dps: float = 2000.0
    rate_hz: float = 416.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():  # an infinite duration never ended; a NaN tilt made NaN signals
            if isinstance(value, float) and not math.isfinite(value):
                raise InputError(f"{name} must be a finite number, got {value}")
        if self.seed < 0:
            raise InputError(f"seed must be 0 or more, got {self.seed}")
        _check_positive(self, ("cadence_spm", "speed_mps", "walk_cadence_spm", "walk_speed_mps", "rate_hz",
                               "duration_s", "acc_range_g", "gyr_range_dps"))
        _check_range("overstride", self.overstride, 0.0, 1.0)
        _check_range("strike_angle_deg", self.strike_angle_deg, -30.0, 40.0)
        _check_range("cadence_spm", self.cadence_spm, 100.0, 260.0)
        _check_range("walk_cadence_spm", self.walk_cadence_spm, 60.0, 160.0)
        _check_speed("speed_mps", self.speed_mps, *RUN_SPEED_MPS)
        _check_speed("walk_speed_mps", self.walk_speed_mps, *WALK_SPEED_MPS)
        _check_range("rate_hz", self.rate_hz, 25.0, 6667.0)
        if self.contact_time_ms is not None:
            _check_range("contact_time_ms", self.contact_time_ms, 80.0, 2.0 * 60_000.0 / self.cadence_spm - 200.0)
        if self.feet not in FEET:
            raise InputError(f"feet must be one of {FEET}, got {self.feet!r}")
        for activity, seconds in self.schedule:
            if activity not in ACTIVITIES or seconds <= 0:
                raise InputError(f"bad schedule item ({activity!r}, {seconds}): use {ACTIVITIES} and seconds > 0")

    @property
    def sides(self) -> tuple[str, ...]:
        return ("L", "R") if self.feet == "both" else (self.feet,)


def _check_positive(p: RunnerParams, names: tuple[str, ...]) -> None:
    for name in names:
        if not getattr(p, name) > 0:
            raise InputError(f"{name} must be > 0, got {getattr(p, name)}")


# the unit of each range-checked field, for its message ("cadence_spm=300 steps/min is outside 100..260 steps/min")
_UNITS = {"cadence_spm": "steps/min", "walk_cadence_spm": "steps/min", "speed_mps": "m/s", "walk_speed_mps": "m/s",
          "strike_angle_deg": "deg", "rate_hz": "Hz", "contact_time_ms": "ms"}
RUN_SPEED_MPS = (0.5, 7.0)  # a shuffle to a sprint faster than any marathon (7 m/s: 25 km/h)
WALK_SPEED_MPS = (0.3, 2.5)
KMH_PER_MPS = 3.6


def _check_range(name: str, value: float, low: float, high: float, hint: str = "") -> None:
    if not low <= value <= high:
        unit = f" {_UNITS[name]}" if name in _UNITS else ""
        raise InputError(f"{name}={value:g}{unit} is outside {low:g}..{high:g}{unit}", hint=hint)


def _check_speed(name: str, value: float, low: float, high: float) -> None:
    """A speed in m/s; one that reads as km/h (12 for 3.33 m/s) is refused with the m/s it means."""
    in_mps = value / KMH_PER_MPS
    hint = (f"{value:g} km/h is {name}={in_mps:.2f}" if value > high and low <= in_mps <= high else
            f"{name} is in m/s: 3.3 m/s is {3.3 * KMH_PER_MPS:.1f} km/h")
    _check_range(name, value, low, high, hint)


MAX_DUTY_FACTOR = 0.4  # contact / stride time of running (typically 0.3-0.4; walking is above 0.5)


def default_contact_time_s(speed_mps: float, cadence_spm: float | None = None) -> float:
    """Running ground contact time from speed: ~300 ms at 2.5 m/s, ~250 at 3.3, ~195 at 5 m/s, at most
    `MAX_DUTY_FACTOR` of the stride time at `cadence_spm`.

    A hyperbolic fit through typical treadmill values (e.g. Nummela et al. 2007, Di Michele & Merni 2014),
    which come at the cadences runners choose. Quick short steps shorten the contact (the same vertical
    impulse in less time): without the cap, 195 steps/min at 2.5 m/s kept the 300 ms contact, left a
    310 ms swing, and the foot decelerated at 7.5 g before landing (real jogging: 2.5-3.5 g).
    """
    speed_based = 0.09 + 0.53 / speed_mps
    return speed_based if cadence_spm is None else min(speed_based, MAX_DUTY_FACTOR * 120.0 / cadence_spm)


PRESETS: dict[str, dict[str, object]] = {
    "heel-overstrider": dict(cadence_spm=158.0, speed_mps=3.2, strike_angle_deg=18.0, overstride=0.8),
    "midfoot": dict(cadence_spm=172.0, speed_mps=3.5, strike_angle_deg=3.0, overstride=0.15),
    "forefoot": dict(cadence_spm=180.0, speed_mps=4.0, strike_angle_deg=-8.0, overstride=0.0),
    "walk": dict(schedule=(("standing", 3.0), ("walking", 1e9))),
    "mixed": dict(schedule=(("standing", 5.0), ("walking", 20.0)), cadence_drift_pct_per_h=-3.0,
                  strike_drift_deg_per_h=3.0),
}


def preset(name: str, **overrides: object) -> RunnerParams:
    """A named preset with optional overrides (e.g. duration_s)."""
    if name not in PRESETS:
        raise InputError(f"unknown preset {name!r}", hint=f"use one of {', '.join(PRESETS)}")
    return replace(RunnerParams(), **{**PRESETS[name], **overrides})  # type: ignore[arg-type]


def standing_first(name: str, seconds: float) -> dict[str, object]:
    """Overrides that make preset `name` stand `seconds` before it starts (none when it already stands first)."""
    schedule: tuple[tuple[str, float], ...] = preset(name).schedule
    if seconds <= 0 or (schedule and schedule[0][0] == "standing"):
        return {}
    return {"schedule": (("standing", seconds), *schedule)}
