"""Where cues go: the `CueOutput` interface and the simple sinks; `LiveCoach` wires an engine to outputs.

A phone or watch app implements `CueOutput` (three methods) and receives exactly what the live view gets.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Protocol, TextIO, runtime_checkable

from footfall.analysis.step import Step
from footfall.coaching.cues import Cue, CueEngine


@runtime_checkable
class CueOutput(Protocol):
    """Receives cues and metronome changes. `time_s` is stream time (seconds since the stream started)."""

    def cue(self, cue: Cue) -> None: ...

    def metronome(self, target_spm: float | None, time_s: float) -> None: ...

    def close(self) -> None: ...


@dataclass
class ListOutput:
    """Collects everything in memory: for the live view (poll `cues`) and for tests."""

    cues: list[Cue] = field(default_factory=list)
    metronome_changes: list[tuple[float, float | None]] = field(default_factory=list)

    def cue(self, cue: Cue) -> None:
        self.cues.append(cue)

    def metronome(self, target_spm: float | None, time_s: float) -> None:
        self.metronome_changes.append((time_s, target_spm))

    def close(self) -> None:
        pass


class ConsoleOutput:
    """Prints one line per cue and per metronome change."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def cue(self, cue: Cue) -> None:
        target = f" (metronome {cue.metronome_spm:.0f} spm)" if cue.metronome_spm else ""
        print(f"[{cue.time_s:7.1f} s] {cue.text}{target}", file=self.stream)

    def metronome(self, target_spm: float | None, time_s: float) -> None:
        state = f"{target_spm:.0f} spm" if target_spm else "off"
        print(f"[{time_s:7.1f} s] metronome {state}", file=self.stream)

    def close(self) -> None:
        self.stream.flush()


class LiveCoach:
    """Feeds steps to a CueEngine and forwards its cues and metronome changes to every output.

    The metronome is off while the runner walks (the engine) and from `idle_s` after the last step when the
    runner stands (no steps come then: the break is announced when the next step comes, at its real time, for
    outputs that place events by time such as a WAV; a live player also stops by itself, see player.py)."""

    def __init__(self, engine: CueEngine, outputs: list[CueOutput], idle_s: float = 4.0) -> None:
        self.engine = engine
        self.outputs = outputs
        self.idle_s = idle_s  # footfall's own: no step for this long counts as a standing break
        self._metronome: float | None = None
        self._last_step_s = -math.inf

    def feed(self, step: Step, cueing: bool = True) -> list[Cue]:
        """`cueing` False (a phase measured uncued, footfall.coaching.phases): no cue, and the metronome off."""
        if step.ic_time_s - self._last_step_s > self.idle_s:
            self._set_metronome(None, self._last_step_s + self.idle_s)
        self._last_step_s = max(self._last_step_s, step.ic_time_s)
        for out in self.outputs:  # optional: a live player stops the metronome by itself when steps stop coming
            seen = getattr(out, "step_seen", None)
            if callable(seen):
                seen()
        cues: list[Cue] = []
        if cueing:
            cues = self.engine.feed(step)
        else:
            self.engine.observe(step)
        for cue in cues:
            for out in self.outputs:
                out.cue(cue)
        self._set_metronome(self.engine.metronome_spm if cueing else None, step.ic_time_s)
        return cues

    def _set_metronome(self, spm: float | None, time_s: float) -> None:
        if spm != self._metronome:
            self._metronome = spm
            for out in self.outputs:
                out.metronome(spm, time_s)

    def close(self) -> None:
        for out in self.outputs:
            out.close()
