"""The SQLite history: round trips, shoe distance, migrations, and readers working while a writer writes."""

from __future__ import annotations

import math
import multiprocessing as mp
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.checkin import CheckIn
from footfall.coaching.cues import CueEngine, CueParams
from footfall.coaching.scripted import Gait, planned_run
from footfall.errors import InputError, StoreError
from footfall.store import Store
from footfall.store.schema import LATEST, MIGRATIONS, migrate, version

T0 = datetime(2026, 3, 1, 7, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "h.sqlite")
    s.add_runner("ana", height_m=1.68, leg_length_m=0.86, target_cadence_spm=172)
    return s


def _same(a: object, b: object) -> bool:
    """Step equality where NaN equals NaN (SQLite stores NaN as NULL; it must come back as NaN)."""
    da, db = a.to_dict(), b.to_dict()  # type: ignore[attr-defined]
    return all(x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
               for x, y in zip(da.values(), db.values()))


def test_file_is_real_sqlite_in_wal_mode(store: Store) -> None:
    assert store.path.is_file()
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert version(store.conn) == LATEST


def test_runner_fields_and_update(store: Store) -> None:
    r = store.update_runner("ana", target_cadence_spm=175)
    assert (r.height_m, r.leg_length_m, r.target_cadence_spm) == (1.68, 0.86, 175)
    with pytest.raises(StoreError):
        store.runner("bob")
    with pytest.raises(StoreError):
        store.add_runner("ana")


def test_steps_and_cues_round_trip(store: Store) -> None:
    steps = planned_run([(60, Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65))])
    cues = CueEngine(CueParams(grace_s=0)).feed_many(steps)  # cues from the start (a real run waits 5 min)
    assert cues
    s = store.add_session("ana", steps, T0, cues=cues)
    back = store.steps(s.id)
    assert len(back) == len(steps)
    assert all(_same(a, b) for a, b in zip(back, steps))
    assert math.isnan(back[0].flight_time_ms)
    assert store.cues(s.id) == cues
    assert s.finished and s.duration_s == pytest.approx(steps[-1].ic_time_s - steps[0].ic_time_s)
    assert s.summary["cadence_spm"] == pytest.approx(158, abs=2)


def test_shoe_distance_adds_finished_sessions(store: Store) -> None:
    shoe = store.add_shoe("ana", "Pegasus", limit_km=500, initial_km=100)
    steps = planned_run([(600, Gait(speed_mps=3.0))])
    s = store.add_session("ana", steps, T0, shoe_id=shoe.id)
    assert store.shoe(shoe.id).distance_km == pytest.approx(100 + s.distance_m / 1000)
    assert s.distance_m == pytest.approx(1800, rel=0.02)
    store.update_shoe(shoe.id, retired=True)
    assert store.shoes("ana") == [] and len(store.shoes("ana", include_retired=True)) == 1


def test_shoe_names_ignore_case_as_runner_names_do(store: Store) -> None:
    """`--shoe pegasus` found no `Pegasus`, and `pegasus` could be added beside it as a second pair."""
    shoe = store.add_shoe("ana", "Pegasus")
    assert store.shoe_named("ana", "PEGASUS") == shoe == store.shoe_named("ANA", "pegasus")
    with pytest.raises(StoreError, match="ana already has a shoe called 'Pegasus'"):
        store.add_shoe("ana", "pegasus")
    with pytest.raises(StoreError, match="no shoe called 'Pegasus 2'"):
        store.shoe_named("ana", "Pegasus 2")


def test_checkin_and_segments(store: Store) -> None:
    s = store.add_session("ana", planned_run([(30, Gait())]), T0)
    store.add_checkin("ana", CheckIn(2, 5, swelling=True), session_id=s.id)
    ci = store.checkin_for(s.id)
    assert ci is not None and ci.pain_after == 5 and ci.red_flags == ["swelling"]
    store.add_segment(s.id, "baseline", 0, 10)
    store.add_segment(s.id, "retest", 20, 30)
    assert [g.label for g in store.segments(s.id)] == ["baseline", "retest"]
    for start_s, end_s in ((10, 5), (-10, 20), (math.nan, 20), (0, math.inf), (40, 60)):  # 40 s: after the run
        with pytest.raises(InputError):
            store.add_segment(s.id, "cue", start_s, end_s)
    store.add_segment(s.id, "baseline", 2, 12)  # marking a label again moves it (it used to add a second one)
    assert [(g.label, g.start_s) for g in store.segments(s.id)] == [("baseline", 2), ("retest", 20)]


