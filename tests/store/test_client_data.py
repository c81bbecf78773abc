"""QA17 physio review #5, #6, #9 in the history itself: the clinician's note kept apart from the client's, check-ins
keeping their run's date when the session goes (schema v7, migrated from v6), a runner deleted with everything
(and gone from the file), renamed, and a whole client read out and restored into another history unchanged."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from footfall.coaching.checkin import CheckIn
from footfall.coaching.cues import CueEngine, CueParams
from footfall.coaching.scripted import Gait, planned_run
from footfall.errors import InputError, StoreError
from footfall.report.client_file import client_doc, read_client_file, write_client_file
from footfall.store import Store
from footfall.store.clients import ClientData
from footfall.store.schema import LATEST, migrate, version

T0 = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)
ENTERED = datetime(2026, 11, 20, 18, 0, tzinfo=timezone.utc)  # a check-in typed in long after its run


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "h.sqlite")
    s.add_runner("Anna Berg", height_m=1.68, leg_length_m=0.86, target_cadence_spm=172)
    s.add_runner("Ben")
    return s


def _client(s: Store, name: str = "Anna Berg", marker: str = "anna") -> list[int]:
    """A client with everything a history holds: two pairs (one retired), sessions with steps, cues and segments,
    check-ins with both notes (of a run, on their own). Returns the session numbers."""
    shoe = s.add_shoe(name, f"Pegasus-{marker}", limit_km=500, initial_km=12.5)
    s.update_shoe(s.add_shoe(name, f"Old-{marker}").id, retired=True)
    steps = planned_run([(60, Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65))])
    cues = CueEngine(CueParams(grace_s=0)).feed_many(steps)
    ids = [s.add_session(name, steps, T0 + timedelta(weeks=w), shoe_id=shoe.id, source=f"{marker}{w}.ffr",
                         cues=cues).id for w in range(2)]
    s.add_segment(ids[0], "baseline", 0, 30)
    s.add_segment(ids[0], "retest", 30, 59)
    s.add_checkin(name, CheckIn(3, 6, swelling=True, note=f"{marker} swelling evening"), ids[0], ENTERED,
                  clinician_note=f"{marker} tib post tendinopathy")
    s.add_checkin(name, CheckIn(examined=True), None, T0 + timedelta(days=9), clinician_note="plan: +5 % cadence")
    return ids


# --- #5: the clinician's note -------------------------------------------------------------------------------------
def test_the_report_reads_only_the_clients_note(store: Store) -> None:
    first, later = _client(store)
    ci = store.checkin_for(first)
    assert ci is not None and ci.note == "anna swelling evening"
    earlier = store.checkin_before(store.session(later))
    assert [e.checkin.note for e in earlier] == ["anna swelling evening"]  # the other one is after this run
    assert "tendinopathy" not in repr([ci, earlier])
    assert store.clinician_notes(first) == ["anna tib post tendinopathy"]
    assert [r.clinician_note for r in ClientData(store).checkin_records("anna berg")] == ["anna tib post tendinopathy",
                                                                             "plan: +5 % cadence"]


# --- #6: check-ins of a deleted session, schema v7 ----------------------------------------------------------------
def test_a_deleted_sessions_checkins_keep_their_run_date(store: Store) -> None:
    first, later = _client(store)
    store.delete_session(first)
    [record, _] = ClientData(store).checkin_records("Anna Berg")
    assert record.session_id is None and record.dated == T0  # not ENTERED, when it was typed in
    [e] = store.checkin_before(store.session(later))
    assert e.time_utc == T0 and e.checkin.swelling


def test_a_version_6_file_is_migrated_and_its_checkins_keep_their_run_date(tmp_path: Path) -> None:
    path = tmp_path / "v6.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=6)
    conn.execute("INSERT INTO runners(name, created_utc) VALUES ('ana', '2026-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO sessions(runner_id, start_utc) VALUES (1, ?)", (T0.isoformat(),))
    conn.execute("INSERT INTO checkins(runner_id, session_id, time_utc, pain_after, note) VALUES (1, 1, ?, 5, 'x')",
                 (ENTERED.isoformat(),))
    conn.close()
    with Store(path) as s:
        assert version(s.conn) == LATEST
        [record] = ClientData(s).checkin_records()
        assert (record.run_utc, record.clinician_note, record.checkin.note) == (T0.isoformat(), "", "x")
        s.delete_session(1)
        assert ClientData(s).checkin_records()[0].dated == T0
        assert [e.time_utc for e in s.checkins_until("ana", ENTERED)] == [T0]


def test_a_checkin_is_deleted_on_its_own(store: Store) -> None:
    _client(store)
    first = ClientData(store).checkin_records()[0]
    assert ClientData(store).delete_checkin(first.id) == first
    assert [r.id for r in ClientData(store).checkin_records()] == [first.id + 1]
    with pytest.raises(StoreError, match=f"no check-in {first.id}"):
        ClientData(store).delete_checkin(first.id)


# --- #6: a runner deleted, renamed ----------------------------------------------------------------------------------
def _file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.is_file())


def test_deleting_a_runner_removes_everything_of_theirs_from_the_file(store: Store) -> None:
    _client(store, "Anna Berg", "zqxanna")
    ben = _client(store, "Ben", "ben")
    assert b"zqxanna tib post" in _file_bytes(store.path)
    gone, clean = ClientData(store).delete_runner("anna berg")
    assert clean and gone.counts == {"sessions": 2, "steps": 2 * len(store.steps(ben[0])), "checkins": 2,
                                     "shoes": 2, "cues": 2 * len(store.cues(ben[0])), "segments": 2}
    assert "2 sessions" in gone.said() and "2 pairs of shoes" in gone.said()
    assert [r.name for r in store.runners()] == ["Ben"]
    for table in ("sessions", "shoes", "checkins", "steps", "cues", "segments"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] > 0  # Ben's stay
    assert ClientData(store).runner_contents("Ben").counts == {**gone.counts, "checkins": 2}
    for text in (b"zqxanna", b"Anna Berg", b"Pegasus-zqxanna"):
        assert text not in _file_bytes(store.path), text  # VACUUM: not only unlisted, gone from the file
    assert store.add_session("Ben", planned_run([(30, Gait())]), T0).id == ben[1] + 1  # numbers never reused


def test_renaming_a_runner(store: Store) -> None:
    ids = _client(store)
    assert ClientData(store).rename_runner("anna berg", "Anna Berg-Lund").name == "Anna Berg-Lund"
    assert [s.id for s in store.sessions("Anna Berg-Lund")] == ids
    assert ClientData(store).rename_runner("Anna Berg-Lund", "ANNA BERG-LUND").name == "ANNA BERG-LUND"  # its own name's case
    with pytest.raises(StoreError, match="runner 'Ben' already exists"):
        ClientData(store).rename_runner("ANNA BERG-LUND", "ben")
    with pytest.raises(InputError):
        ClientData(store).rename_runner("Ben", " Ben ")


# --- #9: a whole client, to another history and back ----------------------------------------------------------------
def _without_numbers(doc: dict[str, Any]) -> dict[str, Any]:
    """The file's content with the numbers a history gives (sessions, check-ins) replaced by their order."""
    order = {s["number"]: n for n, s in enumerate(doc["sessions"])}
    sessions = [{**s, "number": order[s["number"]]} for s in doc["sessions"]]
    checkins = [{**c, "id": None, "session": order.get(c["session"])} for c in doc["checkins"]]
    return {**doc, "exported_utc": None, "sessions": sessions, "checkins": checkins}


