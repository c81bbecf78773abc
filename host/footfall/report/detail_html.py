"""The report's detail tables for each part (the whole run, or each marked segment): left and right foot side by
side (qa17 #7) and what the overstride index is made of (qa17 #12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from footfall.analysis.step import Step
from footfall.report.html_parts import plain_words
from footfall.report.landing import COMPONENTS, EXPLAINED, landing, leg_length_text, sign_changes
from footfall.report.segments import SegmentFigures
from footfall.report.sides import SIDE_ROWS, feet_measured, one_foot_parts, side_rows

SIDES_NOTE = ("Each foot's median. Left − right: the symmetry index 200 (L − R) / (L + R) % (Robinson et al. "
              "1987) over the time both sensors measured; the strike angle as a difference in degrees. footfall "
              "sets no threshold for it: read it with the runner's history and the clinical picture.")


def sides_html(parts: Mapping[str, Sequence[Step]], table_id: str) -> str:
    """measure | part | left | right | left − right, one row per figure and part; the feet each part was measured
    on when a part misses one."""
    rows = []
    named = {name: side_rows(steps) for name, steps in parts.items()}
    for i, key in enumerate(key for key, *_ in SIDE_ROWS):
        for name, sides in named.items():
            row = sides[i]
            cells = "".join(f'<td class="num">{escape(c)}</td>' for c in row.cells())
            rows.append(f'<tr data-key="{key}" data-part="{escape(name)}"><th>{escape(row.label)}</th>'
                        f'<td>{escape(name)}</td>{cells}</tr>')
    one = one_foot_parts({name: feet_measured(steps) for name, steps in parts.items()})
    feet = "".join(f'<p class="feet-note">{escape(name)}: measured: {escape(f)}: its figures are that foot\'s '
                   f'only.</p>' for name, f in one)
    return (f'<h3>Left and right foot</h3><table id="{table_id}"><tr><th>measure</th><th>part</th><th>left</th>'
            f'<th>right</th><th>left − right</th></tr>{"".join(rows)}</table>{feet}'
            f'<p class="footnote">{escape(SIDES_NOTE)}</p>')


def landing_html(parts: Mapping[str, Sequence[Step]], leg_length_m: float | None, table_id: str,
                 known: bool = False) -> str:
    """Per part, each component of the overstride index as a figure and its 0..1 score, the index, the cadence
    norm; the index explained in plain words, and the leg length used (`known`: the session's own)."""
    whose = "the session's" if known else "the current"
    found = {name: landing(steps, leg_length_m) for name, steps in parts.items()}
    shown = [l for l in found.values() if l is not None]
    if not shown:
        return ""
    head = "".join(f"<th>{escape(name)}</th>" for name, l in found.items() if l is not None)
    rows = [_row(key, f"{label} (weight {w:.2f})", [l.components[i].text() for l in shown])
            for i, (key, label, _, _, w) in enumerate(COMPONENTS)]
    rows.append(_row("overstride_index", "overstride index (0-1), as stored", [_num(l.index, 2) for l in shown]))
    rows.append(_row("cadence_norm_spm", "cadence norm for the speed (steps/min)",
                     [_num(l.norm_spm, 0) for l in shown]))
    return (f'<h3>What the overstride index is made of</h3><p class="explain">{escape(EXPLAINED)}</p>'
            f'<table id="{table_id}"><tr><th>component: median figure → score (0-1), with {whose} leg length</th>{head}</tr>'
            f'{"".join(rows)}</table><p class="leg-length">{escape(_cap(leg_length_text(leg_length_m, known)))}. '
            f'{escape(MEDIANS)}</p>')


MEDIANS = ("Each figure is the median over the running steps; the index is the median of each step's index, so it "
           "need not equal the weighted mean of the scores shown.")


def _row(key: str, label: str, cells: Sequence[str]) -> str:
    return (f'<tr data-key="{key}"><th>{escape(label)}</th>'
            + "".join(f'<td class="num">{escape(c)}</td>' for c in cells) + "</tr>")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(value: float, decimals: int) -> str:
    return "–" if value != value else f"{value:.{decimals}f}"


SIGN_WORDS = {key: f"{label} ({unit})" for key, label, unit, _, _ in COMPONENTS}


def sign_changes_html(figures: Sequence[SegmentFigures], table_id: str) -> str:
    """The change of the two components that are about overstride itself (the foot moving forward at landing,
    its braking) against the reference segment, with their CI: strike angle and cadence have their own Δ rows."""
    changes = sign_changes(figures)
    if not changes:
        return ""
    rows = "".join(f'<tr data-metric="{c.metric}"><td>{escape(SIGN_WORDS[c.metric])}</td><td>{escape(c.label)}</td>'
                   f'<td class="num">{escape(c.text())}</td><td class="plain">{escape(plain_words(c))}</td></tr>'
                   for c in changes)
    return (f'<table id="{table_id}"><tr><th>overstride sign</th><th>compared</th><th>change vs '
            f'{escape(changes[0].reference)} [95 % CI]</th><th>in plain words</th></tr>{rows}</table>'
            '<p class="footnote">Within noise: the '
            '95 % CI includes 0 (footfall has no starting floor for these two).</p>')
