"""User input to the coaching commands through the real CLI main: implausible runner and shoe values, duplicates
and check-ins end as one line that says what to do; `checkin --ask` asks a bad answer again at once; a session's
check-ins combine so an earlier red flag keeps "see a professional" first."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall.coaching.advice import checkin_advice
from footfall.coaching.checkin import CheckIn, combine_checkins
from footfall.coaching.scripted import Gait, planned_run
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def sessions(db: Path) -> list[int]:
    """ana's session then bob's, stored directly."""
    with Store(db) as store:
        store.add_runner("ana")
        store.add_runner("bob")
        return [store.add_session(name, planned_run([(60, Gait())]), T0).id for name in ("ana", "bob")]


def _answers(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """Feed input() these answers, then Ctrl-D (EOFError); returns the prompts asked."""
    asked: list[str] = []
    it: Iterator[str] = iter(answers)

    def fake_input(prompt: str = "") -> str:
        asked.append(prompt)
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    return asked


def _checkins(db: Path) -> int:
    with Store(db) as store:
        return int(store.conn.execute("SELECT COUNT(*) FROM checkins").fetchone()[0])


def _one_line_error(result: tuple[int, str, str], command: str, message: str) -> None:
    code, _, err = result
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert err == f"footfall {command}: error: {message}\n"


@pytest.mark.parametrize(("argv", "says"), [
    (["--height-m", "168", "--leg-length-m", "86"], "168 cm is --height-m 1.68"),
    (["--height-m", "-1.7"], "height -1.7 m is not plausible"),
    (["--height-m", "1.2", "--leg-length-m", "1.3"], "must be shorter than the height"),
    (["--target-cadence-spm", "85"], "a watch showing strides/min shows half, so 85 strides/min is 170 steps/min"),
    (["--target-cadence-spm", "0"], "target cadence 0 steps/min is outside 120-230"),
])
def test_runner_add_and_set_refuse_implausible_values(ff: Run, argv: list[str], says: str) -> None:
    code, _, err = ff("runner", "add", "ana", *argv)
    assert code == 2 and says in err and err.count("\n") == 1
    assert ff("runner", "add", "ana", "--height-m", "1.68")[0] == 0
    code, _, err = ff("runner", "set", "ana", *argv)
    assert code == 2 and says in err
    assert "ana: height 1.68 m, leg length -, target cadence -" in ff("runner", "list")[1]


def test_runner_needs_a_name(ff: Run) -> None:
    _one_line_error(ff("runner", "add", ""), "runner add", "a runner needs a name (e.g. `footfall runner add ana`)")


def test_duplicates_say_what_clashed(ff: Run) -> None:
    ff("runner", "add", "ana")
    _one_line_error(ff("runner", "add", "ana"), "runner add",
                    "runner 'ana' already exists (change it with `footfall runner set ana ...`)")
    ff("shoes", "add", "ana", "Pegasus")
    code, _, err = ff("shoes", "add", "ana", "Pegasus")
    assert code == 2 and "ana already has a shoe called 'Pegasus'" in err and "constraint" not in err


@pytest.mark.parametrize(("argv", "says"), [
    (["--limit-km", "-5"], "limit must be more than 0 km, got -5"),
    (["--limit-km", "0"], "limit must be more than 0 km, got 0"),
    (["--initial-km", "-3"], "distance already run must be 0 km or more, got -3"),
])
def test_shoe_distances_are_checked(ff: Run, argv: list[str], says: str) -> None:
    ff("runner", "add", "ana")
    code, _, err = ff("shoes", "add", "ana", "Pegasus", *argv)
    assert code == 2 and says in err and err.count("\n") == 1


def test_checkin_on_a_missing_session(ff: Run, sessions: list[int]) -> None:
    _one_line_error(ff("checkin", "--runner", "ana", "--session", "99", "--after", "2"), "checkin",
                    "no session 99 (list them with `footfall history`)")


def test_checkin_on_another_runners_session_is_refused(ff: Run, sessions: list[int], db: Path) -> None:
    anas = sessions[0]
    code, _, err = ff("checkin", "--runner", "bob", "--session", str(anas), "--after", "2")
    assert code == 2 and f"session {anas} is ana's run, not bob's" in err and err.count("\n") == 1
    assert _checkins(db) == 0


def test_checkin_with_nothing_in_it_is_refused(ff: Run, sessions: list[int], db: Path) -> None:
    code, _, err = ff("checkin", "--runner", "ana", "--session", str(sessions[0]))
    assert code == 2 and err.count("\n") == 1 and "nothing to check in" in err
    assert all(option in err for option in ("--before/--after", "--swelling", "--note", "--ask"))
    assert _checkins(db) == 0


def test_checkin_without_session_says_it_is_kept_for_the_runner(ff: Run, sessions: list[int]) -> None:
    code, out, _ = ff("checkin", "--runner", "ana", "--after", "2")
    assert code == 0 and "kept for ana, not attached to a run" in out and "--session N" in out
    assert "reminder" not in out  # nothing to remind of
    code, out, _ = ff("checkin", "--runner", "ana", "--swelling")
    assert code == 0 and "the advice of the next runs opens with a reminder of it until you answer it" in out
    code, out, _ = ff("checkin", "--runner", "ana", "--session", str(sessions[0]), "--after", "2")
    assert code == 0 and "kept for" not in out


def test_red_flags_are_printed_in_words(ff: Run, sessions: list[int]) -> None:
    code, out, _ = ff("checkin", "--runner", "ana", "--session", "1", "--cannot-bear-weight", "--twist-or-fall")
    assert code == 0
    assert "red flags: difficulty bearing weight on the foot, pain that started with a twist or fall" in out
    assert "cannot_bear_weight" not in out and "twist_or_fall" not in out


def test_advice_sentence_is_grammatical() -> None:
    first, *_ = checkin_advice(CheckIn(cannot_bear_weight=True))
    assert first.message.startswith("You reported difficulty bearing weight on the foot. Get it seen today")


def test_later_checkin_keeps_the_earlier_red_flag_first(ff: Run, sessions: list[int]) -> None:
    ff("checkin", "--runner", "ana", "--session", "1", "--after", "3", "--twist-or-fall")
    ff("checkin", "--runner", "ana", "--session", "1", "--after", "1", "--note", "feels fine now")
    doc = json.loads(ff("advice", "1", "--json")[1])
    assert doc["advice"][0]["category"] == "see a professional"


def test_combine_checkins() -> None:
    assert combine_checkins([]) is None
    ci = combine_checkins([CheckIn(2, 5, swelling=True, note="a"), CheckIn(None, 1), CheckIn(note="b")])
    assert ci == CheckIn(2, 1, swelling=True, note="a; b")


def test_ask_repeats_a_question_until_the_answer_fits(ff: Run, sessions: list[int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _answers(monkeypatch, ["11", "x", "2", "", "maybe", "YES", "n", "", "no", "n", "n"])
    code, out, _ = ff("checkin", "--runner", "ana", "--session", "1", "--ask")
    assert code == 0 and "pain 2 -> -" in out and "red flags: swelling" in out
    assert [p.split(" (")[0].split(" [")[0] for p in asked[:5]] == [
        "Pain before the run", "Pain before the run", "Pain before the run", "Pain after the run",
        "Is the ankle or foot swollen?"]
    assert asked[5] == asked[4]  # "maybe" asked again
    assert "'11' is not a number 0-10" in out and "'maybe' is neither yes nor no" in out


def test_ctrl_d_cancels_the_checkin(ff: Run, sessions: list[int], monkeypatch: pytest.MonkeyPatch,
                                    db: Path) -> None:
    _answers(monkeypatch, ["2", "3", "n"])  # then EOF at the second red-flag question
    _one_line_error(ff("checkin", "--runner", "ana", "--session", "1", "--ask"), "checkin",
                    "check-in cancelled: nothing saved")
    assert _checkins(db) == 0


def test_ask_checks_runner_and_session_before_asking(ff: Run, sessions: list[int],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _answers(monkeypatch, ["2"] * 7)
    code, _, err = ff("checkin", "--runner", "bob", "--session", "1", "--ask")
    assert code == 2 and "ana's run" in err and asked == []
