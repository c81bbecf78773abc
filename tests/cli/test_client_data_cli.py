"""QA17 physio review #5, #6, #9 and #14 through the real CLI: `checkin --clinician-note` (in `checkin list` and
`advice`, never in the client's report), `checkin list|delete`, `runner delete|rename|export|import`, and the
`runner add --help` wording of the per-run step (+5 %)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json

Run = Callable[..., tuple[int, str, str]]
DIAGNOSIS = "Physio exam: mild tib post tendinopathy"


@pytest.fixture
def anna(ff: Run, tmp_path: Path) -> Run:
    """Anna with one 2-min run (session 1), a shoe, a baseline mark and a check-in with both notes."""
    run = write_json(planned_run([(120, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "Anna Berg", "--leg-length-m", "0.86")
    ff("shoes", "add", "Anna Berg", "Pegasus")
    ff("history", "add", str(run), "--runner", "Anna Berg", "--shoe", "Pegasus")
    ff("history", "mark", "1", "baseline", "0", "60")
    ff("checkin", "--runner", "Anna Berg", "--session", "1", "--after", "6", "--swelling", "--note", "swollen evening")
    return ff


def test_the_clinicians_note_is_for_the_clinician_only(anna: Run, tmp_path: Path) -> None:
    code, out, _ = anna("checkin", "--runner", "Anna Berg", "--session", "1", "--examined", "--clinician-note",
                        DIAGNOSIS)
    assert code == 0 and f"clinician note saved (for you only, not in the client's report): {DIAGNOSIS}" in out
    listed = anna("checkin", "list", "--runner", "anna berg")[1]
    assert f"    clinician note (not in the client's report): {DIAGNOSIS}" in listed
    assert "2026-11-03 10:00 UTC, session 1: pain - -> 6, red flags: swelling, note: swollen evening" in listed
    assert f"clinician note (not in the client's report): {DIAGNOSIS}" in anna("advice", "1")[1]
    page = tmp_path / "r1.html"
    assert anna("report", "1", "-o", str(page))[0] == 0
    html = page.read_text()
    assert "swollen evening" in html and "tendinopathy" not in html


def test_a_clinician_note_alone_is_a_checkin(anna: Run) -> None:
    assert anna("checkin", "--runner", "Anna Berg", "--clinician-note", "review 1 Dec")[0] == 0
    assert "review 1 Dec" in anna("checkin", "list")[1]


def test_a_checkin_is_deleted_after_asking(anna: Run) -> None:
    code, _, err = anna("checkin", "delete", "1")  # tests run without a terminal: refused, nothing goes
    assert code == 2 and "not deleting check-in 1 of Anna Berg (2026-11-03 10:00 UTC, session 1" in err
    assert "add --yes" in err
    assert anna("checkin", "delete", "1", "--yes")[1].startswith("check-in 1 deleted\n")
    assert anna("checkin", "list")[1] == "no check-ins\n"
    assert "no check-in 1" in anna("checkin", "delete", "1", "--yes")[2]


@pytest.mark.parametrize("argv, says", [
    (("checkin", "list", "--before", "2"), "`checkin list` takes no --before"),
    (("checkin", "delete"), "which check-in?"),
    (("checkin", "--before", "2"), "a check-in needs --runner NAME"),
])
def test_checkin_actions_refuse_what_they_do_not_take(anna: Run, argv: tuple[str, ...], says: str) -> None:
    code, _, err = anna(*argv)
    assert code == 2 and says in err, err


def test_a_deleted_sessions_checkin_keeps_its_run_date(anna: Run) -> None:
    anna("history", "delete", "1", "--yes")
    assert "2026-11-03 10:00 UTC, its run's session was deleted: pain - -> 6" in anna("checkin", "list")[1]


def test_deleting_a_runner_asks_says_what_goes_and_compacts(anna: Run, db: Path) -> None:
    anna("runner", "add", "Ben")
    code, _, err = anna("runner", "delete", "anna berg")
    assert code == 2 and "not deleting runner 'Anna Berg' and all their data: 1 session, " in err
    code, out, _ = anna("runner", "delete", "anna berg", "--yes")
    assert code == 0 and "runner 'Anna Berg' deleted with 1 session, " in out
    assert "1 check-in, 1 pair of shoes, 0 cues and 1 marked segment" in out and "was compacted" in out
    assert b"swollen evening" not in db.read_bytes()
    assert anna("runner", "list")[1].startswith("Ben:")


def _file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.is_file())


def test_deleting_a_checkin_or_a_session_compacts_the_file(anna: Run, db: Path) -> None:
    """Pain scores, notes and a session's marks leave the file itself, as with `runner delete` (QA17 C3)."""
    anna("checkin", "--runner", "Anna Berg", "--clinician-note", "zqxnote tendinopathy")
    anna("history", "mark", "1", "zqxlabel", "60", "90")
    assert b"zqxnote" in _file_bytes(db) and b"zqxlabel" in _file_bytes(db)
    code, out, _ = anna("checkin", "delete", "2", "--yes")
    assert code == 0 and out == f"check-in 2 deleted\n{db} was compacted: the deleted data is no longer in the file\n"
    code, out, _ = anna("history", "delete", "1", "--yes")
    assert code == 0 and f"{db} was compacted" in out
    assert b"zqxnote" not in _file_bytes(db) and b"zqxlabel" not in _file_bytes(db)


