"""Session summary per foot and combined, saying what could and could not be measured.

Figures are medians over the steps of the main activity (running when the session holds at least
`_MIN_STEPS` running steps, else walking: the activity of the segment each step is counted in, segments.py), so
warm-ups and stops do not dilute them. Every figure says how many steps or strides it rests on
(`FootSummary.counts`); under `MIN_FIGURE_N` it is not measured, and a note says when it rests on under
`_FEW_STEPS` or under half of them. A figure withheld whatever its count (clipped, running only, the flight time
of one foot) counts 0: the steps left are no basis for it.

Strides flagged "poor_zupt" (over 1.5 m/s of velocity drift removed) count in every figure: they measured as
well as the others (pyshoe jogging, per stride against Vicon: median |error| 1.75 % flagged, 1.72 % not; the
trials' summary stride length 0.89 % median |error| with them, 1.21 % without; RBDS: 46 of 78 treadmill strides
flagged, their median speed 2.505 m/s on a 2.5 m/s belt), so the flag informs and removes nothing. Strides
flagged "turn" count in stride length and speed: both are chords (mid-stance to mid-stance), as the
validation's reference is; on the 44 pyshoe trials the median |error| of the trials' figure against Vicon's
median stride is 1.2 % (jogging) and 1.3 % (walking) with them, 12 % and 10 % without them (up to 18 of 20
strides turn there, and the figure rested on one or two; docs/algorithms.md). They do not count in the foot
velocity at IC, the braking or the overstride index (`counts_in`): those take "forward" along the chord, and a
foot landing out of a turn moves along a heading up to half the turn away from it. The impact is a lower
bound when the accelerometer clipped. When sensor clipping withheld a figure on more than `MAX_CLIPPED_SHARE`
of the strides (clipping.py), the session figure is not measured either: the strides left are the gentler ones
(pyshoe jogging clipped at 4 g: the trials' medians of the strides left read 1-21 % short, while those strides
were within 0.25 % (median) of the unclipped ones).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from footfall.analysis.cadence import STRIDE_BAND_FRAC, session_cadence
from footfall.analysis.calib import Calibration, StillParams
from footfall.analysis.clipping import INTEGRATED, TIMING, ClipParams
from footfall.analysis.feet import FeetNotCompared, FeetOverlap, covered_span, feet_overlap, span_text
from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import AnalyserReport
from footfall.analysis.segments import Segment, activity_of_steps, segments
from footfall.analysis.step import Pattern, Step
from footfall.finite import median, null_nan
from footfall.words import counted

_MIN_STEPS = 5
FIGURES = (
    "cadence_spm",
    "stride_length_m",
    "speed_mps",
    "contact_time_ms",
    "swing_time_ms",
    "flight_time_ms",
    "strike_angle_deg",
    "overstride_index",
    "foot_velocity_at_ic_mps",
    "braking_mps2",
    "impact_g",
)
ALONG_CHORD = ("foot_velocity_at_ic_mps", "braking_mps2", "overstride_index")  # "forward" = the stride's chord
_SKIP_FLAGS = {name: ("turn",) for name in ALONG_CHORD}
STRIDE_FIGURES = ("cadence_spm", "stride_length_m", "speed_mps")  # counted in strides; the others in steps
MIN_FIGURE_N = 3  # a figure resting on fewer steps or strides is not measured: a median of 1 or 2 is no median
_CLIPPED = {  # step flag -> the figures it withholds (clipping.withhold_clipped), and what clipped
    "saturated_stride": (INTEGRATED, f"the accelerometer clipped for {ClipParams().acc_stride_ms:g} ms or more",
                         "+-16 g"),
    "gyro_saturated": (INTEGRATED + TIMING, f"the gyroscope clipped for {ClipParams().gyr_stride_ms:g} ms or more",
                       "+-2000 dps"),
}
MAX_CLIPPED_SHARE = 0.1
_FEW_STEPS = 10  # fewer steps than this per foot: the medians are rough
COVERAGE_SAME = 0.9  # two sensors whose measured times are within 10% give the session distance together
RUNNING_ONLY = ("overstride_index",)  # its break points and cadence norm are running values (overstride.py)


@dataclass(frozen=True)
class FootSummary:
    sensor: str  # sensor id, or "combined"
    side: str
    steps: int  # ground contacts of the main activity (both feet for "combined")
    figures: dict[str, float]  # medians, NaN = not measured (see Summary.not_measured)
    pattern_shares: dict[str, float]  # share of steps per strike pattern, 0..1
    distance_m: float  # sum of the measured stride lengths (all activities); combined: the feet's mean
    # per figure, the steps (strides for STRIDE_FIGURES) its median rests on, also when that is too few for one;
    # 0 for a figure withheld whatever its count
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    basis: str  # "running", "walking" or "none": which steps the figures describe
    feet: dict[str, FootSummary]
    combined: FootSummary
    segments: list[Segment]
    cadence_note: str
    not_measured: dict[str, str] = field(default_factory=dict)  # figure -> why
    notes: list[str] = field(default_factory=list)
    # two feet: 200 (L - R) / (L + R) of contact_time, stride_length, impact and flight_time; strike angles
    # (near 0, where a ratio means nothing) as a difference; both over the time both sensors measured (feet.py),
    # NaN when that is too short
    symmetry_index_pct: dict[str, float] = field(default_factory=dict)
    strike_angle_diff_deg: float = math.nan  # left minus right

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        # a first sample at -0.00003 s (a CSV's 0.000000 on the time base) starts at 0, not -0.0, once rounded
        d["segments"] = [asdict(s) | {"start_s": round(s.start_s, 4) + 0.0, "duration_s": s.duration_s}
                         for s in self.segments]
        return null_nan(d, digits=4)  # type: ignore[return-value]  # NaN: not measured


def _clipped_flag(steps: Sequence[Step], name: str) -> str | None:
    """The clipping flag that withheld figure `name` on more than MAX_CLIPPED_SHARE of `steps`, if any."""
    for flag, (figures, _, _) in _CLIPPED.items():
        if name in figures and sum(flag in s.flags for s in steps) > MAX_CLIPPED_SHARE * len(steps):
            return flag
    return None


def _median(steps: Sequence[Step], name: str) -> float:
    return _figure(steps, name)[0]


def _figure(steps: Sequence[Step], name: str) -> tuple[float, int]:
    """(median, how many steps it rests on): NaN under MIN_FIGURE_N; (NaN, 0) when clipping withheld it (the
    strides left are no basis for it: a count beside it would claim one)."""
    if name == "cadence_spm":
        return _cadence(steps)
    if _clipped_flag(steps, name):
        return math.nan, 0
    used = used_values(steps, name)
    return (median(used) if len(used) >= MIN_FIGURE_N else math.nan), len(used)


def used_values(steps: Sequence[Step], name: str) -> list[float]:
    """The finite values behind figure `name`, in the steps' order (cadence: their stride times), of the steps
    it counts (`counts_in`): what the median takes, and what a Δ's interval resamples (report/change.py)."""
    return [v for s, v in zip(steps, _values(steps, name)) if counts_in(s, name) and math.isfinite(v)]


