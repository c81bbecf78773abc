"""Bad input: the analyser says what it could and could not measure instead of reporting nonsense."""

from __future__ import annotations

import math

import numpy as np
import pytest

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import Analyser, analyse_blocks, blocks_from_arrays
from footfall.analysis.summary import summarise
from footfall.errors import AnalysisError
from footfall.samples import STANDARD_GRAVITY_MPS2, SampleBlock
from footfall.virtual.runner import RunnerParams, preset, simulate

RUN = simulate(RunnerParams(duration_s=30.0, seed=9))
FOOT = RUN.feet["L"]


def _analyse(acc: np.ndarray, gyr: np.ndarray, rate: float = FOOT.rate_hz, index: np.ndarray | None = None):
    steps, report = analyse_blocks(blocks_from_arrays(acc, gyr, rate, "L", "L", 500, index))
    return steps, report, summarise(steps, {"L": report}, len(acc) / rate)


def test_standing_still_reports_no_steps_and_says_why() -> None:
    rng = np.random.default_rng(0)
    n = int(60 * 416)
    acc = np.array([0.3, 0.2, STANDARD_GRAVITY_MPS2]) + rng.normal(0, 0.05, (n, 3))
    steps, report, summary = _analyse(acc, rng.normal(0, 0.005, (n, 3)))
    assert steps == []
    assert summary.basis == "none" and [s.activity for s in summary.segments] == ["standing"]
    assert "no steps" in summary.not_measured["cadence_spm"]
    assert any("no walking or running" in w for w in report.warnings)


@pytest.mark.parametrize("seconds", [0.0, 0.05, 0.8, 3.0])
def test_very_short_files(seconds: float) -> None:
    n = int(seconds * FOOT.rate_hz)
    steps, _, summary = _analyse(FOOT.acc_mps2[:n], FOOT.gyr_radps[:n])
    assert len(steps) <= 5
    assert all(math.isnan(s.cadence_spm) or 150 < s.cadence_spm < 190 for s in steps)
    assert math.isnan(summary.combined.figures["cadence_spm"]) or 150 < summary.combined.figures["cadence_spm"] < 190
    assert any("rough" in n for n in summary.notes) == bool(summary.combined.steps)  # a few steps: say so


def test_upside_down_sensor_gives_the_same_steps() -> None:
    flip = np.diag([1.0, -1.0, -1.0])  # turned over about the toe axis
    a, _, _ = _analyse(FOOT.acc_mps2, FOOT.gyr_radps)
    b, report, summary = _analyse(FOOT.acc_mps2 @ flip, FOOT.gyr_radps @ flip)
    assert report.alignment is not None and report.alignment.good
    np.testing.assert_allclose([s.ic_time_s for s in a], [s.ic_time_s for s in b], atol=1e-9)
    print(f"upside down: strike {summary.combined.figures['strike_angle_deg']:.1f} deg")
    assert abs(summary.combined.figures["strike_angle_deg"] - RUN.params.strike_angle_deg) < 2.0


@pytest.mark.parametrize(("unit", "scale"), [("g", 1 / STANDARD_GRAVITY_MPS2), ("mg", 1000 / STANDARD_GRAVITY_MPS2)])
def test_acceleration_in_the_wrong_unit_is_said(unit: str, scale: float) -> None:
    """Arrays handed to the analyser in g: the steps are still found, but the stride and strike figures are
    nonsense (a QA run on gaitmap: stride length NaN, a +28 deg heel strike read as -28 deg forefoot) and
    nothing said why; `footfall import` refuses such a file, the analyser now says it."""
    _, clean, _ = _analyse(FOOT.acc_mps2, FOOT.gyr_radps)
    _, report, _ = _analyse(FOOT.acc_mps2 * scale, FOOT.gyr_radps)
    said = [w for w in report.warnings if "typical magnitude" in w]
    print(said)
    assert len(said) == 1 and f"(in {unit}? multiply by" in said[0]
    assert not any("typical magnitude" in w for w in clean.warnings)


@pytest.mark.parametrize("range_g", [8.0, 16.0])
def test_saturated_accelerometer_is_flagged_and_steps_still_found(range_g: float) -> None:
    run = simulate(RunnerParams(duration_s=30.0, seed=9, impact_g=range_g * 3.0, acc_range_g=range_g))
    foot = run.feet["L"]  # hard landings beyond the range: the simulated sensor clips
    steps, _, summary = _analyse(foot.acc_mps2, foot.gyr_radps)
    truth = [c for c in foot.truth.contacts if 0.3 < c.ic_s < 29.5]
    assert abs(len([s for s in steps if 0.3 < s.ic_time_s < 29.5]) - len(truth)) <= 1
    flagged = [s for s in steps if "saturated" in s.flags]
    print(f"{range_g:g} g: {len(flagged)} of {len(steps)} steps flagged saturated; notes {summary.notes}")
    assert len(flagged) > 0.5 * len(steps)
    assert any("lower bound" in n for n in summary.notes)


