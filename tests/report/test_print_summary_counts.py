"""The summary table says what its figures rest on wherever it is printed: `footfall analyse` and the end of a
live session share print_summary, so both print the "figures rest on" line (it was analyse's alone)."""

from __future__ import annotations

import io

from rich.console import Console

from footfall.analysis.summary import counts_text, summarise
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.console import print_summary


def test_the_counts_line_follows_the_notes() -> None:
    steps = planned_run([(60, Gait())], seed=1)
    summary = summarise(steps)
    out = io.StringIO()
    print_summary(summary, len(steps), Console(file=out, width=400))
    lines = out.getvalue().splitlines()
    assert lines[-1] == counts_text(summary) and lines[-1].startswith("figures rest on (both feet): cadence ")
    empty = io.StringIO()
    print_summary(summarise([]), 0, Console(file=empty, width=400))
    assert "figures rest on" not in empty.getvalue()