def rules() -> dict[str, object]:
    """The summary's own rules, for a results file's provenance (report/export.py): which steps a figure counts
    and when it is withheld or called rough."""
    return {"min_basis_steps": _MIN_STEPS, "min_figure_n": MIN_FIGURE_N, "few_steps": _FEW_STEPS,
            "stride_band_frac": STRIDE_BAND_FRAC, "max_clipped_share": MAX_CLIPPED_SHARE,
            "coverage_same_frac": COVERAGE_SAME, "skip_flags": {k: list(v) for k, v in _SKIP_FLAGS.items()}}


def counts_in(step: Step, name: str) -> bool:
    """Whether `step`'s `name` counts in the summary's figure (a turning stride's along-chord figures do not):
    the rule every figure built beside the summary's (a Δ's interval, the index's components) keeps too."""
    return not any(f in step.flags for f in _SKIP_FLAGS.get(name, ()))


def _cadence(steps: Sequence[Step]) -> tuple[float, int]:
    """The session's cadence and the strides it averages (cadence.session_cadence: within STRIDE_BAND_FRAC of
    the median)."""
    spm, n = session_cadence(np.array([s.stride_time_s for s in steps], float))
    return (spm if n >= MIN_FIGURE_N else math.nan), n


def _foot(sensor: str, side: str, steps: Sequence[Step], all_steps: Sequence[Step],
          withheld: Sequence[str] = ()) -> FootSummary:  # fmt: skip
    measured = {name: (math.nan, 0) if name in withheld else _figure(steps, name) for name in FIGURES}
    figures = {name: value for name, (value, _) in measured.items()}
    known = [s for s in steps if s.pattern != Pattern.UNKNOWN]
    shares = {p.value: (sum(s.pattern == p for s in known) / len(known) if known else math.nan) for p in Pattern if p != Pattern.UNKNOWN}
    lengths = np.array([s.stride_length_m for s in all_steps], float)
    distance = float(np.nansum(lengths)) if np.isfinite(lengths).any() else math.nan
    return FootSummary(sensor, side, len(steps), figures, shares, distance, {k: n for k, (_, n) in measured.items()})


