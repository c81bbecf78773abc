"""The contact detector's fast paths give exactly what the plain computations they replace give.

The cached series (analysis/buffer.py: WindowSeries) are checked against np.convolve / np.einsum over the
same samples for random block cuts and trims, bit for bit; the small helpers of contacts.py against the
numpy formulations they replaced; and an offline Analyser (no provisional landings kept, so none measured)
against a live one, step for step.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from footfall.analysis.buffer import CentredMean, GyrEnergy, SampleWindow, WindowSeries
from footfall.analysis.series import refine_min, runs
from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import Analyser
from footfall.samples import SampleBlock
from footfall.virtual.runner import RunnerParams, simulate


def _reference_mean(gyr: np.ndarray, lo: int, hi: int, half: int) -> np.ndarray:
    """The toe-up rate as contacts.py computed it before the cache: a fresh np.convolve per request."""
    raw = -gyr[lo - half : hi + half, 1]
    return np.convolve(raw, np.ones(2 * half + 1) / (2 * half + 1), mode="valid")


def _reference_energy(gyr: np.ndarray, lo: int, hi: int, half: int) -> np.ndarray:
    g = gyr[lo:hi]
    return np.einsum("ij,ij->i", g, g)


@pytest.mark.parametrize(
    ("series", "reference", "half"),
    [(CentredMean(3, axis=1, sign=-1.0), _reference_mean, 3), (CentredMean(8, axis=1, sign=-1.0), _reference_mean, 8),
     (GyrEnergy(), _reference_energy, 0)],
    ids=["mean-3", "mean-8", "energy"],
)  # fmt: skip
def test_cached_series_equal_the_direct_computation_for_any_cuts_and_trims(
    series: WindowSeries, reference: object, half: int
) -> None:
    rng = np.random.default_rng(7)
    gyr = rng.normal(0.0, 3.0, (6000, 3))
    win, lo_seen, checked = SampleWindow(100), 0, 0
    first = 100
    for _ in range(400):
        n = int(rng.integers(1, 60))
        at = win.end - first
        win.append(np.zeros((len(gyr[at : at + n]), 3)), gyr[at : at + n])
        if win.end - first >= len(gyr):
            break
        if rng.random() < 0.1:  # the detector lets old samples go
            win.trim(win.start + int(rng.integers(0, max(1, (win.end - win.start) // 2))))
        lo_min = max(win.start + half, lo_seen)
        if win.end - half <= lo_min:
            continue
        lo = int(rng.integers(lo_min, win.end - half))
        hi = int(rng.integers(lo + 1, win.end + 3))  # sometimes past the data: answered directly, as before
        got = series.at(win, lo, hi)
        want = reference(gyr, lo - first, hi - first, half)  # type: ignore[operator]
        if hi + half > win.end:  # the reference must see only the samples present
            want = reference(gyr[: win.end - first], lo - first, hi - first, half)  # type: ignore[operator]
        assert got.shape == want.shape and np.array_equal(got, want), (lo, hi)
        lo_seen, checked = lo - 40, checked + 1  # reads go back a little, as the detector's do
    print(f"{checked} ranges compared bit for bit")
    assert checked > 100


def test_cached_series_start_over_for_a_new_window() -> None:
    gyr = np.random.default_rng(1).normal(0.0, 2.0, (300, 3))
    series = CentredMean(3, axis=1, sign=-1.0)
    a, b = SampleWindow(0), SampleWindow(0)
    a.append(np.zeros((300, 3)), gyr)
    b.append(np.zeros((300, 3)), -gyr)
    assert np.array_equal(series.at(a, 10, 50), _reference_mean(gyr, 10, 50, 3))
    assert np.array_equal(series.at(b, 10, 50), _reference_mean(-gyr, 10, 50, 3))


def _reference_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    edges = np.diff(np.concatenate(([0], mask.view(np.int8), [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def test_runs_match_the_diff_formulation() -> None:
    rng = np.random.default_rng(3)
    masks = [np.zeros(0, bool), np.ones(1, bool), np.zeros(1, bool), np.ones(9, bool)]
    masks += [rng.random(int(rng.integers(1, 200))) < p for p in rng.random(300)]
    for mask in masks:
        got, want = runs(mask), _reference_runs(mask)
        assert all(np.array_equal(g, w) for g, w in zip(got, want)), mask


def test_refine_min_matches_the_numpy_formulation() -> None:
    rng = np.random.default_rng(5)
    for _ in range(500):
        y = rng.normal(0.0, 1.0, 7) * (10.0 ** rng.integers(-3, 3))
        j = int(rng.integers(0, 7))
        want = float(j)
        if 0 < j < 6 and (den := y[j - 1] - 2 * y[j] + y[j + 1]) != 0:
            want = j + float(np.clip(0.5 * (y[j - 1] - y[j + 1]) / den, -0.5, 0.5))
        assert refine_min(y, j) == want


def test_nearest_burst_matches_the_numpy_formulation() -> None:
    from footfall.analysis.impact import _nearest_burst

    gap = max(1, int(0.02 * 416.0))
    rng = np.random.default_rng(9)
    for _ in range(500):
        loud = np.unique(rng.integers(0, 120, int(rng.integers(1, 25))))
        zero = int(rng.integers(-10, 130))
        first = np.r_[0, np.flatnonzero(np.diff(loud) > gap) + 1]
        last = np.r_[first[1:] - 1, len(loud) - 1]
        lo_s, hi_s = loud[first], loud[last]
        dist = np.where(zero < lo_s, lo_s - zero, np.where(zero > hi_s, zero - hi_s, 0))
        best = int(np.argmin(dist))
        assert _nearest_burst(loud, zero, gap) == (int(lo_s[best]), int(dist[best]))


def test_an_impact_is_settled_once_it_has_rung_out_and_nothing_nearer_can_come() -> None:
    """impact.settled_impact_onset on growing prefixes of one signal: None while the burst still rings or a
    later burst could still lie nearer the crossing; from then on the onset `impact_onset` gives on the
    whole window, unless a later, louder jerk raises the half-peak level."""
    from footfall.analysis.impact import impact_onset, settled_impact_onset

    gap, zero = 8, 60
    acc = np.zeros((140, 3))
    acc[40:46, 2] = [5.0, 20.0, 10.0, 15.0, 5.0, 0.0]  # loud jerk (>= half its peak) from 40 to 43
    settled = [settled_impact_onset(acc[:stop], zero, gap) for stop in range(2, 100)]
    first = next(k for k, x in enumerate(settled) if x is not None) + 2
    # the burst ends 17 before the crossing: settled once jerk up to 17 after it is in (stop 79: jerk 0..77)
    assert first == zero + 17 + 2
    assert all(x == impact_onset(acc, zero, gap) for x in settled[first - 2 :])
    late = acc.copy()
    late[62:64, 2] = [10.0, 0.0]  # a quieter burst just after the crossing: nearer, so it is the impact
    assert settled_impact_onset(late[:81], zero, gap) == impact_onset(late, zero, gap) > zero
    louder = acc.copy()
    louder[100:102, 2] = [80.0, 0.0]  # far after the crossing, but so loud the first burst is no longer loud
    assert settled_impact_onset(louder[:81], zero, gap) != impact_onset(louder, zero, gap)


def test_offline_analysis_skips_landing_measurement_and_gives_the_same_steps() -> None:
    run = simulate(RunnerParams(duration_s=20.0, seed=11))
    foot = run.feet["L"]
    out = {}
    for live in (False, True):
        a = Analyser(AnalysisParams(align_window_s=6.0), "L", "L", foot.rate_hz, landings=live)
        steps, landings = [], []
        for lo in range(0, len(foot.acc_mps2), 1000):
            acc, gyr = foot.acc_mps2[lo : lo + 1000], foot.gyr_radps[lo : lo + 1000]
            block = SampleBlock("L", "L", foot.rate_hz, lo, acc, gyr)
            steps += a.feed(block)
            landings += a.pop_landings()
        steps += a.finish()
        out[live] = ([repr(s.to_dict()) for s in steps], landings + a.pop_landings())
    (offline, none), (live_steps, landings) = out[False], out[True]
    print(f"{len(offline)} steps; live: {len(landings)} landings, offline: {len(none)}")
    assert offline == live_steps and len(offline) > 20
    assert none == [] and len(landings) >= len(live_steps) - 2
    assert all(math.isfinite(x.impact_g) for x in landings)


def test_touchdown_anchors_come_in_time_order_from_late_swing() -> None:
    """impact.anchors: the heel drop (rate back up by `rise` from its low since late swing) and the foot
    standing flat (`settle_n` still samples) are found only past the swing's own rise, earliest first."""
    from footfall.analysis.impact import anchors

    rise_then_fall = np.array([0.0, 4.0, 8.0, 6.0, 3.0, 1.0, 0.5])  # late swing from offset 4 (below 8 / 2)
    w = np.concatenate([rise_then_fall, [1.0, 1.6, 0.2, 0.0, 0.0, 0.0]])
    still = np.zeros(len(w), bool)
    still[10:13] = True
    assert anchors(w[4:], still[4:], 1.0, 3) == [(8 - 4, True), (12 - 4, False)]  # heel drop at 8, flat at 12
    assert anchors(w[4:], np.zeros(len(w) - 4, bool), 2.0, 3) == []  # a 1.1 rad/s bump is no 2 rad/s drop
