"""One self-contained HTML page: summary, advice with sources, figures (inline SVG), segments, comparison.

Nothing is loaded from the network: styles are inline, figures are inline SVG, there are no scripts.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from footfall import __version__
from footfall.analysis.step import Step
from footfall.coaching.advice_types import Advice
from footfall.coaching.checkin import RED_FLAG_LABELS, CheckIn
from footfall.coaching.cues import Cue
from footfall.coaching.reminder import EarlierCheckIn
from footfall.coaching.clinic import is_clinic_plan
from footfall.coaching.summary import RunSummary, summarise_steps, window
from footfall.report import plots
from footfall.report.a11y import accessible_tables
from footfall.report.change import segment_changes
from footfall.report.compare import Comparison
from footfall.report.compare_html import compare_section
from footfall.report.detail_html import landing_html, sides_html, sign_changes_html
from footfall.report.glossary import glossary_html
from footfall.report.html_parts import (PER_SIDE, PLAN_ITEM, PLAN_POINTER, SUMMARY_ROWS, bars, changes_html, figure,
                                        plan_html, segment_columns, summary_table)
from footfall.report.progress import Progress
from footfall.report.progress_html import progress_section
from footfall.report.segments import SegmentSpan, segment_figures
from footfall.report.sides import ONE_FOOT, feet_measured
from footfall.report.when import when_text

__all__ = ["CSS", "SUMMARY_ROWS", "ReportData", "activity_note", "advice_list", "changes_html", "render"]

CSS = """
body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;
color:#222;line-height:1.4}h1{font-size:1.5rem;margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
th{background:#f6f6f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
li.advice{margin-bottom:1rem}li.advice h3{margin:.2rem 0;font-size:1.05rem}.cat{font-size:.75rem;color:#fff;
background:#555;border-radius:.3rem;padding:.05rem .4rem;margin-right:.4rem}.cat-see-a-professional{background:#c62828}
.sources,.own{font-size:.8rem;color:#555}.own{font-style:italic}figure{margin:1rem 0}figure svg{width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}footer{margin-top:2rem;font-size:.85rem;color:#444;border-top:1px solid #ddd}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
td.warning,.change-note{color:#b71c1c}.feet-note,.feet{color:#b71c1c;font-weight:600}
td,th{overflow-wrap:break-word}#compare-table{font-size:.8rem}
.table-scroll{max-width:100%;overflow-x:auto}.table-scroll:focus{outline:2px solid #1f4e99}
#compare-table tr:first-child th{overflow-wrap:anywhere}dt{font-weight:600}dd{margin:0 0 .4rem 1rem}
@page{size:A4;margin:12mm}
@media print{details>*{display:block!important}details summary{list-style:none}body{max-width:none;margin:0;
padding:0;font-size:10pt}table{width:100%;font-size:8.5pt}tr,figure,li.advice{break-inside:avoid}
td,th{padding:.1rem .3rem}h2,h3{break-after:avoid}.table-scroll{overflow:visible}}
"""  # the print rules keep an A4 page from cutting a table row (qa17 #11); a wide table scrolls in its own region

@dataclass
class ReportData:
    title: str
    subtitle: str
    steps: list[Step]
    cues: list[Cue]
    advice: list[Advice]
    target_spm: float | None = None
    checkin: CheckIn | None = None
    segments: list[SegmentSpan] = field(default_factory=list)
    compare: ReportData | None = None
    comparison: Comparison | None = None  # this session (or a segment) against `compare` (or a segment of it)
    footer_advice: Advice | None = None
    load: plots.LoadBars = field(default_factory=plots.LoadBars)  # the runs of the 30 days before, as the load text
    name: str = "this session"  # short, for table columns: "Session 12"
    session_id: int | None = None  # its number in the history
    runner: str = ""  # whose run: named in the comparison's columns when the two runners differ
    earlier_checkins: list[EarlierCheckIn] = field(default_factory=list)  # the runner's, before this run
    run_start_utc: datetime | None = None  # the check-in table covers the 28 days before it
    leg_length_m: float | None = None  # the leg length the components are recomputed with (report/landing.py)
    leg_length_known: bool = False  # it is the session's own (stored since schema v8), not the profile's today
    written_utc: datetime | None = None  # when the report was written (its date on the page)
    progress: Progress | None = None  # the runner's visits up to this one (report/progress.py)
    plan: str = ""  # the clinician's own plan (report --plan), for this page only: not stored

    @property
    def summary(self) -> RunSummary:
        return summarise_steps(self.steps)


def _cite(citation: str) -> str:
    """Escape, and show a `file name` as code."""
    parts = escape(citation).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _sources(citations: list[str]) -> str:
    return "; ".join(_cite(c) for c in citations)


def _guidance(a: Advice) -> str:
    """Each guidance item with its own sources (not one merged line for the whole entry)."""
    if not a.items:
        return ""
    rows = "".join(f'<li><b>{escape(i.title)}.</b> {escape(i.text)} <span class="sources">Sources: '
                   f'{_sources(i.citations())}</span></li>' for i in a.items)
    return f'<details><summary>Guidance</summary><ul>{rows}</ul></details>'


def _entry_notes(a: Advice) -> str:
    """The studies the entry's own rule rests on, and the thresholds that are footfall's own."""
    studies = f'<p class="sources">Studies: {_sources(list(a.literature))}</p>' if a.literature else ""
    own = f'<p class="own">{escape(a.own_values_note())}.</p>' if a.own_values else ""
    return studies + own


def advice_list(advice: list[Advice], list_id: str = "advice-list", plan: str = "") -> str:
    """The entries; with the clinician's `plan` on the page, those that say to follow it point to it."""
    out = []
    for a in advice:
        cat = a.category.value.replace(" ", "-")
        pointer = (f'<p class="plan-pointer"><a href="#plan">{escape(PLAN_POINTER)}</a></p>'
                   if plan and any(i.key == PLAN_ITEM for i in a.items) else "")
        out.append(f'<li class="advice" data-category="{escape(a.category.value)}"><h3><span class="cat cat-{cat}">'
                   f'{escape(a.category.value)}</span> {escape(a.title)}</h3><p>{escape(a.message)}</p>{pointer}'
                   f'{_guidance(a)}{_entry_notes(a)}</li>')
    return f'<ol id="{list_id}">{"".join(out)}</ol>'


def figures(d: ReportData) -> str:
    duration = max((s.ic_time_s for s in d.steps), default=0.0)
    parts = [
        figure("fig-cadence", plots.cadence_figure(d.steps, d.target_spm, segments=d.segments),
               "Steps per minute over time, each foot's median of 15 steps (left solid, right dashed); the shaded band "
               "around the dashed green line is the target cadence (±2 %), grey spans named at the bottom are the "
               "marked segments."),
        figure("fig-strike", plots.strike_figure(d.steps),
               "Strike angle at each landing by pattern (Altman & Davis 2012 thresholds), and the share of each."),
        figure("fig-contact", plots.series_figure(d.steps, "contact_time_ms", "contact time (ms)", "Contact time"),
               "Ground contact time of each step."),
        figure("fig-overstride", plots.series_figure(d.steps, "overstride_index", "overstride index (0-1)",
                                                     "Overstride index"),
               "footfall's composite landing index (strike angle, foot speed at contact, braking, cadence against a speed norm); "
               "its break points are starting values, not clinical cut-offs (docs/algorithms.md)."),
        figure("fig-balance", plots.balance_figure(d.steps), "Left and right foot medians side by side."),
        figure("fig-cues", plots.cue_timeline_figure(d.cues, duration), "When each live cue was given.")
        if d.cues else "",  # no empty panel for a session without cues
        figure("fig-load", plots.load_figure(d.load, _km(d.summary.distance_m)), plots.load_caption(d.load)),
    ]
    return "".join(parts)


def _km(distance_m: float) -> float:
    return distance_m / 1000 if math.isfinite(distance_m) else 0.0


POOLED = "all phases pooled"  # the whole session's column when it holds clinic phases (qa17 #4)


def is_clinic(d: ReportData) -> bool:
    """Marked with the phases of a clinic plan (baseline / cue / retest): the report leads with them."""
    return is_clinic_plan(label for label, _, _ in d.segments)


def segment_parts(d: ReportData) -> dict[str, list[Step]]:
    """Each marked segment's steps by label, and the whole session's as "all phases pooled" (a clinic session)."""
    parts = {label: window(d.steps, a, b) for label, a, b in d.segments}
    return {**parts, POOLED: list(d.steps)} if is_clinic(d) else parts


SEGMENT_BARS = "Cadence, strike angle, rearfoot share and overstride index of each marked segment, side by side."


def segments_section(d: ReportData) -> str:
    """The marked segments side by side (a clinic session's with the pooled whole last), the Δ rows against the
    baseline with their noise call, each foot's figures and the overstride index's components per segment."""
    if not d.segments:
        return ""
    cols = segment_columns(d.steps, d.segments)
    pooled = {POOLED: d.summary} if is_clinic(d) else {}
    notes = "".join(f'<p class="note">{escape(g.note)}</p>' for g in segment_figures(d.steps, d.segments) if g.note)
    notes += changes_html(segment_changes(d.steps, d.segments))
    heading = "Clinic test: baseline, cue and retest" if is_clinic(d) else "Physiotherapist view: marked segments"
    parts = segment_parts(d)
    return (f'<section id="segments"><h2>{heading}</h2>'
            f'{summary_table({**cols, **pooled}, "segments-table", PER_SIDE)}{notes}'
            f'{sides_html(parts, "segments-sides")}{landing_html(parts, d.leg_length_m, "segments-landing", d.leg_length_known)}'
            f'{sign_changes_html(segment_figures(d.steps, d.segments), "segments-sign-changes")}'
            f'{figure("fig-segments", bars(cols, "Marked segments"), SEGMENT_BARS)}</section>')


def summary_section(d: ReportData) -> str:
    """The whole session's figures: "this run" (with each foot's and the overstride index's parts), or, for a
    clinic session, the pooled figures after the segments, labelled as such."""
    if is_clinic(d):
        return (f'<section id="summary"><h2>Summary: {POOLED}</h2><p class="pooled-note">These figures pool the '
                f'baseline, the cue and the retest: no condition the runner ran in. The clinic test above gives '
                f'each.</p>{activity_note(d)}{summary_table({POOLED: d.summary}, "summary-table", PER_SIDE)}'
                '</section>')
    whole = {_column(d.summary): list(d.steps)}
    return (f'<section id="summary"><h2>Summary</h2>{activity_note(d)}'
            f'{summary_table({_column(d.summary): d.summary}, "summary-table", PER_SIDE)}'
            f'{sides_html(whole, "summary-sides")}'
            f'{landing_html(whole, d.leg_length_m, "summary-landing", d.leg_length_known)}</section>')


def comparison_html(d: ReportData) -> str:
    """This session and the other, before (the older) → after, each whole then its marked segments (a baseline
    marked in one session against a retest marked in the other), with the compared parts' conditions and Δ."""
    if d.compare is None or d.comparison is None:
        return ""
    other = d.compare
    mine, theirs = (_column_name(d), _column_name(other)) if d.runner != other.runner else (d.name, other.name)
    columns = {d.name: _columns(d, mine), other.name: _columns(other, theirs)}
    first, second = (other, d) if d.comparison.before.part.session_id != d.session_id else (d, other)
    return compare_section(d.comparison, columns[first.name], columns[second.name],
                           f"Cadence, strike angle, rearfoot share and overstride index of each part, before → after: "
                           f"{first.subtitle} → {second.subtitle}")  # the chart's name for a screen reader too


def _columns(d: ReportData, name: str) -> dict[str, RunSummary]:
    feet = feet_measured(d.steps)
    whole = "whole" if feet in ("both feet", "no steps") else f"whole, measured: {feet}"
    return {f"{name} ({whole})": d.summary, **segment_columns(d.steps, d.segments, f"{name} ")}


def _column_name(d: ReportData) -> str:
    """A comparison column's session with its runner: "Session 12 · ana" (no "(": the figure cuts there)."""
    return f"{d.name} · {d.runner}"


CHECKIN_TABLE_DAYS = 28.0  # the check-in history a clinician sees in the report


def checkin_html(ci: CheckIn | None, earlier: Sequence[EarlierCheckIn] = (), start_utc: datetime | None = None) -> str:
    """The session's check-ins as one (Store.checkin_for): the latest pain scores, every red flag, the examined and
    recent-injury answers, every note; then the runner's check-ins of the 28 days before the run, as a table."""
    return _this_checkin(ci) + _checkin_table(earlier, start_utc)


def _this_checkin(ci: CheckIn | None) -> str:
    if ci is None:
        return ""
    flags = _flags(ci)
    said = "".join(f" {s}." for s, on in (("Examined by a professional", ci.examined),
                                            ("Injured in the last few months", ci.recent_injury)) if on)
    note = f' Notes: <span id="checkin-note">{escape(ci.note)}</span>.' if ci.note else ""
    return (f'<p id="checkin">Pain check-in: before {_score(ci.pain_before)}/10, after {_score(ci.pain_after)}/10; '
            f'red flags: {escape(flags)}.{escape(said)}{note}</p>')


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def _flags(ci: CheckIn) -> str:
    return ", ".join(RED_FLAG_LABELS[f] for f in ci.red_flags) or ("none" if ci.flags_answered else "not asked")


def _checkin_table(earlier: Sequence[EarlierCheckIn], start_utc: datetime | None) -> str:
    """"Check-ins, last 28 days": date, session, pain before/after, red flags, examined, recent injury, note."""
    if start_utc is None:
        return ""
    rows = [e for e in earlier if 0 <= (start_utc - e.time_utc).total_seconds() / 86400 <= CHECKIN_TABLE_DAYS]
    if not rows:
        return ""
    head = "".join(f"<th>{h}</th>" for h in ("date", "session", "pain before", "pain after", "red flags",
                                               "examined", "injured recently", "note"))
    body = "".join(
        f"<tr><td>{e.time_utc:%Y-%m-%d}</td><td>{'–' if e.session_id is None else e.session_id}</td>"
        f"<td>{_score(e.checkin.pain_before)}</td><td>{_score(e.checkin.pain_after)}</td>"
        f"<td>{escape(_flags(e.checkin))}</td><td>{'yes' if e.checkin.examined else ''}</td>"
        f"<td>{'yes' if e.checkin.recent_injury else ''}</td><td>{escape(e.checkin.note)}</td></tr>" for e in rows)
    return (f'<h2>Check-ins, last {CHECKIN_TABLE_DAYS:g} days</h2><table id="checkin-history"><tr>{head}</tr>'
            f'{body}</table>')


def _column(s: RunSummary) -> str:
    return "this walk" if s.activity == "walking" else "this run"


def activity_note(d: ReportData) -> str:
    """Which steps the figures describe, when the session mixed activities (a run-walk: 910 running steps of
    3,636, the rest walking, next to the whole session's duration and distance)."""
    s, kinds = d.summary, Counter(step.activity for step in d.steps)
    if len(kinds) < 2:
        return ""
    others = ", ".join(f"{n * 100 / len(d.steps):.0f}% {k}" for k, n in kinds.most_common() if k != s.activity)
    return (f'<p id="activity-note">The step figures describe the {s.n_steps:,} {escape(s.activity)} steps of '
            f'{len(d.steps):,} in this session ({escape(others)}); duration and distance cover the whole '
            f'session.</p>')


def header_notes(d: ReportData) -> str:
    """The feet measured when not both ("measured: left foot only", qa17 #7) and the report's date. The leg length is
    said under the components table only (the session's own since schema v8, else the profile's with a caveat): on
    the page's head it read as a caveat on the result (qa17 N9)."""
    feet = feet_measured(d.steps)
    one = (f'<p class="feet" id="feet-measured">measured: {escape(feet)}: strike angle, foot-strike pattern and '
           f'impact are that foot\'s, and the cadence is twice its stride rate.</p>'
           if feet in ONE_FOOT else "")
    written = (f'<p id="report-meta">Report written {escape(when_text(d.written_utc))} by footfall {__version__}, '
               f'from the steps stored in the history, measured by motion sensors (accelerometer and gyroscope) '
               f'clipped to the shoes.</p>' if d.written_utc is not None else "")
    return f"{one}{written}"


def render(d: ReportData) -> str:
    lead = (segments_section(d) + _advice(d) + summary_section(d) if is_clinic(d)
            else summary_section(d) + _advice(d))
    rest = f'<section id="figures"><h2>Figures</h2>{figures(d)}</section>'
    rest += "" if is_clinic(d) else segments_section(d)
    rest += progress_section(d.progress, d.session_id) if d.progress is not None else ""
    main = f"<main>{plan_html(d.plan)}{lead}{rest}{comparison_html(d)}{glossary_html()}</main>"
    return accessible_tables(f"{_head(d)}{main}{_footer(d)}</body></html>")


def _advice(d: ReportData) -> str:
    return f'<section id="advice"><h2>Advice</h2>{advice_list(d.advice, plan=d.plan)}</section>'


# The page loads nothing and runs nothing: its own inline styles, inline SVG and data: images only. Should an
# escaping slip ever let markup through, the browser still fetches and runs none of it.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'


def _head(d: ReportData) -> str:
    """Up to the page's header: the viewport line lets a phone wrap the text to its own width; the policy comes
    first, before anything it governs."""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">{CSP_META}'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(d.title)}</title>'
            f'<style>{CSS}</style></head><body><header><h1>{escape(d.title)}</h1><p>{escape(d.subtitle)}</p>'
            f'{header_notes(d)}{checkin_html(d.checkin, d.earlier_checkins, d.run_start_utc)}</header>')


def _footer(d: ReportData) -> str:
    pointer = advice_list([d.footer_advice], "professional-pointer") if d.footer_advice else ""
    return (f'<footer><p>footfall gives training advice from the articles and studies named with each guidance item; '
            f'thresholds marked as footfall\'s own are its starting values, not from them. It does not diagnose and '
            f'gives no advice on medicines.</p>{pointer}</footer>')
