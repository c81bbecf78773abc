"""qa17 #8: a runner's progress across visits, whole sessions or each visit's marked segment, with the change from
the first visit, in `footfall progress` (text and JSON) and the report's progress section."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall import cli
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.summary import summarise_steps, window
from footfall.report.build import write_report
from footfall.report.progress import progress
from footfall.store import Store

T0 = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)
CADENCES = (160, 166, 172)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("progress") / "h.sqlite"
    with Store(path) as store:
        store.add_runner("Anna Berg", 1.68, 0.86)
        store.add_runner("Ben")
        for week, cadence in enumerate(CADENCES):  # visits 1-3; the 2nd and 3rd with a segment at 150-270 s (not a
            # clinic label: a clinic test's row over whole sessions is its retest, test_recheck17_progress.py)
            steps = planned_run([(150, Gait(cadence_spm=cadence - 4)), (120, Gait(cadence_spm=cadence + 4))],
                                seed=week)
            sid = store.add_session("Anna Berg", steps, T0 + timedelta(days=7 * week)).id
            if week:
                store.add_segment(sid, "steady", 150, 270)
        store.add_session("Ben", planned_run([(120, Gait())], seed=9), T0 + timedelta(days=1))
    return path


def test_one_row_per_visit_in_time_order_with_the_change_from_the_first(db: Path) -> None:
    with Store(db) as store:
        p = progress(store, "anna berg")
        sessions = store.sessions("Anna Berg")
        assert [v.session_id for v in p.visits] == [s.id for s in sessions]
        for v, s in zip(p.visits, sessions):
            assert v.figures.summary == summarise_steps(store.steps(s.id))
        first = p.visits[0].figures.summary.cadence_spm
        rows = {c.label: c for c in p.changes.rows if c.metric == "cadence_spm"}
    assert list(rows) == ["Session 2", "Session 3"]  # the first visit is the reference, not a row
    for v in p.visits[1:]:
        assert rows[v.name].change == pytest.approx(v.figures.summary.cadence_spm - first)
        assert rows[v.name].ci_low < rows[v.name].change < rows[v.name].ci_high
    assert rows["Session 3"].change > 8 and not rows["Session 3"].within_noise
    assert p.runner == "Anna Berg" and "Ben" not in {v.name for v in p.visits}


def test_segment_picks_each_visits_segment_and_lists_the_sessions_without(db: Path) -> None:
    with Store(db) as store:
        p = progress(store, "Anna Berg", segment="STEADY")
        sessions = store.sessions("Anna Berg")
        assert p.skipped == [sessions[0].id]
        assert [v.name for v in p.visits] == [f"Session {s.id} steady" for s in sessions[1:]]
        for v, s in zip(p.visits, sessions[1:]):
            assert v.figures.summary.cadence_spm == pytest.approx(
                summarise_steps(window(store.steps(s.id), 150, 270)).cadence_spm)
            assert v.figures.summary.cadence_spm == pytest.approx(CADENCES[sessions.index(s)] + 4, abs=1.5)


def test_until_leaves_out_later_visits(db: Path) -> None:
    with Store(db) as store:
        second = store.sessions("Anna Berg")[1]
        assert [v.session_id for v in progress(store, "Anna Berg", until=second).visits][-1] == second.id
        assert len(progress(store, "Anna Berg", until=second).visits) == 2


def test_the_cli_prints_the_table_and_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["progress", "--runner", "Anna Berg", "--segment", "steady", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Session \d steady\s+2026-11-10\s+both feet\s+170\.\d", out)
    assert "sessions without a segment steady: 1" in out and "Δ cadence (steps/min)" in out
    assert "Δ contact time, left − right symmetry index (% points)" in out
    assert cli.main(["progress", "--runner", "Anna Berg", "--json", "--db", str(db)]) == 0
    doc = json.loads(capsys.readouterr().out)
    with Store(db) as store:
        assert [v["session"] for v in doc["visits"]] == [s.id for s in store.sessions("Anna Berg")]
    assert doc["reference"] == f"Session {doc['visits'][0]['session']}" and len(doc["changes"]) == (4 + 2) * 2
    asymmetry = [c for c in doc["changes"] if c["metric"] in ("contact_si_pct", "impact_si_pct")]
    assert [c["label"] for c in asymmetry] == ["Session 2", "Session 2", "Session 3", "Session 3"]  # both feet each
    assert cli.main(["progress", "--runner", "nobody", "--db", str(db)]) == 2
    assert "no runner called 'nobody'" in capsys.readouterr().err


def test_the_report_has_the_visits_up_to_this_one(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        ids = [s.id for s in store.sessions("Anna Berg")]
        first = write_report(store, ids[0], tmp_path / "a.html").read_text()
        second = write_report(store, ids[1], tmp_path / "b.html").read_text()
        steady = write_report(store, ids[2], tmp_path / "c.html", progress_segment="steady").read_text()
    assert 'id="progress"' not in first  # a first visit has no progress to show
    table = second.split('id="progress-table"')[1].split("</table>")[0]
    assert re.search(r'data-sessions="([\d ]+)"', table).group(1).split() == [str(i) for i in ids[:2]]
    heads = re.findall(r"<th[^>]*>(Session [^<]*)<br>", table)
    assert heads == [f"Session {ids[0]}", f"Session {ids[1]} (this visit)"] and "fig-progress" in second
    with Store(db) as store:
        cadence = [f"{summarise_steps(store.steps(i)).cadence_spm:.1f}" for i in ids[:2]]
    assert re.findall(r'<td class="num">([^<]*)</td>', table.split('data-key="cadence_spm"')[1].split("</tr>")[0]) \
        == cadence
    assert "Progress across visits (each visit&#x27;s steady)" in steady


def test_a_walk_gets_no_change_and_the_first_run_is_the_reference(tmp_path: Path) -> None:
    walk = Gait(cadence_spm=112, speed_mps=1.4, strike_angle_deg=22, overstride_index=0.4, contact_time_ms=650)
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("Chloé")
        for day, steps in enumerate([planned_run([(90, walk)], seed=1), planned_run([(120, Gait())], seed=2),
                                     planned_run([(120, Gait(cadence_spm=170))], seed=3)]):
            steps = [dataclasses.replace(s, activity="walking" if day == 0 else "running") for s in steps]
            store.add_session("Chloé", steps, T0 + timedelta(days=day))
        p = progress(store, "Chloé")
    walked, run1, run2 = p.visits
    assert walked.measured == "both feet, walking" and run1.measured == "both feet"
    assert p.changes.reference == run1.name and "first visit with running steps" in p.changes.basis_note
    assert {c.label for c in p.changes.rows} == {run2.name}
    assert any(n.startswith(f"{walked.name}: no Δ") for n in p.changes.notes)


def test_limit_keeps_the_first_and_the_latest_visits(db: Path) -> None:
    with Store(db) as store:
        ids = [s.id for s in store.sessions("Anna Berg")]
        p = progress(store, "Anna Berg", limit=2)
    assert [v.session_id for v in p.visits] == [ids[0], ids[-1]] and p.omitted == 1
    assert p.changes.reference == f"Session {ids[0]}"


def test_the_report_command_takes_the_progress_segment(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        last = [s.id for s in store.sessions("Anna Berg")][-1]
    out = tmp_path / "r.html"
    assert cli.main(["report", str(last), "--progress-segment", "steady", "-o", str(out), "--db", str(db)]) == 0
    assert "Progress across visits (each visit&#x27;s steady)" in out.read_text()


def test_an_unknown_progress_segment_is_refused(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The progress section was dropped without a word (qa17 re-check N6)."""
    with Store(db) as store:
        last = [s.id for s in store.sessions("Anna Berg")][-1]
    out = tmp_path / "r.html"
    assert cli.main(["report", str(last), "--progress-segment", "nolabel", "-o", str(out), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "no session of Anna Berg has a segment of that label" in err and "marked labels: steady" in err
    assert not out.exists()
