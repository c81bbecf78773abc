"""Data frames sized for the BLE host's ATT MTU (firmware 0.7), under CPython: frame.samples_for_mtu and the
sampler cutting its samples at `frame_samples`, also when that shrinks mid-stream with samples waiting."""

from __future__ import annotations

import numpy as np
import pytest
from fw_rig import Rig, frames_of, make_device
from test_device import data_samples, jumps_of, run

import frame as F


@pytest.mark.parametrize("mtu,samples", [(517, 19), (247, 19), (241, 19), (240, 18), (185, 14), (48, 2), (25, 1),
                                         (23, 1)])
def test_samples_for_mtu_fit_one_notification(mtu: int, samples: int) -> None:
    assert F.samples_for_mtu(mtu) == samples
    if mtu >= F.MIN_MTU:
        assert F.DATA_HEADER_BYTES + F.SAMPLE_BYTES * samples <= mtu - F.NOTIFY_HEADER_BYTES
        assert F.STATUS_BYTES <= mtu - F.NOTIFY_HEADER_BYTES


def test_a_smaller_frame_size_mid_stream_loses_and_repeats_nothing(rig: Rig) -> None:
    dev = make_device(rig, nslots=1024)
    dev.start()
    run(dev, rig, 0.5)
    waiting, before = dev.sampler._npending, dev.ring.head
    dev.sampler.frame_samples = 2  # a host on a 48-byte MTU claimed it
    run(dev, rig, 0.5)
    dev.stop()
    frames = frames_of(dev)
    starts, samples = data_samples(frames)
    assert not jumps_of(starts)
    assert np.array_equal(samples, rig.expected(0, len(samples))) and len(samples) == rig.model.produced == 416
    later, _ = data_samples(frames[before:])
    assert waiting > 2 and {n for _, n in later} == {2}, (waiting, later)
