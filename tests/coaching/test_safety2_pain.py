"""QA16 re-review (/work/notes/qa16_coaching_re.md) F4, F7 and F10: pain that matters changes the training entries.

F4: recurring pain counts pain 3/10 or more after, or a rise of 2, on 3 runs with 3 of the last 4 checked in (a
    steady 1/10 niggle does not fire it); when it fires, no "Good." and the technique change waits.
F7: a recent injury gets the same treatment (no "Good.", technique later), worded by the pain.
F10: after a recorded run, "skip today's run" is next-time wording; at that pain the routine is gentle only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from footfall.coaching.advice import RunContext, checkin_advice, post_run_advice
from footfall.coaching.checkin import CheckIn
from footfall.coaching.knowledge import Category
from footfall.coaching.load import PastRun
from footfall.coaching.reminder import RECURRING_TITLE, EarlierCheckIn
from footfall.coaching.scripted import Gait, planned_run

T0 = datetime(2026, 11, 15, 7, 0, tzinfo=timezone.utc)
HEEL = Gait(cadence_spm=156, strike_angle_deg=21, overstride_index=0.7)  # gets "Shorter, quicker steps"
STEPS = planned_run([(300, HEEL)])


def _ctx(ci: CheckIn | None, earlier: Sequence[EarlierCheckIn] = (), weeks: tuple[int, ...] = (1, 2)) -> RunContext:
    """A 300 s run after longer ones (load "Good." without pain), one a week before."""
    previous = [PastRun(T0 - timedelta(weeks=w), 1000.0, 360.0) for w in weeks]
    return RunContext(PastRun(T0, 900.0, 300.0), previous, checkin=ci, earlier_checkin=earlier)


def _weekly(pains: list[tuple[int, int]]) -> list[EarlierCheckIn]:
    """Check-ins with the runs 2 and 1 weeks before (before, after)."""
    return [EarlierCheckIn(CheckIn(b, a), T0 - timedelta(weeks=2 - n), session_id=n + 1)
            for n, (b, a) in enumerate(pains)]


def _by(advice: list, category: Category) -> list:
    return [a for a in advice if a.category is category]


# --- F4 -------------------------------------------------------------------------------------------------------------
def test_a_steady_one_out_of_ten_is_not_recurring_pain() -> None:
    """eve in the review: 1/10 before and after, weekly: "Pain keeps coming back ... needs a doctor"."""
    advice = post_run_advice(STEPS, _ctx(CheckIn(1, 1), _weekly([(1, 1), (1, 1)])), limit=None)
    assert RECURRING_TITLE not in [a.title for a in advice]


def test_recurring_pain_takes_the_moderate_pain_treatment() -> None:
    advice = post_run_advice(STEPS, _ctx(CheckIn(0, 3), _weekly([(0, 3), (1, 3)])), limit=None)
    [entry] = [a for a in advice if a.title == RECURRING_TITLE]
    assert "after 3 runs between 2026-11-01 and 2026-11-15 (3 of your last 3 runs checked in)" in entry.message
    assert "runs with a score" not in entry.message
    assert all("Good." not in a.message for a in _by(advice, Category.LOAD))
    assert all("once the ankle has settled" in a.message for a in _by(advice, Category.TECHNIQUE) if a.items)


def test_a_rise_of_two_counts_and_too_few_runs_checked_in_do_not() -> None:
    rising = _weekly([(0, 2), (1, 3)])
    assert RECURRING_TITLE in [a.title for a in post_run_advice(STEPS, _ctx(CheckIn(1, 3), rising), limit=None)]
    runs = [PastRun(T0 - timedelta(days=d), 1000.0, 360.0) for d in (14, 10, 7, 3)]  # 2 of the last 4 checked in
    sparse = RunContext(PastRun(T0, 900.0, 300.0), runs, checkin=CheckIn(1, 3), earlier_checkin=rising)
    assert RECURRING_TITLE not in [a.title for a in post_run_advice(STEPS, sparse, limit=None)]


# --- F7 -------------------------------------------------------------------------------------------------------------
def test_a_recent_injury_takes_the_moderate_pain_treatment() -> None:
    """ria in the review: "rest it", then "Shorter, quicker steps" and "Good."."""
    advice = post_run_advice(STEPS, _ctx(CheckIn(1, 1, recent_injury=True)), limit=None)
    injury = next(a for a in advice if a.title == "Recent injury: let it heal")
    assert "take it easy and build up slowly" in injury.message and "rest it until" not in injury.message
    assert all("Good." not in a.message for a in _by(advice, Category.LOAD))
    assert all("once the ankle has settled" in a.message for a in _by(advice, Category.TECHNIQUE) if a.items)
    [sore] = checkin_advice(CheckIn(2, 5, recent_injury=True))[1:]
    assert "rest it until it is better" in sore.message


# --- F10 ------------------------------------------------------------------------------------------------------------
def test_pain_before_a_recorded_run_is_next_time_wording_and_the_routine_is_gentle() -> None:
    advice = post_run_advice(STEPS, _ctx(CheckIn(6, None)), limit=None)
    skip = next(a for a in advice if a.title == "Pain before the run: skip it")
    assert "You started this run with pain 6/10" in skip.message and "Next time, skip the run" in skip.message
    assert "skip today's run" not in skip.message
    [routine] = _by(advice, Category.ROUTINE)
    assert routine.title == "Exercises: gentle range of motion only" and "leave out the calf raises" in routine.message
    assert [i.key for i in routine.items] == ["ankle_circles", "dont_ignore"]
    assert "skip today's run" in checkin_advice(CheckIn(6, None))[0].message  # before a run: today


def test_a_recent_injury_is_carried_to_the_next_runs() -> None:
    """F7: "the injury answer is also forgotten at the next run"; footfall's own window of 70 days."""
    said = [EarlierCheckIn(CheckIn(0, 1, recent_injury=True), T0 - timedelta(days=20), session_id=1)]
    advice = post_run_advice(STEPS, _ctx(None, said), limit=None)
    injury = next(a for a in advice if a.title == "Recent injury: let it heal")
    assert "You said on 2026-10-26 that this ankle was injured" in injury.message and "70 days" in injury.own_values
    assert all("Good." not in a.message for a in _by(advice, Category.LOAD))
    old = [EarlierCheckIn(CheckIn(0, 1, recent_injury=True), T0 - timedelta(days=80), session_id=1)]
    assert "Recent injury: let it heal" not in [a.title for a in post_run_advice(STEPS, _ctx(None, old), limit=None)]
