"""QA17 physio #4: after a clinic test (baseline, cue, retest) the technique advice says what the cue achieved
(the cadence with the cue and, uncued, in the retest) and sets the home practice from the retest, within the
+5% step and the runner's own target; without those segments, or with too few running steps in them, it says
nothing new."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall.analysis.step import Step
from footfall.coaching.cadence import CadenceAim, norm_spm, practice_aim
from footfall.coaching.clinic import ClinicParams, ClinicResult, clinic_result, no_aim_text, practice_text, result_text
from footfall.coaching.knowledge import Category
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.coaching.summary import RunSummary, summarise_steps, window
from footfall.store import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
HEEL = Gait(cadence_spm=162, strike_angle_deg=21, overstride_index=0.6, speed_mps=3.5)
PLAN = (("baseline", 0.0, 120.0), ("cue", 120.0, 240.0), ("retest", 240.0, 360.0))


def _gaits(cue_spm: float, retest_spm: float) -> list[tuple[float, Gait]]:
    cued = replace(HEEL, cadence_spm=cue_spm, strike_angle_deg=9, overstride_index=0.35)
    return [(120, HEEL), (120, cued), (120, replace(cued, cadence_spm=retest_spm))]


def _advice(tmp_path: Path, steps: list[Step], target: float | None = 172,
            plan: tuple[tuple[str, float, float], ...] = PLAN) -> list[str]:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ben", 1.85, 0.95, target)
        sid = store.add_session("ben", steps, T0).id
        for label, a, b in plan:
            store.add_segment(sid, label, a, b)
        advice = advice_for_session(store, sid, limit=None).advice
    return [f"{a.title}: {a.message}" for a in advice if a.category is Category.TECHNIQUE]


def test_the_advice_says_what_the_cue_achieved_and_practises_from_the_retest(tmp_path: Path) -> None:
    """The physio's Ben: 162 uncued, 171 with the cue, 169 in the retest, own target 172."""
    [msg] = _advice(tmp_path, planned_run(_gaits(171, 169), seed=4))
    print(msg)
    assert msg.startswith("Shorter, quicker steps: Before the cue (baseline, 0-120 s): ")
    assert "In the cue (cue, 120-240 s) you ran 171 steps/min" in msg
    assert "in the retest (retest, 240-360 s) without it you kept 169." in msg
    # a step above the retest (177) and the goal (172) are both past the step above the baseline: 162 x 1.05
    assert "Practise about 170 steps/min in your runs" in msg and "Move on towards 172 in later weeks" in msg
    assert "this run aim for about" not in msg  # the aim of the blended run is not said as well


def test_a_retest_back_at_the_baseline_is_said_and_practised_from_there(tmp_path: Path) -> None:
    [msg] = _advice(tmp_path, planned_run(_gaits(171, 162), seed=5), target=None)
    print(msg)
    assert "without it you went back to 162." in msg
    home = min(170, round(norm_spm(3.5, 0.95)))  # one step above what was held, not past the norm (leg-scaled)
    assert f"Practise about {home} steps/min" in msg
    assert "Move on towards" not in msg  # no own target


def test_a_retest_below_the_baseline_sets_a_smaller_aim(tmp_path: Path) -> None:
    [msg] = _advice(tmp_path, planned_run(_gaits(171, 156), seed=6))
    print(msg)
    assert "went back to 156." in msg and "Practise about 164 steps/min" in msg  # 156 x 1.05, below 170


def test_a_retest_at_the_target_is_kept_not_raised(tmp_path: Path) -> None:
    [msg] = _advice(tmp_path, planned_run(_gaits(172, 172), seed=7), target=170)
    print(msg)
    assert "you kept 172." in msg
    assert "keep about 170 steps/min (your own target): you already hold it without the cue" in msg
    assert "Practise about" not in msg and "Move on towards" not in msg


@pytest.mark.parametrize("plan", [
    (("baseline", 0.0, 120.0), ("cue", 120.0, 240.0)),  # no retest
    (("baseline", 0.0, 120.0), ("cue", 120.0, 240.0), ("retest", 240.0, 250.0)),  # a retest of ~25 steps
    (("cue", 120.0, 240.0), ("retest", 240.0, 360.0)),  # no baseline: the technique advice judges the whole run
])
def test_without_both_segments_well_filled_nothing_new_is_said(tmp_path: Path,
                                                                plan: tuple[tuple[str, float, float], ...]) -> None:
    [msg] = _advice(tmp_path, planned_run(_gaits(171, 169), seed=8), plan=plan)
    print(msg)
    assert "In the cue" not in msg and "retest" not in msg and "Practise" not in msg


