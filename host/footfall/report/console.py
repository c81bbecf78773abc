"""What the terminal shows of a run: the summary table, a session's segments side by side, and the end of a
live session (its last view, link reports, summary and advice). `footfall analyse`, `history show`, `live` and
`demo` print through here."""

from __future__ import annotations

import math
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from footfall.analysis.summary import Summary, counts_text, summarise
from footfall.live.view import render
from footfall.report.change import ASYMMETRY, FLOOR_NOTE, Change, ChangeSet
from footfall.report.html_parts import METRIC_NAMES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from footfall.analysis.step import Step
    from footfall.live.session import LiveResult
    from footfall.report.compare import Comparison
    from footfall.report.progress import Progress
    from footfall.report.segments import SegmentFigures

_ROWS = (  # the summary table: figure, label, unit, format
    ("cadence_spm", "cadence", "steps/min", "{:.1f}"),
    ("stride_length_m", "stride length", "m", "{:.2f}"),
    ("speed_mps", "speed", "m/s", "{:.2f}"),
    ("contact_time_ms", "contact time", "ms", "{:.0f}"),
    ("swing_time_ms", "swing time", "ms", "{:.0f}"),
    ("flight_time_ms", "flight time", "ms", "{:.0f}"),
    ("strike_angle_deg", "strike angle", "deg", "{:+.1f}"),
    ("overstride_index", "overstride index", "0..1", "{:.2f}"),
    ("impact_g", "impact", "g", "{:.1f}"),
)

# The figures `history show` and the end of a live session print for each marked segment (names as in the session
# summary; the rows of the report's segment table, whose speed tells whether two segments can be compared).
SEGMENT_FIGURES = ("n_steps", "distance_m", "speed_mps", "cadence_spm", "contact_time_ms", "strike_angle_deg",
                   "stride_length_m", "overstride_index", "rearfoot_share", "impact_g")


def _fmt(value: float, pattern: str) -> str:
    return "-" if value != value else pattern.format(value)


def print_summary(summary: Summary, n_steps: int, console: Console | None = None) -> None:
    """The summary table and its notes (`footfall analyse`, and the end of a live session)."""
    console = console or Console()
    if n_steps == 0:
        console.print("footfall: no steps found")
    else:
        _print_table(console, summary, n_steps)
    segs = ", ".join(f"{s.activity} {s.duration_s:.0f} s" for s in summary.segments)
    console.print(f"activity: {segs or 'none'}")
    console.print(f"cadence: {summary.cadence_note}")
    by_reason: dict[str, list[str]] = {}
    for name, why in summary.not_measured.items():
        by_reason.setdefault(why, []).append(name)
    for why, names in by_reason.items():
        console.print(f"[yellow]not measured[/] ({why}): {', '.join(names)}")
    for note in summary.notes:
        console.print(f"[yellow]note[/]: {note}")
    if n_steps:
        console.print(counts_text(summary), highlight=False)


def _column_name(sensor: str, side: str) -> str:
    """"left" for sensor L on the left foot (it read "L (L)"), "S0 (left)" for another name, "both feet"."""
    foot = {"L": "left", "R": "right", "both": "both feet"}.get(side, "foot ?")
    return foot if sensor in (side, "combined") else f"{sensor} ({foot})"


def _print_table(console: Console, summary: Summary, n_steps: int) -> None:
    columns = list(summary.feet.values()) + ([summary.combined] if len(summary.feet) > 1 else [])
    table = Table(title=f"footfall: {n_steps} steps, figures over the {summary.basis} steps")
    table.add_column("measure")
    table.add_column("unit")
    for col in columns:
        table.add_column(_column_name(col.sensor, col.side), justify="right")
    table.add_row(f"{summary.basis} steps", "", *[str(c.steps) for c in columns])
    for key, label, unit, pattern in _ROWS:
        table.add_row(label, unit, *[_fmt(c.figures[key], pattern) for c in columns])
    for p in ("rearfoot", "midfoot", "forefoot"):
        table.add_row(f"{p} strikes", "%", *[_fmt(100 * c.pattern_shares[p], "{:.0f}") for c in columns])
    table.add_row("distance (all steps)", "m", *[_fmt(c.distance_m, "{:.0f}") for c in columns])
    console.print(table)


def show_segments(figures: list[SegmentFigures]) -> None:
    """The marked segments side by side, one column each, figured as the report's segment table."""
    widths = [max(10, len(g.label)) for g in figures]
    _row("segment", [g.label for g in figures], widths)
    _row("seconds", [f"{g.start_s:.0f}-{g.end_s:.0f}" for g in figures], widths)
    _row("basis", [g.basis for g in figures], widths)
    for key in SEGMENT_FIGURES:
        _row(key, [figure_text(key, g.figures()[key]) for g in figures], widths)
    _side_rows(figures, widths)
    for g in figures:
        if g.note:
            print(f"  note: {g.note}")