def _basis(steps: Sequence[Step], acts: Sequence[str]) -> str:
    for activity in ("running", "walking"):
        if sum(a == activity for a in acts) >= _MIN_STEPS:
            return activity
    return "none" if not steps else ("running" if acts.count("running") >= acts.count("walking") else "walking")


def summarise(
    steps: Sequence[Step],
    reports: Mapping[str, AnalyserReport] | None = None,
    duration_s: float = math.nan,
    params: AnalysisParams | None = None,
    start_s: float = 0.0,
) -> Summary:
    """Summary of a session's steps (any number of sensors); `reports` add alignment and input warnings.
    `start_s` and `duration_s`: the times of the first and the last sample (the segments span them)."""
    reports = reports or {}
    ordered = sorted(steps, key=lambda s: s.ic_time_s)
    segs = segments(ordered, params, duration_s, start_s)
    acts = activity_of_steps(ordered, segs)
    basis = _basis(ordered, acts)
    main = [s for s, a in zip(ordered, acts) if a == basis]
    sensors = list(dict.fromkeys([s.sensor for s in ordered] + list(reports)))
    two = len(sensors) == 2
    only = (() if basis == "running" else RUNNING_ONLY) + (("flight_time_ms",) if len(sensors) < 2 else ())
    sides = {s.sensor: s.side for s in ordered}  # left foot first, whichever stepped first
    sensors.sort(key=lambda name: {"L": 0, "R": 1}.get(sides.get(name, "?"), 2))
    feet = {}
    for sensor in sensors:
        mine = [s for s in main if s.sensor == sensor]
        side = next((s.side for s in ordered if s.sensor == sensor), "?")
        feet[sensor] = _foot(sensor, side, mine, [s for s in ordered if s.sensor == sensor], only)
    combined = _foot("combined", "both", main, ordered, only)
    combined = replace(combined, distance_m=_distance_m(feet, ordered))
    note = (
        "both feet: steps of the two sensors counted together (per step 60 / step time; session 120 / mean stride)"
        if two
        else "one foot: steps = 2 x strides (cadence = 120 / stride time)"
    )
    index, strike_diff, overlap = _asymmetry(ordered, main, feet) if two else ({}, math.nan, None)
    notes = _notes(ordered, reports, feet) + _count_notes(main, feet, combined, params) + _overlap_notes(overlap)
    return Summary(basis, feet, combined, segs, note, _not_measured(combined, ordered, main, reports, two, basis),
                   notes, index, strike_diff)  # fmt: skip


