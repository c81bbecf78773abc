"""qa17 physio re-check: two segments of one session compared in the order they were run (N1), a walk against a
run without a speed warning or an empty Δ header (N8)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.build import write_report
from footfall.store import Store

T0 = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def clinic(db: Path) -> Path:
    """Session 1: baseline 0-60 s at 160 steps/min, retest 60-120 s at 170; session 2: a walk, the same start."""
    with Store(db) as store:
        store.add_runner("ana", 1.68, 0.86)
        steps = planned_run([(60, Gait(cadence_spm=160)), (60, Gait(cadence_spm=170))], seed=1)
        sid = store.add_session("ana", steps, T0).id
        store.add_segment(sid, "baseline", 0, 60)
        store.add_segment(sid, "retest", 60, 120)
        walk = [replace(s, activity="walking") for s in planned_run([(120, Gait(cadence_spm=112, speed_mps=1.4))],
                                                                    seed=2)]
        store.add_session("ana", walk, T0)
    return db


@pytest.mark.parametrize("typed", [("1:retest", "1:baseline"), ("1:baseline", "1:retest")])
def test_two_segments_of_one_session_come_in_the_order_they_were_run(ff: Run, clinic: Path,
                                                                    typed: tuple[str, str]) -> None:
    code, out, err = ff("history", "show", typed[0], "--compare", typed[1], "--json")
    assert code == 0, err
    c = json.loads(out)
    assert (c["before"]["segment"], c["after"]["segment"]) == ("baseline", "retest")
    cadence = next(r for r in c["changes"] if r["metric"] == "cadence_spm")
    assert cadence["change"] > 5  # 160 -> 170: a rise, not a fall


def test_the_report_of_a_retest_against_its_own_baseline_puts_the_baseline_first(clinic: Path,
                                                                                 tmp_path: Path) -> None:
    with Store(clinic, readonly=True) as store:
        page = write_report(store, 1, tmp_path / "r.html", compare_id="1:baseline", segment="retest").read_text()
    assert "<h2>Comparison: Session 1 baseline → Session 1 retest</h2>" in page


def test_a_walk_against_a_run_has_no_speed_warning_and_no_empty_delta_header(ff: Run, clinic: Path,
                                                                            tmp_path: Path) -> None:
    code, out, err = ff("history", "show", "2", "--compare", "1:retest")
    assert code == 0, err
    assert "steps compared differs: running against walking" in out
    assert "faster than" not in out and "Δ = " not in out and "footnote" not in out
    with Store(clinic, readonly=True) as store:
        page = write_report(store, 1, tmp_path / "r.html", compare_id="2", segment="retest").read_text()
    section = page.split('<section id="compare">')[1].split("</section>")[0]
    assert "faster than" not in section and "Δ = " not in section and 'class="change-basis"' not in section


def test_history_show_prints_the_per_side_figures_of_the_report(ff: Run, clinic: Path, tmp_path: Path) -> None:
    from footfall.coaching.summary import window
    from footfall.report.sides import side_rows

    code, out, err = ff("history", "show", "1")
    assert code == 0, err
    rows = {line.split()[0] + " " + line.split()[1]: line.split()[2:] for line in out.splitlines()
            if line.startswith("  contact_time_ms ")}
    with Store(clinic, readonly=True) as store:
        steps = store.steps(1)
    want = [side_rows(window(steps, a, b))[0].cells() for a, b in ((0, 60), (60, 120))]
    assert rows["contact_time_ms L"] == [want[0][0], want[1][0]] and rows["contact_time_ms R"] == [want[0][1], want[1][1]]
    assert "contact_time_ms L−R" in out


def test_the_comparison_page_shows_each_foot_not_a_left_share(clinic: Path, tmp_path: Path) -> None:
    with Store(clinic, readonly=True) as store:
        page = write_report(store, 1, tmp_path / "r.html", compare_id="1:baseline", segment="retest").read_text()
    section = page.split('<section id="compare">')[1].split("</section>")[0]
    assert "left share of contact" not in section and 'id="compare-sides"' in section
