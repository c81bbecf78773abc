"""Live coaching in the session: the cue engine's outputs are the view, optionally sound (played live or
rendered to a WAV file) and the runner's history (steps and cues written while the run goes on)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from footfall.analysis.step import Step
from footfall.coaching.cues import Cue, CueEngine, CueParams
from footfall.coaching.outputs import CueOutput, LiveCoach
from footfall.live.state import LiveState


@dataclass(frozen=True)
class CoachOptions:
    runner: str | None = None  # store the session in this runner's history
    db: Path | None = None  # history database (default: the user data directory)
    audio_wav: Path | None = None  # render the metronome and spoken cues to this file
    sound: bool = False  # play them live (aplay/paplay)


class ViewOutput:
    """Cues and the metronome target, shown in the live view."""

    def __init__(self, state: LiveState) -> None:
        self.state = state

    def cue(self, cue: Cue) -> None:
        self.state.cues.append(f"{cue.time_s:6.1f}s  {cue.text}")

    def metronome(self, target_spm: float | None, time_s: float) -> None:
        self.state.target_cadence_spm = target_spm

    def close(self) -> None:
        pass


class SessionCoach:
    """The session's on_steps hook: every step to the history writer (if any) and the coach."""

    def __init__(self, state: LiveState, options: CoachOptions = CoachOptions()) -> None:
        self.options = options
        self.store: Any = None
        self.writer: Any = None
        self.renderer: Any = None
        self.runner_target_spm: float | None = None
        outputs: list[CueOutput] = [ViewOutput(state)]
        params = CueParams()
        if options.runner:
            outputs.append(self._history(options))
            target = self.runner_target_spm
            params = CueParams(fixed_target_spm=target) if target else params
        outputs += self._sound(options)
        self.coach = LiveCoach(CueEngine(params), outputs)
        self.last_time_s = 0.0

    def _history(self, options: CoachOptions) -> CueOutput:
        from footfall.store import Store
        from footfall.store.live import LiveSessionWriter

        store = self.store = Store(options.db)
        runner = store.runner(str(options.runner))  # an unknown runner fails here, before streaming
        self.runner_target_spm = runner.target_cadence_spm
        writer = self.writer = LiveSessionWriter(store, runner.name)
        return writer

    def _sound(self, options: CoachOptions) -> list[CueOutput]:
        from footfall.coaching.audio import AudioRenderer

        outputs: list[CueOutput] = []
        if options.audio_wav is not None:
            self.renderer = AudioRenderer()
            outputs.append(self.renderer)
        if options.sound:
            from footfall.coaching.player import LivePlayer

            outputs.append(LivePlayer())
        return outputs

    def __call__(self, steps: Sequence[Step], state: LiveState) -> None:
        for step in steps:
            if self.writer is not None:
                self.writer.step(step)
            self.coach.feed(step)
            self.last_time_s = max(self.last_time_s, step.ic_time_s)

    def close(self) -> int | None:
        """Flush outputs; returns the stored session id, if the run went into the history."""
        self.coach.close()
        if self.renderer is not None and self.options.audio_wav is not None:
            self.renderer.write_wav(self.options.audio_wav, self.last_time_s + 2.0)
        session_id = self.writer.session_id if self.writer is not None else None
        if self.store is not None:
            self.store.close()
        return session_id
