"""The sample clock measured from status frames' (device_time_ms, sample_index) pairs (footfall.protocol.clock)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from footfall.protocol.clock import ClockParams, check_clock


def pairs(rate_hz: float, t_s: np.ndarray, ms0: int = 0, index0: int = 0, jitter: int = 1, seed: int = 0
          ) -> list[tuple[int, int]]:
    """Status pairs every few seconds: the device's ms clock, the chip's counter (+-jitter samples), both u32."""
    rng = np.random.default_rng(seed)
    index = index0 + np.floor(t_s * rate_hz).astype(np.int64) + rng.integers(-jitter, jitter + 1, len(t_s))
    return [(int(ms0 + 1000 * t) % (1 << 32), int(i) % (1 << 32)) for t, i in zip(t_s, index)]


def test_the_rate_comes_out_to_a_few_ppm_over_a_run() -> None:
    got = check_clock(pairs(412.312, np.arange(0, 600, 5.0)), 416.0)
    print(f"412.312 Hz stated as 416: measured {got.rate_hz:.4f} Hz over {got.span_s:.0f} s")
    assert got.span_s == 595 and got.rate_hz == pytest.approx(412.312, abs=2e-3)
    assert got.error_vs(416.0) == pytest.approx(412.312 / 416 - 1, abs=1e-5)


def test_stops_reboots_and_counter_wraps_split_or_join_runs_correctly() -> None:
    t = np.arange(0, 60, 5.0)
    wrapping = pairs(422.937, t, ms0=(1 << 32) - 20_000, index0=(1 << 32) - 5_000)  # both counters wrap mid-run
    assert check_clock(wrapping, 422.937).rate_hz == pytest.approx(422.937, abs=0.01)
    # stopped for 30 s after 15 s (the counter holds, the clock runs on), then 35 s more: the longer run counts
    stopped = pairs(422.937, t[:4]) + pairs(422.937, t[4:] + 30.0, index0=-int(30 * 422.937))
    rebooted = pairs(422.937, t[:3], ms0=900_000) + pairs(422.937, t)  # the device clock goes back: a new run
    for stream, span_s in ((stopped, 35.0), (rebooted, 55.0)):
        got = check_clock(stream, 422.937)
        assert got.span_s == span_s and got.rate_hz == pytest.approx(422.937, abs=2 / span_s)  # 2 samples


def test_too_short_or_empty_says_not_measured() -> None:
    assert math.isnan(check_clock(pairs(416.0, np.arange(0, 9, 3.0)), 416.0).rate_hz)
    assert math.isnan(check_clock([], 416.0).error_vs(416.0))
    assert check_clock(pairs(416.0, np.arange(0, 9, 3.0)), 416.0, ClockParams(min_span_s=5)).span_s == 6


@pytest.mark.parametrize("chip_error", [0.0, 0.012])
def test_analysis_warns_when_the_samples_are_timed_at_a_rate_the_chip_did_not_run_at(tmp_path, chip_error) -> None:
    # a chip that cannot say its rate (rate_mhz 0) and runs 1.2 % fast: the board's clock sees it
    import dataclasses

    from footfall.analysis.session import analyse_recording
    from footfall.protocol.encode import SiStream, device_frames
    from footfall.protocol.frames import TYPE_STATUS, StatusFrame
    from footfall.recording.file import RecordingWriter
    from footfall.virtual.runner import preset, simulate

    foot = simulate(preset("midfoot", duration_s=75.0, feet="L")).feet["L"]
    stream = SiStream("L", "L", 416, foot.acc_mps2, foot.gyr_radps)
    with RecordingWriter(tmp_path / "run.ffr", {}) as writer:
        writer.add_sensor("L", "L")
        for t, frame in device_frames(stream):
            if frame[1] == TYPE_STATUS:
                status = StatusFrame.from_bytes(frame)
                ms = int(status.sample_index * 1000 / (416 * (1 + chip_error)))
                frame = bytes(dataclasses.replace(status, device_time_ms=ms))
            writer.write_frame("L", frame, t)
    warnings = analyse_recording(str(tmp_path / "run.ffr"))[1]["L"].warnings
    print(warnings)
    assert [w for w in warnings if "sample clock" in w] == (["its sample clock ran +1.2 % off the 416 Hz the samples "
                                                             "are timed at (measured against the sensor board's clock "
                                                             "over 70 s): times, cadence and stride lengths are off by "
                                                             "about as much"] if chip_error else [])