def test_enough_running_steps_is_counted_in_running_steps_only() -> None:
    """A retest that is mostly walking does not count: its running steps are too few."""
    walk = [replace(s, activity="walking") for s in planned_run([(60, replace(HEEL, cadence_spm=110))], seed=9)]
    steps = planned_run(_gaits(171, 169)[:2], seed=9) + [replace(s, ic_time_s=s.ic_time_s + 240) for s in walk]
    assert clinic_result(steps, PLAN) is None
    assert clinic_result(planned_run(_gaits(171, 169), seed=9), PLAN) is not None
    few = ClinicParams(min_running_steps=10_000)
    assert clinic_result(planned_run(_gaits(171, 169), seed=9), PLAN, params=few) is None


def test_the_metronome_in_the_cue_is_named() -> None:
    steps = planned_run(_gaits(171, 169), seed=10)
    result = clinic_result(steps, PLAN, metronome_spm=170.0)
    assert result is not None
    baseline = summarise_steps(window(steps, 0, 120))
    assert result_text(result, baseline).startswith("With the metronome at 170 in the cue (cue, 120-240 s) you ran")


def test_practice_aim_is_bounded_by_each_limit() -> None:
    assert practice_aim(169, 172, 162, reached_spm=171) == 170  # the step above the baseline
    assert practice_aim(169, 172, 168, reached_spm=180) == 172  # the goal
    assert practice_aim(160, 190, 165, reached_spm=180) == 168  # the step above the retest
    assert practice_aim(175, 190, 160, reached_spm=180) == 168 < 175  # held more than this week's step: no quicker
    assert practice_aim(164, 190, 162, reached_spm=165) == 165 < 170  # QA17 N3: no more than reached with the cue
    assert practice_aim(167, 190, 160, reached_spm=165) == 167  # a retest quicker than the cue was reached too


def test_the_practice_is_measured_from_the_typical_cadence_when_known() -> None:
    steps = planned_run(_gaits(176, 169), seed=11)  # a cue to 176: the aim is not capped by the cue (N3)
    result = clinic_result(steps, PLAN)
    assert result is not None
    baseline = summarise_steps(window(steps, 0, 120))
    aim = CadenceAim(170.0, 180.0)
    assert "Practise about 170" in practice_text(result, baseline, aim)  # 162 x 1.05
    assert "Practise about 174" in practice_text(result, baseline, aim, typical_spm=166)  # 166 x 1.05


@pytest.fixture(scope="module")
def virtual_clinic() -> list[Step]:
    """A virtual runner's clinic test (60 s each): heel-first at 160, cued to 169 with a flatter landing, 167 in
    the retest; analysed as one recording."""
    from footfall.virtual import runner
    from joined_runs import analyse_joined

    base = runner.preset("heel-overstrider", duration_s=60.0, seed=1)
    base = replace(base, cadence_spm=160.0, speed_mps=3.2)
    cued = replace(base, cadence_spm=169.0, strike_angle_deg=6.0, overstride=0.2, seed=2)
    return analyse_joined([runner.simulate(p) for p in (base, cued, replace(cued, cadence_spm=167.0, seed=3))])


def test_a_virtual_runner_clinic_test_gets_its_cue_result(tmp_path: Path, virtual_clinic: list[Step]) -> None:
    plan = (("baseline", 0.0, 60.0), ("cue", 60.0, 120.0), ("retest", 120.0, 180.0))
    [msg, *_] = _advice(tmp_path, virtual_clinic, target=175, plan=plan)
    print(msg)
    figures = {label: summarise_steps(window(virtual_clinic, a, b)).cadence_spm for label, a, b in plan}
    assert f"you ran {figures['cue']:.0f} steps/min" in msg and f"you kept {figures['retest']:.0f}." in msg
    home = practice_aim(figures["retest"], 175, figures["baseline"], reached_spm=figures["cue"])
    assert f"Practise about {home:.0f} steps/min" in msg and home <= round(figures["baseline"] * 1.05)


def test_more_held_than_this_weeks_step_keeps_to_the_step_and_says_why() -> None:
    steps = planned_run(_gaits(171, 169), seed=12)
    result = clinic_result(steps, PLAN)
    assert result is not None
    baseline = summarise_steps(window(steps, 0, 120))
    text = practice_text(result, baseline, CadenceAim(170.0, 180.0), typical_spm=155)
    print(text)
    assert "for now keep to about 163 steps/min in your runs (+5% on your typical cadence of the last week, 155)" \
        in text and "Move on towards 180" in text and "Practise" not in text


