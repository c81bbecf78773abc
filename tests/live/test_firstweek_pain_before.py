"""impl19 runner: `footfall checkin --runner kai --before 5` said "Pain before the run: skip it"; a live run
started right after was coached on cadence for its whole length without a word about it. A check-in on its own
in the 12 hours before a live session with pain that calls for skipping the run is said before the run, and the
session gives no technique cues (the after-run advice says the stride work waits until the pain has settled)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import footfall.live.run as live_run
from footfall.cli import main
from footfall.coaching.checkin import CheckIn
from footfall.coaching.scripted import Gait, planned_run
from footfall.live.coach import CoachOptions
from footfall.store import Store


def _history(tmp_path: Path, checkin: CheckIn | None, ago: timedelta = timedelta(minutes=5),
             with_session: bool = False) -> Path:
    db = tmp_path / "h.sqlite"
    now = datetime.now(timezone.utc)
    with Store(db) as store:
        store.add_runner("kai")
        sid = store.add_session("kai", planned_run([(300, Gait())], seed=1), now - ago).id if with_session else None
        if checkin is not None:
            store.add_checkin("kai", checkin, session_id=sid, time_utc=now - ago)
    return db


def _notice(db: Path) -> live_run.PreRunNotice | None:
    return live_run.pre_run_notice(CoachOptions(runner="kai", db=db))


def test_pain_before_the_run_is_said_before_it(tmp_path: Path) -> None:
    notice = _notice(_history(tmp_path, CheckIn(pain_before=5)))
    assert notice is not None
    print(notice)
    assert notice.advice.title == "Pain before the run: skip it" and "skip today's run" in notice.advice.message
    assert notice.no_cues == live_run.NO_CUES_PAIN


@pytest.mark.parametrize("checkin, ago, with_session", [
    (CheckIn(pain_before=5), timedelta(hours=13), False),  # yesterday's: not for this run
    (CheckIn(pain_before=5), timedelta(hours=2), True),  # the pain before an earlier run
    (CheckIn(pain_before=2), timedelta(minutes=5), False),  # a little pain: run, and check in after
    (None, timedelta(minutes=5), False),
])
def test_no_notice_otherwise(tmp_path: Path, checkin: CheckIn | None, ago: timedelta, with_session: bool) -> None:
    assert _notice(_history(tmp_path, checkin, ago, with_session)) is None


def test_a_red_flag_still_comes_first(tmp_path: Path) -> None:
    notice = _notice(_history(tmp_path, CheckIn(pain_before=5, swelling=True)))
    assert notice is not None and notice.no_cues == live_run.NO_CUES


@pytest.fixture(scope="module")
def heel_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("run") / "heel.ffr"
    assert main(["simulate", "-o", str(path), "--preset", "heel-overstrider", "--duration", "400"]) == 0
    return path


@pytest.mark.parametrize("pain_before, cued", [(5, False), (None, True)])
def test_the_live_session_gives_no_cues_after_pain_before(tmp_path: Path, heel_run: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         pain_before: int | None, cued: bool) -> None:
    db = _history(tmp_path, CheckIn(pain_before=pain_before) if pain_before else None)
    assert main(["live", f"replay:{heel_run}", "--speed", "0", "--runner", "kai", "--db", str(db)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    with Store(db) as store:
        [session] = store.sessions("kai")
        cues = store.cues(session.id)
    assert bool(cues) is cued
    assert (live_run.NO_CUES_PAIN in out) is not cued
