"""`history export` writes each step's activity as the segment the summary counts it in (qa18 science H2), as
`footfall analyse` does: a stored session keeps the analyser's own per-step label, which can differ at the end
of a bout."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from dataclasses import replace
from pathlib import Path

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.analysis.summary import summarise
from footfall.store import Store
from footfall.virtual.runner import RunnerParams, simulate

Run = Callable[..., tuple[int, str, str]]


def test_exported_activity_is_the_summarys_segment(ff: Run, db: Path, tmp_path: Path) -> None:
    schedule = (("standing", 3.0), ("walking", 12.0), ("running", 20.0), ("walking", 8.0), ("standing", 5.0))
    foot = simulate(RunnerParams(feet="L", duration_s=48.0, seed=5, schedule=schedule)).feet["L"]
    steps, _ = analyse_blocks(blocks_from_arrays(foot.acc_mps2, foot.gyr_radps, foot.rate_hz, "L", "L"),
                              AnalysisParams())
    running = [k for k, s in enumerate(steps) if s.activity == "running"]
    odd = running[len(running) // 2]  # one step inside the run that the analyser's own duty factor called walking
    steps = [replace(s, activity="walking") if k == odd else s for k, s in enumerate(steps)]
    with Store(db) as store:
        store.add_runner("ana")
        sid = store.add_session("ana", steps, datetime(2026, 11, 3, 10, tzinfo=timezone.utc)).id
    code, _, err = ff("history", "export", str(sid), "-o", str(tmp_path / "steps.csv"))
    assert code == 0, err
    rows = list(csv.DictReader((tmp_path / "steps.csv").open(encoding="utf-8")))
    segments: Counter[str] = Counter()
    for g in summarise(steps).segments:
        segments[g.activity] += g.steps
    print(f"exported {Counter(r['activity'] for r in rows)}; segments {dict(segments)}")
    assert +Counter(r["activity"] for r in rows) == +segments and len(rows) == len(steps)
    assert rows[odd]["activity"] == "running"  # the summary counts it in the run
