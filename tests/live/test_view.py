"""The live view itself, rendered to text from a session state."""

from __future__ import annotations

import dataclasses
import math

from footfall.analysis.landing import Landing
from footfall.analysis.step import Pattern, Step
from footfall.coaching.phases import PhasePlan
from footfall.live.state import LaneState, LiveState
from footfall.live.view import render_text, status_line


def _step(sensor: str, i: int, angle: float, contact_ms: float) -> Step:
    return Step(sensor=sensor, side=sensor, index=i, ic_time_s=i * 0.76, to_time_s=i * 0.76 + 0.3,
                contact_time_ms=contact_ms, swing_time_ms=460.0, flight_time_ms=math.nan, strike_angle_deg=angle,
                pattern=Pattern.REARFOOT if angle > 8 else Pattern.MIDFOOT, pattern_confidence=0.9,
                cadence_spm=158.0, stride_length_m=2.4, stride_time_s=0.76, speed_mps=3.2,
                foot_velocity_at_ic_mps=0.8, braking_mps2=12.0, overstride_index=0.7, impact_g=9.0,
                activity="running")


def test_view_shows_figures_links_and_cues() -> None:
    state = LiveState(elapsed_s=75.0, target_cadence_spm=170.0)
    for sensor, contact in (("L", 300.0), ("R", 320.0)):
        lane = LaneState(sensor, sensor, f"footfall-{sensor}", connected=sensor == "L", gaps=2, resends=1,
                         rssi_dbm=-61, battery_pct=80)
        for i in range(12):
            lane.add(_step(sensor, i, 18.0, contact))
        state.lanes[sensor] = lane
    state.cues.append("  9.0s  Shorter, quicker steps")
    state.lanes["L"].land(Landing("L", 9.5, 9.4, 17.6, Pattern.REARFOOT, 0.99, 158.0, "L"))
    text = render_text(state, width=140)
    assert "01:15" in text and "158 steps/min" in text
    assert "rearfoot +18.0°" in text and "300 ms" in text and "320 ms" in text
    assert "Shorter, quicker steps" in text and "metronome 170 steps/min" in text
    assert "reconnecting" in text and "connected" in text and "-61 dBm" in text and "80%" in text
    assert "contact time L 48.4% / R 51.6%" in text
    assert "latest landings: L +17.6° rearfoot 9.4 g" in text
    assert "distance 0.03 km" in text  # 12 strides x 2.4 m per foot
    assert "L:12 steps rearfoot" in status_line(state)
    state.lanes["L"].held = True  # another footfall host has it
    assert "held elsewhere" in render_text(state, width=140)
    state.phases = PhasePlan.parse("baseline:1m,cue:2m")
    assert "footfall live · 01:15 · cue 01:45 left · cadence" in render_text(state, width=140)
    assert status_line(state).startswith("  75.0s · cue 01:45 left · cadence 158 steps/min")


def test_each_foot_s_cadence_comes_from_its_own_strides() -> None:
    # two sensors 3 ms out of line: steps of L read 156 steps/min and of R 160; each foot's strides say 158
    state = LiveState(elapsed_s=30.0)
    for sensor, step_spm in (("L", 156.0), ("R", 160.0)):
        state.lanes[sensor] = lane = LaneState(sensor, sensor, f"footfall-{sensor}")
        for i in range(10):
            lane.add(dataclasses.replace(_step(sensor, i, 18.0, 300.0), cadence_spm=step_spm, stride_time_s=120 / 158))
    rows = [line for line in render_text(state, width=140).splitlines() if "rearfoot" in line]
    assert len(rows) == 2 and all("158 steps/min" in row for row in rows), rows


def test_view_before_any_step_says_so() -> None:
    state = LiveState()
    state.lanes["L"] = LaneState("L", "L", "footfall-L")
    text = render_text(state)
    assert "unknown —" in text and "(no cue yet)" in text and "needs both feet" in text


def test_live_cadence_comes_from_landings_before_any_step() -> None:
    state = LiveState()
    for sensor, start in (("L", 0.0), ("R", 0.38)):
        lane = LaneState(sensor, sensor, f"footfall-{sensor}")
        for k in range(6):
            lane.landings.append(start + k * 0.76)  # one foot lands every 0.76 s: 158 steps/min
        state.lanes[sensor] = lane
    assert abs(state.cadence_spm() - 120 / 0.76) < 0.01
    assert "158 steps/min" in render_text(state)


def test_a_gone_sensor_s_last_figures_are_not_shown_as_current() -> None:
    """qa15 physio H3: a lane whose link is gone must not keep showing its last cadence/strike/contact."""
    state = LiveState(elapsed_s=200.0)
    for sensor, contact in (("L", 300.0), ("R", 289.0)):
        lane = LaneState(sensor, sensor, f"footfall-{sensor}", connected=True)
        for i in range(12):
            lane.add(_step(sensor, i, 10.2 if sensor == "R" else 18.0, contact))
        lane.land(Landing(sensor, 9.5, 9.4, 10.2 if sensor == "R" else 17.6, Pattern.REARFOOT, 0.99, 158.0, sensor))
        state.lanes[sensor] = lane
    state.lanes["R"].gone = True
    text = render_text(state, width=140)
    assert "300 ms" in text and "rearfoot +18.0°" in text  # the live foot still shows its figures
    assert "289 ms" not in text and "+10.2°" not in text  # the gone foot's last values are not shown
    assert "(gone)" in text and "gone" in text
