"""Each marked segment against a reference segment (the one labelled baseline, else the first with running steps):
the change of the figure the segment table shows, in the metric's units, a 95 % moving-block bootstrap CI of that
change, "within noise" when the CI includes 0 or the change is below footfall's own starting floor (NOT validated
minimal detectable changes; QA 15 H1), and a flag when the two were run at different speeds.

Why a block bootstrap: consecutive strides of a run are not independent (pace drifts, fatigue, a belt speed-up),
so resampling single steps gives intervals that are too narrow. Resampling blocks of consecutive strides keeps
that dependence inside each block (a circular block bootstrap); left and right steps stay together in a block, so a
left/right difference does not widen or skew the cadence interval. The block is at least `block_s` seconds of
strides and longer when the part's own values are more dependent than that (`auto_block`: Politis & White 2004,
with the correction of Patton, Politis & White 2009), never more than a third of the part. The 10 s floor stays
because simulated long-range dependence (which gait series have), which the automatic length misses in short
parts, gave 6 points more false "CI excludes 0" without it; the measured rates are in docs/validation.md (QA 18 M6).

The segment table also gets the change of the left/right symmetry index (the analysis summary's, as the "Left and
right foot" table shows it; qa17 #7) when both parts were measured on both feet: each resample's index is computed
from each foot's median in it, with the summary's own formula.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from footfall.analysis.cadence import session_cadence_rows_spm
from footfall.analysis.feet import FeetOverlap, feet_overlap
from footfall.analysis.step import Step
from footfall.analysis.summary import summarise, symmetry_index_pct, used_values
from footfall.coaching.clinic import BASELINE_LABEL, labelled
from footfall.coaching.summary import window
from footfall.report.segments import FEW_STEPS, SHORT_SEGMENT_S, SegmentFigures, SegmentSpan, segment_figures
from footfall.report.sides import feet_measured


@dataclass(frozen=True)
class NoiseFloors:
    """footfall's own starting values, not minimal detectable changes: no test-retest study (two sessions, the
    sensors clipped on again) has given footfall's SEM / MDC yet."""
    cadence_spm: float = 1.0
    contact_time_ms: float = 10.0
    strike_angle_deg: float = 3.0
    overstride_index: float = 0.05
    # the left/right symmetry index (sides.py, analysis summary), its change in % points: footfall's own starting
    # values, about twice what our contact-time index differs from a force plate's on one trial (docs/validation.md:
    # 1.8 pp)
    contact_si_pct: float = 3.0
    impact_si_pct: float = 5.0  # impact peaks vary more from step to step than contact times


@dataclass(frozen=True)
class ChangeParams:
    """footfall's own choices for the Δ rows (no study gives them)."""
    block_s: float = 10.0  # the shortest block of consecutive strides resampled together (0: one step)
    auto_block: bool = True  # lengthen it to the data's own block length (Politis & White); False: block_s only
    n_resamples: int = 1000
    seed: int = 20261124  # fixed: the same steps give the same CI
    # two segments whose median speeds differ by more than this share are flagged: cadence, contact time, strike
    # angle and the overstride index all move with speed (footfall's own threshold)
    speed_tolerance_frac: float = 0.05


# the asymmetry rows: metric -> (the summary's symmetry_index_pct key, the figure each foot's median is of)
ASYMMETRY = {"contact_si_pct": ("contact_time", "contact_time_ms"), "impact_si_pct": ("impact", "impact_g")}
FLOORS = NoiseFloors()
PARAMS = ChangeParams()
FLOOR_NOTE = ("within noise: the 95 % bootstrap CI of the change (blocks of at least "
              f"{PARAMS.block_s:g} s of consecutive strides, longer when the strides depend on each other longer, "
              "resampled together) includes 0; below footfall's floor: "
              "the CI excludes 0 but the change is smaller than footfall's own starting floor (cadence "
              f"{FLOORS.cadence_spm:g} steps/min, contact "
              f"{FLOORS.contact_time_ms:g} ms, strike angle {FLOORS.strike_angle_deg:g} deg, overstride index "
              f"{FLOORS.overstride_index:g}, left/right symmetry index of contact time {FLOORS.contact_si_pct:g} and of "
              f"impact {FLOORS.impact_si_pct:g} % points): starting values, not validated minimal detectable "
              "changes. The symmetry index rows need both feet in both parts. Changes "
              f"between parts run more than {PARAMS.speed_tolerance_frac * 100:g} % apart in median speed are "
              "flagged (footfall's own threshold).")
