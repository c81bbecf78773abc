"""The live status line and balance read as intended (notes qa16 finding 13): a foot without steps yet says the
mounting is being learned ("L:0 steps unknown" next to a cadence looked broken), and both balance figures show
L and R."""

from __future__ import annotations

import math

from footfall.analysis.step import Pattern, Step
from footfall.live.state import LaneState, LiveState
from footfall.live.view import render_text, status_line


def _step(sensor: str, i: int, contact_ms: float, stride_m: float) -> Step:
    return Step(sensor=sensor, side=sensor, index=i, ic_time_s=i * 0.76, to_time_s=i * 0.76 + 0.3,
                contact_time_ms=contact_ms, swing_time_ms=460.0, flight_time_ms=math.nan, strike_angle_deg=18.0,
                pattern=Pattern.REARFOOT, pattern_confidence=0.9, cadence_spm=158.0, stride_length_m=stride_m,
                stride_time_s=0.76, speed_mps=3.2, foot_velocity_at_ic_mps=0.8, braking_mps2=12.0,
                overstride_index=0.7, impact_g=9.0, activity="running")


def _state(steps: int, stride_r_m: float = 2.4) -> LiveState:
    state = LiveState(elapsed_s=8.4)
    for sensor, contact, stride in (("L", 300.0, 2.4), ("R", 320.0, stride_r_m)):
        state.lanes[sensor] = lane = LaneState(sensor, sensor, f"footfall-{sensor}")
        for i in range(steps):
            lane.add(_step(sensor, i, contact, stride))
    return state


def test_a_foot_without_steps_says_it_learns_the_mounting() -> None:
    line = status_line(_state(0))
    assert "L: learning mounting (0 steps) R: learning mounting (0 steps)" in line and "unknown" not in line
    assert "L:12 steps rearfoot R:12 steps rearfoot" in status_line(_state(12))


def test_both_balance_figures_show_left_and_right() -> None:
    text = render_text(_state(12, stride_r_m=2.6), width=140)
    assert "left/right balance: contact time L 48.4% / R 51.6% · stride length L 48.0% / R 52.0%" in text
    no_stride = render_text(_state(12, stride_r_m=math.nan), width=140)
    assert "contact time L 48.4% / R 51.6% · stride length —" in no_stride
