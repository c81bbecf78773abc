"""Synthetic device streams for the decoder tests: every sample's ax count encodes its own sample index,
so a test can tell exactly which samples were delivered and where."""

from __future__ import annotations

import numpy as np

from footfall import protocol
from footfall.samples import SampleBlock

MOD = 30011  # ax = (index mod 2**32) % MOD, a prime so wrap-around edges do not line up with it
ACC_SCALE = float(np.float32(16 / 32768 * 9.80665))
GYR_SCALE = float(np.float32(0.07 * np.pi / 180))


def status(seq: int, rate_hz: int = 416) -> bytes:
    return bytes(protocol.StatusFrame(seq & 0xFFFF, rate_hz, 16, 2000, ACC_SCALE, GYR_SCALE, 2, "L"))


def data(seq: int, first_index: int, n: int = 19, flags: int = 0) -> bytes:
    idx = first_index + np.arange(n)
    samples = np.zeros((n, 6), np.int16)
    samples[:, 0] = (idx & 0xFFFFFFFF) % MOD
    samples[:, 3] = 7
    return bytes(protocol.DataFrame(seq & 0xFFFF, first_index & 0xFFFFFFFF, samples, flags))


def stream(frames: int, seq0: int = 0, index0: int = 0, n: int = 19) -> list[bytes]:
    """A status frame then `frames` data frames with consecutive seq and sample indices."""
    out = [status(seq0)]
    for k in range(frames):
        out.append(data(seq0 + 1 + k, index0 + k * n, n))
    return out


def check_blocks(blocks: list[SampleBlock]) -> list[int]:
    """Assert every delivered sample sits at its true index, nothing twice, never backwards; return indices."""
    indices: list[int] = []
    for b in blocks:
        idx = b.first_index + np.arange(b.n)
        ax = np.rint(b.acc_mps2[:, 0] / ACC_SCALE).astype(int)
        assert np.array_equal(ax, (idx & 0xFFFFFFFF) % MOD), "a sample was delivered at the wrong index"
        assert not indices or b.first_index >= indices[-1] + 1, "blocks went back in sample index"
        indices.extend(idx.tolist())
    return indices