DECIMALS = {"cadence_spm": 1, "contact_time_ms": 0, "strike_angle_deg": 1, "overstride_index": 2,
            "contact_si_pct": 1, "impact_si_pct": 1}
SPEED_BOUND = "contact time, cadence, strike angle and overstride index"  # what moves with speed


@dataclass(frozen=True)
class Change:
    metric: str
    label: str  # the segment compared with the reference
    change: float  # its figure - the reference's, the figure the segment table shows, in the metric's units
    ci_low: float
    ci_high: float
    within_noise: bool
    reference: str = BASELINE_LABEL  # the reference segment's label
    speed: str = ""  # "speed +33 %" when the two differ by more than the tolerance, "speed ?" when unknown
    feet: str = ""  # "one foot" when the part was measured on one foot and the reference on both (qa17 N10)

    def text(self) -> str:
        if not math.isfinite(self.change):
            return "-"
        d = self.decimals()
        noise = f" ({self.noise_word(d)})" if self.within_noise else ""
        flag = f" [{self.speed}: not comparable]" if self.speed else ""
        flag += f" [{self.feet}]" if self.feet else ""
        return f"{_signed(self.change, d)} [{_signed(self.ci_low, d)}, {_signed(self.ci_high, d)}]{noise}{flag}"

    def decimals(self) -> int:
        """The metric's decimals, one more when a change below the floor would round to it: "-10 (below footfall's
        floor)" of a 10 ms floor read as a contradiction; it was -9.6."""
        d = DECIMALS.get(self.metric, 2)
        floor = getattr(FLOORS, self.metric, math.inf)
        return d + 1 if abs(self.change) < floor <= abs(round(self.change, d)) else d

    def noise_word(self, decimals: int = 6) -> str:
        """"within noise" when the CI (as printed, to `decimals`) includes 0; "below footfall's floor" when it
        excludes 0 and only the floor makes the change no change (qa17 N9: "[-7, -5] (within noise)" read as a
        contradiction)."""
        excludes_zero = round(self.ci_low, decimals) > 0 or round(self.ci_high, decimals) < 0
        return "below footfall's floor" if excludes_zero else "within noise"

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = asdict(self)
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}


def _signed(value: float, decimals: int) -> str:
    """"+3.9", "-47", and "+0" for a value that rounds to zero (not "-0")."""
    return f"{round(value, decimals) + 0.0:+.{decimals}f}"


@dataclass(frozen=True)
class ChangeSet:
    reference: str  # the reference segment's label ("" when none has running steps)
    basis_note: str  # which reference, and why ("" when there are no changes to show)
    rows: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # speed differences, segments without a Δ

    def __bool__(self) -> bool:
        return bool(self.rows or self.notes)


def segment_changes(steps: Sequence[Step], segments: Sequence[SegmentSpan],
                    params: ChangeParams = PARAMS) -> ChangeSet:
    """Every marked segment but the reference against the reference (`reference_of`), then the change of the
    left/right symmetry index (`with_asymmetry`)."""
    figures = segment_figures(steps, segments)
    inside = {id(g): window(steps, a, b) for g, (_, a, b) in zip(figures, segments)}
    return with_asymmetry(figure_changes(figures, params), figures, inside, params)


def figure_changes(figures: Sequence[SegmentFigures], params: ChangeParams = PARAMS) -> ChangeSet:
    if len(figures) < 2:
        return ChangeSet("", "")
    ref, why = reference_of(figures)
    if ref is None:
        return ChangeSet("", why)
    rows, notes = changes_against(ref, [g for g in figures if g is not ref], params)
    return ChangeSet(ref.label, why, rows, notes)


