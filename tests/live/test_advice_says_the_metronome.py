"""A live run without a runner's history: the advice after it aims at the cadence the metronome clicked during it
(the demo clicked 165 and then said "Aim for about 166"), as a stored session's advice does."""

from __future__ import annotations

from rich.console import Console

from footfall.coaching.scripted import Gait, planned_run
from footfall.live.coach import ViewOutput
from footfall.live.session import LiveResult
from footfall.live.state import LiveState
from footfall.report.console import print_advice


def _advice(targets: list[float | None]) -> str:
    state = LiveState(elapsed_s=240.0)
    coach = ViewOutput(state)
    for i, target in enumerate(targets):
        coach.metronome(target, 10.0 * i)
    console = Console(record=True, width=400)
    print_advice(LiveResult(planned_run([(240, Gait(cadence_spm=158.0))]), [], [], state, None), console, None)
    return console.export_text()


def test_the_advice_repeats_the_metronomes_first_target_even_after_it_stopped() -> None:
    assert "Aim for about 165 steps/min" in _advice([None, 165.0, None])


def test_without_a_metronome_the_advice_steps_from_the_run() -> None:
    assert "Aim for about 166 steps/min" in _advice([])
