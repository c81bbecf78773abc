"""`virtual:` sources: virtual shoes (the real firmware in the MicroPython unix port, fed by the virtual
runner) on a virtual BLE radio, reached through bleak like real sensors. No hardware needed.

The firmware runs in real time (its IMU model is paced by the clock), so a virtual session lasts as long
as it streams.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any

import numpy as np

from footfall.protocol.encode import scales
from footfall.protocol.frames import IMU_LSM6DSO32
from footfall.sources.ble import BleSource
from footfall.sources.base import ReconnectPolicy, Source

ACC_RANGE_G = 32  # LSM6DSO32: shoe impacts exceed 16 g
GYR_RANGE_DPS = 2000


@dataclass(frozen=True)
class RigParams:
    """What the virtual shoes play: a runner preset for `duration_s` at `rate_hz`."""

    preset: str = "heel-overstrider"
    duration_s: float = 40.0
    rate_hz: int = 416
    seed: int = 1
    psram: bool = True  # False: a board without PSRAM, whose ring buffer holds ~12 s instead of ~90 s
    # the two chips' factory trims (L, R), in 0.15 % steps of their rate: +1.5 % and -1.05 %, as parts differ.
    # Each foot's runner is sampled at its chip's true rate; a host that took the nominal 416 Hz would see the
    # feet drift apart by 2.5 % (1.5 s a minute) and each cadence off by that much.
    freq_fine: tuple[int, int] = (10, -7)
    stand_first_s: float = 0.0  # the runner stands this long first, as the user guide asks (the demo: 5.5 s, of which
    # the shoes' boot and the connection take ~2 s, more on a loaded machine: the scan listens 1.5 s past the first
    # sighting for a second sensor of the same name, sources/ble.py)


def to_counts(acc_mps2: np.ndarray, gyr_radps: np.ndarray) -> np.ndarray:
    """SI samples -> (n, 6) int16 sensor counts at the rig's ranges, saturating like the chip."""
    acc_mps2_per_count, gyr_radps_per_count = scales(IMU_LSM6DSO32, ACC_RANGE_G, GYR_RANGE_DPS)
    counts = np.hstack([acc_mps2 / acc_mps2_per_count, gyr_radps / gyr_radps_per_count])
    return np.clip(np.rint(counts), -32768, 32767).astype(np.int16)


class VirtualRig:
    """An async context: a virtual radio with one virtual shoe per side, and a BLE source for each."""

    def __init__(self, sides: list[str], params: RigParams = RigParams(),
                 policy: ReconnectPolicy = ReconnectPolicy(give_up_s=20.0)) -> None:
        self.sides = sides
        self.params = params
        self.policy = policy
        self.radio: Any = None
        self.shoes: dict[str, Any] = {}
        self.sources: list[Source] = []

    async def __aenter__(self) -> VirtualRig:
        from footfall.virtual.radio import VirtualRadio
        from footfall.virtual.runner import preset, simulate
        from footfall.virtual.runner_params import standing_first
        from footfall.virtual.shoe import ShoeConfig, chip_rate_hz, start_virtual_shoe

        p = self.params
        # the firmware notifies RSC and battery whether or not bleak subscribed, as MicroPython allows;
        # bumble's client logs each unsolicited one as a warning
        logging.getLogger("bumble").setLevel(logging.ERROR)
        configs = [ShoeConfig(side=side, rate_hz=p.rate_hz, acc_range_g=ACC_RANGE_G, heap_mb=16.0 if p.psram else 0.4,
                              freq_fine=p.freq_fine[side == "R"]) for side in self.sides]  # fmt: skip
        # each foot sampled at its chip's true rate, a little longer than asked, so the shoes never run out of
        # samples before the session ends
        feet = [simulate(preset(p.preset, duration_s=p.duration_s + 15.0, rate_hz=chip_rate_hz(c, p.rate_hz),
                                feet=c.side, acc_range_g=float(ACC_RANGE_G), seed=p.seed,
                                **standing_first(p.preset, p.stand_first_s))).feet[c.side]
                for c in configs]  # fmt: skip
        self.radio = await VirtualRadio().__aenter__()
        epoch_ns = time.time_ns()  # both feet play the runner from this instant, however their firmware starts
        try:
            for config, foot in zip(configs, feet):
                side = config.side
                self.shoes[side] = start_virtual_shoe(side, env=self.radio.env, samples=to_counts(
                    foot.acc_mps2, foot.gyr_radps), config=replace(config, epoch_ns=epoch_ns))
                self.sources.append(BleSource(f"virtual:{side}", f"footfall-{side}", policy=self.policy,
                                              scanner_backend=self.radio.scanner_backend,
                                              client_backend=self.radio.client_backend))
        except BaseException as exc:  # the second shoe failed to start: stop the first and the radio, not leak them
            await self.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None,
                        tb: TracebackType | None) -> None:
        for shoe in self.shoes.values():
            shoe.cleanup()
        if self.radio is not None:
            await self.radio.__aexit__(et, e, tb)
