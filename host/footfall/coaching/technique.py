"""Technique advice from the run summary: cadence, strike, overstride and left/right balance."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from footfall.coaching.advice_types import Advice
from footfall.coaching.balance import FeetNotCompared, FootComparison, balance_advice
from footfall.coaching.cadence import CadenceAim, CadenceParams, aim_for, norm_spm
from footfall.coaching.clinic import ClinicResult, practice_text, result_text
from footfall.coaching.knowledge import Category, item
from footfall.coaching.references import ALTMAN_DAVIS_2012, HEIDERSCHEIT_2011
from footfall.coaching.summary import RunSummary


@dataclass(frozen=True)
class TechniqueParams:
    rearfoot_share: float = 0.6  # footfall's own, as the live cue's
    strike_angle_deg: float = 15.0  # footfall's own, as the live cue's
    overstride_index: float = 0.5  # footfall's own, as the live cue's
    cadence: CadenceParams = CadenceParams()  # the speed norm and target, shared with the live cues

    def own_values(self, norm: float) -> str:
        return (f"heel-first on {self.rearfoot_share * 100:.0f}% or more of steps, strike angle "
                f"{self.strike_angle_deg:.0f} deg or more, cadence below 155 + 5 x speed "
                f"({norm:.0f} steps/min at this speed), overstride index {self.overstride_index:.1f} or more")

    def build_up(self) -> str:
        """The own values of the cadence build-up (no article or study gives them)."""
        return (f"a first step of +{self.cadence.target_increase_frac * 100:.0f}% above the median cadence of the "
                f"runs of the last {self.cadence.typical_days:g} days (this run's without any), in blocks of a few "
                f"minutes (3-4 per run) at first; a runner's own target approached by the same step; after a clinic "
                f"retest, the same step above the retest's cadence, within those limits")


def _heel_and_slow(s: RunSummary, p: TechniqueParams, norm: float) -> bool:
    return s.rearfoot_share >= p.rearfoot_share and s.strike_angle_deg >= p.strike_angle_deg and \
        s.cadence_spm < norm


def figure(value: float, fmt: str, unit: str = "") -> str:
    """`value` formatted with its unit, "n/a" when it was not measured (NaN); a zero never prints as "-0"."""
    if not math.isfinite(value):
        return "n/a"
    text = fmt.format(value)
    return (fmt.format(0.0) if float(text) == 0 else text) + unit


def _figures(s: RunSummary) -> str:
    return (f"cadence {figure(s.cadence_spm, '{:.0f}', ' steps/min')}, rearfoot "
            f"{figure(s.rearfoot_share * 100, '{:.0f}', '%')} of steps, strike angle "
            f"{figure(s.strike_angle_deg, '{:.0f}', ' deg')}, overstride index {figure(s.overstride_index, '{:.2f}')}, where 0 is none and 1 strong")


@dataclass(frozen=True)
class CadenceContext:
    """Besides the run: the runner's recent typical cadence (the step to a goal is measured from it) and, in a
    clinic test, what the cue achieved (the technique entries then say it, and the home practice starts there)."""

    typical_spm: float | None = None
    clinic: ClinicResult | None = None


def technique_advice(s: RunSummary, target: float | None = None, params: TechniqueParams = TechniqueParams(),
                     feet: FootComparison | FeetNotCompared | None = None, leg_length_m: float | None = None,
                     live_target_spm: float | None = None, more: CadenceContext = CadenceContext()) -> list[Advice]:
    """`target`: the runner's own cadence target; `live_target_spm`: the metronome's target in this run, if it
    had one (the after-run aim then says the figure the runner heard); `s`: in a clinic test, the baseline."""
    lit = (HEIDERSCHEIT_2011, ALTMAN_DAVIS_2012)
    if s.activity != "running":  # the cadence, strike and overstride rules and their sources are about running
        what = "no steps were found" if s.activity == "none" else f"its steps were walking ({_figures(s)})"
        msg = f"This session has no running to judge: {what}. Technique advice comes from running steps."
        # a statement, not advice: it cites nothing (review: it cited the cadence item and the studies)
        return [Advice(Category.TECHNIQUE, "Technique: no running in this session", msg, (), urgency=-3)]
    norm = norm_spm(s.speed_mps, leg_length_m, params.cadence)
    own = params.own_values(norm)
    aim = run_aim(s, target, leg_length_m, live_target_spm, params, more.typical_spm)
    stride = _stride_advice(s, aim, params, norm, _aim_says(s, aim, more, leg_length_m, params))
    out = _with_result(stride or _step_reached(s, aim, target, more, params, norm), s, more)
    balance = balance_advice(feet)
    skipped = isinstance(feet, FeetNotCompared)  # a note that the feet were not compared: no finding
    out += [balance] if balance and not skipped else []
    if not out:
        msg = f"Nothing to change in your stride today ({_figures(s)}).{_result(s, more)}"
        out.append(Advice(Category.TECHNIQUE, "Technique: looks good", msg, (), lit, urgency=-3, own_values=own))
    return out + ([balance] if balance and skipped else [])


def run_aim(s: RunSummary, target: float | None, leg_length_m: float | None, live_target_spm: float | None,
            params: TechniqueParams = TechniqueParams(), typical_cadence_spm: float | None = None) -> CadenceAim | None:
    """This run's cadence aim, as the advice says it and the report draws it: the metronome's target when the run
    had one above its cadence, else the step towards `target` (the runner's own) from the typical cadence (this
    run's when None), else footfall's target from the run's cadence."""
    if live_target_spm is not None and round(live_target_spm) > round(s.cadence_spm):
        # the metronome took its step from the same typical cadence: the text says it from there too, not "+10%"
        # from this run's slower cadence
        return CadenceAim(float(round(live_target_spm)), target, typical_cadence_spm)
    return aim_for(s.cadence_spm, s.speed_mps, leg_length_m, target, params.cadence, typical_cadence_spm)


def _aim_says(s: RunSummary, aim: CadenceAim | None, more: CadenceContext, leg_length_m: float | None,
              params: TechniqueParams) -> str:
    """What the quicker-steps entry asks for: this run's aim, or after a clinic test what the cue achieved and
    the home practice from the retest."""
    if aim is None:
        return ""
    if more.clinic is None:
        return aim_text(aim, s.cadence_spm)
    practise = practice_text(more.clinic, s, aim, more.typical_spm, leg_length_m, params.cadence)
    return f"{result_text(more.clinic, s)} {practise}"


def _result(s: RunSummary, more: CadenceContext) -> str:
    """" In the cue ... you ran 171 steps/min; ...": what a clinic test's cue achieved, "" without one."""
    return "" if more.clinic is None else f" {result_text(more.clinic, s)}"


def _with_result(out: list[Advice], s: RunSummary, more: CadenceContext) -> list[Advice]:
    """The first stride entry says what the cue achieved, unless it says so already (quicker steps)."""
    if not out or more.clinic is None or out[0].title == QUICKER_TITLE:
        return out
    return [replace(out[0], message=out[0].message + _result(s, more)), *out[1:]]


QUICKER_TITLE = "Shorter, quicker steps"


def _stride_advice(s: RunSummary, aim: CadenceAim | None, params: TechniqueParams, norm: float,
                   says: str) -> list[Advice]:
    lit, own = (HEIDERSCHEIT_2011, ALTMAN_DAVIS_2012), params.own_values(norm)
    if _heel_and_slow(s, params, norm) and aim is not None:
        msg = (f"Mostly heel-first landings with a steep toe-up angle at a low step rate ({_figures(s)}). "
               f"{says}")
        return [Advice(Category.TECHNIQUE, QUICKER_TITLE, msg,
                       (item("cadence"), item("shorter_steps"), item("heavy_heel")), lit, urgency=1,
                       own_values=f"{own}; {params.build_up()}")]
    if math.isfinite(s.overstride_index) and s.overstride_index >= params.overstride_index:
        msg = f"Signs of overstriding ({_figures(s)}). Take shorter steps that land under the hips."
        return [Advice(Category.TECHNIQUE, "Overstriding", msg,
                       (item("shorter_steps"), item("shoe_confidence"), item("cadence")), lit, own_values=own)]
    return []


STEP_REACHED_TITLE = "Quicker steps: this week's step reached"


def _step_reached(s: RunSummary, aim: CadenceAim | None, goal: float | None, more: CadenceContext,
                  params: TechniqueParams, norm: float) -> list[Advice]:
    """Still heel-first and below the norm, but quicker than the recent typical cadence by this week's step: no
    new aim until it is the usual (cadence.py), and said so, not "Technique: looks good" (which read as "heel-first
    is fine now" to a runner half-way there). Not after a clinic test (its own texts) nor past the runner's goal."""
    typical = more.typical_spm
    if aim is not None or typical is None or more.clinic is not None or not _heel_and_slow(s, params, norm):
        return []
    if round(s.cadence_spm) <= round(typical) or (goal is not None and round(goal) <= round(s.cadence_spm)):
        return []
    msg = (f"Mostly heel-first landings ({_figures(s)}), at a quicker step rate than your recent typical "
           f"{typical:.0f} steps/min: this week's step is reached. Hold it for more of the run; footfall asks for "
           f"the next step once this is your usual cadence. {BUILD_UP}")
    return [Advice(Category.TECHNIQUE, STEP_REACHED_TITLE, msg, (item("cadence"), item("shorter_steps")),
                   (HEIDERSCHEIT_2011, ALTMAN_DAVIS_2012), own_values=f"{params.own_values(norm)}; {params.build_up()}")]


BUILD_UP = ("Build it up gradually: a few minutes at a time at first (3-4 blocks per run), more of the run once "
            "that feels easy, over several weeks.")


def _aim_basis(aim: CadenceAim) -> str:
    """" (your own target)", or what footfall's step was measured from when not this run: the runner's recent
    runs, so a first week's aim does not climb another 5% with every run."""
    if aim.goal_spm is not None:
        return " (your own target)"
    if aim.typical_spm is not None:
        return f" (+{(aim.aim_spm / aim.typical_spm - 1) * 100:.0f}% on your recent typical {aim.typical_spm:.0f})"
    return ""


def aim_text(aim: CadenceAim, cadence_spm: float) -> str:
    """What the runner is asked for: this run's aim, and the runner's own target when the aim is a step to it."""
    if not aim.stepped:
        return f"Aim for about {aim.aim_spm:.0f} steps/min{_aim_basis(aim)} at the same speed: shorter, quicker " \
               f"steps. {BUILD_UP}"
    step = f"+{(aim.aim_spm / cadence_spm - 1) * 100:.0f}%"
    if aim.typical_spm is not None:  # the step is measured from the runner's recent runs, not from this one
        step = f"+{(aim.aim_spm / aim.typical_spm - 1) * 100:.0f}% on your recent typical {aim.typical_spm:.0f}"
    return (f"Your own target is {aim.goal_spm:.0f} steps/min; this run aim for about {aim.aim_spm:.0f} ({step}) "
            f"at the same speed: shorter, quicker steps, a few minutes at a time (3-4 blocks per run). Move on "
            f"towards {aim.goal_spm:.0f} in later weeks, once this feels easy.")
