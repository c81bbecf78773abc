"""The report's tables and figure frames shared by its sections (summary, segments, comparison): a column of
figures per run or segment, and the Δ [95 % CI] table with its reference and notes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from footfall.analysis.step import Step
from footfall.coaching.summary import RunSummary
from footfall.report import plots
from footfall.report.change import FLOOR_NOTE, Change, ChangeSet
from footfall.report.segments import SegmentSpan, segment_figures

SUMMARY_ROWS: list[tuple[str, str, str, float]] = [  # key, label, format, scale
    ("duration_s", "duration (min)", "{:.1f}", 1 / 60), ("distance_m", "distance (km)", "{:.2f}", 1e-3),
    ("n_steps", "steps (main activity)", "{:.0f}", 1), ("cadence_spm", "cadence (steps/min)", "{:.1f}", 1),
    ("speed_mps", "median speed (m/s)", "{:.2f}", 1), ("strike_angle_deg", "strike angle (deg)", "{:.1f}", 1),
    ("rearfoot_share", "rearfoot (%)", "{:.0f}", 100), ("midfoot_share", "midfoot (%)", "{:.0f}", 100),
    ("forefoot_share", "forefoot (%)", "{:.0f}", 100), ("contact_time_ms", "contact time (ms)", "{:.0f}", 1),
    ("overstride_index", "overstride index (0-1)", "{:.2f}", 1), ("impact_g", "impact (g)", "{:.1f}", 1),
    ("balance_left_share", "left share of contact (%)", "{:.1f}", 100),
]
METRIC_NAMES = {key: label for key, label, _, _ in SUMMARY_ROWS}  # the Δ rows use the table's own words
METRIC_NAMES.update({"contact_si_pct": "contact time, left − right symmetry index (% points)",
                     "impact_si_pct": "impact, left − right symmetry index (% points)"})
PLAN_HEADING = "Your physiotherapist's plan"
PLAN_POINTER = f"Your physiotherapist's plan is at the top of this page, under \"{PLAN_HEADING}\"."
PLAN_ITEM = "physio_plan"  # the entries that tell the runner to follow their clinician's plan point to it


def plan_html(plan: str) -> str:
    """The clinician's own plan (report --plan), escaped, each line kept; "" without one."""
    if not plan:
        return ""
    lines = "<br>".join(escape(line) for line in plan.split("\n"))
    return f'<section id="plan"><h2>{PLAN_HEADING}</h2><p class="plan-text">{lines}</p></section>'


def _fmt(value: float, fmt: str, scale: float) -> str:
    return "–" if not math.isfinite(value) else fmt.format(value * scale)


PER_SIDE = ("balance_left_share",)  # a run's own tables show each foot instead (detail_html: qa17 #7)


def summary_table(columns: dict[str, RunSummary], table_id: str, skip: Sequence[str] = ()) -> str:
    """A row per SUMMARY_ROWS figure (but `skip`), a column per run or part."""
    head = "".join(f"<th>{escape(name)}</th>" for name in columns)
    rows = []
    for key, label, fmt, scale in (row for row in SUMMARY_ROWS if row[0] not in skip):
        cells = "".join(f'<td class="num">{_fmt(float(getattr(s, key)), fmt, scale)}</td>' for s in columns.values())
        rows.append(f'<tr data-key="{key}"><th>{escape(label)}</th>{cells}</tr>')
    return f'<table id="{table_id}"><tr><th>measure</th>{head}</tr>{"".join(rows)}</table>'


def figure(fig_id: str, svg: str, caption: str) -> str:
    """The chart as one image named by its caption: without role="img" a screen reader reads matplotlib's tick
    labels one by one (WCAG 1.1.1); the figures it shows are in the section's tables."""
    named = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{fig_id}-caption" ', 1)
    return f'<figure id="{fig_id}">{named}<figcaption id="{fig_id}-caption">{escape(caption)}</figcaption></figure>'


_BARS = [("cadence_spm", "cadence (steps/min)"), ("strike_angle_deg", "strike angle (deg)"),
         ("rearfoot_share", "rearfoot (%)"), ("overstride_index", "overstride index")]


def segment_columns(steps: Sequence[Step], segments: Sequence[SegmentSpan], prefix: str = "") -> dict[str, RunSummary]:
    return {f"{prefix}{g.label} ({g.start_s / 60:.1f}-{g.end_s / 60:.1f} min)": g.summary
            for g in segment_figures(steps, segments)}


def bars(cols: dict[str, RunSummary], title: str) -> str:
    """The comparison figure of these columns, each named by its label before " (" ."""
    rows = {name.split(" (")[0]: s.to_dict() for name, s in cols.items()}
    return plots.comparison_figure({n: {**r, "rearfoot_share": r["rearfoot_share"] * 100} for n, r in rows.items()},
                                   _BARS, title)


def changes_html(changes: ChangeSet, table_id: str = "changes-table") -> str:
    """Which part the Δ is against and why, the table (change [95 % CI] per metric and part, a speed flag), the
    notes (speed differences, parts without running steps) and the footnote."""
    if not changes:
        return ""
    rows = "".join(f'<tr data-metric="{escape(c.metric)}"><td>{escape(METRIC_NAMES.get(c.metric, c.metric))}</td>'
                   f'<td>{escape(c.label)}</td><td class="num">{escape(c.text())}</td>'
                   f'<td class="plain">{escape(plain_words(c))}</td></tr>' for c in changes.rows)
    table = (f'<table id="{table_id}"><tr><th>measure</th><th>compared</th><th>change vs {escape(changes.reference)} '
             f'[95 % CI]</th><th>in plain words</th></tr>{rows}</table>' if rows else "")
    notes = "".join(f'<p class="note change-note">{escape(n)}</p>' for n in changes.notes)
    foot = f'<p class="footnote">{escape(FLOOR_NOTE)}</p>' if rows else ""
    basis = f'<p class="change-basis">{escape(changes.basis_note)}</p>' if changes.basis_note else ""
    return f"{basis}{table}{notes}{foot}"


def plain_words(c: Change) -> str:
    """The change's noise call in words a client reads without the footnote: a bare "+9.8 [+9.4, +10.3]" is the
    one that counts, yet it was the only row without words. No good or bad: that is the clinician's to say."""
    if not math.isfinite(c.change):
        return "not measured"
    if c.speed:
        words = f"not comparable: run at another speed ({c.speed})"
    elif not c.within_noise:
        words = f"{'higher' if c.change > 0 else 'lower'}: a clear change, bigger than the measurement's noise"
    elif c.noise_word(c.decimals()) == "within noise":  # as the change's own text rounds it
        words = "no clear change: within the measurement's noise"
    else:
        words = "too small to count: below footfall's floor for a change"
    return words + ("; one foot measured, against both" if c.feet else "")
