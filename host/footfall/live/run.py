"""Run a live session in the terminal: the shared body of `footfall live` and `footfall demo`."""

from __future__ import annotations

import asyncio
import math
import signal
import time
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.live import Live

from footfall.coaching.advice_types import Advice
from footfall.live.coach import CoachOptions, SessionCoach
from footfall.live.session import LiveParams, LiveResult, LiveSession
from footfall.live.state import LiveState
from footfall.live.view import render, status_line
from footfall.sources import SourceOptions, open_sources

if TYPE_CHECKING:  # imported when used: a session without --runner reads no check-ins
    from footfall.coaching.reminder import EarlierCheckIn


async def run_live(specs: Sequence[str], record_to: Path | None, params: LiveParams,
                   options: SourceOptions = SourceOptions(), console: Console | None = None,
                   meta: dict[str, Any] | None = None, coach: CoachOptions = CoachOptions()) -> LiveResult:
    console = console or Console()
    if (notice := pre_run_notice(coach)) is not None:  # said before the run, not only in the advice after it
        console.print(f"{notice.advice.title}\n{notice.advice.message}\n{notice.no_cues}", highlight=False)
        coach = replace(coach, cue_grace_s=math.inf)  # the grace never ends: no technique cues this session
    # first: an unknown runner or shoe fails before anything connects
    coaching = SessionCoach(replace(coach, source=session_source(record_to), recording=record_to))
    if coaching.shoe is not None and coaching.shoe.warning():
        console.print(f"warning: {coaching.shoe.warning()}", highlight=False)
    try:
        async with AsyncExitStack() as stack:
            sources = await open_sources(specs, stack, options)
            params = replace(params, stride=params.stride or coaching.stride_params())
            session = LiveSession(sources, record_to, params, meta, coaching, coaching.state)
            _on_signals(session)
            view = asyncio.create_task(_show(session.state, console, params.refresh_hz))
            try:
                result = await session.run()
            finally:
                view.cancel()
    finally:
        session_id = coaching.close()
    result.session_id = session_id
    for warning in result.warnings:  # the view's notes scroll: these must be seen (a recording cut short)
        console.print(f"warning: {warning}", highlight=False)
    return result


NO_CUES = "No technique cues in this session: they wait until a professional has looked at the ankle."
NO_CUES_PAIN = "No technique cues in this session: a change of stride waits until the pain has settled."
PAIN_BEFORE_WINDOW_S = 12 * 3600.0  # footfall's own: a check-in on its own this recent was made for this run


@dataclass(frozen=True)
class PreRunNotice:
    advice: Advice  # what the runner is told before the run starts
    no_cues: str  # why the session gives no technique cues


def pre_run_notice(coach: CoachOptions) -> PreRunNotice | None:
    """The reminder of a red flag still open in the runner's history (coaching/reminder.py), else the "skip it"
    of a check-in made on its own in the last 12 hours with pain before the run (a runner who checked in 5/10 and
    ran anyway was coached on cadence without a word); None without --runner, a history, or either."""
    from footfall.coaching.reminder import answer_command, reminder_advice

    found = _checkins_now(coach)
    if found is None:
        return None
    earlier, now = found
    if (reminder := reminder_advice(earlier, now, answer=answer_command(coach.runner))) is not None:
        return PreRunNotice(reminder, NO_CUES)
    pain = _pain_before(earlier, now)
    return None if pain is None else PreRunNotice(pain, NO_CUES_PAIN)


def _checkins_now(coach: CoachOptions) -> tuple[list[EarlierCheckIn], datetime] | None:
    """The runner's check-ins up to now, and now; None without --runner, a history file or that runner."""
    from footfall.errors import FootfallError
    from footfall.store import Store
    from footfall.store.checks import utc_now

    if not coach.runner:
        return None
    now = utc_now()
    try:
        with Store(coach.db, create=False) as store:  # read-only would read past damage, with a warning
            return store.checkins_until(coach.runner, now), now
    except FootfallError:  # no history file yet, or an unknown runner: SessionCoach says what is wrong
        return None


def _pain_before(earlier: Sequence[EarlierCheckIn], now: datetime) -> Advice | None:
    """The "skip it" entry of the latest check-in made on its own within PAIN_BEFORE_WINDOW_S, if its pain
    before the run calls for skipping it."""
    from footfall.coaching.advice import checkin_advice
    from footfall.coaching.checkin import pain_level

    alone = [e for e in earlier if e.session_id is None and (now - e.time_utc).total_seconds() <= PAIN_BEFORE_WINDOW_S]
    if not alone or pain_level(alone[-1].checkin) != "skip_run":
        return None
    return checkin_advice(alone[-1].checkin)[0]


STOPPED_BY = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}  # as the summary names what ended a session


def _on_signals(session: LiveSession) -> None:
    loop = asyncio.get_running_loop()
    for sig, name in STOPPED_BY.items():
        try:
            loop.add_signal_handler(sig, _stop_by, session, name)
        except (NotImplementedError, RuntimeError):  # not the main thread, or no signals on this platform
            pass


def _stop_by(session: LiveSession, name: str) -> None:
    """End the session, remembering why, for the summary's "stopped early (Ctrl-C) at 0:12 of 0:40"."""
    session.state.stopped_by = session.state.stopped_by or name
    session.stop()


async def _show(state: LiveState, console: Console, refresh_hz: float) -> None:
    if console.is_terminal:
        with Live(render(state), console=console, refresh_per_second=refresh_hz, transient=False) as live:
            while True:
                await asyncio.sleep(1.0 / refresh_hz)
                live.update(render(state))
    last = time.monotonic()
    while True:  # logs: a line every 5 s
        await asyncio.sleep(0.5)
        if time.monotonic() - last >= 5.0:
            last = time.monotonic()
            console.print(status_line(state), highlight=False)


def session_source(record_to: Path | None) -> str:
    """How the history names a live session: "live", or "live: FILE" with the recording made of it, so
    `footfall history` and the report lead back to the file from any folder (its absolute path: `history add`
    of a copy, run elsewhere, must still find the original)."""
    return "live" if record_to is None else f"live: {record_to.resolve()}"


def make_console() -> Console:
    """The terminal, or 120 columns of plain text when the output is a log."""
    console = Console()
    return console if console.is_terminal else Console(width=120)


