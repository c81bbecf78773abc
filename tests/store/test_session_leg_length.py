"""Each session keeps the leg length its overstride index was computed with (schema v8, qa17 diff-review B1):
a v7 file migrated (its sessions: not known), `Store.add_session` with and without one, `history add` (the runner's
profile then, not today's), a live session, and `runner export` / `runner import` (an older client file, without
the field, still imports: not known)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Callable

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.errors import InputError
from footfall.report.client_file import read_client_file, write_client_file
from footfall.report.export import write_json
from footfall.store import Store
from footfall.store.clients import ClientData
from footfall.store.rows import LegLength
from footfall.store.schema import LATEST, migrate, version

T0 = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "h.sqlite")
    s.add_runner("ana", 1.68, 0.86)
    return s


def test_a_version_7_file_is_migrated_and_its_sessions_leg_length_is_not_known(tmp_path: Path) -> None:
    path = tmp_path / "v7.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=7)
    conn.execute("INSERT INTO runners(name, leg_length_m, created_utc) VALUES ('ana', 0.9, ?)", (T0.isoformat(),))
    conn.execute("INSERT INTO sessions(runner_id, start_utc) VALUES (1, ?)", (T0.isoformat(),))
    conn.close()
    with Store(path) as s:
        assert version(s.conn) == LATEST == 8
        assert s.session(1).leg_length is None  # not the profile's 0.9: what the index used is not known
        later = s.add_session("ana", planned_run([(30, Gait())]), T0, leg_length=LegLength(0.9))
        assert s.session(later.id).leg_length == LegLength(0.9)


def test_a_session_keeps_the_leg_length_given_none_given_or_not_known(store: Store) -> None:
    steps = planned_run([(30, Gait())])
    given = store.add_session("ana", steps, T0, leg_length=LegLength(0.86))
    none_given = store.add_session("ana", steps, T0, leg_length=LegLength(None))
    unknown = store.add_session("ana", steps, T0)
    assert [store.session(s.id).leg_length for s in (given, none_given, unknown)] == [
        LegLength(0.86), LegLength(None), None]
    store.update_runner("ana", leg_length_m=0.80)  # the profile changes later: the session's value stays
    assert store.session(given.id).leg_length == LegLength(0.86)


def test_completing_an_unfinished_session_sets_its_leg_length(store: Store) -> None:
    sid = store.begin_session("ana", T0)
    done = store.complete_session(sid, planned_run([(30, Gait())]), leg_length=LegLength(0.86))
    assert done.leg_length == LegLength(0.86) and done.finished
    kept = store.complete_session(sid, planned_run([(30, Gait())]))  # None keeps what it has
    assert kept.leg_length == LegLength(0.86)


def test_history_add_keeps_the_runners_leg_length_of_that_day(ff: Run, db: Path, tmp_path: Path) -> None:
    run = write_json(planned_run([(60, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    other = write_json(planned_run([(60, Gait())], seed=5), tmp_path / "b.json", {"start_utc": "2026-11-04T10:00:00Z"})
    assert ff("runner", "add", "ana", "--leg-length-m", "0.86")[0] == 0
    assert ff("runner", "add", "ben")[0] == 0
    assert ff("history", "add", str(run), "--runner", "ana")[0] == 0
    assert ff("history", "add", str(other), "--runner", "ben")[0] == 0
    assert ff("runner", "set", "ana", "--leg-length-m", "0.92")[0] == 0
    with Store(db) as s:
        assert [x.leg_length for x in s.sessions()] == [LegLength(0.86), LegLength(None)]


def test_a_live_session_keeps_the_profiles_leg_length(store: Store) -> None:
    from footfall.store import LiveSessionWriter

    writer = LiveSessionWriter(store, "ana", batch_steps=16)
    for step in planned_run([(30, Gait())]):
        writer.step(step)
    writer.close()
    assert store.session(writer.session_id).leg_length == LegLength(0.86)


def test_export_and_import_keep_each_sessions_leg_length(store: Store, tmp_path: Path) -> None:
    steps = planned_run([(30, Gait())])
    for leg in (LegLength(0.86), LegLength(None), None):
        store.add_session("ana", steps, T0, leg_length=leg)
    path = write_client_file(ClientData(store).client_record("ana"), tmp_path / "ana.json", T0)
    with Store(tmp_path / "other.sqlite") as other:
        ClientData(other).restore_client(read_client_file(path))
        assert [s.leg_length for s in other.sessions("ana")] == [LegLength(0.86), LegLength(None), None]
    sessions = json.loads(path.read_text())["sessions"]
    assert [("leg_length_m" in d, d.get("leg_length_m")) for d in sessions] == [(True, 0.86), (True, None),
                                                                             (False, None)]


def _edited(path: Path, change: Callable[[dict[str, object]], None]) -> Path:
    doc = json.loads(path.read_text())
    for d in doc["sessions"]:
        change(d)
    path.write_text(json.dumps(doc))
    return path


def test_an_older_client_file_without_the_field_imports_as_not_known(store: Store, tmp_path: Path) -> None:
    store.add_session("ana", planned_run([(30, Gait())]), T0, leg_length=LegLength(0.86))
    path = write_client_file(ClientData(store).client_record("ana"), tmp_path / "ana.json", T0)
    _edited(path, lambda d: d.pop("leg_length_m"))
    with Store(tmp_path / "other.sqlite") as other:
        ClientData(other).restore_client(read_client_file(path))
        assert [s.leg_length for s in other.sessions("ana")] == [None]


def test_an_implausible_leg_length_in_a_client_file_is_refused(store: Store, tmp_path: Path) -> None:
    store.add_session("ana", planned_run([(30, Gait())]), T0, leg_length=LegLength(0.86))
    path = write_client_file(ClientData(store).client_record("ana"), tmp_path / "ana.json", T0)
    _edited(path, lambda d: d.update(leg_length_m=86))  # centimetres typed for metres
    with Store(tmp_path / "other.sqlite") as other, pytest.raises(InputError, match="session 1: .*leg length"):
        ClientData(other).restore_client(read_client_file(path))