def test_a_baseline_without_a_cadence_finding_still_says_what_the_cue_did(tmp_path: Path) -> None:
    """A midfoot baseline (no quicker-steps entry): the first technique entry says the cue's result, no aim."""
    mid = replace(HEEL, strike_angle_deg=3, overstride_index=0.3)
    cued = replace(mid, cadence_spm=171)
    steps = planned_run([(120, mid), (120, cued), (120, replace(cued, cadence_spm=169))], seed=13)
    [msg] = _advice(tmp_path, steps)
    print(msg)
    assert msg.startswith("Technique: looks good: Before the cue (baseline, 0-120 s): Nothing to change")
    assert msg.endswith("In the cue (cue, 120-240 s) you ran 171 steps/min; in the retest (retest, 240-360 s) "
                        "without it you kept 169.")


# --- QA17 N3: a cue that changed nothing is said so, and sets no home aim --------------------------------------


def _result_and_baseline(cue_spm: float, retest_spm: float, seed: int,
                         metronome_spm: float | None = 170.0) -> tuple[ClinicResult, RunSummary]:
    steps = planned_run(_gaits(cue_spm, retest_spm), seed=seed)
    result = clinic_result(steps, PLAN, metronome_spm=metronome_spm)
    assert result is not None
    return result, summarise_steps(window(steps, 0, 120))


def test_a_cue_that_changed_nothing_is_said_so_and_sets_no_aim() -> None:
    """The physio's session 8: 158 before, with and after the metronome. Here 162 throughout."""
    result, baseline = _result_and_baseline(162, 162, seed=14)
    said = result_text(result, baseline)
    print(said)
    assert said == ("With the metronome at 170 in the cue (cue, 120-240 s) you ran 162 steps/min: the cue did not "
                    "change your cadence (162 -> 162). In the retest (retest, 240-360 s) without it you ran 162.")
    practise = practice_text(result, baseline, CadenceAim(170.0, 172.0))
    assert practise == no_aim_text(result)
    assert "practise with the metronome at 170 steps/min" in practise
    assert "Practise about" not in practise and "keep about" not in practise and "Move on" not in practise


def test_without_footfalls_metronome_it_defers_to_the_clinician(tmp_path: Path) -> None:
    [msg] = _advice(tmp_path, planned_run(_gaits(162, 162), seed=15))
    print(msg)
    assert "In the cue (cue, 120-240 s) you ran 162 steps/min: the cue did not change your cadence (162 -> 162)." \
        in msg and "went back" not in msg
    assert msg.endswith("No new home aim from this test: ask your clinician about another cue.")


def test_a_cue_that_lowered_the_cadence_did_not_raise_it() -> None:
    result, baseline = _result_and_baseline(155, 161, seed=16)
    assert "the cue did not raise your cadence (162 -> 155)" in result_text(result, baseline)
    assert "Practise about" not in practice_text(result, baseline, CadenceAim(170.0))


def test_the_noise_threshold_is_the_delta_tables_cadence_floor() -> None:
    """One page shows both: the Δ table's "within noise" and this text must agree on what changed nothing."""
    from footfall.report.change import FLOORS
    assert ClinicParams().cue_noise_spm == FLOORS.cadence_spm


def test_the_threshold_decides_and_a_printed_difference_is_explained() -> None:
    """Ben's 162 -> 171 is a change at footfall's floor, and no change under a (hypothetical) floor of 10."""
    result, baseline = _result_and_baseline(171, 169, seed=17)
    assert "you kept 169" in result_text(result, baseline)
    wide = ClinicParams(cue_noise_spm=10.0)
    said = result_text(result, baseline, wide)
    assert "did not change your cadence (162 -> 171, within footfall's noise floor of 10 steps/min)" in said
    assert practice_text(result, baseline, CadenceAim(170.0), clinic=wide) == no_aim_text(result)


def test_the_home_aim_is_never_above_the_cue(tmp_path: Path) -> None:
    """Cue 165, retest 164: the step above the baseline (170) was not reached even with the cue."""
    [msg] = _advice(tmp_path, planned_run(_gaits(165, 164), seed=18), target=180)
    print(msg)
    assert "you ran 165 steps/min" in msg and "Practise about 165 steps/min" in msg and "Practise about 170" not in msg
