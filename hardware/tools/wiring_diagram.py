"""Wiring tables (Markdown) and the reference build's diagram (SVG), both made from hardware/wiring.json."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

HARDWARE = Path(__file__).resolve().parents[1]
SOURCE = HARDWARE / "wiring.json"
PROFILE_SIGNALS = ("sda", "scl", "int1", "vbat_adc", "led", "hold")  # wiring rows that firmware/boards.py pins


def load(path: Path = SOURCE) -> dict[str, Any]:
    return dict(json.loads(path.read_text())["boards"])


def profile_pins(board: dict[str, Any]) -> dict[str, int | None]:
    """The GPIO the wiring gives each firmware-profile signal (None: not connected)."""
    pins: dict[str, int | None] = {}
    for row in board["connections"]:
        if row["signal"] in PROFILE_SIGNALS:
            pins[row["signal"]] = row["gpio"]
    return pins


def markdown_table(boards: dict[str, Any]) -> str:
    lines = []
    for name, board in boards.items():
        lines += [f"**{board['title']}** (`--board {name}`, IMU at I2C address {board['imu_addr']})", "",
                  "| from | GPIO | to | signal | note |", "|---|---|---|---|---|"]
        for row in board["connections"]:
            gpio = "–" if row["gpio"] is None else str(row["gpio"])
            lines.append(f"| {row['from'] or '–'} | {gpio} | {row['to'] or '–'} | `{row['signal']}` | {row['note']} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- the diagram: the MCU on the left, the other parts stacked on the right, one coloured wire per row ---

_PIN_DY = 26
_LEFT_X, _BOX_W = 40, 170
_RIGHT_X = 560


def _pins_by_part(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    for row in rows:
        for end in (row["from"], row["to"]):
            part, pin = end.split(" ", 1)
            if pin not in pins.setdefault(part, []):
                pins[part].append(pin)
    return pins


def _layout(pins: dict[str, list[str]], mcu: str) -> dict[str, tuple[float, float, float]]:
    """Box (x, y_top, height) of every part: the MCU on the left, the others stacked on the right."""
    boxes: dict[str, tuple[float, float, float]] = {mcu: (_LEFT_X, 70.0, _PIN_DY * (len(pins[mcu]) + 1.0))}
    y = 70.0
    for part, plist in pins.items():
        if part != mcu:
            height = _PIN_DY * (len(plist) + 1)
            boxes[part] = (_RIGHT_X, y, height)
            y += height + 30
    return boxes


def _pin_xy(boxes: dict[str, tuple[float, float, float]], pins: dict[str, list[str]], mcu: str,
            end: str) -> tuple[float, float]:
    part, pin = end.split(" ", 1)
    x, top, _ = boxes[part]
    y = top + _PIN_DY * (pins[part].index(pin) + 1)
    return (x + _BOX_W, y) if part == mcu else (x, y)


def svg(board: dict[str, Any]) -> str:
    """Diagram of the wired connections of one board (rows with both ends)."""
    rows = [r for r in board["connections"] if r["from"] and r["to"]]
    mcu = rows[0]["from"].split(" ", 1)[0]
    pins = _pins_by_part(rows)
    boxes = _layout(pins, mcu)
    height = max(top + h for _, top, h in boxes.values()) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="840" height="{height:.0f}" '
           f'viewBox="0 0 840 {height:.0f}" font-family="sans-serif" font-size="13">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="20" y="30" font-size="16" font-weight="bold">{escape(board["title"])}</text>']
    for i, row in enumerate(rows):
        out.append(_wire(i, row, _pin_xy(boxes, pins, mcu, row["from"]), _pin_xy(boxes, pins, mcu, row["to"])))
    for part, (x, top, h) in boxes.items():
        out += _box(part, board["parts"].get(part, part), x, top, h, pins[part], part == mcu)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _wire(i: int, row: dict[str, Any], a: tuple[float, float], b: tuple[float, float]) -> str:
    # Each wire turns at its own x, so parallel wires never lie on top of each other.
    if a[0] < b[0]:
        xm = a[0] + 30 + 22 * i
        pts = [a, (xm, a[1]), (xm, b[1]), b]
    else:  # between two parts on the right: a bracket out to the right of them
        xm = _RIGHT_X + _BOX_W + 25 + 10 * (i % 4)
        pts = [(a[0] + _BOX_W, a[1]), (xm, a[1]), (xm, b[1]), (b[0] + _BOX_W, b[1])]
    path = " ".join(f"{x:.0f},{y:.0f}" for x, y in pts)
    return (f'<polyline points="{path}" fill="none" stroke="{row["color"]}" stroke-width="2.5">'
            f'<title>{escape(row["signal"])}: {escape(row["note"])}</title></polyline>')


def _box(part: str, label: str, x: float, top: float, h: float, pins: list[str], mcu: bool) -> list[str]:
    out = [f'<rect x="{x}" y="{top:.0f}" width="{_BOX_W}" height="{h:.0f}" rx="6" fill="#f4f4f4" stroke="#444"/>',
           f'<text x="{x + 6}" y="{top - 6:.0f}" font-weight="bold">{escape(part)}: {escape(label)}</text>']
    for k, pin in enumerate(pins):
        y = top + _PIN_DY * (k + 1)
        tx, anchor = (x + _BOX_W - 8, "end") if mcu else (x + 8, "start")
        cx = x + _BOX_W if mcu else x
        out.append(f'<circle cx="{cx}" cy="{y:.0f}" r="3.5" fill="#444"/>')
        out.append(f'<text x="{tx}" y="{y + 4:.0f}" text-anchor="{anchor}">{escape(pin)}</text>')
    return out
