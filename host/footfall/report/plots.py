"""The report's figures, drawn with matplotlib and returned as inline SVG text (no files, no network).

Dense point clouds are rasterised inside the SVG (a PNG embedded in the SVG itself) to keep the page
small; lines and text stay vector.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import matplotlib
import matplotlib.dates

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from footfall.analysis.feet import FeetOverlap, feet_overlap  # noqa: E402
from footfall.analysis.step import Pattern, Step  # noqa: E402
from footfall.coaching.cues import Cue, CueKind  # noqa: E402
from footfall.finite import median  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
# Every colour that carries meaning has 3:1 contrast against the white plot (WCAG 1.4.11), and left and right are
# the Okabe-Ito blue and vermillion, told apart with red-green colour blindness too; the right foot is also dashed
# (lines) or hatched (bars), so that no reader has to rely on colour alone (1.4.1).
COLORS = {Pattern.REARFOOT: "#d95f02", Pattern.MIDFOOT: "#1b9e77", Pattern.FOREFOOT: "#7570b3",
          Pattern.UNKNOWN: "#767676"}
SIDE_COLORS = {"L": "#0072b2", "R": "#d55e00", "?": "#767676"}
SIDE_NAMES = {"L": "left", "R": "right", "?": "foot not known"}
SIDE_LINES = {"L": "-", "R": "--", "?": ":"}
SIDE_HATCH = {"L": "", "R": "//", "?": ".."}
PART_COLORS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#6a3d9a", "#8c564b", "#767676")  # comparison bars
CUE_COLORS = {CueKind.QUICKER_STEPS: "#d62728", CueKind.OVERSTRIDE: "#b35806", CueKind.PRAISE: "#2ca02c",
              CueKind.METRONOME_OFF: "#7f7f7f"}


@contextmanager
def missing_glyphs_ignored() -> Iterator[None]:
    """Matplotlib warns (with its source lines, on stderr) when a label has a character its font lacks, such as
    an emoji in a segment label. The SVG keeps its text as text (svg.fonttype none), so the browser draws the
    character from its own fonts: only matplotlib's measure of it is off. Those warnings alone are silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        yield


def to_svg(fig: Figure) -> str:
    buf = io.StringIO()
    with missing_glyphs_ignored():
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _minutes(steps: Sequence[Step]) -> np.ndarray:
    return np.array([s.ic_time_s for s in steps]) / 60.0


def rollingmedian(values: np.ndarray, n: int = 15) -> np.ndarray:
    out = np.full(values.shape, np.nan)
    for i in range(len(values)):
        win = values[max(0, i - n + 1):i + 1]
        win = win[np.isfinite(win)]
        out[i] = np.median(win) if win.size else np.nan
    return out


def _series(ax: plt.Axes, steps: Sequence[Step], attr: str, label: str) -> None:
    for side in sorted({s.side for s in steps}):
        own = [s for s in steps if s.side == side]
        t, v = _minutes(own), np.array([float(getattr(s, attr)) for s in own])
        ax.scatter(t, v, s=3, alpha=0.25, color=SIDE_COLORS.get(side, "#555"), rasterized=True)
        ax.plot(t, rollingmedian(v), color=SIDE_COLORS.get(side, "#555"), lw=1.4, ls=SIDE_LINES.get(side, "-"),
                label=f"{SIDE_NAMES.get(side, side)} (median of 15)")
    ax.set_xlabel("time (min)")
    ax.set_ylabel(label)
    if steps:
        ax.legend(loc="best", fontsize=7, frameon=False)
    else:  # a session that stopped before its first step (no line to label)
        ax.text(0.5, 0.5, "no steps", transform=ax.transAxes, ha="center", va="center", color="#555")


def cadence_figure(steps: Sequence[Step], target_spm: float | None, band_frac: float = 0.02,
                   segments: Sequence[tuple[str, float, float]] = ()) -> str:
    """Cadence over time, the target band, and the marked segments (label, start_s, end_s) as shaded spans."""
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    _series(ax, steps, "cadence_spm", "cadence (steps/min)")
    for k, (label, start_s, end_s) in enumerate(segments):
        ax.axvspan(start_s / 60, end_s / 60, color="#7f7f7f", alpha=0.08 if k % 2 else 0.16, lw=0)
        ax.text((start_s + end_s) / 120, 0.03, label, transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                fontsize=7, color="#444")
    if target_spm:
        ax.axhspan(target_spm * (1 - band_frac), target_spm * (1 + band_frac), color="#2ca02c", alpha=0.15,
                   label=f"target {target_spm:.0f} steps/min")
        ax.axhline(target_spm, color="#2ca02c", lw=0.8, ls="--")
        ax.legend(loc="best", fontsize=7, frameon=False)
    ax.set_title("Cadence over time")
    return to_svg(fig)