def test_previous_sessions_window(store: Store) -> None:
    for days in (40, 20, 3):
        store.add_session("ana", planned_run([(30, Gait())]), T0 - timedelta(days=days))
    now = store.add_session("ana", planned_run([(30, Gait())]), T0)
    prev = store.previous_sessions(now, days=30)
    assert [round((T0 - p.start_utc).days) for p in prev] == [20, 3]


def test_migrates_a_version_1_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=1)
    conn.execute("INSERT INTO runners(name, created_utc) VALUES ('old', '2025-01-01T00:00:00+00:00')")
    conn.close()
    with Store(path) as s:
        assert version(s.conn) == len(MIGRATIONS) == 8
        assert s.runner("old").name == "old"
        s.add_checkin("old", CheckIn(pain_after=1))  # a v2 table


def test_session_numbers_are_never_reused(tmp_path: Path) -> None:
    """Delete session 3 of a file made before schema v3, add a run: it is session 4, not 3 again (a report
    or note about session 3 would otherwise describe another run)."""
    path = tmp_path / "v2.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, upto=2)
    conn.execute("INSERT INTO runners(name, created_utc) VALUES ('ana', '2025-01-01T00:00:00+00:00')")
    for _ in range(3):
        conn.execute("INSERT INTO sessions(runner_id, start_utc) VALUES (1, '2025-01-02T00:00:00+00:00')")
    conn.close()
    with Store(path) as s:
        s.delete_session(3)
        assert s.add_session("ana", planned_run([(30, Gait())]), T0).id == 4
        s.delete_session(4)
        assert s.begin_session("ana", T0) == 5


def test_newer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def _writer(path: str, n_blocks: int, started: object) -> None:
    store = Store(path)
    sid = store.begin_session("ana", T0)
    started.set()  # type: ignore[attr-defined]
    steps = planned_run([(300, Gait())])
    per = len(steps) // n_blocks
    for i in range(n_blocks):
        store.append_steps(sid, steps[i * per:(i + 1) * per])
        time.sleep(0.01)
    store.finish_session(sid)
    store.close()


def test_reader_works_while_live_session_writes(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    Store(path).add_runner("ana")
    started = mp.get_context("spawn").Event()
    proc = mp.get_context("spawn").Process(target=_writer, args=(str(path), 60, started))
    proc.start()
    assert started.wait(30)
    reader = Store(path, timeout_s=0.5)
    counts = []
    while proc.is_alive():
        counts.append(reader.conn.execute("SELECT COUNT(*) FROM steps").fetchone()[0])
        time.sleep(0.005)
    proc.join()
    assert proc.exitcode == 0
    print(f"reader polls: {len(counts)}, distinct counts seen mid-write: {len(set(counts))}")
    assert len(set(counts)) > 3 and counts == sorted(counts)  # saw partial progress, never blocked or went back
    assert reader.sessions("ana")[0].finished


def test_live_writer_is_a_cue_output_and_stores_a_coached_session(store: Store) -> None:
    from footfall.coaching.outputs import CueOutput, LiveCoach
    from footfall.store import LiveSessionWriter

    writer = LiveSessionWriter(store, "ana", batch_steps=16)
    assert isinstance(writer, CueOutput)
    coach = LiveCoach(CueEngine(CueParams(grace_s=0)), [writer])
    steps = planned_run([(90, Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65))])
    given = []
    for i, step in enumerate(steps):
        writer.step(step)
        given += coach.feed(step)
        if i == 100:  # mid-session, another connection sees the steps written so far
            other = Store(store.path)
            assert 16 <= len(other.steps(writer.session_id)) <= 101
            other.close()
    coach.close()
    assert writer.finished is not None and writer.finished.finished
    assert given and store.cues(writer.session_id) == given and len(store.steps(writer.session_id)) == len(steps)
