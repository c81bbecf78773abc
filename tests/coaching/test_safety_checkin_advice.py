"""Safety review QA16, findings 3, 4, 6, 7 and 12: what a check-in makes the advice say.

3: a trauma red flag is "seen today, weight off the foot", PRICE comes with every red flag and is spelt out.
4: pain before the run is its own grade ("skip today's run"), and a score not given reads "not given".
6: while a red flag is open the training entries wait (one line says so); `advice N --all` still lists them.
7: with moderate pain the load entry says no "Good." and a technique change waits until the ankle has settled.
12: the optional `--recent-injury` question brings the let-it-heal entry (`rest_unhealed`, `old_injuries`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.advice import RunContext, checkin_advice, post_run_advice
from footfall.coaching.checkin import CheckIn, describe_checkin, pain_level
from footfall.coaching.knowledge import Category
from footfall.coaching.load import PastRun
from footfall.coaching.scripted import Gait, planned_run
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)
HEEL = Gait(cadence_spm=156, strike_angle_deg=21, overstride_index=0.7)  # gets "Shorter, quicker steps"
STEPS = planned_run([(300, HEEL)])
TRAINING = (Category.LOAD, Category.TECHNIQUE, Category.SHOES, Category.WARMUP, Category.ROUTINE)
Run = Callable[..., tuple[int, str, str]]


def _advice(ci: CheckIn | None, held: bool = False, previous_m: float = 1000.0) -> list:
    """A 300 s run after a longer one two days before (load "Good."), with this check-in."""
    ctx = RunContext(PastRun(T0, 900.0, 300.0), [PastRun(T0 - timedelta(days=2), previous_m, 360.0)], checkin=ci)
    return post_run_advice(STEPS, ctx, limit=None, **({"held": True} if held else {}))


# --- 3 --------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("flag", ["cannot_bear_weight", "twist_or_fall"])
def test_a_trauma_red_flag_says_seen_today_and_weight_off(flag: str) -> None:
    first = checkin_advice(CheckIn(**{flag: True}))[0]
    assert "Get it seen today, and keep your weight off the foot until then." in first.message
    assert "today" not in checkin_advice(CheckIn(swelling=True))[0].message  # not for swelling alone


@pytest.mark.parametrize("ci", [CheckIn(swelling=True), CheckIn(0, 1, bruising=True), CheckIn(cannot_bear_weight=True)])
def test_every_red_flag_gets_the_self_care_entry_whatever_the_pain(ci: CheckIn) -> None:
    titles = [a.title for a in checkin_advice(ci)]
    assert titles[:2] == ["See a professional first", "Pain: rest until checked"]


def test_price_is_spelt_out_in_the_terminal_text() -> None:
    care = checkin_advice(CheckIn(2, 8))[1]
    for part in ("protect the ankle", "rest it", "ice it for about 20 minutes", "cloth between the ice and your skin",
                 "elastic bandage that is firm but not tight", "above the level of your heart", "(PRICE)"):
        assert part in care.message
    assert "rest, PRICE" not in care.message and "price" in [i.key for i in care.items]
    no_score = checkin_advice(CheckIn(swelling=True))[1]
    assert no_score.message.startswith("Until you have been checked") and not no_score.own_values


# --- 4 --------------------------------------------------------------------------------------------------------------
def test_pain_before_the_run_says_skip_todays_run() -> None:
    ci = CheckIn(pain_before=6)
    assert pain_level(ci) == "skip_run"
    [entry] = checkin_advice(ci)
    assert entry.title == "Pain before the run: skip it" and "skip today's run" in entry.message
    assert entry.message.startswith("Pain 6/10 before the run, after: not given.")
    assert "?/10" not in entry.message and "footfall's own" in entry.own_values_note()
    assert "skip the run at 4/10" in entry.own_values
    assert pain_level(CheckIn(pain_before=3, pain_after=4)) == "ease_off"  # after the run: ease off, as before


def test_a_missing_score_reads_not_given() -> None:
    [entry] = checkin_advice(CheckIn(pain_after=5))
    assert entry.message.startswith("Pain before: not given, 5/10 after.") and "?" not in entry.message


# --- 6 --------------------------------------------------------------------------------------------------------------
def test_a_red_flag_holds_the_training_entries_back_with_one_line() -> None:
    advice = _advice(CheckIn(1, 2, swelling=True))
    assert not [a for a in advice if a.category in TRAINING]
    note = next(a for a in advice if a.title == "Training advice on hold")
    assert "resumes once a professional has looked at the ankle" in note.message
    assert not any("Good." in a.message or "Once you have been checked" in a.message for a in advice)
    every = _advice(CheckIn(1, 2, swelling=True), held=True)
    held = [a for a in every if a.title.endswith("(on hold until the ankle has been checked)")]
    assert {a.category for a in held} >= {Category.LOAD, Category.TECHNIQUE, Category.WARMUP}
    assert every[:len(advice)] == advice  # the held ones come after everything else


def test_advice_cli_holds_training_and_all_shows_it(ff: Run, db: Path) -> None:
    with Store(db) as store:
        store.add_runner("ana")
        sid = store.add_session("ana", STEPS, T0).id
        store.add_checkin("ana", CheckIn(1, 2, twist_or_fall=True), sid)
    code, out, _ = ff("advice", str(sid))
    assert code == 0 and "Training advice on hold" in out and "[technique]" not in out and "[load] Load" not in out
    assert out.rstrip().endswith(f"`footfall advice {sid} --all` also shows the training advice on hold.")
    code, every, _ = ff("advice", str(sid), "--all")
    assert code == 0 and "[technique] Shorter, quicker steps (on hold until the ankle has been checked)" in every


# --- 7 --------------------------------------------------------------------------------------------------------------
def test_moderate_pain_gets_no_good_for_the_load() -> None:
    calm = next(a for a in _advice(CheckIn(0, 1)) if a.category is Category.LOAD)
    assert calm.message.endswith(" Good.")  # no pain: as before
    sore = next(a for a in _advice(CheckIn(1, 4)) if a.category is Category.LOAD)
    assert "Good." not in sore.message
    assert sore.message.endswith("Within your usual range, but with the ankle as it is keep the next runs shorter than this.")


def test_moderate_pain_puts_a_technique_change_after_the_routine() -> None:
    advice = _advice(CheckIn(0, 3))  # a rise of 3: ease off
    titles = [a.title for a in advice]
    tech = next(a for a in advice if a.title == "Shorter, quicker steps")
    assert "once the ankle has settled" in tech.message
    assert titles.index("Stretching and strengthening") < titles.index("Shorter, quicker steps")
    calm = [a.title for a in _advice(CheckIn(0, 1))]
    assert calm.index("Shorter, quicker steps") < calm.index("Stretching and strengthening")


# --- 12 -------------------------------------------------------------------------------------------------------------
def test_a_recent_injury_brings_the_let_it_heal_entry() -> None:
    [entry] = checkin_advice(CheckIn(recent_injury=True))
    assert entry.title == "Recent injury: let it heal" and "may not have healed yet" in entry.message
    assert [i.key for i in entry.items] == ["rest_unhealed", "old_injuries"]
    assert entry in _advice(CheckIn(recent_injury=True))
    assert "injured in the last few months" in describe_checkin(CheckIn(recent_injury=True))


def test_checkin_cli_recent_injury_and_ask(ff: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ff("runner", "add", "ana")
    code, out, _ = ff("checkin", "--runner", "ana", "--recent-injury")
    assert code == 0 and "Recent injury: let it heal" in out and "rest_unhealed" not in out
    asked: list[str] = []
    answers = iter(["", "", "n", "n", "n", "n", "n", "y"])

    def fake_input(prompt: str = "") -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    code, out, _ = ff("checkin", "--runner", "ana", "--ask")
    assert code == 0 and asked[-1].startswith("Have you injured this ankle in the last few months?")
    assert "red flags: none, injured in the last few months" in out and "Recent injury: let it heal" in out