def strike_figure(steps: Sequence[Step]) -> str:
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 2.8), gridspec_kw={"width_ratios": [2.2, 1]})
    angles = {p: [s.strike_angle_deg for s in steps if s.pattern is p and math.isfinite(s.strike_angle_deg)]
              for p in Pattern}
    bins = np.arange(-30, 41, 2.5)
    ax1.hist([angles[p] for p in Pattern], bins=bins, stacked=True, color=[COLORS[p] for p in Pattern],
             label=[p.value for p in Pattern])
    ax1.set_xlabel("strike angle (deg, + = toe up / heel first)")
    ax1.set_ylabel("steps")
    ax1.set_title("Strike angle")
    ax1.legend(fontsize=7, frameon=False)
    counts = [len([s for s in steps if s.pattern is p]) for p in Pattern]
    total = max(sum(counts), 1)
    ax2.barh([p.value for p in Pattern], [100 * c / total for c in counts], color=[COLORS[p] for p in Pattern])
    ax2.set_xlabel("% of steps")
    ax2.set_title("Pattern shares")
    return to_svg(fig)


def series_figure(steps: Sequence[Step], attr: str, label: str, title: str) -> str:
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    _series(ax, steps, attr, label)
    ax.set_title(title)
    return to_svg(fig)


def balance_figure(steps: Sequence[Step]) -> str:
    """Each foot's medians over the time both sensors measured (analysis/feet.py), as the summary compares them;
    with no such time (one foot, or a sensor that dropped out early), each foot's own and the title says so."""
    metrics = [("contact_time_ms", "contact (ms)"), ("strike_angle_deg", "strike angle (deg)"),
               ("overstride_index", "overstride x100"), ("impact_g", "impact (g) x10")]
    scale = {"overstride_index": 100.0, "impact_g": 10.0}
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    x = np.arange(len(metrics))
    overlap = feet_overlap(steps)
    compared = overlap if isinstance(overlap, FeetOverlap) else None
    feet = {"L": compared.left, "R": compared.right} if compared else {
        side: [s for s in steps if s.side == side] for side in ("L", "R")}
    for k, side in enumerate(("L", "R")):
        vals = [median([float(getattr(s, m)) for s in feet[side]]) * scale.get(m, 1.0) for m, _ in metrics]
        ax.bar(x + (k - 0.5) * 0.38, vals, width=0.38, color=SIDE_COLORS[side], hatch=SIDE_HATCH[side],
               edgecolor="white" if SIDE_HATCH[side] else None, label=SIDE_NAMES[side])
    ax.set_xticks(x, [lab for _, lab in metrics])
    ax.set_title("Left / right balance (medians" + (" over the time both sensors measured)" if compared else
                                                  ", each foot on its own: not compared, see the summary)"))
    ax.legend(fontsize=7, frameon=False)
    return to_svg(fig)


def cue_timeline_figure(cues: Sequence[Cue], duration_s: float) -> str:
    fig, ax = plt.subplots(figsize=(7.5, 1.9))
    kinds = list(CueKind)
    for c in cues:
        ax.scatter(c.time_s / 60, kinds.index(c.kind), color=CUE_COLORS[c.kind], s=40, zorder=3)
    _metronome_spans(ax, cues, duration_s)
    ax.set_yticks(range(len(kinds)), [k.value.replace("_", " ") for k in kinds])
    ax.set_xlim(-0.02 * max(duration_s / 60, 0.1), max(duration_s / 60, 0.1))
    ax.set_xlabel("time (min)")
    ax.set_title(f"Cue timeline ({len(cues)} cues; bar = metronome on)")
    return to_svg(fig)


def _metronome_spans(ax: plt.Axes, cues: Sequence[Cue], duration_s: float) -> None:
    on: float | None = None
    for c in cues:
        if c.metronome_spm and on is None:
            on = c.time_s
        elif not c.metronome_spm and on is not None:
            ax.axvspan(on / 60, c.time_s / 60, ymin=0, ymax=0.06, color="#444", alpha=0.6)
            on = None
    if on is not None:
        ax.axvspan(on / 60, duration_s / 60, ymin=0, ymax=0.06, color="#444", alpha=0.6)


