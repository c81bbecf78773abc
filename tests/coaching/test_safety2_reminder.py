"""QA16 re-review (/work/notes/qa16_coaching_re.md) F1, F2, F3, F9 and first-user finding 2: the red-flag reminder.

F1: Enter through `--ask`, or `--no-red-flags`, does not end a trauma flag or severe pain (only `--examined`);
    swelling alone ends on "every question no" with low pain only; `checkin` says what happened to the reminder.
F2: an unexamined red flag never expires: after the carry window a short first line, whatever its age.
F3: "examined" together with a red flag is one consistent message, and `--examined` says the reminder ended.
first-user 2: the hint is the full working command; a runner-level `--examined` ends it for the runs after it.
F9: a check-in in the same second as the session start counts as before it, for the advice and for "now".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.checkin import CheckIn
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.store import Store

T0 = datetime(2026, 9, 1, 16, 30, tzinfo=timezone.utc)
RUN_120S = planned_run([(120, Gait())])
Run = Callable[..., tuple[int, str, str]]
REMINDER = "Red flag reported: examined yet?"


def _store(db: Path, days: tuple[float, ...] = (0, 2, 5), start: datetime = T0) -> list[int]:
    with Store(db) as store:
        store.add_runner("dan")
        return [store.add_session("dan", RUN_120S, start + timedelta(days=d)).id for d in days]


def _advice_titles(db: Path, sid: int) -> list[str]:
    with Store(db) as store:
        return [a.title for a in advice_for_session(store, sid, limit=None).advice]


def _answers(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    asked: list[str] = []
    it: Iterator[str] = iter(answers)

    def fake_input(prompt: str = "") -> str:
        asked.append(prompt)
        return next(it)

    monkeypatch.setattr("builtins.input", fake_input)
    return asked


# --- F1 -------------------------------------------------------------------------------------------------------------
def test_enter_through_ask_does_not_end_a_trauma_flag(ff: Run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _store(db)
    ff("checkin", "--runner", "dan", "--session", str(ids[0]), "--twist-or-fall", "--cannot-bear-weight")
    # blank pain scores; a blank red-flag answer is asked again (no default while a reminder is open); then all "n"
    asked = _answers(monkeypatch, ["", "", "", "n", "n", "n", "n", "n", "", "", "n"])
    code, out, _ = ff("checkin", "--runner", "dan", "--session", str(ids[1]), "--ask")
    assert code == 0 and "[y/n]" in asked[2] and asked[3] == asked[2]  # the same question again
    assert "answer y or n" in out and "is still open" in out and "only with --examined" in out
    assert _advice_titles(db, ids[1])[0] == REMINDER and _advice_titles(db, ids[2])[0] == REMINDER


def test_no_red_flags_does_not_end_a_trauma_flag_or_severe_pain(ff: Run, db: Path) -> None:
    ids = _store(db)
    ff("checkin", "--runner", "dan", "--session", str(ids[0]), "--before", "2", "--after", "8")
    code, out, _ = ff("checkin", "--runner", "dan", "--session", str(ids[1]), "--no-red-flags", "--before", "1")
    assert code == 0 and "is still open" in out
    assert _advice_titles(db, ids[2])[0] == REMINDER  # kim in the review: "Good." two runs after 8/10


@pytest.mark.parametrize(("later", "ends"), [
    (("--no-red-flags", "--after", "1"), True),  # every question no, low pain: ended
    (("--no-red-flags",), False),  # no pain score: not known to be low
    (("--no-red-flags", "--after", "4"), False),  # pain above footfall's low value
    (("--examined",), True),
])
def test_swelling_alone_ends_only_with_low_pain(ff: Run, db: Path, later: tuple[str, ...], ends: bool) -> None:
    ids = _store(db)
    ff("checkin", "--runner", "dan", "--session", str(ids[0]), "--swelling")
    code, out, _ = ff("checkin", "--runner", "dan", "--session", str(ids[1]), *later)
    assert code == 0 and ("has ended because" in out) is ends and ("is still open" in out) is not ends
    assert (REMINDER in _advice_titles(db, ids[2])) is not ends


# --- F2 -------------------------------------------------------------------------------------------------------------
def test_an_unexamined_red_flag_never_expires(db: Path) -> None:
    ids = _store(db, (0, 13, 15, 60))
    with Store(db) as store:
        store.add_checkin("dan", CheckIn(cannot_bear_weight=True, twist_or_fall=True), ids[0])
        full = advice_for_session(store, ids[1], limit=None).advice
        later = [advice_for_session(store, i, limit=None).advice for i in ids[2:]]
    assert full[0].title == REMINDER and "have you been examined?" in full[0].message
    for advice in later:  # 15 days, and 60 (beyond the 28 days the store used to read)
        assert advice[0].title == REMINDER and advice[0].pauses_training
        assert advice[0].message.startswith("On 2026-09-01 you reported difficulty bearing weight on the foot")
        assert "--runner dan --session" in advice[0].message and "--examined`" in advice[0].message
        assert "Good." not in " ".join(a.message for a in advice)


# --- F3 -------------------------------------------------------------------------------------------------------------
def test_examined_with_a_red_flag_is_one_consistent_message(ff: Run, db: Path) -> None:
    ids = _store(db)
    ff("checkin", "--runner", "dan", "--session", str(ids[0]), "--swelling")
    code, out, _ = ff("checkin", "--runner", "dan", "--session", str(ids[0]), "--examined")
    assert code == 0 and "has ended because a professional has examined the ankle" in out
    with Store(db) as store:
        advice = advice_for_session(store, ids[0], limit=None).advice
    text = " ".join(a.message for a in advice)
    assert advice[0].title == "Examined: follow your clinician's plan" and not advice[0].pauses_training
    assert "follow their advice on when and how much to run" in advice[0].message and "go back to them" in text
    assert "Until you have been checked" not in text and "Training advice on hold" not in [a.title for a in advice]
    assert "Stop running and have it examined" not in text


def test_examined_with_a_flag_promises_no_reminder(ff: Run, db: Path) -> None:
    _store(db)
    code, out, _ = ff("checkin", "--runner", "dan", "--examined", "--swelling")
    assert code == 0 and "opens with a reminder" not in out and "Until you have been checked" not in out
    code, out, _ = ff("checkin", "--runner", "dan", "--examined")
    assert code == 0 and "No red-flag reminder was open for dan." in out


# --- first-user 2 ---------------------------------------------------------------------------------------------------
def test_the_hint_is_the_full_command_and_a_runner_level_examined_ends_later_reminders(
        ff: Run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    ids = _store(db, (-3, -2, -0.5), start=now)  # the runner-level check-in below is dated a day ago
    ff("checkin", "--runner", "dan", "--session", str(ids[0]), "--swelling", "--twist-or-fall")
    with Store(db) as store:
        hint = advice_for_session(store, ids[1], limit=None).advice[0].message
    assert f"`footfall checkin --runner dan --session {ids[1]} --examined` ends this reminder" in hint
    monkeypatch.setattr("footfall.store.db.utc_now", lambda: now - timedelta(days=1))
    code, out, _ = ff("checkin", "--runner", "dan", "--examined")
    monkeypatch.undo()
    assert code == 0 and "has ended because a professional has examined the ankle" in out
    assert "sessions stored before keep it" in out
    assert REMINDER not in _advice_titles(db, ids[2])  # the run after it
    assert REMINDER in _advice_titles(db, ids[1])  # stored before: keeps it, as printed
    code, out, _ = ff("checkin", "--runner", "dan", "--session", str(ids[1]), "--examined")
    assert code == 0 and REMINDER not in _advice_titles(db, ids[1])


# --- F9 -------------------------------------------------------------------------------------------------------------
def test_a_checkin_in_the_same_second_as_the_session_start_counts_before_it(db: Path) -> None:
    ids = _store(db, (0,))
    with Store(db) as store:
        store.add_checkin("dan", CheckIn(swelling=True, pain_before=3), time_utc=T0)  # equal timestamps
        assert [e.time_utc for e in store.checkins_until("dan", T0)] == [T0]
        assert [e.time_utc for e in store.checkin_before(store.session(ids[0]))] == [T0]
        assert advice_for_session(store, ids[0], limit=None).advice[0].title == REMINDER


def test_examined_for_a_session_before_the_red_flag_does_not_say_ended(ff: Run, db: Path) -> None:
    ids = _store(db)
    ff("checkin", "--runner", "dan", "--session", str(ids[1]), "--cannot-bear-weight")
    code, out, _ = ff("checkin", "--runner", "dan", "--session", str(ids[0]), "--examined")
    assert code == 0 and "is still open (this check-in is dated by its session, before the red flag)" in out
    assert REMINDER in _advice_titles(db, ids[2])
