"""Writing a live session into the history as it runs: steps in small batches, cues as they are given.

`LiveSessionWriter` is also a CueOutput, so the live view can hand it to `LiveCoach` next to the screen and
sound outputs. Readers (`footfall history`, reports) see the session grow while it runs (WAL mode).

The run matters more than its copy in the history: a write the history refuses (the file locked by another
program, damaged, on a full disk) never ends the session and never holds it up for long (writes wait at most
LIVE_BUSY_TIMEOUT_S for a lock). What was not stored is kept and tried again a batch later; `problem` says what
went wrong, and `on_note` is told when writing fails and when it works again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from footfall.analysis.step import Step
from footfall.coaching.cues import Cue
from footfall.errors import InputError, StoreError
from footfall.store.db import Store
from footfall.store.rows import LegLength, Session

LIVE_BUSY_TIMEOUT_S = 0.1  # a write during the run waits this long for another program's lock (the loop waits too)
CLOSE_BUSY_TIMEOUT_S = 2.0  # at the end, when nothing else waits, a little longer


class Mark(NamedTuple):
    """A segment to mark (a phase of the run), stored once the steps before it are."""

    label: str
    start_s: float
    end_s: float
    until_s: float | None


def _ignore(text: str) -> None:
    pass


class LiveSessionWriter:
    def __init__(self, store: Store, runner: str, shoe_id: int | None = None, source: str = "live",
                 start_utc: datetime | None = None, batch_steps: int = 32,
                 on_note: Callable[[str], None] = _ignore) -> None:
        self.store = store
        # the live analysis computes the overstride index with the profile's leg length (live/coach.py): kept with it
        used = LegLength(store.runner(runner).leg_length_m)
        self.session_id = store.begin_session(runner, start_utc, shoe_id, source, leg_length=used)  # fails: before the run
        store.set_busy_timeout(LIVE_BUSY_TIMEOUT_S)
        self.batch_steps = batch_steps
        self.on_note = on_note
        self._pending: list[Step] = []
        self._cues: list[Cue] = []
        self._marks: list[Mark] = []
        self._next_try_steps = batch_steps  # pending steps at which the next write is tried
        self.stored_steps = 0
        self.problem: StoreError | None = None  # why the latest write failed; None once everything is stored
        self.finished: Session | None = None

    @property
    def unsaved_steps(self) -> int:
        return len(self._pending)

    @property
    def unsaved_cues(self) -> int:
        return len(self._cues)

    def step(self, step: Step) -> None:
        self._pending.append(step)
        if len(self._pending) >= self._next_try_steps:
            self.flush()

    def cue(self, cue: Cue) -> None:
        self._cues.append(cue)
        if self.problem is not None:
            return  # with the next batch of steps: a failing write is not tried at every cue
        try:
            self._write_cues()
        except StoreError as exc:
            self._failed(exc)

    def mark(self, label: str, start_s: float, end_s: float, until_s: float | None = None) -> None:
        """Mark a segment of the session once every step before it is stored (now, when the history writes)."""
        self._marks.append(Mark(label, start_s, end_s, until_s))
        self.flush()

    def metronome(self, target_spm: float | None, time_s: float) -> None:
        pass  # every metronome change comes with a cue, which is stored

    def flush(self) -> bool:
        """Store what is pending: True when all of it is. On a failure nothing is lost: it is tried again once
        another batch of steps has come (or at `close`)."""
        try:
            self._write_pending()
        except StoreError as exc:
            self._failed(exc)
            return False
        if self.problem is not None:
            self.problem = None
            self.on_note(f"writing works again: {self.stored_steps} steps stored")
        self._next_try_steps = self.batch_steps
        return True

    def _write_pending(self) -> None:
        if self._pending:
            self.store.append_steps(self.session_id, self._pending)
            self.stored_steps += len(self._pending)
            self._pending = []
        self._write_cues()
        while self._marks:  # after the steps: a mark is checked against the steps stored
            mark = self._marks[0]
            try:
                self.store.add_segment(self.session_id, *mark)
            except InputError as exc:  # no step in it (the runner stood, or the session stopped as it began)
                self.on_note(f"phase {mark.label} not marked: {exc}")
            self._marks.pop(0)

    def _write_cues(self) -> None:
        if self._cues:
            self.store.add_cues(self.session_id, self._cues)
            self._cues = []

    def _failed(self, exc: StoreError) -> None:
        if self.problem is None or str(self.problem) != str(exc):
            self.on_note(f"not written ({exc}); the run goes on, {self.unsaved_steps} steps kept to write later")
        self.problem = exc
        self._next_try_steps = len(self._pending) + self.batch_steps

    def close(self) -> None:
        """Store what is pending and finish the session. If the history refuses, `finished` stays None and
        `problem` says why (the session is left unfinished: `footfall history add` of its recording completes it)."""
        if self.finished is not None:
            return
        self.store.set_busy_timeout(CLOSE_BUSY_TIMEOUT_S)
        if not self.flush():
            return
        try:
            self.finished = self.store.finish_session(self.session_id)
        except StoreError as exc:
            self.problem = exc
