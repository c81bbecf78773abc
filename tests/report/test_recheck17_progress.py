"""qa17 physio re-check N4: over whole sessions, a clinic test's progress row is its retest (said), or, without a
retest, its phases pooled, marked so and given no Δ; the speed flag compares the speeds the parts were run at."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.build import write_report
from footfall.report.progress import POOLED, progress
from footfall.store import Store

T0 = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Visit 1: a 2 min run at 3.0 m/s. Visit 2: a clinic test, baseline 0-60 s and cue 60-120 s (no retest).
    Visit 3: a clinic test whose retest (120-180 s) ran at 4.0 m/s, the rest at 3.0 m/s."""
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        store.add_runner("ana", 1.68, 0.86)
        store.add_session("ana", planned_run([(120, Gait())], seed=1), T0)
        two = store.add_session("ana", planned_run([(60, Gait()), (60, Gait(cadence_spm=172))], seed=2),
                                T0 + timedelta(days=7)).id
        store.add_segment(two, "baseline", 0, 60)
        store.add_segment(two, "cue", 60, 120)
        three = store.add_session("ana", planned_run([(120, Gait()), (60, Gait(speed_mps=4.0))], seed=3),
                                  T0 + timedelta(days=14)).id
        for label, start_s, end_s in (("baseline", 0, 60), ("cue", 60, 120), ("retest", 120, 180)):
            store.add_segment(three, label, start_s, end_s)
    return path


def test_a_clinic_test_is_its_retest_or_pooled_without_a_delta(db: Path) -> None:
    with Store(db, readonly=True) as store:
        p = progress(store, "ana")
    assert [v.name for v in p.visits] == ["Session 1", "Session 2", "Session 3 retest"]
    assert p.visits[1].pooled and p.visits[1].measured == f"both feet, {POOLED}"
    assert p.what() == "whole sessions; a clinic test: its retest, session 3"
    assert {c.label for c in p.changes.rows} == {"Session 3 retest"}
    assert f"Session 2: no Δ: {POOLED}, its cued and uncued phases together" in p.changes.notes
    assert all(c.speed == "speed +33 %" for c in p.changes.rows)  # the retest's 4.0 m/s, not a pooled median


def test_the_report_section_says_which_part_of_a_clinic_test(db: Path, tmp_path: Path) -> None:
    with Store(db, readonly=True) as store:
        page = write_report(store, 3, tmp_path / "r.html").read_text()
    section = page.split('<section id="progress">')[1].split("</section>")[0]
    assert "a clinic test: its retest" in section and POOLED in section


def test_each_delta_row_of_a_one_foot_visit_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        store.add_runner("ben")
        store.add_session("ben", planned_run([(120, Gait())], seed=1), T0)
        left = [s for s in planned_run([(120, Gait(strike_angle_deg=8))], seed=2) if s.side == "L"]
        store.add_session("ben", left, T0 + timedelta(days=7))
        store.add_session("ben", planned_run([(120, Gait(cadence_spm=166))], seed=3), T0 + timedelta(days=14))
        p = progress(store, "ben")
    flagged = {c.label for c in p.changes.rows if c.text().endswith("[one foot]")}
    assert flagged == {"Session 2"} and all(c.feet == "one foot" for c in p.changes.rows if c.label == "Session 2")