def _distance_m(feet: Mapping[str, FootSummary], steps: Sequence[Step]) -> float:
    """Each foot's strides cover the whole run on their own: the distance is their mean, not their sum. When one
    sensor measured a clearly shorter time (it dropped out, or joined late), the foot measured longer gives it."""
    walked = {name: f.distance_m for name, f in feet.items() if math.isfinite(f.distance_m)}
    if not walked:
        return math.nan
    covered = {name: _length_s(covered_span([s for s in steps if s.sensor == name])) for name in walked}
    longest = max(covered.values())
    if min(covered.values()) >= COVERAGE_SAME * longest:
        return float(np.mean(list(walked.values())))
    return walked[max(covered, key=lambda name: covered[name])]


def _length_s(span: tuple[float, float] | None) -> float:
    return span[1] - span[0] if span is not None else 0.0


def _not_measured(c: FootSummary, steps: Sequence[Step], main: Sequence[Step], reports: Mapping[str, AnalyserReport],
                  two: bool, basis: str) -> dict[str, str]:  # fmt: skip
    why: dict[str, str] = {}
    gyro = all(r.has_gyro for r in reports.values())
    for name, value in c.figures.items():
        if not math.isnan(value):
            continue
        clipped = _clipped_flag(main, name)
        if main and name != "cadence_spm" and all("low_rate" in s.flags for s in main):
            why[name] = "sampled too coarsely to time a ground contact (see the notes): steps and cadence only"
        elif clipped:
            _, what, remedy = _CLIPPED[clipped]
            n = sum(clipped in s.flags for s in main)
            why[name] = (f"{what} in {n} of {len(main)} strides (the sensor's range is too small for this gait: "
                         f"{remedy} is enough); the strides left are the gentler ones")
        elif not gyro and not steps:
            why[name] = "no gyroscope: steps are detected from the pitch rate, so nothing could be measured"
        elif not steps:
            why[name] = "no steps found: standing still, too short, or the sensor is not on a foot"
        elif name in RUNNING_ONLY and basis != "running":
            why[name] = (f"running only: its cadence norm and break points are running values, and these steps "
                         f"were {basis} (each step's record keeps its own)")
        elif name == "flight_time_ms" and not two:
            why[name] = "needs a sensor on each foot"
        elif c.counts.get(name, 0) < MIN_FIGURE_N and any(map(math.isfinite, _values(main, name))):
            why[name] = f"a median needs {MIN_FIGURE_N} or more: {_rests_on(main, name, c.counts[name])}"
        elif not gyro and name != "impact_g":
            why[name] = "no gyroscope: the toe-off and the foot's orientation are not observable"
        elif name in ("cadence_spm", "swing_time_ms") or name in _SKIP_FLAGS:
            why[name] = "no complete stride (steps too few or too far apart: see the step flags)"
        else:
            why[name] = "no stride could be measured (see the step flags)"
    return why


def _calibration_note(cal: Calibration) -> str:
    if not cal.measured:
        still = StillParams()
        return (f"not calibrated: no 1 s that reads as standing in the first seconds (none was stood, or the "
                f"sensor is noisier than {still.steady_g:g} g / {np.degrees(still.steady_radps):.1f} deg/s when still):"
                " stride lengths rest on the sensor's own calibration; stand still for 2 s before you start")
    dps = np.degrees(cal.gyro_offset_radps)
    note = (f"calibrated on {cal.still_s:.1f} s of standing: gyroscope offset ({dps[0]:+.2f}, {dps[1]:+.2f}, "
            f"{dps[2]:+.2f}) deg/s removed; the accelerometer reads {cal.standing_g:.3f} g standing")
    if abs(cal.standing_g - 1.0) > StillParams().warn_g:
        note += (f", {abs(cal.standing_g - 1) * 100:.0f} % off: its gain or zero-g offset is off, and stride "
                 "lengths can be off by as much")
    return note