def test_gaps_short_ones_bridged_long_ones_split() -> None:
    n = len(FOOT.acc_mps2)
    keep = np.ones(n, bool)
    keep[5000:5003] = False  # 7 ms: a lost packet
    keep[9000:9600] = False  # 1.4 s: link lost
    idx = np.flatnonzero(keep)
    steps, report, summary = _analyse(FOOT.acc_mps2[keep], FOOT.gyr_radps[keep], index=idx)
    assert report.gaps == 2 and report.missing_samples == 603
    assert any("gap_bridged" in s.flags for s in steps)
    after = [s for s in steps if "gap_before" in s.flags]
    assert len(after) == 1 and math.isnan(after[0].cadence_spm)  # no stride across the long gap
    assert any("gaps" in note for note in summary.notes)
    full, _, _ = _analyse(FOOT.acc_mps2, FOOT.gyr_radps)
    assert len(full) - len(steps) <= 3  # only the steps inside the long gap are lost
    keep[9000:11500] = False  # 6 s without samples: "no data", not a rest (it read "standing")
    idx = np.flatnonzero(keep)
    _, _, summary = _analyse(FOOT.acc_mps2[keep], FOOT.gyr_radps[keep], index=idx)
    assert [s.activity for s in summary.segments] == ["running", "no data", "running"]


_INTEGRATED = ("stride_length_m", "speed_mps", "foot_velocity_at_ic_mps", "overstride_index")


