"""The load chart draws the reference set the load text judges by (qa17 #10): runs of 5 min or more; shorter runs
and clinic tests are drawn as no reference, and no "+10 %" line is drawn when the text has no reference."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.load import TITLE
from footfall.coaching.scripted import Gait, planned_run
from footfall.report import plots
from footfall.report.build import session_data
from footfall.store import Store

T0 = datetime(2026, 11, 17, 10, 0, tzinfo=timezone.utc)


def _load_text(store: Store, sid: int) -> str:
    return next(a.message for a in session_data(store, sid).advice if a.title == TITLE)


def test_short_earlier_runs_are_no_reference_and_draw_no_lines(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("anna")
        for k, days in enumerate((14, 7, 0)):
            sid = store.add_session("anna", planned_run([(120, Gait())], seed=k), T0 - timedelta(days=days)).id
        load = session_data(store, sid).load
        text = _load_text(store, sid)
    assert load.reference == () and load.longest_km is None
    assert [(round(d), why) for d, _, why in load.excluded] == [(14, "shorter"), (7, "shorter")]
    assert "No run of 5 min or more" in text  # the text says there is no reference, and so does the chart
    assert "longest +10%" not in plots.load_figure(load, 0.36)
    assert "no lines" in plots.load_caption(load)


def test_the_lines_come_from_the_longest_reference_run_and_clinic_tests_are_shown_excluded(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("anna")
        long_run = store.add_session("anna", planned_run([(420, Gait())], seed=1), T0 - timedelta(days=9))
        clinic = store.add_session("anna", planned_run([(600, Gait())], seed=2), T0 - timedelta(days=5)).id
        store.add_segment(clinic, "baseline", 0, 120)
        sid = store.add_session("anna", planned_run([(400, Gait())], seed=3), T0).id
        load = session_data(store, sid).load
        text = _load_text(store, sid)
    assert [round(d) for d, _ in load.reference] == [9]
    assert load.longest_km == pytest.approx(long_run.distance_m / 1000)
    assert [(round(d), why) for d, _, why in load.excluded] == [(5, "clinic test")]
    assert f"({load.longest_km:.1f} km)" in text  # the text's longest run (1.3 km) is the chart's
    assert "longest +10%" in plots.load_figure(load, 1.0)
