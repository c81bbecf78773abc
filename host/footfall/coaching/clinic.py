"""What a clinic test's cue achieved: the cadence with the cue and in the retest without it, and the cadence to
practise at home from there.

A clinic test (`footfall live --phases baseline:2m,cue:2m,retest:2m`, or segments marked later with `footfall
history mark`) measures the runner's own running (baseline), the running with a cue (footfall's metronome, or a
physiotherapist's own cue) and the running after it, uncued (retest). The retest shows what the runner holds
without help: the home practice starts there (footfall.coaching.cadence.practice_aim). Said only when the cue
and the retest each have `min_running_steps` running steps; otherwise the advice stays as it was.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from footfall.analysis.step import Step
from footfall.coaching.cadence import CadenceAim, CadenceParams, norm_spm, practice_aim
from footfall.coaching.summary import RunSummary, summarise_steps, window

# The phases of a clinic plan (`live --phases baseline:2m,cue:2m,retest:2m`, coaching/phases.py), matched ignoring
# case everywhere: the one definition the store, the advice and the report import
BASELINE_LABEL = "baseline"
CUE_LABEL = "cue"  # the phase in which footfall cues (any other phase is measured uncued)
RETEST_LABEL = "retest"
CLINIC_LABELS = (BASELINE_LABEL, CUE_LABEL, RETEST_LABEL)


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


Marked = TypeVar("Marked", bound=_Labelled)


def labelled(items: Iterable[Marked], label: str) -> Marked | None:
    """The first of `items` (segments, their figures) labelled `label`, ignoring case; None without one."""
    return next((g for g in items if g.label.lower() == label.lower()), None)


def is_clinic_plan(labels: Iterable[str]) -> bool:
    """Any of `labels` a phase of a clinic plan: the session is a test on the treadmill, not training."""
    return any(label.lower() in CLINIC_LABELS for label in labels)


@dataclass(frozen=True)
class ClinicParams:
    min_running_steps: int = 40  # footfall's own: about 15 s of running, 20 steps a foot
    kept_spm: float = 2.0  # footfall's own: a retest this much above the baseline kept some of the cue's gain
    # the cue changed the cadence only when it moved it this much from the baseline: the Δ table's cadence floor
    # (report.change.NoiseFloors.cadence_spm; coaching must not import report/, a test keeps the two equal)
    cue_noise_spm: float = 1.0


@dataclass(frozen=True)
class Part:
    """One segment of the test: its label, span and the summary of its steps."""

    label: str
    start_s: float
    end_s: float
    summary: RunSummary

    def span(self) -> str:
        return f"{self.label}, {self.start_s:.0f}-{self.end_s:.0f} s"


@dataclass(frozen=True)
class ClinicResult:
    cue: Part
    retest: Part
    metronome_spm: float | None = None  # footfall's metronome in the cue segment, if it ran


def _part(steps: Sequence[Step], spans: Sequence[tuple[str, float, float]], label: str,
          params: ClinicParams) -> Part | None:
    span = next((g for g in spans if g[0].lower() == label), None)
    if span is None:
        return None
    summary = summarise_steps(window(steps, span[1], span[2]))
    enough = summary.activity == "running" and summary.n_steps >= params.min_running_steps
    return Part(*span, summary) if enough and math.isfinite(summary.cadence_spm) else None


def clinic_result(steps: Sequence[Step], spans: Sequence[tuple[str, float, float]],
                  metronome_spm: float | None = None, params: ClinicParams = ClinicParams()) -> ClinicResult | None:
    """The cue and retest segments (label, start_s, end_s) and their running; None unless both are there with
    `min_running_steps` running steps each."""
    cue, retest = _part(steps, spans, CUE_LABEL, params), _part(steps, spans, RETEST_LABEL, params)
    return None if cue is None or retest is None else ClinicResult(cue, retest, metronome_spm)


def cue_raised(r: ClinicResult, baseline: RunSummary, params: ClinicParams = ClinicParams()) -> bool:
    """The cue raised the cadence above the baseline's by `cue_noise_spm` or more (else it changed nothing)."""
    return r.cue.summary.cadence_spm - baseline.cadence_spm >= params.cue_noise_spm