def reference_of(figures: Sequence[SegmentFigures]) -> tuple[SegmentFigures | None, str]:
    """The segment labelled baseline when it has running steps, else the first segment that has (a warm-up or a
    rough one only when no other has); and why."""
    running = [g for g in figures if not _no_delta(g)] or [g for g in figures if g.basis == "running"]
    marked = labelled(figures, BASELINE_LABEL)
    if marked is not None and marked.basis == "running":
        return marked, f"Δ vs {marked.label} (the segment labelled {BASELINE_LABEL})"
    if not running:
        return None, "no Δ: no segment has running steps to compare with"
    why = (f"the segment labelled {BASELINE_LABEL} has no running steps" if marked is not None
           else f"no segment is labelled {BASELINE_LABEL}")
    return running[0], f"Δ vs {running[0].label} (the first segment with running steps: {why})"


def changes_against(ref: SegmentFigures, others: Sequence[SegmentFigures],
                    params: ChangeParams = PARAMS) -> tuple[list[Change], list[str]]:
    """Per metric of NoiseFloors, each of `others` with running steps against `ref`; and the notes: a part
    without running steps, a warm-up or a rough part gets no Δ (`_no_delta`), a part run at another speed is
    flagged."""
    if _no_delta(ref):
        return [], [_no_delta(ref)]
    notes = [_no_delta(g) for g in others if _no_delta(g)]
    compared = [g for g in others if not _no_delta(g)]
    speeds = {g.label: speed_difference(ref, g, params) for g in compared}
    notes += [text for _, text in speeds.values() if text]
    rows = [_change(metric, floor, ref, g, speeds[g.label][0], params)
            for metric, floor in asdict(FLOORS).items() if metric not in ASYMMETRY for g in compared]
    return rows, notes


WARM_UP_LABELS = ("warm-up", "warmup", "warm up")  # a warm-up is no outcome: it gets no Δ (qa17 N5)


def _no_delta(g: SegmentFigures) -> str:
    """Why `g` gets no Δ ("" when it gets one): no running steps, a warm-up, or too few steps or seconds for its
    medians (segments.short_note: one bootstrap block would hold the whole part, so a CI would mean nothing)."""
    if g.basis != "running":
        figures = f"its figures are of {g.basis} steps" if g.basis == "walking" else "it holds no steps"
        return f"{g.label}: no Δ (no running steps: {figures})"
    if g.label.lower().endswith(WARM_UP_LABELS):
        return f"{g.label}: no Δ (a warm-up is not an outcome)"
    if g.note:
        return (f"{g.label}: no Δ (under {FEW_STEPS} running steps per foot or {SHORT_SEGMENT_S:.0f} s: too few "
                "for a change and its CI)")
    return ""


def _change(metric: str, floor: float, ref: SegmentFigures, g: SegmentFigures, speed: str,
            params: ChangeParams) -> Change:
    diff = float(getattr(g.summary, metric)) - float(getattr(ref.summary, metric))  # the table's own figures
    if not math.isfinite(diff):
        return Change(metric, g.label, math.nan, math.nan, math.nan, True, ref.label, speed)
    low, high = diff_ci(metric, values(ref, metric), values(g, metric), block_steps(ref, params),
                        block_steps(g, params), params)
    noise = not (low > 0 or high < 0) or abs(diff) < floor
    return Change(metric, g.label, diff, low, high, noise, ref.label, speed)


def speed_difference(ref: SegmentFigures, g: SegmentFigures, params: ChangeParams = PARAMS) -> tuple[str, str]:
    """("speed +33 %", "retest ran 33 % faster than baseline (...): ... not comparable") when the median speeds
    differ by more than the tolerance; ("speed ?", why) when one is not measured; ("", "") when alike."""
    a, b = ref.summary.speed_mps, g.summary.speed_mps
    if not (math.isfinite(a) and math.isfinite(b) and a > 0):
        return "speed ?", (f"{g.label} against {ref.label}: speed not measured, so footfall cannot check they were "
                           f"run at the same pace ({SPEED_BOUND} move with speed)")
    frac = b / a - 1.0
    if abs(frac) <= params.speed_tolerance_frac:
        return "", ""
    word = "faster" if frac > 0 else "slower"
    return (f"speed {frac * 100:+.0f} %",
            f"{g.label} ran {abs(frac) * 100:.0f} % {word} than {ref.label} (median {b:.2f} vs {a:.2f} m/s): "
            f"{SPEED_BOUND} are not comparable")


