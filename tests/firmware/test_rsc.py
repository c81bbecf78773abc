"""On-device cadence for the RSC service (CPython): synthetic strides and the virtual runner's feet."""

from __future__ import annotations

import struct

import numpy as np
import pytest

import rsc
from footfall.virtual.shoe_sources import runner_counts


def strikes(rate_hz: int, cadence_spm: float, seconds: float, acc_range_g: int = 32, seed: int = 1) -> np.ndarray:
    """One shoe: 1 g gravity with noise, and a 6 g, 30 ms impact once per stride (every 2 steps); no gyro."""
    rng = np.random.default_rng(seed)
    n = int(rate_hz * seconds)
    per_g = 32768 / acc_range_g
    acc = np.zeros((n, 6))
    acc[:, 2] = per_g + rng.normal(0, 0.05 * per_g, n)
    for t in np.arange(0.3, seconds, 120.0 / cadence_spm):
        i = int(t * rate_hz)
        acc[i : i + max(1, int(0.03 * rate_hz)), 0] = 6 * per_g
    return acc


def feed(det: rsc.StepDetector, counts: np.ndarray, batch: int = 40) -> None:
    data = np.asarray(counts).astype("<i2").tobytes()
    for i in range(0, len(data), 12 * batch):  # in drain-sized batches
        chunk = data[i : i + 12 * batch]
        det.feed(chunk, len(chunk) // 12)


@pytest.mark.parametrize("rate_hz,cadence_spm", [(416, 170.0), (833, 180.0), (416, 110.0), (104, 160.0)])
def test_cadence_of_synthetic_strides(rate_hz: int, cadence_spm: float) -> None:
    det = rsc.StepDetector(rate_hz, 32)
    feed(det, strikes(rate_hz, cadence_spm, 12.0))
    got = det.cadence_spm()
    print(f"{rate_hz} Hz: true {cadence_spm} steps/min, device {got}")
    assert abs(got - cadence_spm) <= 2
    flags, speed, cadence = struct.unpack("<BHB", det.measurement())
    assert cadence == got and speed > 0 and bool(flags & 0x04) == (got >= 145)  # from walking: running at 145


@pytest.mark.parametrize("preset,true_spm", [("midfoot", 172.0), ("heel-overstrider", 158.0), ("forefoot", 180.0),
                                             ("walk", 112.0)])
def test_cadence_of_the_virtual_runner(preset: str, true_spm: float) -> None:
    counts, rate_hz = runner_counts(preset, "L", 16.0, acc_range_g=16)
    det = rsc.StepDetector(int(rate_hz), 16)
    feed(det, counts)
    got = det.cadence_spm()
    print(f"{preset}: runner {true_spm} steps/min, device {got}")
    assert abs(got - true_spm) <= 3


def test_the_walking_running_status_has_hysteresis() -> None:
    """Running from 145 steps/min up, walking again below 135: a jogger at 140 keeps the status it had, not one
    flipping each second (the old hard 140 threshold)."""
    det = rsc.StepDetector(416, 32)
    seen = []
    for cadence_spm in (140.0, 170.0, 140.0, 128.0, 140.0):
        counts = strikes(416, cadence_spm, 12.0)
        feed(det, counts[: 8 * 416])
        flags = set()
        for t in range(8, 12):  # a watch's next 4 s, one measurement a second
            feed(det, counts[t * 416 : (t + 1) * 416])
            flags.add(det.measurement()[0])
        seen.append((det.cadence_spm(), flags))
    print(seen)
    assert [abs(c - want) <= 2 for (c, _), want in zip(seen, (140, 170, 140, 128, 140))] == [True] * 5
    assert [f for _, f in seen] == [{0}, {4}, {4}, {0}, {0}]


def test_standing_still_gives_zero_cadence() -> None:
    det = rsc.StepDetector(416, 32)
    feed(det, strikes(416, 170.0, 10.0))
    assert det.cadence_spm() > 0
    still = np.zeros((416 * 5, 6))
    still[:, 2] = 1024
    feed(det, still)
    assert det.cadence_spm() == 0 and det.measurement()[1:] == b"\x00\x00\x00"


def test_cadence_from_a_fast_chip_is_right_at_its_own_rate() -> None:
    # a part whose oscillator runs 3 % fast (trim +20): its "416 Hz" is 429.2 Hz (ST AN5272)
    counts, rate_hz = runner_counts("midfoot", "L", 16.0, acc_range_g=16, rate_hz=416.6875 * 1.03)
    at_true, at_nominal = rsc.StepDetector(rate_hz, 16), rsc.StepDetector(416, 16)
    feed(at_true, counts)
    feed(at_nominal, counts)
    print(f"runner 172 steps/min; device at {rate_hz:.2f} Hz: {at_true.cadence_spm()}, "
          f"at the nominal 416 Hz: {at_nominal.cadence_spm()}")
    assert abs(at_true.cadence_spm() - 172.0) <= 2 < abs(at_nominal.cadence_spm() - 172.0)


def test_the_device_s_status_and_step_detector_use_the_chip_s_own_rate() -> None:
    from fw_rig import Rig, make_device

    import frame as F

    rig = Rig("lsm6dso32", freq_fine=20)
    dev = make_device(rig)
    dev.start()
    status = struct.unpack(F.STATUS_FMT, dev.status_frame())
    assert status[-1] == dev.imu.rate_mhz == 429188 and status[3] == 416  # rate_mhz, rate_hz
    assert dev.steps.fs * dev.steps._k == pytest.approx(429.188)
