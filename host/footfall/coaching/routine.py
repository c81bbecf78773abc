"""Shoes, warm-up and the stretching/strengthening routine after a run."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from footfall.analysis.step import Step
from footfall.coaching.advice_types import Advice
from footfall.coaching.knowledge import Category, item
from footfall.shell import shell_word

DEFAULT_SHOE_LIMIT_KM = 600.0


@dataclass(frozen=True)
class ShoeStatus:
    name: str
    distance_km: float  # on the pair as of this run, this run included
    limit_km: float = DEFAULT_SHOE_LIMIT_KM
    run_km: float = 0.0  # this run's distance in the pair: a run that takes the pair past its limit says so
    limit_given: bool = False  # the runner set the limit (else it is footfall's default)

    @property
    def share(self) -> float:
        return self.distance_km / self.limit_km

    @property
    def crossed_limit(self) -> bool:
        """This run took the pair to or past its limit."""
        return self.distance_km - self.run_km < self.limit_km <= self.distance_km


def worn_percent(distance_km: float, limit_km: float) -> str:
    """The share of the limit run, rounded down: 599.7 of 600 km is 99%, never a "100%" that is not yet past it."""
    return f"{math.floor(100 * distance_km / limit_km + 1e-9):.0f}%"


def _shoe_own_values(shoe: ShoeStatus, plan_share: float) -> str:
    default = not shoe.limit_given and shoe.limit_km == DEFAULT_SHOE_LIMIT_KM
    return f"plan a new pair at {plan_share * 100:.0f}% of the limit" + \
        (f"; the {DEFAULT_SHOE_LIMIT_KM:.0f} km default limit (set your own with `footfall shoes set`)"
         if default else "")


def no_shoe_text(runner_name: str | None) -> str:
    """How to count a run on a pair, as commands that work when pasted: a bare `footfall shoes add` failed for
    want of its two arguments, and a run stored in no runner's history counts on no pair whatever is added."""
    if runner_name is None:
        return ("No shoe recorded for this run. To track a pair's distance, store your runs in a runner's history: "
                "`footfall runner add NAME` and `footfall shoes add NAME PAIR` once, then `--runner NAME --shoe "
                "PAIR` on `footfall live` (or `footfall history add`).")
    who = shell_word(runner_name)
    return (f"No shoe recorded for this run. To track a pair's distance: `footfall shoes add {who} PAIR` once, then "
            f"`--shoe PAIR` on `footfall live --runner {who}` (or `footfall history add`).")


def shoe_advice(shoe: ShoeStatus | None, plan_share: float = 0.8, runner_name: str | None = None) -> Advice:
    """`runner_name`: the runner whose history holds the run (None: a run stored in none), named in the commands
    that add a pair."""
    items = (item("worn_shoes"), item("running_shoes"), item("orthotics"))
    if shoe is None:  # a note, not advice: it cites nothing
        return Advice(Category.SHOES, "Shoes", no_shoe_text(runner_name), (), urgency=-3)
    msg = (f"{shoe.name}: {shoe.distance_km:.0f} km of your {shoe.limit_km:.0f} km limit "
           f"({worn_percent(shoe.distance_km, shoe.limit_km)}).")
    own = _shoe_own_values(shoe, plan_share)
    if shoe.crossed_limit:
        return Advice(Category.SHOES, "Shoes: past your limit with this run", msg + " This run took the pair past "
                      "its limit: time for a new pair.", items, urgency=2, own_values=own)
    if shoe.share >= 1.0:
        return Advice(Category.SHOES, "Shoes: past your limit", msg + " Time for a new pair.", items, urgency=1,
                      own_values=own)
    if shoe.share >= plan_share:
        return Advice(Category.SHOES, "Shoes: nearly worn", msg + " Plan a new pair soon.", items, own_values=own)
    return Advice(Category.SHOES, "Shoes", msg, items, urgency=-3, own_values=own)


@dataclass(frozen=True)
class WarmupParams:
    """footfall's own starting values: the articles give the 10-20 minute warm-up, not these."""

    start_s: float = 180.0  # the start of the run: its first 3 minutes of running
    warmup_s: float = 600.0  # the pace after 10 minutes counts as settled; shorter runs are not judged
    ramp_frac: float = 0.07  # an eased-in start is at least this much below the settled pace
    walk_in_s: float = 120.0  # walking this long before the first running step counts as a warm-up


@dataclass(frozen=True)
class WarmupCheck:
    gentle: bool | None  # None: run too short or no intensity measure
    measure: str  # what `gentle` was judged on: "speed_mps" or "cadence_spm" ("" for none)
    # medians over the first `start_s`, and after the warm-up period (or its second half when the run is short)
    start_speed_mps: float
    settled_speed_mps: float
    start_cadence_spm: float
    settled_cadence_spm: float
    walk_in_s: float = 0.0  # walking before the first running step

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