def values(g: SegmentFigures, metric: str) -> np.ndarray:
    """The per-step values behind the figure, in time order (summary.used_values: stride times for cadence, whose
    table figure is 120 / mean stride time)."""
    return np.array(used_values(g.steps, metric), dtype=float)


def block_steps(g: SegmentFigures, params: ChangeParams = PARAMS) -> int:
    """How many consecutive steps make `params.block_s` seconds of this part (1: single steps): the shortest block,
    which diff_ci lengthens when the part's values depend on each other longer (`data_block`)."""
    return block_length(g.steps, params)


def block_length(steps: Sequence[Step], params: ChangeParams = PARAMS) -> int:
    """How many of these consecutive (time-ordered) steps make `params.block_s` seconds (1: single steps)."""
    n = len(steps)
    span_s = steps[-1].ic_time_s - steps[0].ic_time_s if n > 1 else 0.0
    if params.block_s <= 0 or span_s <= 0:
        return 1
    return int(max(1, min(round(n * params.block_s / span_s), n // 3)))


# Politis & White (2004), section 3.2 and footnote c: autocorrelations inside +-PW_C sqrt(log10(n) / n) for
# PW_RUN consecutive lags count as no dependence left
PW_C = 2.0
PW_RUN = 5
MAX_BLOCK_FRAC = 1 / 3  # at least three blocks per part: fewer cannot show its variation


def auto_block(x: np.ndarray) -> float:
    """The circular block bootstrap's block length for the series `x`, in values: Politis & White (2004)
    automatic selection with the circular-bootstrap constant of Patton, Politis & White (2009), (2 G^2 /
    (4/3 g^2))^(1/3) n^(1/3), from flat-top lag-window estimates of g = sum R(k) and G = sum |k| R(k);
    capped at min(3 sqrt(n), n / 3) as theirs is. 1 for a series without dependence (or too short to tell)."""
    n = x.size
    m_max = math.ceil(math.sqrt(n)) + PW_RUN
    if n < 4 * PW_RUN or not np.ptp(x) > 0:
        return 1.0
    gamma = _autocovariances(x, m_max)
    lags = np.arange(1, _bandwidth(gamma / gamma[0], n, m_max) + 1)
    weight = _flat_top(lags / lags[-1]) * gamma[lags]
    g, big_g = gamma[0] + 2 * weight.sum(), 2 * (lags * weight).sum()
    if not g > 0:
        return 1.0
    b = (2 * big_g**2 / (4 / 3 * g**2)) ** (1 / 3) * n ** (1 / 3)
    return float(min(max(b, 1.0), 3 * math.sqrt(n), n / 3))


def _autocovariances(x: np.ndarray, max_lag: int) -> np.ndarray:
    """gamma(0..max_lag) of `x`, each sum over n (the biased estimate the lag window expects)."""
    d = x - x.mean()
    return np.array([d[: d.size - k] @ d[k:] for k in range(max_lag + 1)]) / d.size


def _bandwidth(rho: np.ndarray, n: int, m_max: int) -> int:
    """M = 2 m: m the first lag that starts PW_RUN insignificant autocorrelations (else the last significant
    one), at most m_max (Politis & White 2004; as Patton's reference code)."""
    small = np.abs(rho[1:]) < PW_C * math.sqrt(math.log10(n) / n)
    runs = [m for m in range(1, m_max - PW_RUN + 2) if small[m - 1: m - 1 + PW_RUN].all()]
    if runs:
        m_hat = runs[0]
    else:  # dependence to the last lag looked at: the last significant one (no run of small ones was found)
        m_hat = int(np.flatnonzero(~small)[-1]) + 1
    return max(1, min(2 * m_hat, m_max))


def _flat_top(t: np.ndarray) -> np.ndarray:
    """The flat-top lag window of Politis & Romano (1995): 1 to |t| = 1/2, then down to 0 at |t| = 1."""
    return np.clip(2 * (1 - np.abs(t)), 0.0, 1.0)


def data_block(x: np.ndarray, shortest: int, params: ChangeParams = PARAMS) -> int:
    """The block for `x`: `shortest` steps (block_s of the part), longer when auto_block finds the values depend on
    each other longer, at most a third of the part (MAX_BLOCK_FRAC)."""
    block = max(shortest, math.ceil(auto_block(x))) if params.auto_block else shortest
    return int(max(1, min(block, x.size * MAX_BLOCK_FRAC)))


def statistic(metric: str, resampled: np.ndarray) -> np.ndarray:
    """The table's figure of each row: the session cadence rule of analysis/cadence.py for cadence (so a Δ is the
    change of the figure the table shows), the median for the others."""
    if metric != "cadence_spm":
        return np.median(resampled, axis=1)
    return session_cadence_rows_spm(resampled)


def block_indices(n: int, block: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """A circular block bootstrap (Politis & Romano 1992): each row ceil(n / block) blocks of `block` consecutive
    indices from random starts, wrapping round the end (so every step is drawn equally often: the moving-block
    bootstrap's blocks under-draw the first and last steps and shift the resampled figure), cut to n."""
    block = max(1, min(block, n))
    k = -(-n // block)
    starts = rng.integers(0, n, size=(n_resamples, k))
    return ((starts[:, :, None] + np.arange(block)) % n).reshape(n_resamples, k * block)[:, :n]


def diff_ci(metric: str, base: np.ndarray, later: np.ndarray, base_block: int = 1, later_block: int = 1,
            params: ChangeParams = PARAMS) -> tuple[float, float]:
    """The 2.5 % and 97.5 % points of statistic(later) - statistic(base) over block-bootstrap resamples; each part's
    block at least `*_block` steps, longer when its values are more dependent (`data_block`)."""
    if base.size == 0 or later.size == 0:
        return math.nan, math.nan
    rng = np.random.default_rng(params.seed)
    b = _resampled(metric, base, data_block(base, base_block, params), params.n_resamples, rng)
    a = _resampled(metric, later, data_block(later, later_block, params), params.n_resamples, rng)
    low, high = np.nanpercentile(a - b, [2.5, 97.5])
    return float(low), float(high)


CHUNK_VALUES = 2_000_000  # resampled values held at once (a whole hour's run: 20,000 steps x 1,000 resamples)


def _resampled(metric: str, x: np.ndarray, block: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """The statistic of `n_resamples` block-bootstrap resamples of `x`, a chunk of rows at a time."""
    rows = max(1, CHUNK_VALUES // x.size)
    parts = [statistic(metric, x[block_indices(x.size, block, min(rows, n_resamples - done), rng)])
             for done in range(0, n_resamples, rows)]
    return np.concatenate(parts)


def with_asymmetry(changes: ChangeSet, figures: Sequence[SegmentFigures], inside: Mapping[int, Sequence[Step]],
                   params: ChangeParams = PARAMS) -> ChangeSet:
    """`changes` with the change of the left/right symmetry index (ASYMMETRY) of each part that has Δ rows against
    the reference; `inside`: each part's steps by id(part), as the sides table summarises them (sides.py)."""
    ref = next((g for g in figures if g.label == changes.reference), None)
    compared = [g for g in figures if g is not ref and not _no_delta(g)]
    if ref is None or not changes.rows or not compared:
        return changes
    rows: list[Change] = []
    notes: list[str] = []
    for g in compared:
        more, why = _asymmetry_rows(ref, g, inside[id(ref)], inside[id(g)], params)
        rows += more
        notes += [why] if why else []
    return replace(changes, rows=changes.rows + rows, notes=changes.notes + notes)


def _asymmetry_rows(ref: SegmentFigures, g: SegmentFigures, ref_steps: Sequence[Step], g_steps: Sequence[Step],
                    params: ChangeParams) -> tuple[list[Change], str]:
    """The symmetry index rows of `g` against `ref`, or none and why: a part measured on one foot, or whose feet
    the summary did not compare (the sensors measured together too briefly)."""
    one = [f"{x.label}: {feet_measured(s)}" for x, s in ((ref, ref_steps), (g, g_steps))
           if feet_measured(s) != "both feet"]
    if one:
        return [], f"{g.label}: no left/right symmetry Δ (it needs both feet in both parts; {', '.join(one)})"
    pairs = [(summarise(s).symmetry_index_pct, _sided(s, x)) for x, s in ((ref, ref_steps), (g, g_steps))]
    if any(p is None or not math.isfinite(index.get("contact_time", math.nan)) for index, p in pairs):
        return [], f"{g.label}: no left/right symmetry Δ (the two feet were not compared over the same time)"
    speed = speed_difference(ref, g, params)[0]
    rows = [_si_change(metric, key, figure, pairs, ref.label, g.label, speed, params)
            for metric, (key, figure) in ASYMMETRY.items()]
    return rows, ""


def _sided(steps: Sequence[Step], g: SegmentFigures) -> tuple[Step, ...] | None:
    """The part's compared steps of both feet, in time order, over the time both sensors measured (feet.py: the
    summary's own rule); None when the feet are not compared."""
    overlap = feet_overlap(steps, g.steps)
    if not isinstance(overlap, FeetOverlap):
        return None
    return tuple(sorted(overlap.left + overlap.right, key=lambda s: s.ic_time_s))


def _si_change(metric: str, key: str, figure: str, pairs: list[tuple[dict[str, float], tuple[Step, ...] | None]],
               ref_label: str, label: str, speed: str, params: ChangeParams) -> Change:
    """The change of the summary's symmetry index `key`, with the block bootstrap CI of the index computed from
    each foot's median of `figure` in each resample (symmetry_index_pct: the one formula)."""
    (ref_index, ref_steps), (g_index, g_steps) = pairs
    diff = g_index.get(key, math.nan) - ref_index.get(key, math.nan)
    if not math.isfinite(diff) or not ref_steps or not g_steps:
        return Change(metric, label, math.nan, math.nan, math.nan, True, ref_label, speed)
    rng = np.random.default_rng(params.seed)
    base, later = (_si_resampled(s, figure, params, rng) for s in (ref_steps, g_steps))
    low, high = (float(v) for v in np.nanpercentile(later - base, [2.5, 97.5]))
    floor = float(getattr(FLOORS, metric))
    noise = not (low > 0 or high < 0) or abs(diff) < floor
    return Change(metric, label, diff, low, high, noise, ref_label, speed)


_SYMMETRY = np.vectorize(symmetry_index_pct, otypes=[float])  # the summary's formula, per resample


def si_block(steps: Sequence[Step], figure: str, params: ChangeParams = PARAMS) -> int:
    """The block of both feet's steps: block_s of them at least, longer when either foot's own series of `figure`
    depends on itself longer (auto_block, counted in steps of one foot: twice that of both), at most a third."""
    v = np.array([float(getattr(s, figure)) for s in steps], dtype=float)
    left = np.array([s.side == "L" for s in steps])
    one_foot = [math.ceil(auto_block(x[np.isfinite(x)])) for x in (v[left], v[~left])] if params.auto_block else [0]
    block = max(block_length(steps, params), 2 * max(one_foot))
    return int(max(1, min(block, len(steps) * MAX_BLOCK_FRAC)))


def _si_resampled(steps: Sequence[Step], figure: str, params: ChangeParams, rng: np.random.Generator) -> np.ndarray:
    """The symmetry index of `figure` in each block-bootstrap resample of the steps (both feet kept together in a
    block of `si_block`), a chunk of rows at a time."""
    v = np.array([float(getattr(s, figure)) for s in steps], dtype=float)
    left = np.array([s.side == "L" for s in steps])
    block, n_resamples = si_block(steps, figure, params), params.n_resamples
    rows = max(1, CHUNK_VALUES // max(1, v.size))
    parts = []
    with warnings.catch_warnings():  # a resample holding one foot only: NaN, left out of the percentiles
        warnings.simplefilter("ignore", RuntimeWarning)
        for done in range(0, n_resamples, rows):
            idx = block_indices(v.size, block, min(rows, n_resamples - done), rng)
            x, is_left = v[idx], left[idx]
            parts.append(_SYMMETRY(np.nanmedian(np.where(is_left, x, np.nan), axis=1),
                                   np.nanmedian(np.where(is_left, np.nan, x), axis=1)))
    return np.concatenate(parts)
