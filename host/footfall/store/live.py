"""Writing a live session into the history as it runs: steps in small batches, cues as they are given.

`LiveSessionWriter` is also a CueOutput, so the live view can hand it to `LiveCoach` next to the screen and
sound outputs. Readers (`footfall history`, reports) see the session grow while it runs (WAL mode).
"""

from __future__ import annotations

from datetime import datetime

from footfall.analysis.step import Step
from footfall.coaching.cues import Cue
from footfall.store.db import Store
from footfall.store.rows import Session


class LiveSessionWriter:
    def __init__(self, store: Store, runner: str, shoe_id: int | None = None, source: str = "live",
                 start_utc: datetime | None = None, batch_steps: int = 32) -> None:
        self.store = store
        self.session_id = store.begin_session(runner, start_utc, shoe_id, source)
        self.batch_steps = batch_steps
        self._pending: list[Step] = []
        self.finished: Session | None = None

    def step(self, step: Step) -> None:
        self._pending.append(step)
        if len(self._pending) >= self.batch_steps:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.store.append_steps(self.session_id, self._pending)
            self._pending = []

    def cue(self, cue: Cue) -> None:
        self.store.add_cues(self.session_id, [cue])

    def metronome(self, target_spm: float | None, time_s: float) -> None:
        pass  # every metronome change comes with a cue, which is stored

    def close(self) -> None:
        if self.finished is None:
            self.flush()
            self.finished = self.store.finish_session(self.session_id)
