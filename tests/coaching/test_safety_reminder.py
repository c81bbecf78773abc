"""Safety review QA16, findings 2, 9 and 10: what earlier check-ins say about a run.

2: a red flag's reminder is not ended by a check-in that did not ask the red-flag questions (a pain score alone);
   only `--examined` or a check-in answering every red-flag question ends it, and the window's flags combine.
9: a live session of a runner with an open red flag says so before it starts, and gives no technique cues.
10: pain after most recent runs, over weeks, brings the persistent-pain entry (article 002).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.coaching.advice import RunContext, post_run_advice
from footfall.coaching.checkin import CheckIn
from footfall.coaching.knowledge import Category
from footfall.coaching.load import PastRun
from footfall.coaching import reminder
from footfall.coaching.reminder import EarlierCheckIn, reminder_advice
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.store import Store

T0 = datetime(2026, 9, 1, 16, 30, tzinfo=timezone.utc)
RUN_120S = planned_run([(120, Gait())])
Run = Callable[..., tuple[int, str, str]]
REMINDER = "Red flag reported: examined yet?"


def _runs(tmp_path: Path, days: tuple[int, ...] = (0, 3)) -> tuple[Store, list[int]]:
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("dan")
    return store, [store.add_session("dan", RUN_120S, T0 + timedelta(days=d)).id for d in days]


def _titles(store: Store, sid: int) -> list[str]:
    return [a.title for a in advice_for_session(store, sid, limit=None).advice]


# --- 2 --------------------------------------------------------------------------------------------------------------
def test_a_pain_only_checkin_does_not_end_a_red_flag_reminder(tmp_path: Path) -> None:
    """Review: `checkin --cannot-bear-weight --twist-or-fall`, then `checkin --before 1`: the next run's advice had
    no red-flag entry."""
    store, ids = _runs(tmp_path)
    store.add_checkin("dan", CheckIn(cannot_bear_weight=True, twist_or_fall=True), ids[0])
    store.add_checkin("dan", CheckIn(pain_before=1), time_utc=T0 + timedelta(days=1))
    advice = advice_for_session(store, ids[1], limit=None).advice
    assert advice[0].title == REMINDER and advice[0].pauses_training
    # three days on, "today" only if the foot still cannot take weight (it said "get it seen today" 13 days later)
    assert "as soon as you can (today if you still cannot put weight on the foot)" in advice[0].message
    assert "get it seen today" not in advice[0].message
    assert "`footfall checkin --runner dan --session 2 --examined` ends this reminder" in advice[0].message


@pytest.mark.parametrize(("later", "ends"), [
    (CheckIn(examined=True), True),
    (CheckIn(0, 0, flags_answered=True), True),  # every red-flag question answered no
    (CheckIn(0, 0, bruising=True, flags_answered=True), False),  # answered, with a red flag
    (CheckIn(0, 8, flags_answered=True), False),  # answered no, but severe pain
    (CheckIn(0, 0, note="fine now"), False),  # the questions not asked
])
def test_what_ends_a_reminder(tmp_path: Path, later: CheckIn, ends: bool) -> None:
    store, ids = _runs(tmp_path)
    store.add_checkin("dan", CheckIn(swelling=True), ids[0])
    store.add_checkin("dan", later, time_utc=T0 + timedelta(days=1))
    assert (REMINDER not in _titles(store, ids[1])) is ends


def test_this_runs_own_checkin_can_end_the_reminder(tmp_path: Path) -> None:
    store, ids = _runs(tmp_path)
    store.add_checkin("dan", CheckIn(swelling=True), ids[0])
    store.add_checkin("dan", CheckIn(pain_after=1), ids[1])
    assert REMINDER in _titles(store, ids[1])
    store.add_checkin("dan", CheckIn(examined=True), ids[1])
    assert REMINDER not in _titles(store, ids[1])


def test_the_flags_of_the_window_combine(tmp_path: Path) -> None:
    store, ids = _runs(tmp_path, (0, 2, 5))
    store.add_checkin("dan", CheckIn(swelling=True), ids[0])
    store.add_checkin("dan", CheckIn(pain_after=2), ids[1])
    store.add_checkin("dan", CheckIn(bruising=True), time_utc=T0 + timedelta(days=3))
    first = advice_for_session(store, ids[2], limit=None).advice[0]
    assert first.message.startswith("You reported swelling, bruising on 2026-09-01 (with session 1, 5 days before")
    assert ", and again on 2026-09-04:" in first.message


def test_the_reminder_still_ends_after_the_carry_window() -> None:
    red = EarlierCheckIn(CheckIn(swelling=True), T0)
    assert reminder_advice([red], T0 + timedelta(days=14)) is not None
    short = reminder_advice([red], T0 + timedelta(days=15))  # qa16 re F2: shorter, never dropped
    assert short is not None and short.message.startswith("On 2026-09-01 you reported swelling")


def test_checkin_cli_says_a_reminder_is_still_open(ff: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ff("runner", "add", "dan")
    now = datetime.now(timezone.utc)
    monkeypatch.setattr("footfall.store.db.utc_now", lambda: now - timedelta(days=1))
    ff("checkin", "--runner", "dan", "--cannot-bear-weight")
    monkeypatch.undo()
    code, out, _ = ff("checkin", "--runner", "dan", "--before", "1")
    assert code == 0 and "red flags: not asked" in out and REMINDER in out
    code, out, _ = ff("checkin", "--runner", "dan", "--examined")
    assert code == 0 and "examined by a professional" in out and REMINDER not in out
    assert REMINDER not in ff("checkin", "--runner", "dan", "--before", "1")[1]  # ended


def test_ask_asks_whether_examined_only_while_a_red_flag_is_open(ff: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ff("runner", "add", "dan")
    asked: list[str] = []
    answers = iter(["1", "", "n", "n", "n", "n", "n", "n", "y"])

    def fake_input(prompt: str = "") -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    assert ff("checkin", "--runner", "dan", "--ask")[0] == 0
    assert not any("examined" in p for p in asked)  # nothing open: not asked
    ff("checkin", "--runner", "dan", "--swelling")
    asked.clear()
    answers = iter(["1", "", "n", "n", "n", "n", "n", "n", "y"])
    code, out, _ = ff("checkin", "--runner", "dan", "--ask")
    assert code == 0 and asked[-1].startswith("Has a doctor, physiotherapist or podiatrist examined the ankle")
    assert "examined by a professional" in out and REMINDER not in out


def test_no_red_flags_with_a_red_flag_is_refused(ff: Run) -> None:
    ff("runner", "add", "dan")
    code, _, err = ff("checkin", "--runner", "dan", "--no-red-flags", "--swelling")
    assert code == 2 and "--no-red-flags" in err
    code, out, _ = ff("checkin", "--runner", "dan", "--no-red-flags")
    assert code == 0 and "red flags: none" in out


# --- 9 --------------------------------------------------------------------------------------------------------------
def _live(tmp_path: Path, db: Path, name: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, int]:
    from footfall.virtual.runner import preset, simulate, write_run

    replay = write_run(simulate(preset("heel-overstrider", duration_s=40.0)), tmp_path / f"{name}.ffr")
    capsys.readouterr()
    code = main(["live", f"replay:{replay}", "--speed", "0", "--runner", "dan", "--db", str(db),
                 "--phases", "baseline:15s,cue:25s"])
    out = capsys.readouterr().out
    assert code == 0
    with Store(db) as store:
        return out, len(store.cues(store.sessions("dan")[-1].id))


def test_a_live_session_says_an_open_red_flag_first_and_gives_no_cues(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite"
    with Store(db) as store:
        store.add_runner("dan")
    out, cues = _live(tmp_path, db, "calm", capsys)
    assert REMINDER not in out and cues > 0  # the heel striker is cued in the cue phase
    with Store(db) as store:
        store.add_checkin("dan", CheckIn(swelling=True), time_utc=datetime.now(timezone.utc) - timedelta(hours=1))
    out, cues = _live(tmp_path, db, "flag", capsys)
    assert out.index(REMINDER) < out.index("No technique cues in this session") and cues == 0


# --- 10 -------------------------------------------------------------------------------------------------------------
def _history(days_and_pain: list[tuple[int, int | None]]) -> list[EarlierCheckIn]:
    return [EarlierCheckIn(CheckIn(pain_after=p), T0 - timedelta(days=d), session_id=d) for d, p in days_and_pain]


def test_pain_after_most_runs_over_weeks_brings_the_persistent_pain_entry() -> None:
    """Review: a runner logging 3/10 after every run (no rise) was never told; article 002's main advice."""
    earlier = _history([(21, 3), (14, 3), (7, 2)])
    ctx = RunContext(PastRun(T0, 900.0, 300.0), checkin=CheckIn(1, 3), earlier_checkin=earlier)
    advice = post_run_advice(RUN_120S, ctx, limit=None)
    entry = next(a for a in advice if a.title == "Pain keeps coming back: have it checked")
    assert entry.category is Category.PROFESSIONAL and entry.items[0].key == "persistent_pain"
    assert "after 3 runs between 2026-08-11 and 2026-09-01 (4 of your last 4 runs checked in)" in entry.message
    assert "footfall's own" in entry.own_values_note()
    assert not entry.pauses_training and any(a.category is Category.LOAD and a.title != "Training advice on hold"
                                             for a in advice)  # training advice stays


@pytest.mark.parametrize(("days_and_pain", "fires"), [
    ([(21, 3), (14, 0), (7, 3)], True),  # 3 of the last 4 (with this run's)
    ([(21, 3), (14, 0), (7, 0)], False),  # 2 of 4
    ([(21, 2), (14, 2), (7, 2)], False),  # 2/10 after: below the painful level (qa16 re F4)
    ([(40, 3), (35, 3), (7, 0)], False),  # the old ones are out of the 28 days
    ([(21, 3), (14, None), (7, 3)], True),  # a check-in without an after score is not painful
])
def test_recurring_pain_values(days_and_pain: list[tuple[int, int | None]], fires: bool) -> None:
    assert (reminder.recurring_pain_advice(_history(days_and_pain), T0, CheckIn(pain_after=3)) is not None) is fires
