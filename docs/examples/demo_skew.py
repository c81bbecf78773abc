"""How far apart the two feet's time bases ended up in a `footfall demo` recording, against the virtual runner.

The demo's shoes play one simulated runner (heel-overstrider, seed 1, standing 5.5 s first), each foot sampled
at its chip's own rate. This script simulates the same runner again, fits each foot's detected ICs to that
foot's true ICs by one time lag, and prints the lags and their difference: the left/right skew the live
alignment left (docs/algorithms.md, "Two sensors on one time base"). A skew of s ms adds s to one foot's
flight time and takes it from the other's.

usage: python docs/examples/demo_skew.py footfall-demo-YYYYmmdd-HHMMSS.ffr [DURATION_S]
(DURATION_S: the demo's --duration, 40 by default)
"""

from __future__ import annotations

import sys

import numpy as np

from footfall.analysis.session import analyse_recording
from footfall.sources.virtual import RigParams
from footfall.virtual.runner import preset, simulate
from footfall.virtual.runner_params import standing_first
from footfall.virtual.shoe import ShoeConfig, chip_rate_hz


def true_ics(side: str, rig: RigParams = RigParams(stand_first_s=5.5)) -> np.ndarray:
    """The runner's ICs of one foot, in the runner's time, as the demo's rig simulates them."""
    config = ShoeConfig(side=side, rate_hz=rig.rate_hz, freq_fine=rig.freq_fine[side == "R"])
    params = preset(rig.preset, duration_s=rig.duration_s + 15.0, rate_hz=chip_rate_hz(config, rig.rate_hz),
                    feet=side, seed=rig.seed, **standing_first(rig.preset, rig.stand_first_s))
    return simulate(params).feet[side].truth.ic_s


def lag_s(detected: np.ndarray, truth: np.ndarray) -> float:
    """The time lag that puts the detected ICs on the true ones: tried from every pairing of the first detection
    with a true IC, kept where the median distance is least, then refined by the median signed error."""
    def errors(lag: float) -> np.ndarray:
        d = detected[:, None] - (truth[None, :] + lag)
        return d[np.arange(len(detected)), np.abs(d).argmin(axis=1)]

    best = min((detected[0] - t for t in truth), key=lambda lag: float(np.median(np.abs(errors(lag)))))
    return float(best + np.median(errors(best)))


def skew_ms(path: str, duration_s: float = 40.0) -> tuple[float, dict[str, float]]:
    """(R - L skew in ms, each foot's lag in s) of a demo recording made with `--duration duration_s`."""
    steps, _ = analyse_recording(path)
    rig = RigParams(duration_s=duration_s, stand_first_s=5.5)
    lags = {side: lag_s(np.array([s.ic_time_s for s in steps if s.sensor == side]), true_ics(side, rig))
            for side in ("L", "R")}
    return 1000 * (lags["R"] - lags["L"]), lags


def main(path: str, duration_s: float = 40.0) -> int:
    skew, lags = skew_ms(path, duration_s)
    print(f"time lag to the runner: L {lags['L']:.5f} s, R {lags['R']:.5f} s")
    print(f"left/right skew (R - L): {skew:+.2f} ms")
    return 0


if __name__ == "__main__":
    if not 2 <= len(sys.argv) <= 3:
        sys.exit("usage: python docs/examples/demo_skew.py DEMO.ffr [DURATION_S]")
    sys.exit(main(sys.argv[1], *(float(a) for a in sys.argv[2:])))
