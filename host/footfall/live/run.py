"""Run a live session in the terminal: the shared body of `footfall live` and `footfall demo`."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live

from footfall.analysis.step import Step
from footfall.live.session import LiveParams, LiveResult, LiveSession
from footfall.live.state import LiveState
from footfall.live.view import render, status_line
from footfall.sources import SourceOptions, open_sources


class _ViewCoach:
    """Feeds steps to the coaching cue engine and shows its cues in the view (and any other outputs)."""

    def __init__(self) -> None:
        from footfall.coaching.cues import CueEngine

        self.engine = CueEngine()

    def __call__(self, steps: Sequence[Step], state: LiveState) -> None:
        for step in steps:
            for cue in self.engine.feed(step):
                state.cues.append(f"{step.ic_time_s:6.1f}s  {cue.text}")
        state.target_cadence_spm = self.engine.metronome_spm


async def run_live(specs: Sequence[str], record_to: Path | None, params: LiveParams,
                   options: SourceOptions = SourceOptions(), console: Console | None = None,
                   meta: dict[str, Any] | None = None) -> LiveResult:
    console = console or Console()
    async with AsyncExitStack() as stack:
        sources = await open_sources(specs, stack, options)
        session = LiveSession(sources, record_to, params, meta, on_steps=_ViewCoach())
        _on_signals(session)
        view = asyncio.create_task(_show(session.state, console, params.refresh_hz))
        try:
            return await session.run()
        finally:
            view.cancel()


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


def run_live_sync(*args: Any, **kwargs: Any) -> LiveResult:
    return asyncio.run(run_live(*args, **kwargs))


def make_console() -> Console:
    """The terminal, or 120 columns of plain text when the output is a log."""
    console = Console()
    return console if console.is_terminal else Console(width=120)


def print_result(result: LiveResult, console: Console) -> None:
    console.print(render(result.state))
    for sensor, report in result.reports.items():
        console.print(f"{sensor}: {report.summary()}", highlight=False)
    if result.recording is not None:
        console.print(f"recording: {result.recording} (analyse it again with `footfall analyse {result.recording}`)",
                      highlight=False)
    sys.stdout.flush()
