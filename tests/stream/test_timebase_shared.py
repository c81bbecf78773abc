"""The arrival-time rule is written once (time_base.ArrivalEnvelope), and the live aligner uses it: the recording
layer no longer imports the live layer to borrow a constant (QA 16, finding 3)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np

from footfall.protocol.encode import SiStream, device_frames
from footfall.live.align import Aligner, AlignParams
from footfall.protocol.decode import StreamDecoder
from footfall.recording.time_base import SETTLE_S, ArrivalEnvelope, derive
from footfall.virtual.runner import RunnerParams, simulate

RATE_HZ = 416


def test_the_recording_layer_does_not_import_the_live_layer() -> None:
    code = ("import sys, footfall.recording.time_base, footfall.recording.file; "
            "print(sorted(m for m in sys.modules if m.startswith('footfall.live')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_live_settles_over_the_window_offline_derives_from() -> None:
    assert AlignParams().settle_s == SETTLE_S == 8.0


def test_the_envelope_is_the_least_delayed_arrival() -> None:
    env = ArrivalEnvelope()
    assert math.isnan(env.since_first_s(1.0)) and env.index0_host_s == math.inf
    for arrival_s, end_index in ((10.30, 104), (10.80, 312), (math.nan, 400), (11.05, 416)):
        env.observe(arrival_s, end_index, 416.0)
    assert env.first_arrival_s == 10.30
    assert env.index0_host_s == min(10.30 - 104 / 416, 10.80 - 312 / 416, 11.05 - 1.0)
    assert env.since_first_s(18.30) == 18.30 - 10.30


def test_live_and_offline_put_two_sensors_the_same_distance_apart() -> None:
    """The same arrivals through the live aligner and through `derive`: time 0 is placed differently, but the
    offset between the sensors comes from the same envelope."""
    run = simulate(RunnerParams(duration_s=12.0, seed=4, rate_hz=RATE_HZ))
    rng = np.random.default_rng(1)
    frames: dict[str, list[tuple[bytes, float]]] = {}
    for side, start_s in (("L", 100.0), ("R", 100.85)):
        foot = run.feet[side]
        stream = SiStream(side, side, RATE_HZ, foot.acc_mps2, foot.gyr_radps)
        frames[side] = [(f, t + rng.uniform(0.0, 0.02)) for t, f in device_frames(stream, start_s)]
    derived = derive(frames, lambda sensor: StreamDecoder(sensor, sensor)).offsets_samples
    aligner = Aligner()
    for side, items in frames.items():
        decoder = StreamDecoder(side, side)
        for data, arrival_s in items:
            for block in decoder.feed(data, arrival_s):
                aligner.observe(block, arrival_s)
    live = aligner.offsets
    assert live["L"] is not None and live["R"] is not None
    assert abs((live["R"] - live["L"]) - (derived["R"] - derived["L"])) < 1e-5
