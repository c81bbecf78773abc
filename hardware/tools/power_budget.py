"""Power budget: currents per scenario and battery life per cell, computed from hardware/power_budget.json.

Battery life = usable capacity / average current, usable capacity = nominal mAh x usable fraction (a LiPo
below ~3.5 V under load no longer keeps the 3.3 V regulator in regulation). The BLE radio's share is
modelled as active radio current x duty, the duty being frames per second x airtime per frame plus the
connection events that run even when nothing is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HARDWARE = Path(__file__).resolve().parents[1]
SOURCE = HARDWARE / "power_budget.json"


@dataclass(frozen=True)
class Scenario:
    board: str
    name: str
    current_mA: float


def load(path: Path = SOURCE) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def radio_duty(radio: dict[str, Any], use: dict[str, Any]) -> float:
    """Fraction of the time the radio is on for one scenario (0 when the radio is off)."""
    if use.get("advertising"):
        return radio["advertising_event_ms"] / radio["advertising_interval_ms"]
    if "rate_hz" not in use:
        return 0.0
    frames_per_s = use["rate_hz"] / radio["samples_per_frame"]
    events_per_s = 1000.0 / radio["connection_interval_ms"]
    return (frames_per_s * radio["frame_airtime_ms"] + events_per_s * radio["event_overhead_ms"]) / 1000.0


def scenarios(table: dict[str, Any]) -> list[Scenario]:
    parts = table["components"]
    radio_mA = parts["radio_active"]["mA"]
    out = []
    for board, spec in table["boards"].items():
        for name, sc in spec["scenarios"].items():
            base = sum(parts[p]["mA"] for p in sc["parts"])
            out.append(Scenario(board, name, base + radio_mA * radio_duty(table["radio"], sc.get("radio", {}))))
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


def life_table(table: dict[str, Any]) -> str:
    usable = table["usable_capacity_fraction"]
    all_sc = scenarios(table)
    lines = []
    for board, spec in table["boards"].items():
        mine = [s for s in all_sc if s.board == board]
        lines += [f"**{spec['label']}**", "",
                  "| cell | " + " | ".join(s.name for s in mine) + " |", "|---" * (len(mine) + 1) + "|",
                  "| average current | " + " | ".join(f"{s.current_mA:.2f} mA" for s in mine) + " |"]
        for cap in spec["cells_mAh"]:
            cells = [_fmt_hours(battery_life_h(cap, s.current_mA, usable)) for s in mine]
            lines.append(f"| {cap} mAh | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    t = load()
    print(currents_table(t))
    print(life_table(t))
