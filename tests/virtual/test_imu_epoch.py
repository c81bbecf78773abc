"""Two virtual shoes of one rig play the runner in step, however far apart their chips start."""

from __future__ import annotations

import struct

import numpy as np

from footfall.virtual.imu_model import ClockedModel, FakeClock, SampleSource


class _Taps(ClockedModel):
    """A chip model that keeps the index each played sample carries in its x acceleration."""

    def __init__(self, source: SampleSource, clock: FakeClock) -> None:
        super().__init__(source, clock.ns)
        self.played: list[int] = []

    def produce(self, sample: bytes) -> None:
        self.played.append(struct.unpack_from("<h", sample)[0])


def _indexed_samples(n: int) -> bytes:
    counts = np.zeros((n, 6), np.int16)
    counts[:, 0] = np.arange(n)
    return counts.astype("<i2").tobytes()


def _last_played(start_s: float, epoch_ns: int | None, until_s: float = 2.0) -> int:
    clock = FakeClock()
    chip = _Taps(SampleSource(data=_indexed_samples(4000)), clock)
    chip.epoch_ns = epoch_ns
    clock.advance_s(start_s)
    chip.run_at(416)
    clock.advance_s(until_s - start_s)
    chip.catch_up()
    return chip.played[-1]


def test_chips_started_apart_play_the_same_sample_at_the_same_moment() -> None:
    a, b = _last_played(0.100, epoch_ns=0), _last_played(0.137, epoch_ns=0)  # the second booted 37 ms later
    print(f"sample played at 2 s: {a} and {b} with a shared epoch (2 s x 416 Hz = 832)")
    assert abs(a - b) <= 1 and abs(a - 831) <= 1
    lagging = _last_played(0.137, epoch_ns=None)
    assert _last_played(0.100, epoch_ns=None) - lagging >= 15  # without it the late chip trails by 37 ms
