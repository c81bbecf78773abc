"""Shoes, warm-up and the stretching/strengthening routine after a run."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from footfall.analysis.step import Step
from footfall.coaching.advice_types import Advice
from footfall.coaching.knowledge import Category, item

DEFAULT_SHOE_LIMIT_KM = 600.0


@dataclass(frozen=True)
class ShoeStatus:
    name: str
    distance_km: float
    limit_km: float = DEFAULT_SHOE_LIMIT_KM


def shoe_advice(shoe: ShoeStatus | None, plan_share: float = 0.8) -> Advice:
    items = (item("worn_shoes"), item("running_shoes"), item("orthotics"))
    if shoe is None:
        msg = "No shoe recorded for this run: add your pair (`footfall shoes add`) to track its distance."
        return Advice(Category.SHOES, "Shoes", msg, items, urgency=-3)
    share = shoe.distance_km / shoe.limit_km
    msg = f"{shoe.name}: {shoe.distance_km:.0f} km of your {shoe.limit_km:.0f} km limit ({share * 100:.0f}%)."
    if share >= 1.0:
        return Advice(Category.SHOES, "Shoes: past your limit", msg + " Time for a new pair.", items, urgency=1)
    if share >= plan_share:
        return Advice(Category.SHOES, "Shoes: nearly worn", msg + " Plan a new pair soon.", items)
    return Advice(Category.SHOES, "Shoes", msg, items, urgency=-3)


@dataclass(frozen=True)
class WarmupCheck:
    gentle: bool | None  # None: run too short or no intensity measure
    measure: str  # what `gentle` was judged on: "speed_mps" or "cadence_spm" ("" for none)
    # medians over the first `start_s`, and after the warm-up period (or its second half when the run is short)
    start_speed_mps: float
    settled_speed_mps: float
    start_cadence_spm: float
    settled_cadence_spm: float

    def figures(self) -> tuple[float, float]:
        """The start and settled medians of `measure`, in its unit."""
        if self.measure == "speed_mps":
            return self.start_speed_mps, self.settled_speed_mps
        return self.start_cadence_spm, self.settled_cadence_spm


_MEASURES = ("speed_mps", "cadence_spm")  # speed shows intensity best; cadence when the speed is not measured


def _values(steps: Sequence[Step], measure: str) -> list[float]:
    return [float(getattr(s, measure)) for s in steps]


def _measure(steps: Sequence[Step]) -> str:
    for measure in _MEASURES:
        if steps and sum(math.isfinite(v) for v in _values(steps, measure)) > 0.5 * len(steps):
            return measure
    return ""


def _median_between(times: list[float], vals: list[float], lo: float, hi: float) -> float:
    sel = [v for t, v in zip(times, vals) if lo <= t < hi and math.isfinite(v)]
    return float(np.median(sel)) if sel else math.nan


def check_warmup(steps: Sequence[Step], start_s: float = 180.0, warmup_s: float = 600.0,
                 ramp_frac: float = 0.07) -> WarmupCheck:
    """Did the first 10 minutes ramp up gently? Start (first 3 min) at least `ramp_frac` below the pace after."""
    running = [s for s in steps if s.activity == "running"]
    measure, times = _measure(running), [s.ic_time_s for s in running]
    if not measure or times[-1] - times[0] < warmup_s:
        return WarmupCheck(None, measure, math.nan, math.nan, math.nan, math.nan)
    t0 = times[0]
    end = times[-1] if times[-1] - t0 < warmup_s + start_s else math.inf
    settled_from = t0 + (warmup_s / 2 if end != math.inf else warmup_s)
    medians = {m: (_median_between(times, _values(running, m), t0, t0 + start_s),
                   _median_between(times, _values(running, m), settled_from, end)) for m in _MEASURES}
    start, settled = medians[measure]
    gentle = start <= (1.0 - ramp_frac) * settled if math.isfinite(start) and math.isfinite(settled) else None
    return WarmupCheck(gentle, measure, *medians["speed_mps"], *medians["cadence_spm"])


def warmup_advice(check: WarmupCheck) -> Advice:
    items = (item("warm_up"), item("warmup_circles"), item("ball_massage"))
    unit = "m/s" if check.measure == "speed_mps" else "steps/min"
    if check.gentle is None:
        msg = "Run too short to judge the warm-up. Warm up 10-20 minutes and start easy."
        return Advice(Category.WARMUP, "Warm-up", msg, items, urgency=-3)
    start, settled = check.figures()
    figures = f"first 3 minutes {start:.1f} {unit}, later {settled:.1f} {unit}"
    if check.gentle:
        return Advice(Category.WARMUP, "Warm-up: gentle start", f"You eased in ({figures}). Keep it up.", items,
                      urgency=-3)
    msg = f"You started at nearly full pace ({figures}). Warm up first and let the first 10 minutes build."
    return Advice(Category.WARMUP, "Warm-up: started fast", msg, items, urgency=1)


def routine_advice(pain: bool) -> Advice:
    keys: tuple[str, ...] = ("calf_stretch", "calf_raises", "ankle_circles", "flexibility", "strengthening", "routine_no_guarantee")
    msg = "After the run: calf stretch, calf raises and ankle circles; stretch hips, hamstrings and calves."
    if pain:
        msg += " With sore ankles prefer softer ground for a while."
        keys = keys + ("softer_surfaces",)
    return Advice(Category.ROUTINE, "Stretching and strengthening", msg, tuple(item(k) for k in keys))
