"""`footfall report` as a user runs it: what it refuses, what the comparison and the header name, and that an
unusual label draws without noise on stderr."""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.coaching.checkin import CheckIn
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.build import write_report
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Session 1 and 2: ana's; session 3: bob's."""
    path = tmp_path_factory.mktemp("history") / "h.sqlite"
    with Store(path) as store:
        for name in ("ana", "bob"):
            store.add_runner(name)
        for k, runner in enumerate(("ana", "ana", "bob")):
            steps = planned_run([(90, Gait(cadence_spm=160 + 5 * k))], seed=k)
            store.add_session(runner, steps, T0 + timedelta(days=k))
    return path


def _heads(text: str) -> list[str]:
    table = text.split('<table id="compare-table">')[1].split("</tr>")[0]
    return re.findall(r"<th[^>]*>([^<]*)</th>", table)[1:]


def test_a_report_is_written_as_html_only(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o r1.pdf` wrote HTML into a .pdf file: any name but .html/.htm is refused before anything is built."""
    for name in ("r1.pdf", "r1", "r1.svg"):
        assert main(["report", "1", "-o", str(tmp_path / name), "--db", str(db)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "must end in .html or .htm" in err, err
        assert not (tmp_path / name).exists()
    for name in ("r1.html", "r1.HTM"):
        assert main(["report", "1", "-o", str(tmp_path / name), "--db", str(db)]) == 0
        assert (tmp_path / name).read_text().startswith("<!doctype html>")


def test_a_session_is_not_compared_with_itself(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "1", "--compare", "1", "-o", str(tmp_path / "r.html"), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--compare 1 is the session itself" in err, err
    assert not (tmp_path / "r.html").exists()


def test_the_comparison_names_the_runners_when_they_differ(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        other_runner = write_report(store, 1, tmp_path / "ab.html", compare_id=3).read_text()
        same_runner = write_report(store, 1, tmp_path / "aa.html", compare_id=2).read_text()
    assert _heads(other_runner) == ["Session 1 · ana (whole)", "Session 3 · bob (whole)"]
    assert _heads(same_runner) == ["Session 1 (whole)", "Session 2 (whole)"]


def test_an_emoji_label_draws_without_glyph_warnings(tmp_path: Path) -> None:
    """A segment label with a character the plotting font lacks printed matplotlib's "Glyph ... missing" warnings,
    with source lines, on stderr. The SVG keeps the text, so the browser draws it from its own fonts."""
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        sid = store.add_session("ana", planned_run([(60, Gait())]), T0).id
        store.add_segment(sid, "Ωmega 🏃", 10, 20)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            text = write_report(store, sid, tmp_path / "r.html").read_text()
    assert not [str(w.message) for w in caught if "Glyph" in str(w.message)]
    cadence_svg = text.split('id="fig-cadence"')[1].split("</figure>")[0]
    assert ">Ωmega 🏃</text>" in cadence_svg


def test_the_header_shows_the_check_in_notes(tmp_path: Path) -> None:
    """A check-in's note ("left ankle stiff") was stored and shown nowhere; each of the session's notes shows,
    with the latest pain scores."""
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        sid = store.add_session("ana", planned_run([(60, Gait())]), T0).id
        store.add_checkin("ana", CheckIn(1, 2, note="left ankle stiff"), session_id=sid, time_utc=T0)
        later = T0 + timedelta(hours=1)
        store.add_checkin("ana", CheckIn(None, 3, note="calf <tight>"), session_id=sid, time_utc=later)
        text = write_report(store, sid, tmp_path / "r.html").read_text()
    checkin = text.split('<p id="checkin">')[1].split("</p>")[0]
    assert "before 1/10, after 3/10" in checkin
    assert '<span id="checkin-note">left ankle stiff; calf &lt;tight&gt;</span>' in checkin
