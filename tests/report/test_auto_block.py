"""The Δ interval's block length comes from the data (QA 18 M6): Politis & White (2004) automatic selection with
the circular-bootstrap constant of Patton, Politis & White (2009), at least block_s of strides, at most a third of
the part."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.change import ChangeParams, auto_block, block_length, data_block, diff_ci, si_block


def _ar1(n: int, phi: float, rng: np.random.Generator, sd: float = 1.0) -> np.ndarray:
    x = np.empty(n)
    x[0] = rng.normal(0, sd)
    for i, e in enumerate(rng.normal(0, sd * math.sqrt(1 - phi**2), n - 1), start=1):
        x[i] = phi * x[i - 1] + e
    return x


def _ar1_block(n: int, phi: float) -> float:
    """The circular block bootstrap's optimal block of an AR(1) series from its true autocovariances: g and G of
    Politis & White, (2 G^2 / (4/3 g^2))^(1/3) n^(1/3) with G / g = 2 phi / ((1 - phi) (1 + phi))."""
    return float((1.5 * (2 * phi / ((1 - phi) * (1 + phi))) ** 2) ** (1 / 3) * n ** (1 / 3))


def test_a_long_series_gets_the_block_its_autocorrelation_implies() -> None:
    rng = np.random.default_rng(5)
    for phi in (0.5, 0.7):
        got = [auto_block(_ar1(20_000, phi, rng)) for _ in range(3)]
        assert abs(np.median(got) / _ar1_block(20_000, phi) - 1) < 0.15, (phi, got)


def test_independent_steps_get_single_steps_and_dependence_longer_blocks() -> None:
    rng = np.random.default_rng(6)
    white, mild, strong = (np.median([auto_block(_ar1(800, phi, rng)) for _ in range(5)]) for phi in (0, 0.5, 0.9))
    assert white < 3 < mild < strong
    assert auto_block(np.full(100, 270.0)) == 1.0 and auto_block(np.arange(5.0)) == 1.0  # flat / too short


def test_the_block_is_capped_as_politis_and_white_cap_it_and_at_a_third_of_the_part() -> None:
    x = np.cumsum(np.random.default_rng(7).normal(size=100))  # a random walk: dependence without end
    assert auto_block(x) <= min(3 * math.sqrt(100), 100 / 3)
    assert data_block(x, 1) <= 100 / 3 and data_block(x, 90) == 33
    assert data_block(x, 4, ChangeParams(auto_block=False)) == 4  # the fixed rule when asked for


def test_the_data_block_never_goes_below_block_s() -> None:
    x = np.random.default_rng(8).normal(size=300)
    assert data_block(x, 28) == 28 and data_block(x, 1) < 28


def test_dependent_parts_get_wider_intervals_that_cover_better_than_the_fixed_block() -> None:
    """Strongly dependent 5-minute parts (lag-1 correlation 0.97) with a true change of -5 ms: the data's block
    covers the true change more often than the fixed 10 s block (the QA 18 simulation: 69 -> 81 %)."""
    rng = np.random.default_rng(9)
    fixed, auto = ChangeParams(n_resamples=300, auto_block=False), ChangeParams(n_resamples=300)
    covered = {False: 0, True: 0}
    for _ in range(40):
        base, later = 270 + _ar1(840, 0.97, rng, 10.0), 265 + _ar1(840, 0.97, rng, 10.0)
        for params in (fixed, auto):
            low, high = diff_ci("contact_time_ms", base, later, 28, 28, params)
            covered[params.auto_block] += low <= -5.0 <= high
    print("covered of 40:", covered)
    assert covered[True] > covered[False]


def test_the_symmetry_index_block_follows_each_foots_dependence() -> None:
    """Both feet's steps in one block: twice the longer of the two feet's own blocks, at least block_s."""
    steps = planned_run([(120, Gait())], seed=4)
    rng = np.random.default_rng(10)
    drift = {side: iter(_ar1(len(steps), 0.95, rng, 15.0)) for side in ("L", "R")}
    shifted = [replace(s, contact_time_ms=s.contact_time_ms + next(drift[s.side])) for s in steps]
    assert si_block(steps, "contact_time_ms") == block_length(steps)  # planned steps: no dependence
    assert si_block(shifted, "contact_time_ms") > block_length(steps)
    assert si_block(shifted, "contact_time_ms", ChangeParams(auto_block=False)) == block_length(steps)
