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
from collections.abc import Sequence
from dataclasses import dataclass

from footfall.analysis.step import Step
from footfall.coaching.cadence import CadenceAim, CadenceParams, norm_spm, practice_aim
from footfall.coaching.summary import RunSummary, summarise_steps, window

CUE_LABEL = "cue"
RETEST_LABEL = "retest"


@dataclass(frozen=True)
class ClinicParams:
    min_running_steps: int = 40  # footfall's own: about 15 s of running, 20 steps a foot
    kept_spm: float = 2.0  # footfall's own: a retest this much above the baseline kept some of the cue's gain


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


def result_text(r: ClinicResult, baseline: RunSummary, params: ClinicParams = ClinicParams()) -> str:
    """"With the metronome at 170 in the cue (cue, 120-240 s) you ran 171 steps/min; in the retest (...) without
    it you kept 169." (or "went back to", when it stayed within `kept_spm` of the baseline)."""
    cued, held = r.cue.summary.cadence_spm, r.retest.summary.cadence_spm
    how = "In the cue" if r.metronome_spm is None else f"With the metronome at {r.metronome_spm:.0f} in the cue"
    kept = "kept" if held - baseline.cadence_spm >= params.kept_spm else "went back to"
    return (f"{how} ({r.cue.span()}) you ran {cued:.0f} steps/min; in the retest ({r.retest.span()}) without it "
            f"you {kept} {held:.0f}.")


def practice_text(r: ClinicResult, baseline: RunSummary, aim: CadenceAim, typical_spm: float | None = None,
                  leg_length_m: float | None = None, params: CadenceParams = CadenceParams()) -> str:
    """The home-practice aim, from the retest: a step above it, bounded by the step above the typical cadence
    (else the baseline's) and by the runner's own goal (else the speed norm)."""
    held = r.retest.summary
    ceiling = aim.goal_spm if aim.goal_spm is not None else norm_spm(held.speed_mps, leg_length_m, params)
    base = typical_spm if typical_spm is not None else baseline.cadence_spm
    home = practice_aim(held.cadence_spm, ceiling, base, params)
    onwards = f" Move on towards {aim.goal_spm:.0f} in later weeks, once this feels easy." \
        if aim.goal_spm is not None and round(aim.goal_spm) > home else ""
    if home > round(held.cadence_spm):
        return (f"Practise about {home:.0f} steps/min in your runs, at the same speed, a few minutes at a time "
                f"(3-4 blocks per run).{onwards}")
    capped = home < min(round(held.cadence_spm), round(ceiling))  # this week's step is below what was held
    return f"{_keep(home, base, aim, typical_spm is not None, params) if capped else _hold(home, aim)}{onwards}"


START = "Start with a few minutes at a time (3-4 blocks per run)."


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
