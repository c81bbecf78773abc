"""qa19 privacy #4 and #5: text that reaches a terminal or a spreadsheet. Segment labels and check-in notes refuse
control characters (an escape sequence retitled or cleared the terminal listing them) and labels a spreadsheet
would run as a formula; what an older history already holds is printed escaped and exported inert; `footfall
scan` shows what nearby devices advertise as plain text, never as Rich markup."""

from __future__ import annotations

import csv
import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.coaching.checkin import CheckIn
from footfall.coaching.scripted import Gait, planned_run
from footfall.errors import InputError
from footfall.report.export import csv_text, read_steps, write_json
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]
ESC = "\x1b"


@pytest.fixture
def ana(ff: Run, tmp_path: Path) -> Run:
    run = write_json(planned_run([(60, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "ana")
    assert ff("history", "add", str(run), "--runner", "ana")[0] == 0
    return ff


@pytest.mark.parametrize("label, says", [
    (f"lbl{ESC}[5m", r"holds the control character '\x1b'"),
    ("base\u202eenil", r"holds the control character '\u202e'"),
])
def test_mark_refuses_control_characters(ana: Run, label: str, says: str) -> None:
    code, _, err = ana("history", "mark", "1", label, "0", "10")
    assert code == 2 and says in err, err
    assert ana("history", "mark", "1", "warm-up 2", "0", "10")[0] == 0  # a plain label is taken


def test_a_label_a_spreadsheet_would_run_is_kept_and_quoted_in_the_export(ana: Run, db: Path, tmp_path: Path) -> None:
    """qa19b review: refusing "+2 weeks" as a label made an older history's runner impossible to move (`runner
    import` refused it); the CSV export quotes such a cell instead, and `history add` reads it back as it was."""
    with Store(db) as store:
        store.add_segment(1, "+2 weeks", 0, 10)
    assert ana("history", "export", "1", "-o", str(tmp_path / "s.csv"))[0] == 0
    cells = {row["segment"] for row in csv.DictReader((tmp_path / "s.csv").open(newline="", encoding="utf-8"))}
    assert "'+2 weeks" in cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_a_note_refuses_escape_sequences_but_keeps_its_lines(ana: Run, db: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        ana("checkin", "--runner", "ana", "--session", "1", "--note", f"fine{ESC}[31mRED")
    assert "a note 'fine\\x1b[31mRED' holds the control character '\\x1b'" in capsys.readouterr().err
    with Store(db) as store, pytest.raises(InputError, match="control character"):
        store.add_checkin("ana", CheckIn(note="ok"), 1, clinician_note="ok\x9b2J")  # C1 CSI: one byte
    assert ana("checkin", "--runner", "ana", "--session", "1", "--note", "calf tight\nafter 3 km")[0] == 0


def _old_history(db: Path) -> None:
    """What a history written before these checks can hold (as the review stored it)."""
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO segments(session_id, label, start_s, end_s) VALUES (1, ?, 0, 10)",
                     (f"=1+1{ESC}[5m",))
        conn.execute("UPDATE sessions SET source=?", (f"{ESC}]0;owned\x07{ESC}[2Jrun.json",))
        conn.execute("INSERT INTO checkins(runner_id, session_id, time_utc, note, clinician_note) "
                     "VALUES (1, 1, '2026-11-03T11:00:00+00:00', ?, ?)", (f"note{ESC}[31mRED\nline 2", f"cl{ESC}[5m"))


def test_an_older_historys_text_is_printed_escaped(ana: Run, db: Path) -> None:
    _old_history(db)
    listed, shown = ana("history", "list")[1], ana("history", "show", "1")[1]
    # the lines cli/history.py prints (the segment table and its notes are report/console.py's: not escaped yet)
    shown = shown.splitlines()[0] + "\n" + shown[shown.index("  cues given"):]
    assert ESC not in listed + shown and "\x07" not in listed
    assert "=1+1\\x1b[5m" in listed and "\\x1b]0;owned\\x07\\x1b[2Jrun.json" in listed
    assert "note: note\\x1b[31mRED\nline 2" in shown  # a note's own line break stays one
    assert "clinician note (not in the client's report): cl\\x1b[5m" in shown


def test_an_older_historys_formula_label_is_inert_in_the_csv(ana: Run, db: Path, tmp_path: Path) -> None:
    _old_history(db)
    assert ana("history", "export", "1", "-o", str(tmp_path / "s.csv"))[0] == 0
    rows = list(csv.DictReader((tmp_path / "s.csv").open(newline="", encoding="utf-8")))
    cells = {row["segment"] for row in rows}
    # quoted, and its control character escaped as every reader of an older history gets it (store/rows.py)
    assert "'=1+1\\x1b[5m" in cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)


@pytest.mark.parametrize("sensor", ["=cmd|' /C calc'!A0", "+x", "-x", "@x", "\tx", "'=x", "''+x", "'plain"])
def test_a_text_cell_a_spreadsheet_would_run_is_quoted_and_reads_back_as_it_was(sensor: str, tmp_path: Path) -> None:
    steps = [dataclasses.replace(s, sensor=sensor) for s in planned_run([(30, Gait())])]
    text = csv_text(steps)
    cells = [row["sensor"] for row in csv.DictReader(text.splitlines())]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    (tmp_path / "s.csv").write_text(text, encoding="utf-8", newline="")
    assert [s.sensor for s in read_steps(tmp_path / "s.csv")[0]] == [sensor] * len(steps)


def test_negative_figures_are_not_quoted() -> None:
    steps = [dataclasses.replace(s, strike_angle_deg=-4.5) for s in planned_run([(10, Gait())])]
    rows = list(csv.DictReader(csv_text(steps).splitlines()))
    assert rows and all(row["strike_angle_deg"] == "-4.5" for row in rows)


def test_the_normal_labels_of_an_export_still_read_back(ana: Run, tmp_path: Path) -> None:
    for label, a, b in (("baseline", "0", "20"), ("cue", "20", "40"), ("retest", "40", "59")):
        assert ana("history", "mark", "1", label, a, b)[0] == 0
    assert ana("history", "export", "1", "-o", str(tmp_path / "s.csv"))[0] == 0
    assert "'" not in (tmp_path / "s.csv").read_text()
    code, out, err = ana("history", "add", str(tmp_path / "s.csv"), "--runner", "ana", "--force")
    assert code == 0, err


def test_scan_shows_what_devices_advertise_as_plain_text(ff: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from footfall.live import scan as live_scan
    from footfall.live.scan import Found

    async def stranger(timeout_s: float = 5.0, details: bool = True) -> list[Found]:
        return [Found(f"footfall-{ESC}]0;pwned\x07L", "L", "AA:BB", -60, 80,
                      "[link=http://evil.example/update]0.7.3 - update here[/link]", False, f"[bold]{ESC}[31mRED")]

    monkeypatch.setattr(live_scan, "scan", stranger)
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = ff("scan")
    assert code == 0 and ESC not in out and "\x07" not in out
    assert "[link=http://evil.example/update]0.7.3 - update here[/link]" in out
    assert "footfall-\\x1b]0;pwned\\x07L" in out and "[bold]\\x1b[31mRED" in out
