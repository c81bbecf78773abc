"""QA17 physio review #5(b): once a professional has examined the ankle after the painful runs the recurring-pain entry
counts, it no longer tells the client to "have it checked" (next to "Examined: follow your clinician's plan"): it
asks them to tell their clinician that it keeps coming back. An examination before those pains changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from footfall.coaching.advice import RunContext, post_run_advice
from footfall.coaching.advice_types import Advice
from footfall.coaching.checkin import CheckIn
from footfall.coaching.knowledge import Category, item
from footfall.coaching.load import PastRun
from footfall.coaching.references import REGULAR_ANKLE_PAIN
from footfall.coaching.reminder import RECURRING_EXAMINED_TITLE, RECURRING_TITLE, EarlierCheckIn
from footfall.coaching.scripted import Gait, planned_run

T0 = datetime(2026, 11, 17, 10, 0, tzinfo=timezone.utc)
STEPS = planned_run([(300, Gait())])


def _painful_weeks() -> list[EarlierCheckIn]:
    """Pain 3 -> 6 with the runs two weeks and one week before T0."""
    return [EarlierCheckIn(CheckIn(3, 6), T0 - timedelta(weeks=w), session_id=10 - w) for w in (2, 1)]


def _advice(current: CheckIn, earlier: list[EarlierCheckIn]) -> dict[str, str]:
    previous = [PastRun(e.time_utc, 1000.0, 360.0) for e in earlier if e.session_id is not None]
    ctx = RunContext(PastRun(T0, 900.0, 300.0), previous, checkin=current, earlier_checkin=earlier)
    return {a.title: a.message for a in post_run_advice(STEPS, ctx, limit=None)}


def test_examined_with_this_run_the_entry_asks_to_tell_the_clinician() -> None:
    """The review's case: swelling and pain 3 -> 6 on the third painful run, examined the same day."""
    titles = _advice(CheckIn(3, 6, swelling=True, examined=True), _painful_weeks())
    assert "Examined: follow your clinician's plan" in titles
    assert RECURRING_TITLE not in titles
    said = titles[RECURRING_EXAMINED_TITLE]
    assert "after 3 runs between 2026-11-03 and 2026-11-17" in said
    assert "You have been examined since: tell your clinician that it keeps coming back" in said
    assert "find its cause" not in said and "have it checked" not in said


def test_an_examination_on_its_own_after_the_pains_counts_too() -> None:
    """Three painful runs, then a check-in of its own saying "examined", then a run without pain."""
    painful = [EarlierCheckIn(CheckIn(3, 6), T0 - timedelta(days=d), session_id=d) for d in (16, 9, 5)]
    examined = EarlierCheckIn(CheckIn(examined=True), T0 - timedelta(days=3))
    assert RECURRING_EXAMINED_TITLE in _advice(CheckIn(1, 1), [*painful, examined])
    assert RECURRING_TITLE in _advice(CheckIn(1, 1), painful)  # the same without it
    # pain after a run since the examination: that run is newer than the examination, so it says "have it checked"
    assert RECURRING_TITLE in _advice(CheckIn(2, 4), [*painful, examined])


def test_an_examination_before_the_last_painful_run_still_says_have_it_checked() -> None:
    earlier = [EarlierCheckIn(CheckIn(examined=True), T0 - timedelta(days=20)), *_painful_weeks()]
    titles = _advice(CheckIn(3, 6), earlier)
    assert RECURRING_TITLE in titles and RECURRING_EXAMINED_TITLE not in titles
    assert "worth having a doctor or physiotherapist find its cause" in titles[RECURRING_TITLE]


def test_the_examined_wording_still_counts_as_pain_that_matters() -> None:
    """No "Good." for the load and the technique change waits, as with the unexamined entry."""
    previous = [PastRun(T0 - timedelta(weeks=w), 1000.0, 360.0) for w in (2, 1)]
    ctx = RunContext(PastRun(T0, 900.0, 300.0), previous, checkin=CheckIn(2, 4, examined=True),
                     earlier_checkin=_painful_weeks())
    advice = post_run_advice(STEPS, ctx, limit=None)
    assert RECURRING_EXAMINED_TITLE in [a.title for a in advice]
    assert all("Good." not in a.message for a in advice if a.category is Category.LOAD)


def _entries(current: CheckIn, earlier: list[EarlierCheckIn]) -> dict[str, Advice]:
    previous = [PastRun(e.time_utc, 1000.0, 360.0) for e in earlier if e.session_id is not None]
    ctx = RunContext(PastRun(T0, 900.0, 300.0), previous, checkin=current, earlier_checkin=earlier)
    return {a.title: a for a in post_run_advice(STEPS, ctx, limit=None)}


def test_the_examined_entrys_guidance_does_not_say_stop_until_seen() -> None:
    """QA17 N2: two lines under "follow their plan" the guidance said "stop running until you have seen a doctor"."""
    entries = _entries(CheckIn(3, 6, swelling=True, examined=True), _painful_weeks())
    examined = entries[RECURRING_EXAMINED_TITLE]
    assert [i.key for i in examined.items] == ["recurring_examined", "physio_plan"]
    guidance = " ".join(i.text for i in examined.items)
    assert "until you have seen" not in guidance and "see a doctor" not in guidance
    assert "their plan decides how much" in guidance and "tell them" in guidance
    # every entry the examined client gets: none sends them to a doctor before running again
    assert not [a.title for a in entries.values() if "persistent_pain" in [i.key for i in a.items]]


def test_the_unexamined_entry_keeps_stop_until_seen() -> None:
    entry = _entries(CheckIn(3, 6), _painful_weeks())[RECURRING_TITLE]
    assert [i.key for i in entry.items][0] == "persistent_pain"
    assert "stop running until you have seen a doctor" in entry.items[0].text


def test_the_examined_item_rests_on_article_002() -> None:
    it = item("recurring_examined")
    assert it.category is Category.PROFESSIONAL and it.sources == (REGULAR_ANKLE_PAIN,)
    assert "rehabilitation" in it.text  # 002: rehabilitation is part of the treatment in all cases
