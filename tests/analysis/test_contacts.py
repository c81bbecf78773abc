"""Contact detection against the virtual runner's exact truth (running and walking)."""

from __future__ import annotations

import numpy as np
import pytest

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.validation.matching import match_events
from footfall.virtual.runner import RunnerParams, preset, simulate


def _errors_ms(params: RunnerParams) -> tuple[np.ndarray, int, int, list]:
    run = simulate(params)
    foot = run.feet["R"]
    steps, _ = analyse_blocks(blocks_from_arrays(foot.acc_mps2, foot.gyr_radps, foot.rate_hz, "R", "R", 333))
    end = params.duration_s - 0.5
    truth = np.array([c.ic_s for c in foot.truth.contacts if 0.3 < c.ic_s < end])
    found = np.array([s.ic_time_s for s in steps if 0.3 < s.ic_time_s < end])
    m = match_events(truth, found, 0.1)
    return np.abs(np.array(m.errors_s)) * 1000, m.missed, m.extra, steps


@pytest.mark.parametrize(
    "kw",
    [
        dict(strike_angle_deg=15.0, cadence_spm=160.0, speed_mps=3.0),
        dict(strike_angle_deg=2.0, cadence_spm=178.0, speed_mps=4.0),
        dict(strike_angle_deg=-9.0, cadence_spm=188.0, speed_mps=4.8),
    ],
    ids=["rearfoot", "midfoot", "forefoot"],
)
def test_running_ic_within_5_ms(kw: dict) -> None:
    err, missed, extra, steps = _errors_ms(RunnerParams(duration_s=20.0, seed=4, **kw))
    print(f"{kw}: IC |error| median {np.median(err):.2f} ms, p95 {np.percentile(err, 95):.2f} ms, "
          f"missed {missed}, extra {extra}")  # fmt: skip
    assert missed == 0 and extra == 0
    assert np.median(err) < 3.0 and np.percentile(err, 95) < 5.0
    running = [s for s in steps if s.activity == "running"]
    assert len(running) > 0.9 * len(steps)


def test_walking_steps_found_and_labelled_walking() -> None:
    params = preset("walk", duration_s=30.0, seed=2)
    err, missed, extra, steps = _errors_ms(params)
    print(f"walking: IC |error| median {np.median(err):.2f} ms, p95 {np.percentile(err, 95):.2f} ms, "
          f"missed {missed}, extra {extra}")  # fmt: skip
    assert missed <= 1 and extra == 0
    assert np.median(err) < 20.0  # walking IC: pitch-rate zero crossing; the simulator's IC is the impact
    assert sum(s.activity == "walking" for s in steps) > 0.8 * len(steps)


def test_contact_and_swing_times_match_truth() -> None:
    params = RunnerParams(duration_s=20.0, seed=6)
    run = simulate(params)
    foot = run.feet["L"]
    steps, _ = analyse_blocks(blocks_from_arrays(foot.acc_mps2, foot.gyr_radps, foot.rate_hz, "L", "L"))
    truth = {round(c.ic_s, 1): c for c in foot.truth.contacts}
    diffs = [s.contact_time_ms - truth[round(s.ic_time_s, 1)].contact_time_ms
             for s in steps if round(s.ic_time_s, 1) in truth and np.isfinite(s.contact_time_ms)]  # fmt: skip
    print(f"contact time error median {np.median(diffs):.1f} ms (toe-off = fastest plantar flexion)")
    assert len(diffs) > 20
    assert abs(np.median(diffs)) < 50.0  # the simulator's toe-off and the pitch-rate minimum differ (docs)


def test_look_ahead_is_bounded() -> None:
    """Feed ~10 ms blocks: each step comes out a bounded time after its toe-off (the next swing confirms the
    toe-off: the foot keeps plantar-flexing ~150 ms after toe-off before it pitches up)."""
    from footfall.analysis.pipeline import Analyser
    from footfall.samples import SampleBlock

    run = simulate(RunnerParams(duration_s=20.0, seed=8))
    foot = run.feet["L"]
    a = Analyser(AnalysisParams(align_window_s=4.0), "L", "L", foot.rate_hz)
    delays = []
    for lo in range(0, len(foot.acc_mps2), 4):  # 4 samples = 9.6 ms
        block = SampleBlock("L", "L", foot.rate_hz, lo, foot.acc_mps2[lo : lo + 4], foot.gyr_radps[lo : lo + 4])
        now = block.end_index / foot.rate_hz
        delays += [(now - s.ic_time_s, now - s.to_time_s) for s in a.feed(block) if s.ic_time_s > 4.5]
    d = np.array(delays)
    print(f"emission after IC: median {np.median(d[:, 0]) * 1000:.0f} ms, max {d[:, 0].max() * 1000:.0f} ms; "
          f"after TO: max {d[:, 1].max() * 1000:.0f} ms")  # fmt: skip
    assert d[:, 1].max() < 0.3
    assert d[:, 0].max() < 0.6


def test_early_landing_events_come_within_150_ms() -> None:
    """Live cues: a provisional IC per landing, at most 150 ms after it, close to the final step IC."""
    from footfall.analysis.pipeline import Analyser
    from footfall.samples import SampleBlock

    run = simulate(RunnerParams(duration_s=20.0, seed=8))
    foot = run.feet["L"]
    a = Analyser(AnalysisParams(align_window_s=4.0), "L", "L", foot.rate_hz)
    landings, steps = [], []
    for lo in range(0, len(foot.acc_mps2), 4):
        block = SampleBlock("L", "L", foot.rate_hz, lo, foot.acc_mps2[lo : lo + 4], foot.gyr_radps[lo : lo + 4])
        steps += a.feed(block)
        now = block.end_index / foot.rate_hz
        landings += [(t, now) for t in a.pop_landings() if t > 4.5]
    delay = np.array([now - t for t, now in landings])
    final = np.array([s.ic_time_s for s in steps if s.ic_time_s > 4.5])
    diff = np.array([np.min(np.abs(final - t)) for t, _ in landings[:-1]]) * 1000
    print(f"landing events: {len(landings)}, delay max {delay.max() * 1000:.0f} ms, vs final IC median {np.median(diff):.2f} ms")
    assert delay.max() <= 0.15
    assert len(landings) >= len(final) and np.median(diff) < 1.0
