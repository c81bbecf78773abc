"""Live and offline leave the same strides out (qa18b diff B6): a turning stride's overstride index counts in
neither the session summary nor the live cue's window nor the live view's table (summary.counts_in)."""

from __future__ import annotations

import dataclasses
import math

from footfall.analysis.step import Pattern, Step
from footfall.analysis.summary import summarise
from footfall.coaching.cues import WindowStats
from footfall.live.state import LaneState, LiveState
from footfall.live.view import render_text


def _step(i: int, index: float, turn: bool) -> Step:
    return Step(sensor="L", side="L", index=i, ic_time_s=i * 0.76, to_time_s=i * 0.76 + 0.3, contact_time_ms=300.0,
                swing_time_ms=460.0, flight_time_ms=math.nan, strike_angle_deg=18.0, pattern=Pattern.REARFOOT,
                pattern_confidence=0.9, cadence_spm=158.0, stride_length_m=2.4, stride_time_s=0.76, speed_mps=3.2,
                foot_velocity_at_ic_mps=0.8, braking_mps2=12.0, overstride_index=index, impact_g=9.0,
                activity="running", flags=("turn",) if turn else ())  # fmt: skip


def _steps() -> list[Step]:
    """12 steps: 7 turning ones land wide (index 0.9), the 5 straight ones at 0.2."""
    return [_step(i, 0.9, True) if i % 2 or i == 0 else _step(i, 0.2, False) for i in range(12)]


def test_the_live_cue_and_the_summary_take_the_same_overstride_index() -> None:
    steps = _steps()
    live = WindowStats.of(steps).overstride_index
    assert live == summarise(steps).combined.figures["overstride_index"] == 0.2
    assert WindowStats.of([dataclasses.replace(s, flags=()) for s in steps]).overstride_index == 0.9  # all count


def test_the_live_view_leaves_turning_strides_out_of_its_overstride_median() -> None:
    state = LiveState(elapsed_s=10.0)
    lane = LaneState("L", "L", "footfall-L", connected=True)
    for step in _steps():
        lane.add(step)
    state.lanes["L"] = lane
    row = next(line for line in render_text(state, width=140).splitlines() if "300 ms" in line)
    assert "0.20" in row and "0.90" not in row
