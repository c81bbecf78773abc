"""The report's comparison with another session: before (the older) → after, the conditions each was measured
in (a warning where they differ), the figures side by side and the Δ [95 % CI] of the compared parts."""

from __future__ import annotations

from html import escape

from footfall.coaching.summary import RunSummary
from footfall.report.compare import Comparison, Condition
from footfall.report.detail_html import sides_html
from footfall.report.html_parts import PER_SIDE, bars, changes_html, figure, summary_table
from footfall.report.sides import feet_measured, one_foot_parts
from footfall.report.when import when_text


def compare_section(c: Comparison, before: dict[str, RunSummary], after: dict[str, RunSummary],
                    caption: str) -> str:
    """`before`/`after`: the columns of each session (whole, then its segments), older first; each foot's figures
    of the two compared parts (report/sides.py) instead of a left share of contact (qa17 N7)."""
    cols = {**before, **after}
    fig = bars(cols, "Before → after")
    return (f'<section id="compare"><h2>Comparison: {escape(c.before.name)} → {escape(c.after.name)}</h2>'
            f'<p>Before: {escape(_when(c, "before"))}; after: {escape(_when(c, "after"))}.</p>'
            f'{feet_lines(c)}{conditions_table(c)}{summary_table(cols, "compare-table", PER_SIDE)}'
            f'{sides_html({s.name: s.figures.steps for s in (c.before, c.after)}, "compare-sides")}'
            f'{changes_html(c.shown_changes(), "compare-changes")}'
            f'{figure("fig-compare", fig, caption)}</section>')


def _when(c: Comparison, which: str) -> str:
    side = c.before if which == "before" else c.after
    return f"{side.name}, {when_text(side.start_utc)}"


def feet_lines(c: Comparison) -> str:
    """"Session 5: measured: left foot only" for each side measured on one foot, when the two differ (qa17 #7)."""
    feet = {s.name: feet_measured(s.figures.steps) for s in (c.before, c.after)}
    return "".join(f'<p class="feet">{escape(name)}: measured: {escape(f)}</p>' for name, f in one_foot_parts(feet))


def conditions_table(c: Comparison) -> str:
    """Speed, feet, steps compared, shoe, leg length and runner of the two; each difference that matters said."""
    rows = "".join(_condition_row(k) for k in c.conditions)
    return (f'<table id="compare-conditions"><tr><th>condition</th><th>{escape(c.before.name)}</th>'
            f'<th>{escape(c.after.name)}</th><th>difference</th></tr>{rows}</table>')  # no nameless column (1.3.1)


def _condition_row(k: Condition) -> str:
    mark = f'<td class="warning">{escape(k.warning)}</td>' if k.warning else "<td>same</td>" if k.before == k.after \
        else "<td></td>"
    return f"<tr><th>{escape(k.name)}</th><td>{escape(k.before)}</td><td>{escape(k.after)}</td>{mark}</tr>"