def _side_rows(figures: list[SegmentFigures], widths: list[int]) -> None:
    """Each foot's figures and their difference, as the report's "Left and right foot" table (report/sides.py;
    qa17 N7): `contact_time_ms L`, `... R`, `... L−R` (the symmetry index in %, the strike angle in deg)."""
    from footfall.report.sides import SIDE_ROWS, side_rows

    per_part = [[row.cells() for row in side_rows(g.steps)] for g in figures]
    for i, (key, *_) in enumerate(SIDE_ROWS):
        for j, foot in enumerate(("L", "R", "L−R")):
            _row(f"{key} {foot}", [cells[i][j] for cells in per_part], widths)


def show_sides(steps: Sequence[Step]) -> None:
    """The whole session's figures of each foot and their difference (the rows `show_segments` gives a segment)."""
    from footfall.report.sides import side_rows

    for row in side_rows(steps):
        for foot, cell in zip(("L", "R", "L−R"), row.cells()):
            _row(f"{row.key} {foot}", [cell], [10])


def _row(name: str, cells: list[str], widths: list[int], name_width: int = 20) -> None:
    print(f"  {name:{name_width}s} " + " ".join(f"{cell:>{width}s}" for cell, width in zip(cells, widths)))


# decimals by unit, as precise as the measurement (contact time to the ms, cadence to 0.1 steps/min), not more
DECIMALS = {"_ms": 0, "_spm": 1, "_deg": 1, "_s": 1, "_g": 1, "_pct": 1, "_pp": 1, "_m": 2, "_km": 2, "_mps": 2}