def test_lost_packets_leave_out_only_what_was_integrated_through_them() -> None:
    """A bridged gap is a straight line where the foot turned. Every 40th packet of 20 samples (48 ms) lost:
    a step whose span holds a gap is flagged gap_bridged, and its stride measures no length, speed or
    overstride when the gap lies in it; nothing comes out different from the run without the loss."""
    idx = np.flatnonzero((np.arange(len(FOOT.acc_mps2)) // 20) % 40 != 17)
    lossy, report, _ = _analyse(FOOT.acc_mps2[idx], FOOT.gyr_radps[idx], index=idx)
    full = {round(s.ic_time_s, 6): s for s in _analyse(FOOT.acc_mps2, FOOT.gyr_radps)[0]}
    same = [s for s in lossy if round(s.ic_time_s, 6) in full]
    dropped = [s for s in same if "gap_bridged" in s.flags and math.isnan(s.stride_length_m)]
    print(f"{report.gaps} gaps, {len(lossy)} steps: {len(same)} at the same IC, "
          f"{sum('gap_bridged' in s.flags for s in lossy)} flagged, {len(dropped)} without a stride length")
    assert report.gaps >= 15 and len(same) >= len(lossy) - 2 and len(dropped) >= 8
    for s in same:  # each integrated figure is the loss-free one, or not measured
        ref = full[round(s.ic_time_s, 6)]
        for f in _INTEGRATED[:3]:  # (the overstride index also weighs the run's other strides)
            # (the alignment is learnt from the first 12 s of samples received: 1e-8 apart)
            assert math.isnan(getattr(s, f)) or getattr(s, f) == pytest.approx(getattr(ref, f), rel=1e-6), (s, f)


def test_a_contact_cut_by_a_long_gap_measures_no_stride() -> None:
    """The link drops for 1 s 150 ms after a landing: that contact's foot-flat may not have been seen, so its
    stride (which would end there) gives no length, speed or strike angle; the steps before it keep theirs."""
    full = _analyse(FOOT.acc_mps2, FOOT.gyr_radps)[0]
    land = next(s for s in full if s.ic_time_s > 15.0)
    cut = int((land.ic_time_s + 0.15) * FOOT.rate_hz)
    keep = np.ones(len(FOOT.acc_mps2), bool)
    keep[cut : cut + int(FOOT.rate_hz)] = False
    idx = np.flatnonzero(keep)
    steps = _analyse(FOOT.acc_mps2[idx], FOOT.gyr_radps[idx], index=idx)[0]
    hit = min(steps, key=lambda s: abs(s.ic_time_s - land.ic_time_s))
    before = [s for s in steps if s.ic_time_s < land.ic_time_s - 0.1 and np.isfinite(s.stride_length_m)]
    print(f"cut contact: flags {hit.flags}, stride {hit.stride_length_m}, strike {hit.strike_angle_deg}")
    assert abs(hit.ic_time_s - land.ic_time_s) < 0.005 and {"no_toe_off", "gap_after"} <= set(hit.flags)
    assert math.isnan(hit.stride_length_m) and math.isnan(hit.strike_angle_deg) and math.isfinite(land.stride_length_m)
    assert len(before) > 10


def test_duplicate_samples_are_dropped_not_double_counted() -> None:
    a = Analyser(AnalysisParams(), "L", "L", FOOT.rate_hz)
    for lo in range(0, 8000, 1000):
        hi = lo + 1200  # overlapping blocks
        a.feed(SampleBlock("L", "L", FOOT.rate_hz, lo, FOOT.acc_mps2[lo:hi], FOOT.gyr_radps[lo:hi]))
    assert a.report.duplicate_samples == 7 * 200 and a.report.samples == 8200


def test_rate_change_is_an_error() -> None:
    a = Analyser(AnalysisParams(), "L", "L", 416.0)
    with pytest.raises(AnalysisError):
        a.feed(SampleBlock("L", "L", 208.0, 0, FOOT.acc_mps2[:10], FOOT.gyr_radps[:10]))


def test_no_gyroscope_counts_steps_and_says_what_is_missing() -> None:
    nan = np.full_like(FOOT.gyr_radps, np.nan)
    steps, report, summary = _analyse(FOOT.acc_mps2, nan)
    assert not report.has_gyro
    truth = [c.ic_s for c in FOOT.truth.contacts if 0.3 < c.ic_s < 29.5]
    found = [s.ic_time_s for s in steps if 0.3 < s.ic_time_s < 29.5]
    err = [min(abs(np.array(found) - t)) * 1000 for t in truth]
    print(f"accelerometer only: {len(found)} of {len(truth)} steps, IC |error| median {np.median(err):.1f} ms")
    assert abs(len(found) - len(truth)) <= 1 and np.median(err) < 5.0
    assert all("acc_only" in s.flags for s in steps)
    assert abs(summary.combined.figures["cadence_spm"] - FOOT.truth.cadence_spm) < 1.0
    assert "no gyroscope" in summary.not_measured["contact_time_ms"]
    assert any("no gyroscope" in n for n in summary.notes)


@pytest.mark.parametrize("gyro", ["dead", "rad/s read as deg/s"])
def test_a_silent_gyroscope_is_left_out_not_taken_for_standing(gyro: str) -> None:
    """A gyroscope that reads nothing while the foot runs (dead, or scaled 57x too small by a unit slip) gave
    "no steps found: standing still"; now the accelerometer alone finds the steps and the note says why."""
    gyr = np.zeros_like(FOOT.gyr_radps) if gyro == "dead" else np.radians(FOOT.gyr_radps)
    steps, report, summary = _analyse(FOOT.acc_mps2, gyr)
    truth = [c.ic_s for c in FOOT.truth.contacts if 0.3 < c.ic_s < 29.5]
    print(f"{gyro}: {len(steps)} steps of {len(truth)}; {report.warnings[0][:90]}...")
    assert not report.has_gyro and abs(len(steps) - len(truth)) <= 1
    assert "the gyroscope reads at most" in report.warnings[0] and summary.basis == "running"
    assert abs(summary.combined.figures["cadence_spm"] - FOOT.truth.cadence_spm) < 1.0


def test_walking_only_session_reports_walking_figures() -> None:
    run = simulate(preset("walk", duration_s=40.0, seed=3))
    f = run.feet["R"]
    steps, _, summary = _analyse(f.acc_mps2, f.gyr_radps, f.rate_hz)
    print(f"walking only: basis {summary.basis}, cadence {summary.combined.figures['cadence_spm']:.1f}")
    assert summary.basis == "walking"
    assert abs(summary.combined.figures["cadence_spm"] - RUN.params.walk_cadence_spm) < 3.0
    assert summary.cadence_note.startswith("one foot")
    # the overstride index's norm is a running one: every walking step would read as overstriding
    assert math.isnan(summary.combined.figures["overstride_index"]) and math.isfinite(steps[5].overstride_index)
    assert summary.not_measured["overstride_index"].startswith("running only")


def test_a_coarse_sample_rate_gives_steps_and_cadence_only_and_a_too_coarse_one_is_refused() -> None:
    """At 20 Hz a 0.25 s contact is five samples: stride length read 19 % short (1.92 m for 2.38) without a
    word. Now only the steps and cadence are given, and below 10 Hz (5 Hz found 30 of 41 steps) nothing."""
    run = simulate(RunnerParams(duration_s=30.0, seed=4, rate_hz=100))
    foot = run.feet["L"]
    acc, gyr = foot.acc_mps2[::5], foot.gyr_radps[::5]
    steps, report, summary = _analyse(acc, gyr, 20.0)
    truth = [c for c in foot.truth.contacts if 0.3 < c.ic_s < 29.5]
    f = summary.combined.figures
    print(f"20 Hz: {len(steps)} steps of {len(truth)}, cadence {f['cadence_spm']:.1f}; {report.warnings[-1]}")
    assert abs(len([s for s in steps if 0.3 < s.ic_time_s < 29.5]) - len(truth)) <= 1
    assert abs(f["cadence_spm"] - foot.truth.cadence_spm) < 1.0
    for name in ("stride_length_m", "contact_time_ms", "strike_angle_deg", "impact_g"):
        assert math.isnan(f[name]) and "too coarsely" in summary.not_measured[name], name
    assert any("below the 50 Hz" in n for n in summary.notes)
    at_50 = _analyse(foot.acc_mps2[::2], foot.gyr_radps[::2], 50.0)[2]  # measured, with a word of caution
    assert math.isfinite(at_50.combined.figures["stride_length_m"])
    assert any("below the 100 Hz the figures are validated at" in n for n in at_50.notes)
    assert not any("validated at" in n for n in _analyse(foot.acc_mps2, foot.gyr_radps, 100.0)[2].notes)
    with pytest.raises(AnalysisError, match="too few to count steps"):
        _analyse(foot.acc_mps2[::20], foot.gyr_radps[::20], 5.0)
