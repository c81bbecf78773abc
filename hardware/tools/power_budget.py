"""Power budget: currents per scenario and battery life per cell, computed from hardware/power_budget.json.

Battery life = usable capacity / average current, usable capacity = nominal mAh x usable fraction (a LiPo
below ~3.5 V under load no longer keeps the 3.3 V regulator in regulation). The BLE radio's share is
modelled as active radio current x duty, the duty being frames per second x airtime per frame plus the
connection events that run even when nothing is sent, or advertising events x their length. A streaming scenario
is computed once per link case in `radio.links` (with and without BLE data length extension), as the airtime
per frame differs threefold between them and the firmware cannot choose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HARDWARE = Path(__file__).resolve().parents[1]
SOURCE = HARDWARE / "power_budget.json"
_NOTE_MARKS = ("‡", "§", "¶")


@dataclass(frozen=True)
class Scenario:
    board: str
    name: str
    current_mA: float
    link: str | None = None  # the radio.links case of a streaming scenario
    note: str | None = None  # a caveat printed under the board's table, its row marked (e.g. a rate's known limit)


def load(path: Path = SOURCE) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def radio_duty(radio: dict[str, Any], use: dict[str, Any], link: str | None = None) -> float:
    """Fraction of the time the radio is on for one scenario (0 when the radio is off); `link` names the
    radio.links case (airtime per frame) of a streaming scenario."""
    if "advertising_interval_ms" in use:
        return radio["advertising_event_ms"] / use["advertising_interval_ms"]
    if "rate_hz" not in use:
        return 0.0
    if link is None:
        raise ValueError("a streaming scenario needs a link case (radio.links)")
    frames_per_s = use["rate_hz"] / radio["samples_per_frame"]
    events_per_s = 1000.0 / radio["connection_interval_ms"]
    airtime_ms = radio["links"][link]["frame_airtime_ms"]
    return (frames_per_s * airtime_ms + events_per_s * radio["event_overhead_ms"]) / 1000.0


def scenarios(table: dict[str, Any]) -> list[Scenario]:
    parts, radio = table["components"], table["radio"]
    out = []
    for board, spec in table["boards"].items():
        radio_mA = parts[spec["radio"]]["mA"]
        for name, sc in spec["scenarios"].items():
            base = sum(parts[p]["mA"] for p in sc["parts"])
            use, note = sc.get("radio", {}), sc.get("note")
            if "rate_hz" in use:
                for link in radio["links"]:
                    out.append(Scenario(board, f"{name}, {link}", base + radio_mA * radio_duty(radio, use, link), link,
                                        note))
            else:
                out.append(Scenario(board, name, base + radio_mA * radio_duty(radio, use), note=note))
    return out


def battery_life_h(capacity_mAh: float, current_mA: float, usable_fraction: float) -> float:
    return capacity_mAh * usable_fraction / current_mA if current_mA > 0 else float("inf")


def _fmt_hours(h: float) -> str:
    return f"{h:.1f} h" if h < 100 else (f"{h / 24:.0f} days" if h < 24 * 365 else "> 1 year")


def currents_table(table: dict[str, Any]) -> str:
    lines = ["| part, mode | current | basis |", "|---|---|---|"]
    for part in table["components"].values():
        lines.append(f"| {part['what']} | {part['mA']:g} mA | {part['basis']} |")
    return "\n".join(lines) + "\n"


def radio_table(table: dict[str, Any]) -> str:
    """The radio model's assumptions: the link cases and the timing the central decides."""
    radio = table["radio"]
    lines = ["| radio assumption | value | why |", "|---|---|---|"]
    for name, link in radio["links"].items():
        lines.append(f"| airtime per {radio['samples_per_frame']}-sample frame, {name} | {link['frame_airtime_ms']:g} ms | {link['what']} |")
    lines.append(f"| connection interval | {radio['connection_interval_ms']:g} ms | {radio['connection_interval_note']} |")
    lines.append(f"| radio time per connection event with nothing to send | {radio['event_overhead_ms']:g} ms | estimate |")
    lines.append(f"| radio time per advertising event (3 channels) | {radio['advertising_event_ms']:g} ms | estimate; the interval is the firmware's (firmware/ble.py: 25 ms for the first 30 s without a connection, then 100 ms; 1 s beside a connection or once idle) |")
    return "\n".join(lines) + "\n"


