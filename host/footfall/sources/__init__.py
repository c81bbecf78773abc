"""Live sources behind one small interface, opened from spec strings (bumble's habit):

    ble:footfall-L        a sensor by name or address, through bleak
    serial:/dev/ttyACM0   a sensor on USB serial, through pyserial
    replay:run.ffr        a recording, one source per sensor (`replay_factor` 1 = real time, 0 = as fast as possible)
    virtual:  virtual:L   virtual shoes: the real firmware on a virtual radio, fed by the virtual runner

bleak and pyserial are imported only when a source that needs them opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass

from footfall.errors import SourceError
from footfall.sources.base import Arrival, LinkEvent, ReconnectPolicy, Source
from footfall.sources.virtual import RigParams

__all__ = ["Arrival", "LinkEvent", "ReconnectPolicy", "Source", "SourceOptions", "open_sources", "parse_spec"]


@dataclass(frozen=True)
class SourceOptions:
    replay_factor: float = 1.0  # replay pace: 1 real time, N times faster, 0 as fast as taken
    rig: RigParams = RigParams()  # what virtual shoes play
    policy: ReconnectPolicy = ReconnectPolicy()


def parse_spec(spec: str) -> tuple[str, str]:
    kind, sep, rest = spec.partition(":")
    if not sep or kind not in ("ble", "serial", "replay", "virtual"):
        raise SourceError(f"unknown source {spec!r}",
                          hint="use ble:NAME, serial:PORT, replay:FILE.ffr or virtual:[L|R]")
    if kind != "virtual" and not rest:
        raise SourceError(f"source {spec!r} needs a target after the colon")
    if kind == "virtual" and rest not in ("", "L", "R", "LR"):
        raise SourceError(f"virtual source {spec!r}: use virtual:, virtual:L or virtual:R")
    return kind, rest


async def open_sources(specs: Sequence[str], stack: AsyncExitStack,
                       options: SourceOptions = SourceOptions()) -> list[Source]:
    """Build the sources for `specs` (not yet opened); resources they need are closed with `stack`."""
    parsed = [parse_spec(s) for s in specs]
    sources: list[Source] = []
    virtual_sides = [side for kind, rest in parsed if kind == "virtual" for side in (rest or "LR")]
    if virtual_sides:
        from footfall.sources.virtual import VirtualRig

        rig = await stack.enter_async_context(VirtualRig(sorted(set(virtual_sides)), options.rig, options.policy))
        sources += rig.sources
    for (kind, rest), spec in zip(parsed, specs):
        sources += _plain(kind, rest, spec, options)
    return sources


def _plain(kind: str, rest: str, spec: str, options: SourceOptions) -> list[Source]:
    if kind == "ble":
        from footfall.sources.ble import BleSource

        return [BleSource(spec, rest, policy=options.policy)]
    if kind == "serial":
        from footfall.sources.serial import SerialSource

        return [SerialSource(spec, rest)]
    if kind == "replay":
        from footfall.sources.replay import replay_sources

        return replay_sources(spec, rest, options.replay_factor)
    return []
