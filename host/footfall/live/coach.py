"""Live coaching in the session: the cue engine's outputs are the view, optionally sound (played live or
rendered to a WAV file) and the runner's history (steps and cues written while the run goes on)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from footfall.analysis.step import Step
from footfall.analysis.stride import StrideParams
from footfall.coaching.cues import Cue, CueEngine, CueParams
from footfall.coaching.outputs import CueOutput, LiveCoach
from footfall.coaching.phases import Phase, PhasePlan
from footfall.errors import StoreError
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
    cue_grace_s: float | None = None  # running time before the first cue; None: CueParams' (5 min; 0 with phases)


class ViewOutput:
    """Cues and the metronome target, shown in the live view."""

    def __init__(self, state: LiveState) -> None:
        self.state = state

    def cue(self, cue: Cue) -> None:
        self.state.cues.append(f"{cue.time_s:6.1f}s  {cue.text}")

    def metronome(self, target_spm: float | None, time_s: float) -> None:
        self.state.target_cadence_spm = target_spm
        if self.state.first_target_spm is None:
            self.state.first_target_spm = target_spm

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
        self.history_notes: list[str] = []  # what the history writer said: a write that failed, what was not stored
        outputs: list[CueOutput] = [ViewOutput(self.state)]
        if options.runner:
            outputs.append(self._history(options))
        outputs += self._sound(options)
        self.coach = LiveCoach(CueEngine(self._cue_params(options)), outputs)
        self.last_time_s = 0.0
        self.steps = 0

    def _cue_params(self, options: CoachOptions) -> CueParams:
        """The runner's target and leg length; the warm-up grace (a physiotherapist's phases time the cues
        themselves: the baseline is the warm-up, so the cue phase cues from its start)."""
        grace = options.cue_grace_s if options.cue_grace_s is not None else \
            0.0 if options.phases is not None else CueParams.grace_s
        runner = self.runner
        return CueParams(grace_s=grace, fixed_target_spm=runner.target_cadence_spm if runner else None,
                         leg_length_m=runner.leg_length_m if runner else None, typical_cadence_spm=self._typical())

    def _typical(self) -> float | None:
        """The runner's recent typical cadence, from which the metronome steps towards their own target, as the
        after-run advice does (footfall.coaching.session_advice)."""
        if self.writer is None:
            return None
        from footfall.coaching.session_advice import typical_cadence_spm

        store = self.writer.store
        return typical_cadence_spm(store, store.session(self.writer.session_id))

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
                                                     source=options.source, on_note=self._history_note)
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
        if self.writer is not None:  # the session runs to now, though its last step may be older (the runner stood)
            self.writer.mark(label, start_s, end_s, until_s=max(self.state.elapsed_s, self.last_time_s))

    def _history_note(self, text: str) -> None:
        """What the history writer has to say (a write that failed, or works again), shown in the live view."""
        self.state.notes.append(f"{max(self.state.elapsed_s, self.last_time_s):6.1f}s history: {text}")
        self.history_notes.append(text)

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
        try:
            return self._settle_history(self.writer)
        finally:
            self.writer.store.close()

    def _settle_history(self, writer: LiveSessionWriter) -> int | None:
        """The stored session's number once it is finished, else None and a note of what was not stored and how
        to recover it; a run without steps leaves no session."""
        if not self.steps:  # nothing was measured: no empty run in the history
            self._history_write(lambda: writer.store.delete_session(writer.session_id))
            return None
        if writer.finished is None:
            self._history_note(self._unsaved(writer))
            return None
        recording = self.options.recording
        if recording is not None and recording.is_file():  # refuses a later `history add` of the same recording
            self._history_write(lambda: writer.store.set_source_sha256(writer.session_id, file_sha256(recording)))
        return writer.session_id

    def _history_write(self, write: Callable[[], object]) -> None:
        try:
            write()
        except StoreError as exc:
            self._history_note(f"not written ({exc})")

    def _unsaved(self, writer: LiveSessionWriter) -> str:
        """What did not reach the history, and how to put it there."""
        stored = f"{writer.stored_steps} of {self.steps} steps stored" + \
            (f", {writer.unsaved_cues} cues not" if writer.unsaved_cues else "")
        head = f"session {writer.session_id} left unfinished ({stored}: {writer.problem})"
        recording, command = self.options.recording, f"{self._db_option()}`"
        if recording is None or not recording.is_file():
            return f"{head}; without a recording of the run it cannot be completed: " \
                   f"`footfall history delete {writer.session_id}{command} removes it"
        runner = self.runner.name if self.runner else self.options.runner
        return f"{head}; once the database can be written, `footfall history add {recording} --runner {runner}" \
               f"{command} completes it from the recording"

    def _db_option(self) -> str:
        return f" --db {self.options.db}" if self.options.db is not None else ""
