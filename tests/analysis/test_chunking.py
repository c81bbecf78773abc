"""Same answer live and offline: any cut of the same samples into blocks gives the same steps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import Analyser
from footfall.analysis.session import Session
from footfall.samples import SampleBlock
from footfall.virtual.runner import RunnerParams, simulate

RUN = simulate(RunnerParams(duration_s=25.0, cadence_spm=172.0, strike_angle_deg=4.0, mount_pitch_deg=12.0,
                            mount_roll_deg=-8.0, mount_yaw_deg=15.0, seed=3))  # fmt: skip
PARAMS = AnalysisParams(align_window_s=6.0)


def _cuts(n: int, sizes: list[int]) -> list[tuple[int, int]]:
    out, lo, k = [], 0, 0
    while lo < n:
        hi = min(n, lo + sizes[k % len(sizes)])
        out.append((lo, hi))
        lo, k = hi, k + 1
    return out


def _steps(side: str, sizes: list[int]) -> list[dict[str, object]]:
    foot = RUN.feet[side]
    a = Analyser(PARAMS, side, side, foot.rate_hz)
    steps = []
    for lo, hi in _cuts(len(foot.acc_mps2), sizes):
        steps += a.feed(SampleBlock(side, side, foot.rate_hz, lo, foot.acc_mps2[lo:hi], foot.gyr_radps[lo:hi]))
    steps += a.finish()
    return [s.to_dict() for s in steps]


REFERENCE = _steps("L", [len(RUN.feet["L"].acc_mps2)])


def _same(a: list[dict[str, object]], b: list[dict[str, object]]) -> bool:
    """Equal records; NaN equals NaN."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        for k in x:
            vx, vy = x[k], y[k]
            if isinstance(vx, float) and isinstance(vy, float) and np.isnan(vx) and np.isnan(vy):
                continue
            if vx != vy:
                return False
    return True


def test_reference_has_steps() -> None:
    assert len(REFERENCE) > 30  # 25 s of running: the property below is not about an empty list


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=3000), min_size=1, max_size=8))
def test_random_block_sizes_give_identical_steps(sizes: list[int]) -> None:
    assert _same(_steps("L", sizes), REFERENCE)


def test_one_sample_blocks_give_identical_steps() -> None:
    assert _same(_steps("L", [1, 2, 3, 5, 7, 11, 13]), REFERENCE)


LANDERS = {  # their ICs and landings come from the heel drop (forefoot) or from the foot standing flat (flat)
    "forefoot": simulate(RunnerParams(duration_s=20.0, cadence_spm=170.0, speed_mps=3.5, strike_angle_deg=-10.0, seed=3)),
    "flat": simulate(RunnerParams(duration_s=20.0, cadence_spm=190.0, speed_mps=5.0, strike_angle_deg=0.0, seed=3)),
}


