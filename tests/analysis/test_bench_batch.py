"""The fast per-stride path: quaternion chaining equals the matrix reference, and measuring strides in a
batch (as the pipeline does per detection pass) gives bit-identical results to one at a time."""

from __future__ import annotations

import numpy as np

from footfall.analysis import stride
from footfall.analysis.measures import measure_stride, measure_strides
from footfall.analysis.zupt import (
    matrix_quat,
    prefix_product,
    quat_increments,
    quat_matrix,
    quat_prefix,
    quat_rotate,
    rotation_matrices,
)
from footfall.virtual.runner import RunnerParams, simulate


def test_quaternion_chain_equals_the_matrix_prefix_product() -> None:
    rng = np.random.default_rng(3)
    for n in (1, 2, 15, 16, 17, 100, 1000):
        rotvec = rng.normal(0, 0.05, (n, 3))
        rotvec[0] *= 10  # one large increment: the exact branch of quat_increments
        want = prefix_product(rotation_matrices(rotvec))
        got = np.moveaxis(quat_matrix(quat_prefix(quat_increments(rotvec.T))), -1, 0)
        err = np.abs(got - want).max()
        print(f"n={n}: max matrix difference {err:.1e}")
        assert err < 1e-12
    q = quat_increments(rng.normal(0, 0.5, (3, 50)))
    assert np.abs(matrix_quat(np.moveaxis(quat_matrix(q), -1, 0)) * np.sign(q[0]) - q).max() < 1e-12
    v = rng.normal(size=(3, 50))
    assert np.abs(quat_rotate(q, v) - np.einsum("ijn,jn->in", quat_matrix(q), v)).max() < 1e-12


def _windows() -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int, int]]]:
    run = simulate(RunnerParams(duration_s=12.0, seed=4))
    foot = run.feet["L"]
    r = foot.rate_hz
    contacts = [c for c in foot.truth.contacts if 0.5 < c.ic_s < 11.0]
    ms = [int((c.ic_s + c.to_s) / 2 * r) for c in contacts]  # rough mid-stances: fine for this comparison
    windows = [(a, int(c0.to_s * r), int(c1.ic_s * r), b) for (a, b, c0, c1) in zip(ms, ms[1:], contacts, contacts[1:])]
    return foot.acc_mps2, foot.gyr_radps, windows


def test_a_batch_is_bit_identical_to_one_stride_at_a_time() -> None:
    acc, gyr, windows = _windows()
    assert len(windows) > 8
    batch = stride.analyse_strides(acc, gyr, 416.0, windows)
    one = [stride.analyse_strides(acc, gyr, 416.0, [w])[0] for w in windows]
    halves = stride.analyse_strides(acc, gyr, 416.0, windows[::2]) + stride.analyse_strides(acc, gyr, 416.0, windows[1::2])
    halves = [halves[(k // 2) if k % 2 == 0 else len(windows[::2]) + k // 2] for k in range(len(windows))]
    print(f"{len(windows)} strides, lengths {[round(m.stride_length_m, 2) for m in batch[:5]]} ...")
    assert [repr(m) for m in batch] == [repr(m) for m in one] == [repr(m) for m in halves]


def test_measure_strides_equals_measure_stride_per_window() -> None:
    acc, gyr, windows = _windows()
    fractional = [(a, to + 0.4, ic - 0.3, b) for a, to, ic, b in windows] + [(10, 5.0, 20.0, 400)]  # last: bad order
    many = measure_strides(acc, gyr, 416.0, fractional, None)
    for (a, to, ic, b), m in zip(fractional, many):
        single = measure_stride(acc[a : b + 1], gyr[a : b + 1], 416.0, to - a, ic - a, None)
        assert repr(m) == repr(single)
    assert np.isnan(many[-1].values["stride_length_m"])