def _notes(steps: Sequence[Step], reports: Mapping[str, AnalyserReport], feet: Mapping[str, FootSummary]) -> list[str]:
    notes: list[str] = []
    few = {f.sensor: f.steps for f in feet.values() if 0 < f.steps < _FEW_STEPS}
    if few:
        counts = ", ".join(f"{name} {n}" for name, n in few.items())
        steps_word = "step" if list(few.values()) == [1] else "steps"
        notes.append(f"only {counts} {steps_word} of the main activity: medians of under {_FEW_STEPS} steps per foot "
                     "are rough; record at least 30 s")
    for sensor, r in reports.items():
        notes.extend(f"{sensor}: {w}" for w in r.warnings)
        if r.has_gyro and r.alignment is not None:
            notes.append(f"{sensor}: {_calibration_note(r.calibration)}")
        if r.gaps:
            notes.append(f"{sensor}: {counted(r.gaps, 'gaps')}, {counted(r.missing_samples, 'samples')} missing "
                         "(short ones bridged)")
    clipped = sum("saturated" in s.flags for s in steps)
    if clipped:
        notes.append(f"the accelerometer clipped on {clipped} steps: their impact is a lower bound")
    for flag, (_, what, _) in _CLIPPED.items():
        n = sum(flag in s.flags for s in steps)
        if n:
            notes.append(f"{what} in {n} strides: what it spoilt is not measured on them (see the step flags)")
    if any("no_toe_off" in s.flags for s in steps):
        notes.append("some contacts ended without a toe-off (stops or end of recording): no contact time for them")
    return notes


def _unit(name: str) -> str:
    return "strides" if name in STRIDE_FIGURES else "steps"


def _values(steps: Sequence[Step], name: str) -> list[float]:
    """Each step's value of figure `name` (cadence: its stride time), flagged or not."""
    return [float(getattr(s, name)) if name != "cadence_spm" else s.stride_time_s for s in steps]


def _rests_on(main: Sequence[Step], name: str, n: int) -> str:
    """"1 of 20 strides used; left out: turn 18, not measured 1": a stride left out under each skip flag it
    carries (then "a stride can carry several"), else as not measured (or, cadence, outside the band)."""
    left_out = _left_out(main, name, n)
    why = ", ".join(f"{k} {v}" for k, v in sorted(left_out.items(), key=lambda kv: -kv[1]))
    several = f" (a {_unit(name)[:-1]} can carry several)" if sum(left_out.values()) > len(main) - n else ""
    return f"{n} of {len(main)} {_unit(name)} used" + (f"; left out: {why}{several}" if why else "")


def _left_out(main: Sequence[Step], name: str, n: int) -> dict[str, int]:
    """Why the steps of `main` not among the `n` used were left out: reason -> count."""
    left_out: dict[str, int] = {}
    for step, value in zip(main, _values(main, name)):
        skipped = [f for f in _SKIP_FLAGS.get(name, ()) if f in step.flags]
        for reason in skipped or ([] if math.isfinite(value) else ["not measured"]):
            left_out[reason] = left_out.get(reason, 0) + 1
    if name == "cadence_spm" and len(main) - n - sum(left_out.values()) > 0:
        left_out[f"over {STRIDE_BAND_FRAC:.0%} off the median stride"] = len(main) - n - sum(left_out.values())
    return left_out


def _count_notes(main: Sequence[Step], feet: Mapping[str, FootSummary], combined: FootSummary,
                 params: AnalysisParams | None) -> list[str]:  # fmt: skip
    """A note per group of figures resting on under _FEW_STEPS or under half of the main activity's steps (the
    few-steps note covers a session that has under _FEW_STEPS of them); with two feet also per foot, and for a
    foot's figure withheld where the combined one is not; one more when most strides turned."""
    whose = [("", main, combined)] + [(f"{name}: ", [s for s in main if s.sensor == name], foot)
                                      for name, foot in feet.items() if len(feet) > 1]
    groups: dict[tuple[str, str], list[str]] = {}
    for prefix, mine, foot in whose:
        for name, n in foot.counts.items():
            if _few(foot.figures[name], n, len(mine)) or (prefix and _withheld(foot, combined, name)):
                groups.setdefault((prefix, _rests_on(mine, name, n)), []).append(name)
    notes = [f"{prefix}{', '.join(names)}: {_rough_or_not(names, prefix, feet)}, {why}"
             for (prefix, why), names in groups.items()]
    turned = sum("turn" in s.flags for s in main)
    if main and turned >= len(main) / 2:
        limit_deg = (params or AnalysisParams()).turn_yaw_deg
        notes.append(f"{turned} of {len(main)} steps ended a stride that turned more than {limit_deg:g} deg: stride "
                     "length and speed are chords (mid-stance to mid-stance), shorter than a curved path")
    return notes