def _cell_header(cap_mAh: float, table: dict[str, Any]) -> str:
    """A cell column's header; the small cells the model cannot vouch for carry a dagger (see small_cells)."""
    return f"{cap_mAh:g} mAh" + (" †" if cap_mAh in table["small_cells"]["mAh"] else "")


def _small_cells_note(table: dict[str, Any]) -> str:
    """The dagger's note, with what the small cells would last at the highest public measurement."""
    worst_mA = max(row["mA"] for row in table["public_measurements"]["rows"])
    caps = table["small_cells"]["mAh"]
    hours = [battery_life_h(cap, worst_mA, table["usable_capacity_fraction"]) for cap in caps]
    return (f"† {' and '.join(f'{c:g}' for c in caps)} mAh: {table['small_cells']['note']}; at {worst_mA:g} mA, the "
            f"highest public measurement below, they would last {hours[0]:.1f}-{hours[-1]:.1f} h.")


def _note_marks(board_scenarios: list[Scenario]) -> dict[str, str]:
    """A mark for each distinct scenario note of one board (the streaming rows of both link cases share theirs);
    the dagger is the small cells'."""
    notes = list(dict.fromkeys(s.note for s in board_scenarios if s.note))
    if len(notes) > len(_NOTE_MARKS):
        raise ValueError(f"{len(notes)} scenario notes on one board; marks for {len(_NOTE_MARKS)}")
    return dict(zip(notes, _NOTE_MARKS))


def life_table(table: dict[str, Any]) -> str:
    """The model's status, then one table per board: a row per scenario (streaming ones once per link case), its
    average current and the runtime on each cell."""
    usable = table["usable_capacity_fraction"]
    all_sc = scenarios(table)
    lo, hi = min(ratios := measured_over_model(table)), max(ratios)
    lines = [f"*{table['status'].format(ratio=f'{lo:.1f}-{hi:.1f}')}*", ""]
    for board, spec in table["boards"].items():
        caps = spec["cells_mAh"]
        lines += [f"**{spec['label']}** (model estimate)", "",
                  "| scenario | average current | " + " | ".join(_cell_header(c, table) for c in caps) + " |",
                  "|---" * (len(caps) + 2) + "|"]
        board_sc = [s for s in all_sc if s.board == board]
        marks = _note_marks(board_sc)
        for s in board_sc:
            cells = [_fmt_hours(battery_life_h(cap, s.current_mA, usable)) for cap in caps]
            name = f"{s.name} {marks[s.note]}" if s.note else s.name
            lines.append(f"| {name} | {s.current_mA:.2f} mA | " + " | ".join(cells) + " |")
        lines += ["", *([_small_cells_note(table), ""] if set(caps) & set(table["small_cells"]["mAh"]) else [])]
        lines += [line for note, mark in marks.items() for line in (f"{mark} {note}.", "")]
    return "\n".join(lines).rstrip() + "\n"


def measured_over_model(table: dict[str, Any]) -> list[float]:
    """Each public measurement over the model's current for the same state."""
    by = {(s.board, s.name): s.current_mA for s in scenarios(table)}
    return [row["mA"] / by[tuple(row["model"])] for row in table["public_measurements"]["rows"]]


def public_table(table: dict[str, Any]) -> str:
    """Whole-board currents measured by others with BLE on, beside the model's figure for the same state."""
    usable = table["usable_capacity_fraction"]
    by = {(s.board, s.name): s.current_mA for s in scenarios(table)}
    lines = [f"*{table['public_measurements']['comment']}*", "",
             "| chip, board | firmware | state | measured | 250 mAh at that | the model, same state | ratio | source |",
             "|---|---|---|---|---|---|---|---|"]
    for row, ratio in zip(table["public_measurements"]["rows"], measured_over_model(table), strict=True):
        model_mA = by[tuple(row["model"])]
        lines.append(f"| {row['chip']} | {row['build']} | {row['state']} | {row['mA']:g} mA | "
                     f"{_fmt_hours(battery_life_h(250, row['mA'], usable))} | {model_mA:.1f} mA ({row['model'][1]}) | "
                     f"{ratio:.1f} | {row['source']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    t = load()
    print(currents_table(t))
    print(radio_table(t))
    print(life_table(t))
    print(public_table(t))
