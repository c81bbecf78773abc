"""The footpod pace factor (live/pace.py): learnt from a session's measured strides, written to the sensor when
a live session ends, so that a watch paired with the sensor alone reads the runner's real pace."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.session import analyse_recording
from footfall.analysis.step import Pattern, Step
from footfall.protocol.encode import SiStream
from footfall.live.pace import MIN_STRIDES, cadence_speed_mps, pace_permille
from footfall.live.session import LiveParams, LiveSession
from footfall.recording.file import write_si_recording
from footfall.sources.virtual import RigParams, VirtualRig
from footfall.virtual.runner import preset, simulate
from footfall.virtual.watch import VirtualWatch

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"


def test_the_host_s_cadence_speed_is_the_firmware_s() -> None:
    sys.path.insert(0, str(FIRMWARE))
    try:
        import rsc
    finally:
        sys.path.remove(str(FIRMWARE))
    for cadence_spm in (0, 60, 112, 150, 158, 170, 200, 240):
        assert cadence_speed_mps(cadence_spm) == pytest.approx(rsc.cadence_speed_mps(cadence_spm), abs=1e-12)


def test_the_factor_gives_the_runner_s_own_speed(tmp_path: Path) -> None:
    """The virtual overstrider runs 3.2 m/s at 158 steps/min; from cadence alone the sensor says 2.44 m/s."""
    run = simulate(preset("heel-overstrider", duration_s=60.0))
    streams = [SiStream(s, s, int(f.rate_hz), f.acc_mps2, f.gyr_radps, acc_range_g=32) for s, f in run.feet.items()]
    steps, _ = analyse_recording(str(write_si_recording(tmp_path / "run.ffr", streams, {})))
    truth_mps, cadence_spm = run.params.speed_mps, run.params.cadence_spm
    for sensor in ("L", "R"):
        permille = pace_permille([s for s in steps if s.sensor == sensor])
        assert permille is not None
        watch_mps = cadence_speed_mps(round(cadence_spm)) * permille / 1000
        print(f"{sensor}: factor {permille / 1000:.3f}; the watch reads {watch_mps:.2f} m/s (truth {truth_mps}, "
              f"from cadence alone {cadence_speed_mps(round(cadence_spm)):.2f})")
        assert abs(watch_mps / truth_mps - 1) < 0.02


def test_too_few_strides_leave_the_factor_alone_and_it_stays_in_bounds() -> None:
    def step(speed_mps: float, cadence_spm: float = 160.0, activity: str = "running") -> Step:
        nan = float("nan")
        return Step(sensor="L", side="L", index=1, ic_time_s=0.0, to_time_s=0.3, contact_time_ms=300.0,
                    swing_time_ms=460.0, flight_time_ms=nan, strike_angle_deg=10.0, pattern=Pattern.REARFOOT,
                    pattern_confidence=0.9, cadence_spm=cadence_spm, stride_length_m=2.4, stride_time_s=0.75,
                    speed_mps=speed_mps, foot_velocity_at_ic_mps=nan, braking_mps2=nan, overstride_index=nan,
                    impact_g=9.0, activity=activity)

    assert pace_permille([step(3.0)] * (MIN_STRIDES - 1)) is None
    assert pace_permille([step(20.0)] * MIN_STRIDES) == 2000 and pace_permille([step(0.1)] * MIN_STRIDES) == 500
    assert pace_permille([step(float("nan"))] * 50) is None
    # a walk does not set the running pace: walking strides are left out
    assert pace_permille([step(1.4, 110.0, "walking")] * 50 + [step(3.0)] * (MIN_STRIDES - 1)) is None
    assert pace_permille([step(1.4, 110.0, "walking")] * 50 + [step(3.0)] * MIN_STRIDES) == pace_permille(
        [step(3.0)] * MIN_STRIDES)
    # with two sensors a step's cadence is timed from the other foot's contact; the sensor counts its own strides
    assert pace_permille([step(3.2, cadence_spm=150.0)] * MIN_STRIDES) == round(1000 * 3.2 / cadence_speed_mps(160))


async def _watch_speed_mps(rig: VirtualRig, side: str) -> tuple[float, int]:
    """(speed, cadence) a watch reads from the shoe alone, once its cadence has settled."""
    watch = VirtualWatch()
    await watch.connect(rig.radio, f"footfall-{side}")
    await watch.cadence_near(158.0, 20.0)
    await watch.disconnect()
    _, speed_mps, cadence = watch.measurements[-1]
    return speed_mps, cadence


@pytest.mark.micropython
def test_after_a_session_a_watch_alone_reads_the_runner_s_pace(tmp_path: Path) -> None:
    async def main() -> tuple[list[str], dict[str, int], float, int]:
        async with VirtualRig(["L", "R"], RigParams(duration_s=45.0)) as rig:
            result = await LiveSession(rig.sources, tmp_path / "live.ffr", LiveParams(duration_s=22.0)).run()
            written = {s: json.loads((shoe.workdir / "settings.json").read_text()).get("pace_permille", 0)
                       for s, shoe in rig.shoes.items()}
            speed_mps, cadence = await _watch_speed_mps(rig, "L")
            return list(result.state.notes), written, speed_mps, cadence

    notes, written, speed_mps, cadence = asyncio.run(asyncio.wait_for(main(), 120))
    print(f"factors written {written}; a watch alone reads {speed_mps:.2f} m/s at {cadence} steps/min (runner 3.2 m/s, "
          f"158 steps/min; from cadence alone {cadence_speed_mps(cadence):.2f} m/s)")
    assert all(abs(v / 1000 / (3.2 / cadence_speed_mps(158)) - 1) < 0.03 for v in written.values()), written
    assert any("footpod pace factor" in n for n in notes)
    assert abs(speed_mps / 3.2 - 1) < 0.04 and abs(cadence - 158) <= 4
    assert np.isfinite(speed_mps)