def _few(value: float, n: int, total: int) -> bool:
    return math.isfinite(value) and (n < total / 2 or n < _FEW_STEPS <= total)


def _withheld(foot: FootSummary, combined: FootSummary, name: str) -> bool:
    """A foot's figure not measured for too few steps while the combined one is measured (not_measured is the
    combined figure's)."""
    return 0 < foot.counts[name] < MIN_FIGURE_N and math.isfinite(combined.figures[name])


def _rough_or_not(names: Sequence[str], prefix: str, feet: Mapping[str, FootSummary]) -> str:
    foot = feet.get(prefix.rstrip(": "))
    if foot is not None and math.isnan(foot.figures[names[0]]):
        return "not measured"
    return f"read {'them' if len(names) > 1 else 'it'} as rough"


def counts_text(summary: Summary) -> str:
    """"figures rest on: cadence 40 strides, stride length 38 strides, contact time 41 steps, ..." (combined); "–"
    for a figure that rests on none: withheld (clipped, running only, flight time of one foot) or not measured."""
    counts, both = summary.combined.counts, " (both feet)" if len(summary.feet) > 1 else ""
    return f"figures rest on{both}: " + ", ".join(
        f"{_label(name)} {counted(counts[name], _unit(name)) if counts[name] else '–'}" for name in FIGURES
        if name in counts)


def _label(name: str) -> str:
    """"stride length" for stride_length_m: the name without its unit."""
    words = name.split("_")
    words = words[:-1] if words[-1] in ("spm", "m", "mps", "ms", "deg", "mps2", "g") else words
    return " ".join("IC" if w == "ic" else w for w in words)


_SYMMETRY = ("contact_time_ms", "stride_length_m", "impact_g", "flight_time_ms")
Overlap = FeetOverlap | FeetNotCompared | None


def _asymmetry(steps: Sequence[Step], main: Sequence[Step],
               feet: Mapping[str, FootSummary]) -> tuple[dict[str, float], float, Overlap]:  # fmt: skip
    """(symmetry index per figure, strike angle difference, the steps compared): each foot's main-activity steps
    over the time both sensors measured, the rule the advice's comparison follows (feet.py)."""
    overlap = feet_overlap(steps, main, feet=_left_right(feet), foot_of=lambda s: s.sensor)
    if not isinstance(overlap, FeetOverlap):
        return {name.rsplit("_", 1)[0]: math.nan for name in _SYMMETRY}, math.nan, overlap
    left, right = overlap.left, overlap.right
    index = {name.rsplit("_", 1)[0]: symmetry_index_pct(_median(left, name), _median(right, name))
             for name in _SYMMETRY}
    return index, _median(left, "strike_angle_deg") - _median(right, "strike_angle_deg"), overlap


def _left_right(feet: Mapping[str, FootSummary]) -> tuple[str, str]:
    """The sensors of the left and the right foot (without one of each side: the first two sensors)."""
    by_side = {f.side: name for name, f in feet.items()}
    if "L" in by_side and "R" in by_side:
        return by_side["L"], by_side["R"]
    first, second = list(feet)[:2]
    return first, second


def _overlap_notes(overlap: Overlap) -> list[str]:
    if isinstance(overlap, FeetNotCompared):
        return [f"left/right not compared: {overlap.describe()}"]
    if overlap is not None and overlap.span is not None:
        return [f"left/right figures over {span_text(overlap.span)}, the time both sensors measured"]
    return []


def symmetry_index_pct(left: float, right: float) -> float:
    """Left/right asymmetry: 200 (L - R) / (L + R) in % (0 = symmetric; Robinson et al. 1987)."""
    return 200.0 * (left - right) / (left + right) if (left + right) else math.nan
