"""Run a live session in the terminal: the shared body of `footfall live` and `footfall demo`."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from collections.abc import Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live

from footfall.live.coach import CoachOptions, SessionCoach
from footfall.live.session import LiveParams, LiveResult, LiveSession
from footfall.live.state import LiveState
from footfall.live.view import render, status_line
from footfall.sources import SourceOptions, open_sources


async def run_live(specs: Sequence[str], record_to: Path | None, params: LiveParams,
                   options: SourceOptions = SourceOptions(), console: Console | None = None,
                   meta: dict[str, Any] | None = None, coach: CoachOptions = CoachOptions()) -> LiveResult:
    console = console or Console()
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
    return result


def _on_signals(session: LiveSession) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, session.stop)
        except (NotImplementedError, RuntimeError):  # not the main thread, or no signals on this platform
            pass


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
    `footfall history` and the report lead back to the file."""
    return "live" if record_to is None else f"live: {record_to}"


def run_live_sync(*args: Any, **kwargs: Any) -> LiveResult:
    return asyncio.run(run_live(*args, **kwargs))


def make_console() -> Console:
    """The terminal, or 120 columns of plain text when the output is a log."""
    console = Console()
    return console if console.is_terminal else Console(width=120)


def print_result(result: LiveResult, console: Console, db: Path | None = None) -> None:
    """After the run: the last view, link reports, the session summary and the prioritised advice."""
    from footfall.analysis.summary import summarise
    from footfall.cli.analyse import print_summary

    console.print(render(result.state))
    for sensor, report in result.reports.items():
        console.print(f"link {sensor}: {report.summary()}", highlight=False)
    summary = summarise(result.steps, result.analysis, duration_s=result.state.elapsed_s)
    print_summary(summary, len(result.steps), console)
    print_advice(result, console, db)
    if result.recording is not None:
        console.print(f"recording: {result.recording} (analyse it again with `footfall analyse {result.recording}`)",
                      highlight=False)
    if result.session_id is not None:
        console.print(f"stored as session {result.session_id}: `footfall report {result.session_id} -o report.html`",
                      highlight=False)
    sys.stdout.flush()


def print_advice(result: LiveResult, console: Console, db: Path | None, limit: int = 5) -> None:
    from footfall.coaching.advice import RunContext, post_run_advice
    from footfall.coaching.load import PastRun

    if result.session_id is not None:
        from footfall.coaching.session_advice import advice_for_session
        from footfall.store import Store

        with Store(db) as store:
            advice = advice_for_session(store, result.session_id, limit=limit).advice
    else:
        this_run = PastRun(datetime.now(timezone.utc), result.state.distance_m(), result.state.elapsed_s)
        advice = post_run_advice(result.steps, RunContext(this_run), limit=limit)
    console.print("[bold]After the run[/] (training advice, not a diagnosis):")
    for n, entry in enumerate(advice, 1):
        console.print(f"{n}. {entry.title}: {entry.message}", highlight=False)
        cited = entry.citations()
        where = f": `footfall advice {result.session_id}`" if result.session_id is not None else ""
        more = f" (+{len(cited) - 2} more{where})" if len(cited) > 2 else ""
        console.print(f"   sources: {'; '.join(cited[:2])}{more}", style="dim", highlight=False)