def _landing_records(name: str, sizes: list[int]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Steps and live landings of one of LANDERS, fed in blocks of `sizes`."""
    from dataclasses import asdict

    foot = LANDERS[name].feet["L"]
    a, steps, landings = Analyser(PARAMS, "L", "L", foot.rate_hz, landings=True), [], []
    for lo, hi in _cuts(len(foot.acc_mps2), sizes):
        steps += a.feed(SampleBlock("L", "L", foot.rate_hz, lo, foot.acc_mps2[lo:hi], foot.gyr_radps[lo:hi]))
        landings += a.pop_landings()
    steps += a.finish()
    return [s.to_dict() for s in steps], [asdict(x) for x in landings + a.pop_landings()]


LANDER_REFERENCE = {name: _landing_records(name, [len(run.feet["L"].acc_mps2)]) for name, run in LANDERS.items()}


@pytest.mark.parametrize("name", list(LANDERS))
@settings(max_examples=6, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=2000), min_size=1, max_size=6))
def test_forefoot_and_flat_steps_and_landings_do_not_depend_on_block_cuts(name: str, sizes: list[int]) -> None:
    steps, landings = _landing_records(name, sizes)
    ref_steps, ref_landings = LANDER_REFERENCE[name]
    assert len(ref_steps) > 25 and len(ref_landings) > 25
    assert _same(steps, ref_steps) and _same(landings, ref_landings)


@pytest.mark.parametrize("block_n", [17, 416, 5000])
def test_two_sensor_session_is_chunking_invariant(block_n: int) -> None:
    def session_steps(n: int, interleave: bool) -> list[tuple[str, float, float, float]]:
        session, out = Session(PARAMS, sensors=("L", "R")), []
        cuts = {s: _cuts(len(f.acc_mps2), [n]) for s, f in RUN.feet.items()}
        order = [(s, c) for k in range(max(map(len, cuts.values()))) for s in cuts if k < len(cuts[s]) for c in [cuts[s][k]]]
        if not interleave:
            order = [(s, c) for s in cuts for c in cuts[s]]
        for side, (lo, hi) in order:
            f = RUN.feet[side]
            out += session.feed(SampleBlock(side, side, f.rate_hz, lo, f.acc_mps2[lo:hi], f.gyr_radps[lo:hi]))
        out += session.finish()
        return sorted((s.sensor, s.ic_time_s, s.flight_time_ms, s.cadence_spm) for s in out)

    a, b = session_steps(block_n, True), session_steps(10_000_000, False)
    assert len(a) == len(b) > 50
    np.testing.assert_array_equal(np.array([x[1:] for x in a]), np.array([x[1:] for x in b]))
    assert np.isfinite([x[2] for x in a]).mean() > 0.9  # flight times were paired in both feeding orders


@pytest.mark.realdata
@settings(max_examples=6, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=5))
def test_real_walk_with_turn_and_lost_packets_is_chunking_invariant(shared_data_dir: object, sizes: list[int]) -> None:
    """ipol 13-3 (right foot): a U-turn with pivot steps, and packet-counter gaps."""
    from footfall.validation.ipol import load_foot

    rate, counter, acc, gyr = load_foot(shared_data_dir / "ipol-walking" / "GaitData" / "13-3_rf.txt")  # type: ignore[operator]

    def steps(cut: list[int]) -> list[dict[str, object]]:
        a, out, lo, k = Analyser(AnalysisParams(), "R", "R", rate), [], 0, 0
        while lo < len(acc):
            hi = min(len(acc), lo + cut[k % len(cut)])
            # a block never spans a counter jump: split it there, as a source would
            jumps = np.flatnonzero(np.diff(counter[lo:hi]) != 1)
            hi = lo + int(jumps[0]) + 1 if jumps.size else hi
            out += a.feed(SampleBlock("R", "R", rate, int(counter[lo]), acc[lo:hi], gyr[lo:hi]))
            lo, k = hi, k + 1
        return [s.to_dict() for s in out + a.finish()]

    whole = steps([len(acc)])
    assert len(whole) >= 20 and _same(steps(sizes), whole)  # 20 steps of the right foot


@pytest.fixture(scope="module")
def shared_data_dir(request: pytest.FixtureRequest) -> object:
    return request.getfixturevalue("shared_data")


def test_accelerometer_only_path_is_chunking_invariant() -> None:
    foot = RUN.feet["L"]
    nan = np.full_like(foot.gyr_radps, np.nan)

    def steps(sizes: list[int]) -> list[dict[str, object]]:
        a, out = Analyser(PARAMS, "L", "L", foot.rate_hz), []
        for lo, hi in _cuts(len(foot.acc_mps2), sizes):
            out += a.feed(SampleBlock("L", "L", foot.rate_hz, lo, foot.acc_mps2[lo:hi], nan[lo:hi]))
        return [s.to_dict() for s in out + a.finish()]

    whole = steps([len(foot.acc_mps2)])
    assert len(whole) > 30
    for sizes in ([1, 7, 3], [413], [2048, 5]):
        assert _same(steps(sizes), whole)


def test_standing_start_alignment_wait_is_chunking_invariant() -> None:
    """Standing for 5 s: the alignment window (2 s) grows until gait shows up, the same for any cut."""
    from footfall.virtual.runner import preset

    foot = simulate(preset("mixed", duration_s=30.0, seed=2)).feet["R"]
    params = AnalysisParams(align_window_s=2.0)

    def steps(sizes: list[int]) -> list[dict[str, object]]:
        a, out = Analyser(params, "R", "R", foot.rate_hz), []
        for lo, hi in _cuts(len(foot.acc_mps2), sizes):
            out += a.feed(SampleBlock("R", "R", foot.rate_hz, lo, foot.acc_mps2[lo:hi], foot.gyr_radps[lo:hi]))
        assert a.alignment is not None and a.alignment.gait_seen
        return [s.to_dict() for s in out + a.finish()]

    whole = steps([len(foot.acc_mps2)])
    assert len(whole) > 20
    for sizes in ([1, 5, 2], [832], [833, 3000]):
        assert _same(steps(sizes), whole)