def figure_text(key: str, value: object) -> str:
    """A stored summary figure as `history show` prints it: counts whole, shares in %, "-" when not measured,
    others to the decimals of their unit (two where the name has none, e.g. an index)."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return "-"
    if key.endswith("_share"):
        return f"{value * 100:.1f} %"
    if key.startswith("n_"):
        return f"{value:.0f}"
    unit = "_" + key.rsplit("_", 1)[-1]
    return f"{value:.{DECIMALS.get(unit, 2)}f}"


def show_changes(changes: ChangeSet, names: dict[str, str] | None = None) -> None:
    """Which segment is the reference, then per metric and segment: change [95 % CI], "(within noise)", a speed
    flag; then the notes (speed differences, segments without a Δ) and the footnote. `names`: words for the
    metrics (`history show` keeps the keys its table rows have)."""
    if not changes:
        return
    if changes.basis_note:  # "" for a comparison without Δ rows: no header above nothing (qa17 N8)
        print(f"  {changes.basis_note}")
    for line in _delta_lines(changes.rows, names):
        print(line)
    for note in changes.notes:
        print(f"  note: {note}")
    if changes.rows:
        print(f"  footnote: {FLOOR_NOTE}")


def _delta_lines(rows: Sequence[Change], names: dict[str, str] | None) -> list[str]:
    """"Δ metric  label: change [CI] ..." for each row: each metric's rows together, as first listed, and the
    columns as wide as their longest entry, so the values line up."""
    order = list(dict.fromkeys(c.metric for c in rows))
    rows = sorted(rows, key=lambda c: order.index(c.metric))
    metrics = [(names or {}).get(c.metric, c.metric) for c in rows]
    metric_w = max([22 if names else 18, *map(len, metrics)])
    label_w = max([10, *(len(c.label) for c in rows)])
    return [f"  Δ {metric:{metric_w}s} {c.label:>{label_w}s}: {c.text()}" for metric, c in zip(metrics, rows)]


def _one_foot_lines(c: Comparison) -> None:
    """"Session 5: measured: left foot only" when a one-sensor part meets a two-sensor one (qa17 #7)."""
    from footfall.report.sides import feet_measured, one_foot_parts

    for name, f in one_foot_parts({side.name: feet_measured(side.figures.steps) for side in (c.before, c.after)}):
        print(f"  {name}: measured: {f}")


def show_comparison(c: Comparison) -> None:
    """`history show A --compare B`: the two parts before → after, their conditions (a warning under each that
    differs), their figures side by side and the Δ of after against before."""
    when = [f"{s.name} ({s.start_utc:%Y-%m-%d %H:%M} UTC)" for s in (c.before, c.after)]
    print(f"comparison, before → after: {when[0]} → {when[1]}")
    widths = [max(14, len(c.before.name), *(len(k.before) for k in c.conditions)),
              max(14, len(c.after.name), *(len(k.after) for k in c.conditions))]
    name_width = max(20, *(len(k.name) for k in c.conditions))
    _row("condition", [c.before.name, c.after.name], widths, name_width)
    for k in c.conditions:
        _row(k.name, [k.before, k.after], widths, name_width)
        if k.warning:
            print(f"  ! {k.warning}")
    _one_foot_lines(c)
    show_segments([c.before.figures, c.after.figures])
    show_changes(c.shown_changes())


def show_progress(p: Progress) -> None:
    """`footfall progress`: a row per visit (the report's progress table), then the Δ from the first visit."""
    from footfall.report.progress import PROGRESS_ROWS

    print(f"progress of {p.runner} ({p.what()}): {len(p.visits)} visit(s)")
    names = ["visit", "date (UTC)", "measured"] + [label for _, label, _, _ in PROGRESS_ROWS]
    rows = [[v.name, f"{v.start_utc:%Y-%m-%d}", v.measured, *v.cells()] for v in p.visits]
    widths = [max(len(r[i]) for r in [names, *rows]) for i in range(len(names))]
    for r in [names, *rows]:
        print("  " + "  ".join(f"{cell:<{w}s}" if i < 3 else f"{cell:>{w}s}" for i, (cell, w) in
                               enumerate(zip(r, widths))))
    if p.skipped:
        print(f"  sessions without a segment {p.segment}: {', '.join(str(i) for i in p.skipped)}")
    words = {key: label for key, label, _, _ in PROGRESS_ROWS} | {key: METRIC_NAMES[key] for key in ASYMMETRY}
    show_changes(p.changes, words)


def print_result(result: LiveResult, console: Console, db: Path | None = None, planned_s: float | None = None) -> None:
    """After the run: the last view, whether it was stopped early (of `planned_s`), link reports, the session
    summary and the prioritised advice."""
    console.print(render(result.state))
    if (early := stopped_early(result.state.stopped_by, result.state.elapsed_s, planned_s)) is not None:
        console.print(early, style="bold", highlight=False)
    for sensor, report in result.reports.items():
        console.print(f"link {sensor}: {report.summary()}", highlight=False)
    summary = summarise(result.steps, result.analysis, duration_s=result.state.elapsed_s)
    print_summary(summary, len(result.steps), console)
    print_advice(result, console, db)
    if result.recording is not None:
        console.print(f"recording: {result.recording} (analyse it again with `footfall analyse {result.recording}`)",
                      highlight=False)
    if result.session_id is not None:
        console.print(f"stored as session {result.session_id}: `footfall report {result.session_id} -o report.html`",
                      highlight=False)
    sys.stdout.flush()


def stopped_early(stopped_by: str | None, elapsed_s: float, planned_s: float | None) -> str | None:
    """"stopped early (Ctrl-C) at 0:12 of 0:40", or None when the session ran its time (or had none set)."""
    if stopped_by is None or planned_s is None or elapsed_s >= planned_s - EARLY_MARGIN_S:
        return None
    return f"stopped early ({stopped_by}) at {clock_text(elapsed_s)} of {clock_text(planned_s)}"


EARLY_MARGIN_S = 0.5  # a Ctrl-C in the session's last half second did not cut it short


def clock_text(time_s: float) -> str:
    """0:12, 12:05, 1:02:03."""
    hours, rest = divmod(int(time_s), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def print_advice(result: LiveResult, console: Console, db: Path | None, limit: int = 5) -> None:
    from footfall.coaching.advice import RunContext, post_run_advice
    from footfall.coaching.load import PastRun
    from footfall.coaching.summary import summarise_steps

    if result.session_id is not None:
        from footfall.coaching.session_advice import advice_for_session
        from footfall.store import Store

        with Store(db) as store:
            advice = advice_for_session(store, result.session_id, limit=limit).advice
    else:
        summary = summarise_steps(result.steps)
        this_run = PastRun(datetime.now(timezone.utc), result.state.distance_m(), result.state.elapsed_s,
                           summary.activity)
        # the metronome's target said again, as a stored session's advice does (live_target_spm)
        ctx = RunContext(this_run, live_target_spm=result.state.first_target_spm)
        advice = post_run_advice(result.steps, ctx, summary, limit=limit)
    console.print("[bold]After the run[/] (training advice, not a diagnosis):")
    for n, entry in enumerate(advice, 1):
        console.print(f"{n}. {entry.title}: {entry.message}", highlight=False)
        cited = entry.citations()
        where = f": `footfall advice {result.session_id}`" if result.session_id is not None else ""
        more = f" (+{len(cited) - 2} more{where})" if len(cited) > 2 else ""
        if cited:  # an entry that cites nothing (the shoe reminder) gets no empty "sources:" line
            console.print(f"   sources: {'; '.join(cited[:2])}{more}", style="dim", highlight=False)
        if entry.own_values:
            console.print(f"   {entry.own_values_note()}", style="dim", highlight=False)
