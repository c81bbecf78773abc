"""On-device cadence for the RSC service: synthetic foot strikes at a known cadence (CPython)."""

from __future__ import annotations

import struct

import numpy as np
import pytest

import rsc


def strikes(rate_hz: int, cadence_spm: float, seconds: float, acc_range_g: int = 32, seed: int = 1) -> bytes:
    """One shoe: 1 g gravity with noise, and a 6 g, 15 ms spike once per stride (every 2 steps)."""
    rng = np.random.default_rng(seed)
    n = int(rate_hz * seconds)
    per_g = 32768 / acc_range_g
    acc = np.zeros((n, 6))
    acc[:, 2] = per_g + rng.normal(0, 0.05 * per_g, n)
    stride_s = 120.0 / cadence_spm
    for t in np.arange(0.3, seconds, stride_s):
        i = int(t * rate_hz)
        acc[i : i + max(1, int(0.015 * rate_hz)), 0] = 6 * per_g
    return acc.astype("<i2").tobytes()


@pytest.mark.parametrize("rate_hz,cadence_spm", [(416, 170.0), (833, 180.0), (416, 110.0), (104, 160.0)])
def test_cadence_matches_the_strides(rate_hz: int, cadence_spm: float) -> None:
    det = rsc.StepDetector(rate_hz, 32)
    data = strikes(rate_hz, cadence_spm, 20.0)
    for i in range(0, len(data), 12 * 40):  # fed in drain-sized batches
        chunk = data[i : i + 12 * 40]
        det.feed(chunk, len(chunk) // 12)
    got = det.cadence_spm()
    print(f"{rate_hz} Hz: true {cadence_spm} steps/min, device {got}")
    assert abs(got - cadence_spm) <= 2
    flags, speed, cadence = struct.unpack("<BHB", det.measurement())
    assert cadence == got and speed > 0 and bool(flags & 0x04) == (got >= 140)


def test_standing_still_gives_zero_cadence() -> None:
    det = rsc.StepDetector(416, 32)
    data = strikes(416, 170.0, 10.0)
    det.feed(data, len(data) // 12)
    still = np.zeros((416 * 3, 6), "<i2")
    still[:, 2] = 1024
    det.feed(still.tobytes(), len(still))
    assert det.cadence_spm() == 0 and det.measurement()[1:] == b"\x00\x00\x00"