def test_a_client_moves_to_another_history_unchanged(store: Store, tmp_path: Path) -> None:
    _client(store)
    store.delete_session(store.sessions("Anna Berg")[1].id)  # a check-in of a deleted run goes too
    _client(store, marker="second")
    first = write_client_file(ClientData(store).client_record("Anna Berg"), tmp_path / "client.json", ENTERED)
    with Store(tmp_path / "machine2.sqlite") as other:
        other.add_runner("Carl")
        _client(other, "Carl", "carl")  # so the numbers given differ from the first history's
        runner = ClientData(other).restore_client(read_client_file(first))
        assert (runner.leg_length_m, runner.target_cadence_spm) == (0.86, 172)
        again = client_doc(ClientData(other).client_record("Anna Berg"), ENTERED)
        numbers = [s.id for s in other.sessions("Anna Berg")]
        assert other.segments(numbers[0])[0].label == "baseline" and other.cues(numbers[0])
        assert other.shoes("Anna Berg")[0].distance_km == store.shoes("Anna Berg")[0].distance_km
    import json

    before = json.loads(first.read_text())
    assert numbers != [s["number"] for s in before["sessions"]]
    assert _without_numbers(again) == _without_numbers(before)
    assert len(before["checkins"]) == 4 and before["checkins"][0]["clinician_note"] == "anna tib post tendinopathy"


def test_an_import_refuses_a_name_taken_unless_given_another(store: Store, tmp_path: Path) -> None:
    _client(store)
    path = write_client_file(ClientData(store).client_record("Anna Berg"), tmp_path / "c.json", ENTERED)
    with pytest.raises(StoreError, match="runner 'Anna Berg' already exists.*--as NEW_NAME"):
        ClientData(store).restore_client(read_client_file(path), "anna berg")
    copy = ClientData(store).restore_client(read_client_file(path), "Anna 2")
    assert len(store.sessions(copy.name)) == 2 and len(ClientData(store).checkin_records(copy.name)) == 2