def _walk_in_s(steps: Sequence[Step]) -> float:
    """Seconds of walking before the first running step (0 when the session starts running, or has no running:
    a walk is no walk-in)."""
    first_run = next((s.ic_time_s for s in steps if s.activity == "running"), math.inf)
    walked = [s.ic_time_s for s in steps if s.activity == "walking" and s.ic_time_s < first_run]
    if not walked or not math.isfinite(first_run):
        return 0.0
    return first_run - walked[0]


def check_warmup(steps: Sequence[Step], p: WarmupParams = WarmupParams()) -> WarmupCheck:
    """Did the run start gently? Walked in, or the first 3 min of running `ramp_frac` below the pace after."""
    running = [s for s in steps if s.activity == "running"]
    measure, times, walk = _measure(running), [s.ic_time_s for s in running], _walk_in_s(steps)
    if not measure or times[-1] - times[0] < p.warmup_s:
        return WarmupCheck(None, measure, math.nan, math.nan, math.nan, math.nan, walk)
    t0 = times[0]
    end = times[-1] if times[-1] - t0 < p.warmup_s + p.start_s else math.inf
    settled_from = t0 + (p.warmup_s / 2 if end != math.inf else p.warmup_s)
    medians = {m: (_median_between(times, _values(running, m), t0, t0 + p.start_s),
                   _median_between(times, _values(running, m), settled_from, end)) for m in _MEASURES}
    start, settled = medians[measure]
    gentle = start <= (1.0 - p.ramp_frac) * settled if math.isfinite(start) and math.isfinite(settled) else None
    return WarmupCheck(gentle, measure, *medians["speed_mps"], *medians["cadence_spm"], walk)


_ROUTINE = ("Before a run, give your ankles and feet 10-20 minutes: ankle circles, a ball under each sole, "
            "running on the spot; then start easy.")


def warmup_advice(check: WarmupCheck, p: WarmupParams = WarmupParams()) -> Advice:
    """Praise for a gentle start footfall can see; otherwise only a reminder of the routine before the run,
    which the sensor cannot see (never "you started too fast": a warm-up before the recording looks like that)."""
    items = (item("warm_up"), item("warmup_circles"), item("ball_massage"))
    own = (f"a gentle start is {p.walk_in_s / 60:g} min or more of walking first, or the first "
           f"{p.start_s / 60:g} min of running at least {p.ramp_frac * 100:.0f}% below the pace after minute "
           f"{p.warmup_s / 60:g}")
    if check.walk_in_s >= p.walk_in_s:
        msg = f"You walked {check.walk_in_s / 60:.0f} min before running: a good way in. {_ROUTINE}"
        return Advice(Category.WARMUP, "Warm-up: walked in", msg, items, urgency=-3, own_values=own)
    if check.gentle:
        unit = "m/s" if check.measure == "speed_mps" else "steps/min"
        start, settled = check.figures()
        msg = f"You eased in (first 3 minutes {start:.1f} {unit}, later {settled:.1f} {unit}). Keep it up."
        return Advice(Category.WARMUP, "Warm-up: gentle start", msg, items, urgency=-3, own_values=own)
    msg = f"A reminder for next time (footfall cannot see a warm-up before the recording). {_ROUTINE}"
    return Advice(Category.WARMUP, "Warm-up", msg, items, urgency=-4)


def routine_advice(pain: bool, noun: str = "run") -> Advice:
    """`noun`: what the session was ("run", "walk" or "session"), as the load entry says it."""
    keys: tuple[str, ...] = ("calf_stretch", "calf_raises", "ankle_circles", "flexibility", "strengthening",
                             "routine_no_guarantee")
    msg = f"After the {noun}: calf stretch, calf raises and ankle circles; stretch hips, hamstrings and calves."
    if pain:
        msg += " With sore ankles prefer softer ground for a while."
        keys = keys + ("softer_surfaces",)
    return Advice(Category.ROUTINE, "Stretching and strengthening", msg, tuple(item(k) for k in keys))


def gentle_routine_advice(routine: Advice) -> Advice:
    """The routine entry with pain at the skip-run level or worse: calf raises and stretching wait, gentle range of
    motion only (`routine`: the entry it replaces, whose noun it keeps)."""
    noun = routine.message.removeprefix("After the ").split(":", 1)[0]
    msg = (f"After the {noun}: with this much pain, leave out the calf raises and stretches for now. Gentle ankle "
           f"circles within what is comfortable are enough until the ankle has settled; then go back to the full "
           f"routine.")
    return Advice(Category.ROUTINE, "Exercises: gentle range of motion only", msg,
                  (item("ankle_circles"), item("dont_ignore")))
