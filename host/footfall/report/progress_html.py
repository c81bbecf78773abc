"""The report's "progress" section: the runner's visits up to this one, a row each, the change from the first
visit with its noise call, and a small chart per figure (report/progress.py)."""

from __future__ import annotations

from html import escape

from footfall.report import plots
from footfall.report.html_parts import changes_html, figure
from footfall.report.progress import PROGRESS_ROWS, Progress
from footfall.report.when import day_heading, day_text


def progress_section(p: Progress, this_session: int | None = None) -> str:
    """Nothing for a runner with a single visit."""
    if len(p.visits) < 2:
        return ""
    what = p.what()
    skipped = (f'<p class="note">Sessions without a segment {escape(str(p.segment))}: '
               f'{", ".join(str(i) for i in p.skipped)}.</p>' if p.skipped else "")
    skipped += (f'<p class="note">{p.omitted} visit(s) between the first and these left out: '
                '<code>footfall progress</code> lists them all.</p>' if p.omitted else "")
    return (f'<section id="progress"><h2>Progress across visits ({escape(what)})</h2>{_table(p, this_session)}'
            f'{skipped}{changes_html(p.changes, "progress-changes")}'
            f'{figure("fig-progress", _chart(p), _caption(p))}</section>')


def _flagged(p: Progress) -> set[str]:
    """The visits whose changes carry a speed flag: not comparable with the first."""
    return {c.label for c in p.changes.rows if c.speed}


def _caption(p: Progress) -> str:
    unknown = any(c.speed == "speed ?" for c in p.changes.rows)  # a part whose speed was not measured
    other = "another speed than the first, or at a speed not measured," if unknown else "another speed than the first,"
    hollow = (f" A hollow point: a visit run at {other} so its figures are not comparable (see the note above)."
              if _flagged(p) else "")
    return f"Each figure per visit, in time order; the lines only join the visits, they are no trend.{hollow}"


def _table(p: Progress, this_session: int | None) -> str:
    """A column per visit (this session's marked "this visit"), a row per figure: the shape of the report's other
    tables, and narrow enough to print with a few visits."""
    head = "".join(f"<th>{escape(v.name)}{' (this visit)' if v.session_id == this_session else ''}<br>"
                   f"{day_text(v.start_utc)}</th>" for v in p.visits)
    feet = "".join(f"<td>{escape(v.measured)}</td>" for v in p.visits)
    cells = [v.cells() for v in p.visits]
    rows = "".join(f'<tr data-key="{key}"><th>{escape(label)}</th>'
                   + "".join(f'<td class="num">{c[i]}</td>' for c in cells) + "</tr>"
                   for i, (key, label, _, _) in enumerate(PROGRESS_ROWS))
    ids = " ".join(str(v.session_id) for v in p.visits)
    day = escape(day_heading(p.visits[0].start_utc))  # the dates as the page's local times have them (qa17 N9)
    return (f'<table id="progress-table" data-sessions="{ids}"><tr><th>visit ({day})</th>{head}</tr>'
            f'<tr data-key="measured"><th>measured</th>{feet}</tr>{rows}</table>')


def _chart(p: Progress) -> str:
    """Cadence, contact time, strike angle and overstride index per visit, a small panel each."""
    series = {key: [float(getattr(v.figures.summary, key)) * scale for v in p.visits]
              for key, _, _, scale in PROGRESS_ROWS[:4]}
    # on this computer's clock, as the table's dates (a late UTC visit is the next local day); by the hour, so that
    # two visits of one day (a clinic test, a run later) do not fall on one point
    days = [v.start_utc.astimezone().replace(tzinfo=None) for v in p.visits]
    return plots.progress_figure(days, series, {key: label for key, label, _, _ in PROGRESS_ROWS},
                                 [v.name not in _flagged(p) for v in p.visits])
