"""`footfall report --plan TEXT | --plan-file FILE` (qa17 #5c): the clinician's plan near the top of the page,
escaped, its lines kept, above footfall's advice, pointed to by the "follow your clinician's plan" entry, and
stored nowhere."""

from __future__ import annotations

from datetime import datetime, timezone
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.cli.report import PLAN_MAX_CHARS
from footfall.coaching.checkin import CheckIn
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.html_parts import PLAN_HEADING, PLAN_POINTER
from footfall.store import Store

T0 = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)
PLAN = "Cadence +5 % in 3 x 4 min blocks\n3 runs/week <review 1 Dec> & \"no hills\""


class Page(HTMLParser):
    """The order of the page's sections, the plan section's text and line breaks, the advice entries' pointers."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.open: list[str] = []  # the sections the parser is inside
        self.plan_text = ""
        self.plan_breaks = 0
        self.pointers: list[str] = []
        self.in_pointer = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id") or "")
            self.open.append(a.get("id") or "")
        self.in_pointer = self.in_pointer or a.get("class") == "plan-pointer"
        if tag == "br" and self.open[-1:] == ["plan"]:
            self.plan_breaks += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.open.pop()
        if tag == "p":
            self.in_pointer = False

    def handle_data(self, data: str) -> None:
        if self.open[-1:] == ["plan"]:
            self.plan_text += data
        if self.in_pointer:
            self.pointers.append(data)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        store.add_runner("ana")
        sid = store.add_session("ana", planned_run([(120, Gait())], seed=1), T0).id
        store.add_checkin("ana", CheckIn(2, 6, swelling=True, examined=True), session_id=sid, time_utc=T0)
    return path


def _page(out: Path) -> tuple[str, Page]:
    text = out.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    return text, page


def test_the_plan_is_printed_escaped_above_the_advice_and_the_examined_entry_points_to_it(db: Path,
                                                                                          tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "1", "--plan", PLAN, "-o", str(out), "--db", str(db)]) == 0
    text, page = _page(out)
    assert page.sections.index("plan") < page.sections.index("advice")
    assert PLAN_HEADING in page.plan_text and page.plan_text.replace(PLAN_HEADING, "") == PLAN.replace("\n", "")
    assert page.plan_breaks == PLAN.count("\n") and "<review" not in text  # escaped, lines kept
    assert "Examined: follow your clinician's plan" in unescape(text) and page.pointers == [PLAN_POINTER]


def test_without_a_plan_there_is_no_section_and_no_pointer(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "1", "-o", str(out), "--db", str(db)]) == 0
    _, page = _page(out)
    assert "plan" not in page.sections and not page.pointers


def test_a_plan_file_is_read_as_utf8_and_not_stored(db: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes("Kadenz +5 %\r\nChloé: 3 Läufe/Woche\r\n".encode())
    before = db.read_bytes()
    out = tmp_path / "r.html"
    assert main(["report", "1", "--plan-file", str(plan), "-o", str(out), "--db", str(db)]) == 0
    _, page = _page(out)
    assert page.plan_text.endswith("Kadenz +5 %Chloé: 3 Läufe/Woche") and page.plan_breaks == 1
    assert db.read_bytes() == before  # the history is not touched


@pytest.mark.parametrize("content, words", [
    ("x" * (PLAN_MAX_CHARS + 1), "more than the"), ("   \n", "the plan is empty"), (b"\xff\xfeplan", "not UTF-8"),
])
def test_a_bad_plan_file_is_refused_in_one_line(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                content: str | bytes, words: str) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "r.html"
    assert main(["report", "1", "--plan-file", str(plan), "-o", str(out), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") <= 2 and words in err and not out.exists(), err


def test_plan_and_plan_file_together_are_refused(db: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["report", "1", "--plan", "a", "--plan-file", str(tmp_path / "p.txt"), "--db", str(db)])
