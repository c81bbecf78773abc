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
    """Boards by profile name. A board with "same_as" is wired like that one: it takes its connections and
    parts, overridden by its own keys (e.g. another IMU breakout on the same pins)."""
    boards = dict(json.loads(path.read_text())["boards"])
    for name, board in boards.items():
        if "same_as" in board:
            base = boards[board["same_as"]]
            boards[name] = {**base, **board, "parts": {**base["parts"], **board.get("parts", {})}}
    return boards


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
        head = f"**{board['title']}** (`--board {name}`, IMU at I2C address {board['imu_addr']})"
        if "same_as" in board:
            changed = ", ".join(f"{ref} = {part}" for ref, part in board["parts"].items()
                                if part != boards[board["same_as"]]["parts"].get(ref))
            lines += [f"{head}: wired exactly as `--board {board['same_as']}` above, with {changed}.", ""]
            continue
        lines += [head, "", "| from | GPIO | to | signal | note |", "|---|---|---|---|---|"]
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
    """Box (x, y_top, height) of every part: the MCU on the left, the others stacked on the right. The right
    column is offset by half a pin pitch, so no pin there is level with an MCU pin: a wire's run out of the
    MCU never lies on another wire's run into a part."""
    boxes: dict[str, tuple[float, float, float]] = {mcu: (_LEFT_X, 70.0, _PIN_DY * (len(pins[mcu]) + 1.0))}
    y = 70.0 + _PIN_DY / 2
    for part, plist in pins.items():
        if part != mcu:
            height = _PIN_DY * (len(plist) + 1)
            boxes[part] = (_RIGHT_X, y, height)
            y += height + _PIN_DY
    return boxes


def _pin_xy(boxes: dict[str, tuple[float, float, float]], pins: dict[str, list[str]], mcu: str,
            end: str) -> tuple[float, float]:
    part, pin = end.split(" ", 1)
    x, top, _ = boxes[part]
    y = top + _PIN_DY * (pins[part].index(pin) + 1)
    return (x + _BOX_W, y) if part == mcu else (x, y)


def svg(board: dict[str, Any]) -> str:
    """Diagram of the wired connections of one board (rows with both ends).

    Every wire ends on its pins' dots. Wires from the MCU run right, turn at their own x (no two vertical runs
    share one), and go into the other parts' left sides; a wire between two parts on the right is a bracket on
    their left side, dot to dot. Where wires of one pin branch there is a junction dot; where a vertical run
    crosses another wire it bridges it (a white gap in the wire underneath), so a crossing is never a connection.
    """
    rows = [r for r in board["connections"] if r["from"] and r["to"]]
    mcu = rows[0]["from"].split(" ", 1)[0]
    pins = _pins_by_part(rows)
    boxes = _layout(pins, mcu)
    height = max(top + h for _, top, h in boxes.values()) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="840" height="{height:.0f}" '
           f'viewBox="0 0 840 {height:.0f}" font-family="sans-serif" font-size="13">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="20" y="30" font-size="16" font-weight="bold">{escape(board["title"])}</text>']
    routes = _routes(rows, boxes, pins, mcu)
    for row, pts in zip(rows, routes, strict=True):
        path = " ".join(f"{x:.0f},{y:.0f}" for x, y in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{row["color"]}" stroke-width="2.5">'
                   f'<title>{escape(row["signal"])}: {escape(row["note"])}</title></polyline>')
    out += _bridges(rows, routes)
    out += _junctions(rows, routes)
    for part, (x, top, h) in boxes.items():
        out += _box(part, board["parts"].get(part, part), x, top, h, pins[part], part == mcu)
    out.append("</svg>")
    return "\n".join(out) + "\n"


Point = tuple[float, float]


def _routes(rows: list[dict[str, Any]], boxes: dict[str, tuple[float, float, float]], pins: dict[str, list[str]],
            mcu: str) -> list[list[Point]]:
    """The polyline of every wire, from pin dot to pin dot."""
    routes: list[list[Point]] = []
    k = 0  # MCU wires get their own vertical x each, left to right in table order
    for row in rows:
        a, b = _pin_xy(boxes, pins, mcu, row["from"]), _pin_xy(boxes, pins, mcu, row["to"])
        if a[0] < b[0]:
            xm = a[0] + 24 + 20 * k
            k += 1
            routes.append([a, (xm, a[1]), (xm, b[1]), b])
        else:  # between two parts on the right: a bracket left of them, into the dots on their left sides
            xm = _RIGHT_X - 22
            routes.append([a, (xm, a[1]), (xm, b[1]), b])
    return routes


def _bridges(rows: list[dict[str, Any]], routes: list[list[Point]]) -> list[str]:
    """Each vertical run redrawn over a white halo where it crosses a horizontal run of another wire (its ends,
    where it turns off a run it shares, are not crossings)."""
    horizontals = [(i, p, q) for i, pts in enumerate(routes) for p, q in zip(pts, pts[1:]) if p[1] == q[1]]
    out = []
    for i, pts in enumerate(routes):
        for p, q in zip(pts, pts[1:]):
            if p[0] != q[0]:
                continue
            x, (y0, y1) = p[0], sorted((p[1], q[1]))
            for j, h0, h1 in horizontals:
                crosses = min(h0[0], h1[0]) < x < max(h0[0], h1[0]) and y0 < h0[1] < y1
                if j != i and crosses:
                    y = h0[1]
                    out.append(f'<line x1="{x:.0f}" y1="{y - 6:.0f}" x2="{x:.0f}" y2="{y + 6:.0f}" '
                               f'stroke="white" stroke-width="8"/>')
                    out.append(f'<line x1="{x:.0f}" y1="{y - 7:.0f}" x2="{x:.0f}" y2="{y + 7:.0f}" '
                               f'stroke="{rows[i]["color"]}" stroke-width="2.5"/>')
    return out


def _junctions(rows: list[dict[str, Any]], routes: list[list[Point]]) -> list[str]:
    """A dot where a wire turns off the run it shares with another wire from the same pin."""
    out = []
    for i, pts in enumerate(routes):
        turn = pts[1]
        if pts[1] == pts[2]:  # a straight wire does not turn off anything
            continue
        for j, other in enumerate(routes):
            if j != i and rows[j]["from"] == rows[i]["from"] and other[0] == pts[0] and other[1][0] > turn[0]:
                out.append(f'<circle cx="{turn[0]:.0f}" cy="{turn[1]:.0f}" r="4" fill="{rows[i]["color"]}"/>')
                break
    return out


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
