"""The cadence target: a gradual first step, a runner's own target approached at most 5% per run, and the same
aim live and after the run (review qa16: 1, 8, 16)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from footfall.coaching.advice import RunContext, post_run_advice
from footfall.coaching.cadence import CadenceAim, aim_for, step_towards
from footfall.coaching.cues import CueEngine, CueKind, CueParams
from footfall.coaching.knowledge import Category
from footfall.coaching.load import PastRun
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.summary import summarise_steps
from footfall.coaching.technique import technique_advice
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]
T0 = datetime(2026, 4, 20, 12, 0, tzinfo=timezone.utc)
HEEL = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)
STEPS = planned_run([(600, HEEL)])


def _technique(target: float | None) -> list[str]:
    return [f"{a.title}: {a.message}" for a in technique_advice(summarise_steps(STEPS), target)]


def _live(target: float | None) -> list:
    return CueEngine(CueParams(grace_s=0, fixed_target_spm=target)).feed_many(STEPS)


def test_the_first_step_is_5_percent_built_up_in_blocks() -> None:
    """Review 8: "Aim for about 170" (+7.5%) at once, with no build-up over time."""
    [msg] = _technique(None)
    assert "Aim for about 166 steps/min at the same speed" in msg
    assert "a few minutes at a time at first (3-4 blocks per run)" in msg and "over several weeks" in msg
    own = technique_advice(summarise_steps(STEPS))[0].own_values
    assert "+5%" in own and "3-4 per run" in own


def test_a_runner_target_far_above_is_a_step_this_run() -> None:
    """Review 1: a target of 220 at 158 steps/min said "Aim for about 220" and the metronome clicked at 220."""
    [msg] = _technique(220)
    assert "Your own target is 220 steps/min; this run aim for about 166 (+5%)" in msg
    assert "Move on towards 220 in later weeks" in msg and "Aim for about 220" not in msg
    first = _live(220)[0]  # the live step is 5% above the cadence of the window the metronome starts in
    assert first.metronome_spm == round(first.cadence_spm * 1.05) < 170


def test_a_runner_target_within_reach_is_the_aim() -> None:
    [msg] = _technique(164)
    assert "Aim for about 164 steps/min (your own target)" in msg and "later weeks" not in msg
    assert _live(164)[0].metronome_spm == 164


def test_a_target_at_or_below_the_cadence_asks_for_no_quicker_steps() -> None:
    """Review 1: a target of 150 at 158 steps/min said "Aim for about 150 ...: shorter, quicker steps"."""
    for target in (150, 155):
        assert not any("quicker" in m for m in _technique(target))
        cues = _live(target)
        assert CueKind.QUICKER_STEPS not in [c.kind for c in cues]
        assert all(c.metronome_spm is None for c in cues)


def test_step_towards_and_aim_for() -> None:
    assert step_towards(158, 220) == 166 and step_towards(158, 160) == 160
    assert step_towards(158, 158.4) is None and step_towards(math.nan, 180) is None
    assert aim_for(158, 3.0, goal_spm=220) == CadenceAim(166, 220) and CadenceAim(166, 220).stepped
    # review qa16 F11: a runner's own target took +10% on the first run, twice footfall's own first step
    own = aim_for(158, 3.0)
    assert own is not None and step_towards(158, 185) == own.aim_spm == 166
    assert aim_for(158, 3.0) == CadenceAim(166) and not CadenceAim(166).stepped


def test_live_and_after_run_ask_for_the_same_step_towards_a_runner_target() -> None:
    """Review 16: the metronome clicked at the runner's 220 while the after-run advice could say otherwise. Both
    now take the same +5% step (live from the window's cadence, after the run from the whole run's: within 1)."""
    live = _live(185)[0].metronome_spm
    entries = post_run_advice(STEPS, RunContext(PastRun(T0, 1600, 600), target_cadence_spm=185), limit=None)
    tech = next(a for a in entries if a.category is Category.TECHNIQUE)
    assert "this run aim for about 166" in tech.message and live is not None and abs(live - 166) <= 1


def test_runner_set_warns_when_the_target_is_far_above_recent_cadence(ff: Run, db: Path) -> None:
    assert ff("runner", "add", "bob")[0] == 0
    with Store(db) as store:
        for day in range(3):
            store.add_session("bob", planned_run([(300, HEEL)], seed=day), T0.replace(day=10 + day))
    code, _, err = ff("runner", "set", "bob", "--target-cadence-spm", "220")
    assert code == 0 and "note: 220 steps/min is 39% above bob's recent cadence (158)" in err
    assert "at most 5% above the measured cadence (about 166 now)" in err
    code, _, err = ff("runner", "set", "bob", "--target-cadence-spm", "165")
    assert code == 0 and err == ""


def test_the_after_run_aim_can_repeat_the_metronome_the_runner_heard() -> None:
    """Review 16: the live metronome clicked at 169 (from its 20 s window) and the advice said "about 170" (from
    the whole run). Given the live target, the advice names the figure the runner heard."""
    s = summarise_steps(STEPS)
    [heard] = technique_advice(s, None, live_target_spm=165)
    assert "Aim for about 165 steps/min" in heard.message
    [stepped] = technique_advice(s, 220, live_target_spm=173)
    assert "Your own target is 220 steps/min; this run aim for about 173" in stepped.message
    [fallback] = technique_advice(s, None, live_target_spm=150)  # below the run's cadence: no such aim
    assert "Aim for about 166 steps/min" in fallback.message


def test_a_stored_live_session_s_advice_says_the_metronome_s_target(tmp_path: Path) -> None:
    """The wiring: `footfall advice N` on a live session takes the target its metronome clicked at from the
    stored cues, so the runner hears one figure live and reads the same after the run."""
    from footfall.coaching.session_advice import advice_for_session

    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        sid = store.add_session("ana", STEPS, T0).id
        cues = _live(None)
        store.add_cues(sid, cues)
        heard = next(c.metronome_spm for c in cues if c.metronome_spm)
        [tech] = [a for a in advice_for_session(store, sid).advice if a.category is Category.TECHNIQUE]
    assert f"Aim for about {heard:.0f} steps/min" in tech.message
