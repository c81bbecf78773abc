"""The live terminal view (rich): running figures per foot, left/right balance, link health, cues.

`render(state)` builds the renderable from a LiveState; `render_text` gives the same as plain text (tests,
and the periodic lines printed when the output is not a terminal).
"""

from __future__ import annotations

import io
import math

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from footfall.analysis.landing import Landing
from footfall.analysis.step import Pattern
from footfall.live.state import LaneState, LiveState


def _num(value: float | None, fmt: str = "{:.0f}", unit: str = "") -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return fmt.format(value) + unit


def _gait_table(state: LiveState) -> Table:
    table = Table(title="Gait (last 10 steps per foot)", expand=True)
    for column in ("foot", "cadence", "strike", "contact", "overstride", "impact", "steps"):
        table.add_column(column, justify="right" if column != "strike" else "left")
    for lane in state.lanes.values():
        if lane.gone:  # its last figures are not current: no stale cadence/strike/contact shown as if live
            table.add_row(lane.sensor, "— (gone)", "—", "—", "—", "—", str(lane.step_count), style="dim")
            continue
        angle = lane.median("strike_angle_deg")
        table.add_row(lane.sensor, _num(lane.stride_cadence_spm(), unit=" steps/min"),
                      f"{lane.pattern.value} {_num(angle, '{:+.1f}', '°')}",
                      _num(lane.median("contact_time_ms"), unit=" ms"),
                      _num(lane.median("overstride_index"), "{:.2f}"), _num(lane.median("impact_g"), "{:.1f}", " g"),
                      str(lane.step_count))
    return table


def _latest(state: LiveState) -> Text:
    """The newest landing of each foot, ~0.1 s after it happened (the table's steps come later)."""
    parts = [f"{lane.sensor} {_landing(lane.last_landing)}" for lane in state.lanes.values()
             if lane.last_landing is not None and not lane.gone]
    return Text("latest landings: " + (" · ".join(parts) or "—"))


def _landing(x: Landing) -> str:
    kind = "" if x.pattern is Pattern.UNKNOWN else f" {x.pattern.value}"
    return f"{_num(x.strike_angle_deg, '{:+.1f}', '°')}{kind} {_num(x.impact_g, '{:.1f}', ' g')}"


def _balance(state: LiveState) -> Text:
    contact, stride = state.balance_pct("contact_time_ms"), state.balance_pct("stride_length_m")
    if not math.isfinite(contact):
        return Text("left/right balance: needs both feet", style="dim")
    return Text(f"left/right balance: {_shares('contact time', contact)} · {_shares('stride length', stride)}")


def _shares(name: str, left_pct: float) -> str:
    """"contact time L 49.8% / R 50.2%": each figure in the same L/R form (the stride length showed L alone)."""
    if not math.isfinite(left_pct):
        return f"{name} —"
    return f"{name} L {left_pct:.1f}% / R {100 - left_pct:.1f}%"


def _link_row(lane: LaneState) -> list[str]:
    status = "gone" if lane.gone else ("reconnecting" if not lane.connected else "held elsewhere" if lane.held
                                       else "connected")
    return [lane.sensor, lane.name, status, _num(lane.rssi_dbm, unit=" dBm"), _num(lane.battery_pct, unit="%"),
            str(lane.frames), str(lane.gaps), str(lane.missing_samples), str(lane.resends), str(lane.reconnects)]


def _link_table(state: LiveState) -> Table:
    table = Table(title="Links", expand=True)
    # "missing samples", not "missing": the end-of-session line's "missing frames" counts frame numbers never seen
    # (status and event frames too), which can be above 0 with no sample missing (QA17)
    for column in ("foot", "sensor", "link", "RSSI", "battery", "frames", "gaps", "missing samples", "resends",
                   "reconnects"):
        table.add_column(column)
    for lane in state.lanes.values():
        table.add_row(*_link_row(lane))
    return table


def _cue_panel(state: LiveState) -> Panel:
    lines = list(state.cues) or ["(no cue yet)"]
    title = "Coach"
    if state.target_cadence_spm:
        title += f" · metronome {state.target_cadence_spm:.0f} steps/min"
    return Panel("\n".join(lines), title=title)


def _clock(time_s: float) -> str:
    minutes, seconds = divmod(int(time_s), 60)
    return f"{minutes:02d}:{seconds:02d}"


def _phase(state: LiveState) -> str:
    """" · cue 01:45 left" while a phase of the plan runs."""
    phase = state.phases.at(state.elapsed_s) if state.phases else None
    return f" · {phase.label} {_clock(phase.end_s - state.elapsed_s)} left" if phase else ""


def _header(state: LiveState) -> Text:
    return Text(f"footfall live · {_clock(state.elapsed_s)}{_phase(state)} · cadence {_num(state.cadence_spm())} "
                f"steps/min · distance {state.distance_m() / 1000:.2f} km", style="bold")


def render(state: LiveState) -> RenderableType:
    parts: list[RenderableType] = [_header(state), _gait_table(state), _latest(state), _balance(state),
                                   _cue_panel(state), _link_table(state)]
    if state.notes:
        parts.append(Text("\n".join(state.notes), style="dim"))
    return Group(*parts)


def render_text(state: LiveState, width: int = 110) -> str:
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None)
    console.print(render(state))
    return console.export_text()


def status_line(state: LiveState) -> str:
    """One line for logs when the output is not a terminal."""
    feet = " ".join(_lane_status(lane) for lane in state.lanes.values())
    return (f"{state.elapsed_s:6.1f}s{_phase(state)} · cadence {_num(state.cadence_spm())} steps/min · {feet} · "
            f"distance {state.distance_m():.0f} m")


def _lane_status(lane: LaneState) -> str:
    """"L:12 steps rearfoot"; before its first step "L: learning mounting (0 steps)" (the steps wait for the
    analyser to learn how the sensor sits on the shoe: "L:0 steps unknown" next to a cadence read as broken)."""
    if lane.step_count == 0 and not lane.gone:
        return f"{lane.sensor}: learning mounting (0 steps)"
    return f"{lane.sensor}:{lane.step_count} steps {lane.pattern.value}"