def result_text(r: ClinicResult, baseline: RunSummary, params: ClinicParams = ClinicParams()) -> str:
    """"With the metronome at 170 in the cue (cue, 120-240 s) you ran 171 steps/min; in the retest (...) without
    it you kept 169." (or "went back to", when it stayed within `kept_spm` of the baseline). A cue that did not
    raise the cadence is said so ("the cue did not change your cadence (158 -> 158)"), with no "went back"."""
    cued, held = r.cue.summary.cadence_spm, r.retest.summary.cadence_spm
    how = "In the cue" if r.metronome_spm is None else f"With the metronome at {r.metronome_spm:.0f} in the cue"
    if not cue_raised(r, baseline, params):
        return (f"{how} ({r.cue.span()}) you ran {cued:.0f} steps/min: the cue {_unraised(baseline, cued, params)}. "
                f"In the retest ({r.retest.span()}) without it you ran {held:.0f}.")
    kept = "kept" if held - baseline.cadence_spm >= params.kept_spm else "went back to"
    return (f"{how} ({r.cue.span()}) you ran {cued:.0f} steps/min; in the retest ({r.retest.span()}) without it "
            f"you {kept} {held:.0f}.")


def _unraised(baseline: RunSummary, cued_spm: float, params: ClinicParams) -> str:
    """"did not change your cadence (158 -> 158)", or "did not raise ..." when the cue lowered it."""
    was = baseline.cadence_spm
    if cued_spm - was <= -params.cue_noise_spm:
        return f"did not raise your cadence ({was:.0f} -> {cued_spm:.0f})"
    floor = f", within footfall's noise floor of {params.cue_noise_spm:g} steps/min"
    apart = "" if round(was) == round(cued_spm) else floor  # "158 -> 159" needs saying why that is no change
    return f"did not change your cadence ({was:.0f} -> {cued_spm:.0f}{apart})"


def practice_text(r: ClinicResult, baseline: RunSummary, aim: CadenceAim, typical_spm: float | None = None,
                  leg_length_m: float | None = None, params: CadenceParams = CadenceParams(),
                  clinic: ClinicParams = ClinicParams()) -> str:
    """The home-practice aim, from the retest: a step above it, bounded by the step above the typical cadence
    (else the baseline's), by the runner's own goal (else the speed norm) and by what the runner reached in the
    test. A cue that did not raise the cadence sets no aim (`no_aim_text`)."""
    if not cue_raised(r, baseline, clinic):
        return no_aim_text(r)
    held = r.retest.summary
    ceiling = aim.goal_spm if aim.goal_spm is not None else norm_spm(held.speed_mps, leg_length_m, params)
    base = typical_spm if typical_spm is not None else baseline.cadence_spm
    home = practice_aim(held.cadence_spm, ceiling, base, params, reached_spm=r.cue.summary.cadence_spm)
    onwards = f" Move on towards {aim.goal_spm:.0f} in later weeks, once this feels easy." \
        if aim.goal_spm is not None and round(aim.goal_spm) > home else ""
    if home > round(held.cadence_spm):
        return (f"Practise about {home:.0f} steps/min in your runs, at the same speed, a few minutes at a time "
                f"(3-4 blocks per run).{onwards}")
    capped = home < min(round(held.cadence_spm), round(ceiling))  # this week's step is below what was held
    return f"{_keep(home, base, aim, typical_spm is not None, params) if capped else _hold(home, aim)}{onwards}"


START = "Start with a few minutes at a time (3-4 blocks per run)."


def no_aim_text(r: ClinicResult) -> str:
    """After a cue that did not raise the cadence: no home aim the runner did not reach even with the cue."""
    if r.metronome_spm is None:
        return "No new home aim from this test: ask your clinician about another cue."
    return (f"No new home aim from this test: practise with the metronome at {r.metronome_spm:.0f} steps/min a few "
            f"minutes at a time (3-4 blocks per run), or ask your clinician about another cue.")


def _hold(home: float, aim: CadenceAim) -> str:
    own = " (your own target)" if aim.goal_spm is not None and round(aim.goal_spm) == home else ""
    return f"In your runs, keep about {home:.0f} steps/min{own}: you already hold it without the cue. {START}"


def _keep(home: float, base_spm: float, aim: CadenceAim, typical: bool, params: CadenceParams) -> str:
    """The runner held more than this week's step without the cue: the aim stays at the step, and says why (the
    tissues need weeks to get used to a quicker rhythm)."""
    usual = "your typical cadence of the last week" if typical else "your baseline"
    step = f"+{params.target_increase_frac * 100:.0f}% on {usual}, {base_spm:.0f}"
    return (f"You held more without the cue, but for now keep to about {home:.0f} steps/min in your "
            f"runs ({step}): the tissues need weeks to get used to a quicker rhythm. {START}")