def comparison_figure(rows: dict[str, dict[str, float]], metrics: list[tuple[str, str]], title: str) -> str:
    """Bar groups: one group per metric, one bar per column (session or segment)."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(7.5, 2.4))
    for ax, (key, label) in zip(np.atleast_1d(axes), metrics):
        names = list(rows)
        ax.bar(names, [rows[n].get(key, float("nan")) for n in names],
               color=[PART_COLORS[i % len(PART_COLORS)] for i in range(len(names))])
        ax.set_title(label, fontsize=8)
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    fig.suptitle(title)
    with missing_glyphs_ignored():
        fig.tight_layout()
    return to_svg(fig)


@dataclass(frozen=True)
class LoadBars:
    """The runs of the 30 days before this one as the load text judges them (coaching/load.py `reference_runs`)."""
    reference: tuple[tuple[float, float], ...] = ()  # (days before this run, km): the runs compared with
    excluded: tuple[tuple[float, float, str], ...] = ()  # (days, km, why): runs that are no reference
    longest_km: float | None = None  # the line's base: the longest reference run; None: no reference, no lines
    min_reference_min: float = 5.0  # the shortest run that is a reference (the caption says it)


def load_figure(load: LoadBars, this_km: float, warn_frac: float = 0.10, strong_frac: float = 0.30) -> str:
    """Earlier runs (grey: compared with; hollow: no reference) and this run, against the 10%/30% lines of the
    longest reference run; no lines when the load text has no reference."""
    fig, ax = plt.subplots(figsize=(7.5, 2.4))
    if load.reference:
        ax.bar([-d for d, _ in load.reference], [km for _, km in load.reference], width=0.6, color="#7f7f7f",
               label="earlier runs (compared with)")
    if load.excluded:
        ax.bar([-d for d, _, _ in load.excluded], [km for _, km, _ in load.excluded], width=0.6, fill=False,
               edgecolor="#7f7f7f", hatch="//", label="no reference (shorter, or a clinic test)")
    if load.longest_km is not None:
        for frac, style, label in ((warn_frac, "--", "+10%"), (strong_frac, ":", "+30%")):
            ax.axhline(load.longest_km * (1 + frac), color="#d62728", ls=style, lw=1, label=f"longest {label}")
    ax.bar([0], [this_km], width=0.6, color="#1f77b4", label="this run")
    ax.set_xlim(-31, 1)
    ax.set_xlabel("days before this run")
    ax.set_ylabel("distance (km)")
    ax.set_title("Load: this run against the previous 30 days")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # clear of the lines
    return to_svg(fig)


def load_caption(load: LoadBars) -> str:
    """What the load figure shows, as the load text judges it."""
    what = (f"Distance of each run in the 30 days before this one; grey: the runs of {load.min_reference_min:g} min "
            "or more it is compared with; hatched: shorter runs and clinic tests, which are no reference. ")
    if load.longest_km is None:
        return what + "No reference run, so no lines: the load text says why."
    return what + ("Red lines: dashed 10% above the longest (Frandsen et al. 2025), dotted 30% (footfall's own "
                   "mark for a stronger warning).")


VISIT_DAY = "%d %b"  # "03 Nov": read the same way in every country, where "11-03" is 3 Nov or 11 Mar


def progress_figure(dates: Sequence[date], series: dict[str, list[float]], labels: dict[str, str],
                    comparable: Sequence[bool] = ()) -> str:
    """One small panel per figure, its value at each visit (qa17 #8), on the visits' days as the table has them;
    a visit not `comparable` with the first (run at another speed) is a hollow point, so that a drop in contact
    time that the speed made does not read as progress."""
    fig, axes = plt.subplots(1, len(series), figsize=(7.5, 1.9), squeeze=False)
    same = list(comparable) or [True] * len(dates)
    for ax, (key, values) in zip(axes[0], series.items()):
        ax.plot(list(dates), values, color="#1f77b4", lw=1.2)
        for keep, face, kind in ((True, "#1f77b4", "comparable"), (False, "white", "not-comparable")):
            picked = [(d, v) for d, v, ok in zip(dates, values, same) if ok is keep]
            if picked:
                ax.plot([d for d, _ in picked], [v for _, v in picked], ls="none", marker="o",
                        color="#1f77b4", mfc=face, gid=f"visits-{key}-{kind}")
        ax.set_title(labels.get(key, key), fontsize=8)
        ax.set_xticks(list(dates))  # a tick at each visit, not at dates no visit fell on
        ax.tick_params(axis="x", labelrotation=45, labelsize=6)
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter(VISIT_DAY))
    fig.tight_layout()
    return to_svg(fig)
