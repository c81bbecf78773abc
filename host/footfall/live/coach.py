"""Live coaching in the session: the cue engine's outputs are the view, optionally sound (played live or
rendered to a WAV file) and the runner's history (steps and cues written while the run goes on)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from footfall.analysis.step import Step
from footfall.analysis.stride import StrideParams
from footfall.coaching.cues import Cue, CueEngine, CueParams
from footfall.coaching.outputs import CueOutput, LiveCoach
from footfall.coaching.phases import Phase, PhasePlan
from footfall.errors import InputError
from footfall.live.state import LiveState
from footfall.store.db import file_sha256
from footfall.store.rows import Runner, Shoe

if TYPE_CHECKING:  # imported when used: a session without history or sound needs neither
    from footfall.coaching.audio import AudioRenderer
    from footfall.store.live import LiveSessionWriter


@dataclass(frozen=True)
class CoachOptions:
    runner: str | None = None  # store the session in this runner's history
    shoe: str | None = None  # the runner's pair worn for this run (its distance grows)
    db: Path | None = None  # history database (default: the user data directory)
    audio_wav: Path | None = None  # render the metronome and spoken cues to this file
    sound: bool = False  # play them live (aplay/paplay)
    phases: PhasePlan | None = None  # a physiotherapist's timed phases: cues only in `cue` ones, each marked
    source: str = "live"  # how the history names the session ("live: physio.ffr" with its recording)
    recording: Path | None = None  # the recording made of it: its hash is stored once it is closed


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
    """The session's on_steps hook: every step to the history writer (if any) and the coach. Made before
    the session, since the runner's details (leg length) tune the analysis."""

    def __init__(self, options: CoachOptions = CoachOptions()) -> None:
        self.options = options
        self.state = LiveState(phases=options.phases)
        self._phase: Phase | None = None  # the phase of the latest step
        self._marked = 0  # phases marked as segments of the stored session so far
        self.writer: LiveSessionWriter | None = None
        self.renderer: AudioRenderer | None = None
        self.runner: Runner | None = None
        self.shoe: Shoe | None = None
        outputs: list[CueOutput] = [ViewOutput(self.state)]
        params = CueParams()
        if options.runner:
            outputs.append(self._history(options))
            target = self.runner.target_cadence_spm if self.runner else None
            params = CueParams(fixed_target_spm=target) if target else params
        outputs += self._sound(options)
        self.coach = LiveCoach(CueEngine(params), outputs)
        self.last_time_s = 0.0
        self.steps = 0

    def stride_params(self) -> StrideParams | None:
        """The runner's leg length scales the overstride index's cadence norm (analysis/overstride.py)."""
        leg = self.runner.leg_length_m if self.runner else None
        return StrideParams(leg_length_m=leg) if leg else None

    def _history(self, options: CoachOptions) -> CueOutput:
        from footfall.store import Store
        from footfall.store.live import LiveSessionWriter

        store = Store(options.db)
        try:  # an unknown runner or shoe fails here, not mid-run
            runner = self.runner = store.runner(str(options.runner))
            self.shoe = store.shoe_named(runner.name, options.shoe) if options.shoe else None
            writer = self.writer = LiveSessionWriter(store, runner.name, self.shoe.id if self.shoe else None,
                                                     source=options.source)
        except BaseException:
            store.close()
            raise
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
        self.steps += len(steps)
        for step in steps:
            if self.writer is not None:
                self.writer.step(step)
            self.last_time_s = max(self.last_time_s, step.ic_time_s)
            self.coach.feed(step, self._cueing(self.last_time_s))  # the phase moves on only: feet interleave

    def _cueing(self, time_s: float) -> bool:
        """Whether the phase plan (if any) cues at `time_s`; shows each new phase and marks each ended one."""
        plan = self.options.phases
        if plan is None:
            return True
        phase = plan.at(time_s)
        if phase is not None and phase is not self._phase:
            self.state.cues.append(f"{phase.start_s:6.1f}s  phase {phase.label}{'' if phase.cues else ', no cues'}")
        self._phase = phase
        for ended in plan.phases[self._marked:]:
            if ended.end_s > time_s:
                break
            self._mark(ended.label, ended.start_s, ended.end_s)
        return phase is not None and phase.cues

    def _mark(self, label: str, start_s: float, end_s: float) -> None:
        """A phase as a segment of the stored session, as soon as it ends (a crash keeps the marks made)."""
        self._marked += 1
        if self.writer is None:
            return
        self.writer.flush()
        try:
            # the session runs to now, though its last step may be older (the runner stood still at the end)
            self.writer.store.add_segment(self.writer.session_id, label, start_s, end_s,
                                          until_s=max(self.state.elapsed_s, self.last_time_s))
        except InputError as e:  # no step in it (the runner stood, or the session stopped as it began)
            self.state.notes.append(f"phase {label} not marked: {e}")

    def close(self) -> int | None:
        """Flush outputs; returns the stored session id, if the run went into the history."""
        if self.options.phases is not None:  # the phase the session ended in, cut at its end
            for span in self.options.phases.spans(max(self.state.elapsed_s, self.last_time_s))[self._marked:]:
                self._mark(*span)
        self.coach.close()
        if self.renderer is not None and self.options.audio_wav is not None:
            self.renderer.write_wav(self.options.audio_wav, self.last_time_s + 2.0)
        if self.writer is None:
            return None
        store, session_id = self.writer.store, self.writer.session_id
        try:
            if not self.steps:  # nothing was measured: no empty run in the history
                store.delete_session(session_id)
                return None
            if self.options.recording is not None and self.options.recording.is_file():
                store.set_source_sha256(session_id, file_sha256(self.options.recording))
            return session_id
        finally:
            store.close()