def test_rename(anna: Run) -> None:
    assert anna("runner", "rename", "anna berg", "Anna Lund")[1] == "runner 'Anna Berg' is now 'Anna Lund'\n"
    assert "Anna Lund" in anna("history")[1]


def test_export_and_import_move_a_client(anna: Run, tmp_path: Path) -> None:
    out = tmp_path / "client.json"
    code, said, _ = anna("runner", "export", "Anna Berg", "-o", str(out))
    assert code == 0 and "health data" in said
    assert said.startswith("Anna Berg: 1 session, ")
    assert "steps, 1 check-in, 1 pair of shoes, 0 cues and 1 marked segment -> " in said
    assert json.loads(out.read_text())["format"] == "footfall-client"
    other = str(tmp_path / "m2.sqlite")
    code, said, _ = anna("runner", "import", str(out), "--db", other)
    assert code == 0 and said.startswith("imported Anna Berg from ") and "(now session 1)" in said
    shown = anna("history", "show", "1", "--db", other)[1]
    assert "check-in: pain - -> 6, red flags: swelling, note: swollen evening" in shown
    assert "already exists" in anna("runner", "import", str(out))[2]  # the same name in the first history
    assert anna("runner", "import", str(out), "--as", "Anna 2")[0] == 0
    assert "already exists" in anna("runner", "export", "Anna Berg", "-o", str(out))[2]  # never overwritten unasked


def test_runner_help_states_the_five_percent_step(ff: Run, capsys: pytest.CaptureFixture[str]) -> None:
    from footfall.coaching.cadence import CadenceParams

    with pytest.raises(SystemExit):
        ff("runner", "add", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert f"each run aims at most {CadenceParams().target_increase_frac:.0%} above the measured cadence" in text


def test_export_import_export_gives_the_same_file(anna: Run, tmp_path: Path) -> None:
    """The round trip through a fresh history: the same content, but for the time of export."""
    first, second, fresh = tmp_path / "1.json", tmp_path / "2.json", str(tmp_path / "fresh.sqlite")
    anna("checkin", "--runner", "Anna Berg", "--examined", "--clinician-note", DIAGNOSIS)
    anna("runner", "export", "Anna Berg", "-o", str(first))
    anna("runner", "import", str(first), "--db", fresh)
    anna("runner", "export", "Anna Berg", "-o", str(second), "--db", fresh)
    docs = [{**json.loads(p.read_text()), "exported_utc": None} for p in (first, second)]
    assert docs[0] == docs[1] and docs[0]["checkins"][1]["clinician_note"] == DIAGNOSIS
