"""One time base for a recording's sensors, and the arrival-time rule live and offline share.

Each sensor counts samples from its own power-on, so index 0 of the left shoe and of the right shoe are
different instants. The host time of a sensor's index 0 is the lower envelope of (arrival time - time of the
arrival's last sample), `ArrivalEnvelope`: the least-delayed arrivals bound the link latency from below, and the
constant that remains (FIFO batching, one connection interval) is the same for two sensors of the same kind, so
it cancels between them. A live session (footfall.live.align) takes it over each sensor's first `SETTLE_S` of
arrivals and notes the offsets in the recording ("time_base": offsets_samples per sensor, origin_host_s = the
host time of session time 0). A recording without that note (written by another program, or by the library)
gets the same envelope here, over the arrivals within its first `SETTLE_S` per sensor. Only time 0 is placed
differently: live, `lead_s` before the first settled sensor's first sample; here, the sensor whose first sample
came first (of those that started together, the one whose counter is nearest its power-on) keeps its own clock
(time = its index / rate; moved only so that no sample falls before time 0) and the others are moved onto it,
so a single sensor, and sensors that share a sample clock (simulated, imported), keep their indices. Without
usable arrival times (none, or not advancing with the samples) nothing is moved.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from footfall.protocol.decode import StreamDecoder

# a sensor's own arrivals the envelope is taken over (live: observed before its offset is fixed): more frames, a
# tighter lower envelope under a loaded host; it costs no delay, as the analyser learns the mounting from the first
# 12 s anyway
SETTLE_S = 8.0
SAME_START_S = 0.5  # sensors whose first samples came this close started together
MIN_SAMPLED_S = 2.0  # a sensor's arrival window must hold this much sampled time to be judged
UNALIGNED = ("the sensors could not be put on one clock (no time-base note, and arrival times that do not "
             "follow the samples): flight time and the left/right timing compare the sensors' own counters")
EPOCH_2001_S = 1e9  # an origin later than this is a wall-clock time (live arrivals are time.time())


@dataclass(frozen=True)
class TimeBase:
    offsets_samples: dict[str, float] = field(default_factory=dict)  # per sensor, its indices are shifted by
    origin_host_s: float = math.nan  # the host time of time 0 (NaN: unknown)
    derived: bool = False  # from the arrival times (the recording has no time_base note)
    note: str | None = None  # why the sensors are not on one clock, when they are not

    @property
    def origin_utc_s(self) -> float | None:
        """Time 0 as Unix time, when the host clock was a wall clock."""
        return self.origin_host_s if self.origin_host_s > EPOCH_2001_S else None


@dataclass
class ArrivalEnvelope:
    """The host time of one sensor's sample index 0, from the arrivals of its samples (see the module's note)."""

    first_arrival_s: float = math.nan  # the first arrival that carried samples
    index0_host_s: float = math.inf  # lower envelope of arrival - (end_index / rate)

    def observe(self, arrival_s: float, end_index: int, rate_hz: float) -> None:
        """Samples up to `end_index` (exclusive) arrived at host time `arrival_s` (a non-finite one moves nothing)."""
        if math.isnan(self.first_arrival_s):
            self.first_arrival_s = arrival_s
        if math.isfinite(arrival_s):
            self.index0_host_s = min(self.index0_host_s, arrival_s - end_index / rate_hz)

    def since_first_s(self, arrival_s: float) -> float:
        """How long after the first arrival `arrival_s` came (NaN before the first)."""
        return arrival_s - self.first_arrival_s


@dataclass
class _Envelope(ArrivalEnvelope):
    last_arrival_s: float = math.nan
    first_s: float = math.inf  # the first sample's time on the sensor's own clock
    rate_hz: float = 0.0
    samples: int = 0


def derive(frames: dict[str, list[tuple[bytes, float]]], decoder: Callable[[str], StreamDecoder]) -> TimeBase:
    """The time base of `frames` (per sensor: (frame bytes, arrival time s)) from their arrival times; no
    offsets unless every sensor's arrivals are usable."""
    envelopes = {sensor: _envelope(decoder(sensor), items) for sensor, items in frames.items()}
    if not envelopes or not all(_follows_samples(e) for e in envelopes.values()):
        return TimeBase(note=UNALIGNED if len(envelopes) > 1 else None)
    starts = {s: e.index0_host_s + e.first_s for s, e in envelopes.items()}  # first samples, host time
    early = [e for s, e in envelopes.items() if starts[s] <= min(starts.values()) + SAME_START_S]
    nearest = min(early, key=lambda e: e.first_s).index0_host_s  # of those, the clock nearest its power-on
    origin = min(nearest, *starts.values())  # and never a sample before time 0
    offsets = {s: round((e.index0_host_s - origin) * e.rate_hz, 6) for s, e in envelopes.items()}
    return TimeBase(offsets, origin, derived=True)


def _envelope(decoder: StreamDecoder, items: list[tuple[bytes, float]]) -> _Envelope:
    env = _Envelope()
    for data, arrival_s in items:
        if not math.isfinite(arrival_s):
            continue
        if env.since_first_s(arrival_s) > SETTLE_S:
            break
        for block in decoder.feed(data, arrival_s):
            env.observe(arrival_s, block.end_index, block.rate_hz)
            env.last_arrival_s, env.rate_hz, env.samples = arrival_s, block.rate_hz, env.samples + block.n
            env.first_s = min(env.first_s, block.first_index / block.rate_hz)
    return env


def _follows_samples(env: _Envelope) -> bool:
    """Arrival times in seconds that advance with the samples (not all equal, not in other units): over the
    window they span the sampled time, give or take a second of batching and half of it for a slow link, and
    the window holds at least MIN_SAMPLED_S (times in ms end it after a frame or two)."""
    if not (env.rate_hz > 0 and env.samples and math.isfinite(env.index0_host_s)):
        return False
    sampled_s, spanned_s = env.samples / env.rate_hz, env.last_arrival_s - env.first_arrival_s
    return sampled_s >= MIN_SAMPLED_S and sampled_s / 2 - 1.0 <= spanned_s <= sampled_s * 2 + 1.0
