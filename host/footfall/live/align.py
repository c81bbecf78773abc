"""One time base for two sensors.

Each sensor counts its own samples from its own power-on, so sample index 0 of the left shoe and of the
right shoe are different instants. The host learns, per sensor, the host time of sample index 0 from the
lower envelope of (arrival time - time of the frame's last sample), the rule offline analysis uses for a
recording without a time-base note (footfall.recording.time_base.ArrivalEnvelope). (The device clock pairs in status
frames and the time-sync answers are recorded too, for offline checks; the envelope alone met the 5 ms target.)

A sensor's blocks are held until `settle_s` of its arrivals have been seen; from then on its indices are
shifted by a fixed whole number of samples onto the session's time base, and the rest of the shift, less than
half a sample, goes with each block as `time_offset_s` (rounding it away put two sensors up to a sample apart:
2.4 ms at 416 Hz, which read as a flight-time asymmetry of twice that).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from footfall.samples import SampleBlock
from footfall.recording.time_base import SETTLE_S, ArrivalEnvelope


@dataclass(frozen=True)
class AlignParams:
    settle_s: float = SETTLE_S  # a sensor's own arrivals observed before its offset is fixed (recording/time_base.py)
    lead_s: float = 1.0  # session time 0 is this long before the first sensor's first sample received


@dataclass
class _Clock:
    envelope: ArrivalEnvelope = field(default_factory=ArrivalEnvelope)
    offset: float | None = None  # samples (fractional) this sensor's indices are shifted by, once settled
    held: list[SampleBlock] = field(default_factory=list)


class Aligner:
    """Per-sensor index offsets onto one time base: session time 0 is `lead_s` before the first received
    sample of the first sensor to settle (so a sensor that started a little earlier keeps indices >= 0)."""

    def __init__(self, params: AlignParams = AlignParams()) -> None:
        self.params = params
        self._clocks: dict[str, _Clock] = {}
        self.origin_host_s = math.nan

    @property
    def offsets(self) -> dict[str, float | None]:
        """Per sensor, the samples its indices are shifted by (None until settled)."""
        return {sensor: clock.offset for sensor, clock in self._clocks.items()}

    def observe(self, block: SampleBlock, arrival_time_s: float) -> list[SampleBlock]:
        """A block as decoded from one arrival -> the blocks now ready, on the common time base."""
        clock = self._clocks.setdefault(block.sensor, _Clock())
        clock.envelope.observe(arrival_time_s, block.end_index, block.rate_hz)
        if clock.offset is None:
            clock.held.append(block)  # settles on the first arrival settle_s or more after the first, which counts
            if not clock.envelope.since_first_s(arrival_time_s) >= self.params.settle_s:
                return []
            self._settle(clock, block.rate_hz)
        return self._release(clock, block)

    def flush(self) -> list[SampleBlock]:
        """End of session: settle what has not settled yet and release what is held."""
        out: list[SampleBlock] = []
        for clock in self._clocks.values():
            if clock.offset is None and clock.held:
                self._settle(clock, clock.held[0].rate_hz)
                out += self._release(clock, None)
        return out

    def _release(self, clock: _Clock, block: SampleBlock | None) -> list[SampleBlock]:
        ready = clock.held or ([block] if block is not None else [])
        clock.held = []
        return [b.shifted(clock.offset or 0.0) for b in ready]

    def _settle(self, clock: _Clock, rate_hz: float) -> None:
        if math.isnan(self.origin_host_s):  # session time 0: a little before the first sample received
            first = clock.held[0].first_index / rate_hz if clock.held else 0.0
            index0_s = clock.envelope.index0_host_s
            base = index0_s if math.isfinite(index0_s) else 0.0
            self.origin_host_s = base + max(first - self.params.lead_s, 0.0)
        index0_s = clock.envelope.index0_host_s
        envelope = index0_s if math.isfinite(index0_s) else self.origin_host_s
        clock.offset = (envelope - self.origin_host_s) * rate_hz