@pytest.mark.parametrize("text, says", [
    ("{", "is not valid JSON"),
    ('{"format": "footfall-steps"}', "is not a footfall client file"),
    ('{"format": "footfall-client", "version": 9}', "version 9"),
    ('{"format": "footfall-client", "version": 1, "runner": {}}', "damaged footfall client file: KeyError"),
])
def test_other_files_are_refused_in_one_line(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text)
    with pytest.raises(InputError, match=says):
        read_client_file(path)


def test_a_delete_while_another_program_reads_says_the_file_is_not_clean_yet(store: Store) -> None:
    _client(store)
    reader = sqlite3.connect(store.path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM checkins").fetchone()  # holds a snapshot from before the delete
    store.set_busy_timeout(0.1)  # (10 s by default: how long footfall waits for another program)
    try:
        gone, clean = ClientData(store).delete_runner("Anna Berg")
    finally:
        reader.close()
    assert gone.counts["sessions"] == 2 and not clean
    assert store.runners()[0].name == "Ben"  # the delete itself went through
    assert store.compact()  # and once the reader has gone, the file is cleaned


def _swap_first_steps(d: dict[str, Any]) -> None:
    steps = d["sessions"][0]["steps"]
    steps[0], steps[2] = steps[2], steps[0]  # one foot's steps going back in time


@pytest.mark.parametrize("edit, says", [
    (lambda d: d["shoes"][0].update(limit_km=-1), "shoe limit"),
    (lambda d: d["sessions"][0]["segments"][0].update(label="warm;up"), "separates the labels"),
    (lambda d: d["sessions"][0]["segments"][0].update(label="x" * 41), "segment label holds at most 40 characters"),
    (lambda d: d["sessions"][0]["segments"][0].update(start_s=30, end_s=10), "must run forwards"),
    (lambda d: d["sessions"][0].update(start_utc="1970-01-01T00:00:00+00:00"), "before 2000-01-01"),
    (lambda d: d["sessions"][0].update(start_utc="2999-01-01T00:00:00+00:00"), "is in the future"),
    (lambda d: d["sessions"][0].update(start_utc="yesterday"), "is not a time with its zone"),
    (_swap_first_steps, r"session \d+: step 3: ic_time_s .* before the step before it"),
    (lambda d: d["checkins"][0].update(note="n" * 2001), r"check-in \d+: a note holds at most 2000 characters"),
    (lambda d: d["checkins"][0].update(clinician_note="n" * 2001), "a note holds at most 2000 characters"),
])
def test_an_edited_file_gets_the_checks_of_the_commands(store: Store, tmp_path: Path, edit: Any, says: str) -> None:
    """A value no command would store is refused, naming the session or check-in, and nothing is kept."""
    import json

    _client(store)
    path = write_client_file(ClientData(store).client_record("Anna Berg"), tmp_path / "c.json", ENTERED)
    doc = json.loads(path.read_text())
    edit(doc)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=says):
        ClientData(store).restore_client(read_client_file(edited), "Anna 3")
    assert [r.name for r in store.runners()] == ["Anna Berg", "Ben"]


def test_the_library_caps_labels_and_notes_as_the_commands_do(store: Store) -> None:
    [first, _] = _client(store)
    with pytest.raises(InputError, match="at most 40 characters, not 41"):
        store.add_segment(first, "x" * 41, 0, 10)
    with pytest.raises(InputError, match="at most 2000 characters, not 2001"):
        store.add_checkin("Anna Berg", CheckIn(note="n" * 2001), first)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_client_file_is_readable_by_its_owner_only(store: Store, tmp_path: Path) -> None:
    """It holds health data: 0600 under the usual umask, and when it replaces a file others could read."""
    from footfall.atomic import write_text_atomic

    _client(store)
    old = os.umask(0o022)
    try:
        other = write_text_atomic(tmp_path / "other.txt", "x")  # every new output is private (qa19 privacy #2)
        replaced = tmp_path / "old.json"
        replaced.write_text("{}")
        replaced.chmod(0o644)
        paths = [write_client_file(ClientData(store).client_record("Anna Berg"), p, ENTERED) for p in (tmp_path / "c.json",
                                                                                          replaced)]
    finally:
        os.umask(old)
    assert [stat.S_IMODE(p.stat().st_mode) for p in paths] == [0o600, 0o600]
    assert stat.S_IMODE(other.stat().st_mode) == 0o600


def test_whole_client_operations_hold_a_store_rather_than_extend_it(store: Store) -> None:
    """QA17 diff review D2: `ClientData(store)`, not a base of Store faking its interface with stubs."""
    assert not issubclass(Store, ClientData) and not hasattr(Store, "delete_runner")
    clients = ClientData(store)
    assert clients.store is store and clients.runner_contents("Ben").counts["sessions"] == 0
