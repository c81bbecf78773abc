"""qa19 privacy #3: `runner import` checks every field it stores, not only names, steps and notes. A client file
with a word where a summary figure belongs was stored, and every `history list`, `report` and `progress` of the
whole history then ended in a traceback. Now such a file is refused in one line and nothing of it is stored."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from footfall.errors import InputError
from footfall.report.client_file import read_client_file
from footfall.report.export import write_json
from footfall.coaching.scripted import Gait, planned_run
from footfall.store import Store
from footfall.store.checks import MAX_SOURCE_CHARS
from footfall.store.clients import ClientData

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def exported(ff: Run, tmp_path: Path) -> dict[str, Any]:
    """Eve's client file (one session with a shoe, a mark and a check-in), as the review made it."""
    run = write_json(planned_run([(60, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "Eve", "--height-m", "1.7", "--leg-length-m", "0.9")
    ff("shoes", "add", "Eve", "Pegasus")
    assert ff("history", "add", str(run), "--runner", "Eve", "--shoe", "Pegasus")[0] == 0
    ff("history", "mark", "1", "baseline", "0", "30")
    ff("checkin", "--runner", "Eve", "--session", "1", "--after", "3", "--note", "fine")
    assert ff("runner", "export", "Eve", "-o", str(tmp_path / "client.json"))[0] == 0
    doc: dict[str, Any] = json.loads((tmp_path / "client.json").read_text())
    return doc


def _cue(**given: object) -> dict[str, object]:
    """A cue record as a client file holds it, with `given` fields over a plausible one."""
    return {"time_s": 5.0, "kind": "praise", "text": "go", "metronome_spm": None, "cadence_spm": 170,
            "overstride_index": None, "rearfoot_share": None, "advice_key": "cadence", **given}


def _write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc))
    return path


def test_the_reviews_evil_file_is_refused_and_the_history_still_lists(ff: Run, exported: dict[str, Any],
                                                                      tmp_path: Path) -> None:
    exported["runner"]["name"] = "Mallory"
    exported["sessions"][0]["summary"]["cadence_spm"] = "<script>alert(8)</script>"
    exported["checkins"] = []
    code, out, err = ff("runner", "import", str(_write(exported, tmp_path / "evil.json")))
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "session 1: summary cadence_spm '<script>alert(8)</script>' is not a figure" in err
    assert "Mallory" not in ff("runner", "list")[1]
    code, out, err = ff("history", "list")
    assert code == 0 and out.count("\n") == 2 and "Eve" in out, err  # the header and Eve's session


@pytest.mark.parametrize("edit, says", [
    (lambda s: s["summary"].update(cadence_spm=True), "summary cadence_spm True is not a figure"),
    (lambda s: s["summary"].update(cadence_spm=float("inf")), "summary cadence_spm inf is not a figure"),
    (lambda s: s["summary"].update(pwned=1.0), "summary key 'pwned' is not a figure footfall stores"),
    (lambda s: s.update(summary=[1, 2]), "is not an object of figures"),
    (lambda s: s.update(basis="<b>running</b>"), "basis '<b>running</b>' is not one of running, walking, none"),
    (lambda s: s.update(source="\x1b]0;owned\x07\x1b[2Jrun.ffr"), r"its source .* holds the control character"),
    (lambda s: s.update(source="r" * (MAX_SOURCE_CHARS + 1)), f"its source holds at most {MAX_SOURCE_CHARS} characters"),
    (lambda s: s.update(source=["a"]), "source .* is not text"),
    (lambda s: s.update(source_sha256="<i>"), "is not a SHA-256 in hex"),
    (lambda s: s.update(duration_s="long"), "duration_s 'long' is not a figure"),
    (lambda s: s.update(distance_m=-5), "distance_m -5 is not a figure"),
    (lambda s: s["cues"].append(_cue(text="go\x1b[5m")), r"cue at 5\.0 s: its text .* holds the control character"),
    (lambda s: s["cues"].append(_cue(metronome_spm="fast")), "metronome_spm 'fast' is not a figure"),
    (lambda s: s["cues"].append(_cue(advice_key="<a href>")), "advice_key '<a href>' is not a knowledge item's key"),
    (lambda s: s["segments"][0].update(label="base\x1b[31m"), "holds the control character"),
])
def test_each_field_a_listing_reads_is_checked(ff: Run, exported: dict[str, Any], tmp_path: Path, edit: Any,
                                               says: str) -> None:
    edit(exported["sessions"][0])
    code, _, err = ff("runner", "import", str(_write(exported, tmp_path / "e.json")), "--as", "Mallory")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert re.search(says, err), err
    assert [line.split(":")[0] for line in ff("runner", "list")[1].splitlines()] == ["Eve"]


@pytest.mark.parametrize("edit, says", [
    (lambda c: c.update(note="ok\x1b[31mRED"), r"check-in \d+: a note .* holds the control character '\\x1b'"),
    (lambda c: c.update(clinician_note="\x9b31m"), "holds the control character"),
    (lambda c: c.update(time_utc="<b>"), "time_utc '<b>' is not a time with its zone"),
    (lambda c: c.update(run_utc=12), "run_utc 12 is not text"),
])
def test_each_checkin_field_is_checked(ff: Run, exported: dict[str, Any], tmp_path: Path, edit: Any,
                                       says: str) -> None:
    edit(exported["checkins"][0])
    code, _, err = ff("runner", "import", str(_write(exported, tmp_path / "e.json")), "--as", "Mallory")
    assert code == 2 and re.search(says, err), err


def test_a_note_over_several_lines_still_moves(ff: Run, exported: dict[str, Any], tmp_path: Path) -> None:
    exported["checkins"][0]["note"] = "left calf tight\n\tafter 3 km"
    assert ff("runner", "import", str(_write(exported, tmp_path / "e.json")), "--as", "Eve 2")[0] == 0


def test_what_the_history_refuses_while_storing_is_the_damaged_file_error_and_nothing_stays(
        exported: dict[str, Any], db: Path, tmp_path: Path) -> None:
    """A value the checks do not look at (a shoe's `retired` a word) fails while storing: the one line, no
    traceback, and the runner and sessions written before it are rolled back."""
    exported["shoes"][0]["retired"] = "maybe"
    client = read_client_file(_write(exported, tmp_path / "e.json"))
    with Store(db) as store:
        with pytest.raises(InputError, match="a damaged footfall client file: ValueError") as err:
            ClientData(store).restore_client(client, "Mallory")
        assert "nothing of it was stored" in err.value.hint
        assert [r.name for r in store.runners()] == ["Eve"] and len(store.sessions()) == 1


def test_what_cannot_be_read_back_is_not_kept(exported: dict[str, Any], db: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a check ever miss a field, the import reads back what it stored before it commits."""
    from footfall.store import client_records

    client = read_client_file(_write(exported, tmp_path / "e.json"))
    monkeypatch.setattr(client_records, "_check_session_fields", lambda s: None)
    bad = client.sessions[0].__class__(**{**client.sessions[0].__dict__, "summary": {"cadence_spm": "x"}})
    with Store(db) as store:
        with pytest.raises(InputError, match="damaged footfall client file: ValueError could not convert"):
            ClientData(store).restore_client(client.__class__(**{**client.__dict__, "sessions": (bad,)}), "M")
        assert [r.name for r in store.runners()] == ["Eve"]
