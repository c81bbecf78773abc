"""Per-stride measures against the virtual runner's exact truth over a grid of runners (product path:
streaming Analyser with mounting auto-alignment -> analyse_stride)."""

from __future__ import annotations

import numpy as np
import pytest

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.analysis.strike import FOREFOOT_BELOW_DEG, REARFOOT_ABOVE_DEG
from footfall.virtual import runner

BAND_DEG = 2.0  # pattern accuracy is scored away from +-2 deg around the thresholds


def _pairs(**kw: object) -> list[tuple[object, object]]:
    """(our step, truth contact) for one simulated foot, matched by IC within 50 ms."""
    run = runner.simulate(runner.RunnerParams(duration_s=20.0, feet="L", **kw))
    foot = run.feet["L"]
    steps, _ = analyse_blocks(blocks_from_arrays(foot.acc_mps2, foot.gyr_radps, foot.rate_hz, "L", "L"),
                              AnalysisParams())  # fmt: skip
    truth = list(foot.truth.contacts)
    ic = np.array([c.ic_s for c in truth])
    out = []
    for s in steps:
        j = int(np.argmin(np.abs(ic - s.ic_time_s)))
        if abs(ic[j] - s.ic_time_s) < 0.05 and np.isfinite(s.strike_angle_deg) and np.isfinite(truth[j].stride_length_m):
            out.append((s, truth[j]))
    return out


def _grid() -> list[dict[str, object]]:
    rng = np.random.default_rng(11)
    cases = []
    for k, strike in enumerate((-10.0, -6.0, -3.0, 0.0, 3.0, 5.0, 10.0, 14.0, 20.0, 25.0)):
        cases.append(dict(strike_angle_deg=strike, cadence_spm=float(rng.uniform(150, 190)),
                          speed_mps=float(rng.uniform(2.5, 5.0)), mount_pitch_deg=float(rng.uniform(-20, 20)),
                          mount_roll_deg=float(rng.uniform(-20, 20)), acc_noise_mps2=0.15,
                          gyr_noise_radps=0.015, seed=k))  # fmt: skip
    return cases


@pytest.fixture(scope="module")
def grid_pairs() -> list[tuple[object, object]]:
    return [p for case in _grid() for p in _pairs(**case)]


def test_strike_angle_pattern_and_midfoot_recall(grid_pairs: list[tuple[object, object]]) -> None:
    err = np.array([s.strike_angle_deg - c.strike_angle_deg for s, c in grid_pairs])  # type: ignore[attr-defined]
    away = [(s, c) for s, c in grid_pairs
            if min(abs(c.strike_angle_deg - REARFOOT_ABOVE_DEG), abs(c.strike_angle_deg - FOREFOOT_BELOW_DEG)) > BAND_DEG]  # type: ignore[attr-defined]  # fmt: skip
    accuracy = 100.0 * np.mean([s.pattern.value == c.pattern for s, c in away])  # type: ignore[attr-defined]
    mids = [(s, c) for s, c in grid_pairs if c.pattern == "midfoot"]  # type: ignore[attr-defined]
    recall = 100.0 * np.mean([s.pattern.value == "midfoot" for s, _ in mids])  # type: ignore[attr-defined]
    print(f"{len(grid_pairs)} strides: strike error median {np.median(np.abs(err)):.2f} deg, p95 "
          f"{np.quantile(np.abs(err), 0.95):.2f} deg; pattern accuracy away from the bands {accuracy:.1f}% "
          f"({len(away)} strides); midfoot recall {recall:.1f}% ({len(mids)} strides)")
    assert len(grid_pairs) > 200
    # ~3x the figures measured here (median 0.019 deg, p95 0.093): a regression shows long before the targets
    assert np.median(np.abs(err)) < 0.06 and np.quantile(np.abs(err), 0.95) < 0.25
    assert accuracy >= 95.0
    assert recall >= 85.0


def test_stride_length_speed_and_landing_velocity(grid_pairs: list[tuple[object, object]]) -> None:
    length = np.array([s.stride_length_m / c.stride_length_m - 1 for s, c in grid_pairs]) * 100  # type: ignore[attr-defined]
    speed = np.array([s.speed_mps / c.speed_mps - 1 for s, c in grid_pairs]) * 100  # type: ignore[attr-defined]
    v_ic = np.array([s.foot_velocity_at_ic_mps - c.foot_velocity_at_ic_mps for s, c in grid_pairs])  # type: ignore[attr-defined]
    braking = np.array([s.braking_mps2 - c.braking_mps2 for s, c in grid_pairs])  # type: ignore[attr-defined]
    print(f"stride length error median {np.median(np.abs(length)):.2f}%, p95 {np.quantile(np.abs(length), 0.95):.2f}%; "
          f"speed error median {np.median(np.abs(speed)):.2f}%; landing velocity error median "
          f"{np.median(np.abs(v_ic)):.3f} m/s; braking error median {np.median(np.abs(braking)):.2f}, p95 "
          f"{np.quantile(np.abs(braking), 0.95):.2f} m/s^2")
    # ~3x the figures measured here: length median 0.042 %, p95 0.14 %; landing velocity median 0.0044 m/s
    assert np.median(np.abs(length)) < 0.12 and np.quantile(np.abs(length), 0.95) < 0.4
    assert np.median(np.abs(speed)) < 2.0  # ours is rest-to-rest time, the truth IC-to-IC: they differ a little
    assert np.median(np.abs(v_ic)) < 0.012
    assert np.median(np.abs(braking)) < 0.6 and np.quantile(np.abs(braking), 0.95) < 3.0


def test_overstride_index_rises_with_the_simulated_overstride() -> None:
    index = []
    for level in (0.0, 0.25, 0.5, 0.75, 1.0):
        pairs = _pairs(overstride=level, strike_angle_deg=8.0, seed=3)
        index.append(float(np.median([s.overstride_index for s, _ in pairs])))  # type: ignore[attr-defined]
    print("overstride parameter 0, .25, .5, .75, 1 -> index " + ", ".join(f"{v:.2f}" for v in index))
    assert all(b > a + 0.02 for a, b in zip(index, index[1:]))
