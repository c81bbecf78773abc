"""From a long-term review (12 weeks of one runner's history): the shoe distance of a past session was today's
total, a pair taken past its limit said nothing, a red flag was forgotten by the next run's advice, and a limit
the runner gave was called "the default". Each on a real SQLite history, most through the real CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.checkin import CheckIn
from footfall.coaching.knowledge import Category
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.report.build import session_data
from footfall.report.export import write_json
from footfall.store import Store

T0 = datetime(2026, 9, 1, 16, 30, tzinfo=timezone.utc)
Run = Callable[..., tuple[int, str, str]]
RUN_120S = planned_run([(120, Gait())])  # 120 s at 3 m/s: about 0.36 km


def _shoes(advice: list) -> str:
    return next(a.message for a in advice if a.category is Category.SHOES)


def _store_with_pair(tmp_path: Path, initial_km: float) -> tuple[Store, int]:
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("mia")
    return store, store.add_shoe("mia", "OldPegasus", 600.0, initial_km).id


def test_a_past_sessions_shoe_distance_is_as_of_that_run(tmp_path: Path) -> None:
    """Review: `advice 23` (the first run) said "OldPegasus: 595 km ... (99 %)" where it was 455 km then; the
    first run in a new pair said 126 km instead of about 6."""
    store, shoe = _store_with_pair(tmp_path, 450.0)
    ids = [store.add_session("mia", RUN_120S, T0 + timedelta(days=d), shoe).id for d in (2, 0, 1)]  # out of order
    run_km = store.session(ids[1]).distance_m / 1000
    first = advice_for_session(store, ids[1], limit=None)
    print(_shoes(first.advice))
    assert f"OldPegasus: {450 + run_km:.0f} km" in _shoes(first.advice)
    assert store.shoe_km_as_of(store.session(ids[1])) == 450 + run_km  # this run and none later
    assert abs(store.shoe_km_as_of(store.session(ids[0])) - store.shoe(shoe).distance_km) < 1e-9  # the last one
    assert "OldPegasus: 450 km" in _shoes(session_data(store, ids[1]).advice)  # the report too (450.36 km)


def test_a_run_that_takes_the_pair_past_its_limit_says_so(ff: Run, db: Path, tmp_path: Path) -> None:
    """Review: `shoes list` showed "601.2 of 600 km (100%)" with no flag, history add said nothing, and the
    advice of the run before the limit already said 100 %."""
    ff("runner", "add", "mia")
    ff("shoes", "add", "mia", "OldPegasus", "--initial-km", "599.5", "--limit-km", "600")
    lines = []
    for n in range(2):
        path = write_json(RUN_120S, tmp_path / f"r{n}.json", {"start_utc": f"2026-09-0{n + 1}T16:30:00Z"})
        code, out, _ = ff("history", "add", str(path), "--runner", "mia", "--shoe", "OldPegasus")
        assert code == 0
        lines.append(out)
    assert "past its" not in lines[0]
    assert "This run took OldPegasus past its 600 km limit (600.2 km now): time for a new pair" in lines[1]
    assert "(`footfall shoes retire 1` once it is replaced)" in lines[1]
    listed = ff("shoes", "list", "mia")[1]
    assert listed.startswith("1: OldPegasus: 600.2 of 600 km (100%): past its limit, time for a new pair"), listed
    with Store(db) as store:
        before, crossing = (advice_for_session(store, i, limit=5).advice for i in (1, 2))
    assert "599.9" not in _shoes(before) and "(99%)" in _shoes(before) and "Plan a new pair" in _shoes(before)
    shoes = next(a for a in crossing if a.category is Category.SHOES)  # in the top 5 a live session prints
    assert shoes.title == "Shoes: past your limit with this run" and "This run took the pair past" in shoes.message


def test_only_a_default_limit_is_called_the_default(ff: Run, db: Path, tmp_path: Path) -> None:
    """Review: "the 600 km default limit (set your own ...)" for a runner who had set 600 km with --limit-km."""
    ff("runner", "add", "mia")
    ff("shoes", "add", "mia", "Given", "--limit-km", "600")
    ff("shoes", "add", "mia", "Default")
    path = write_json(RUN_120S, tmp_path / "r.json", {"start_utc": "2026-09-01T16:30:00Z"})
    for name in ("Given", "Default"):
        ff("history", "add", str(path), "--runner", "mia", "--shoe", name, "--force")
    with Store(db) as store:
        given, default = (advice_for_session(store, i, limit=None).advice for i in (1, 2))
        assert not store.shoe(1).worn_out and store.shoe(1).limit_given and not store.shoe(2).limit_given
    own = [next(a.own_values for a in adv if a.category is Category.SHOES) for adv in (given, default)]
    assert "default" not in own[0] and "the 600 km default limit" in own[1]
    ff("shoes", "set", "2", "--limit-km", "600")
    with Store(db) as store:
        assert "default" not in next(a.own_values for a in advice_for_session(store, 2, limit=None).advice
                                     if a.category is Category.SHOES)


def _red_flag_history(tmp_path: Path) -> tuple[Store, list[int]]:
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("mia")
    ids = [store.add_session("mia", RUN_120S, T0 + timedelta(days=d)).id for d in (0, 2, 20)]
    store.add_checkin("mia", CheckIn(1, 5, swelling=True, twist_or_fall=True), session_id=ids[0])
    return store, ids


def test_a_red_flag_is_recalled_in_the_advice_of_the_next_runs(tmp_path: Path) -> None:
    """Review: session 37's check-in had a twist and swelling ("stop running and be examined"); `advice 15`, two
    days later, said the load was "Good" and never mentioned it."""
    store, ids = _red_flag_history(tmp_path)
    later = advice_for_session(store, ids[1], limit=None).advice
    print(later[0].message)
    assert later[0].category is Category.PROFESSIONAL and later[0].title == "Red flag reported: examined yet?"
    assert later[0].message.startswith("You reported swelling, pain that started with a twist or fall on 2026-09-01")
    assert "have you been examined?" in later[0].message and "2 days before this run" in later[0].message
    red = advice_for_session(store, ids[0], limit=None).advice[0]
    assert later[0].citations() == red.citations()  # the same articles as the red-flag entry
    assert not [a for a in later if a.category not in (Category.PROFESSIONAL, Category.SELF_CARE)]
    short = advice_for_session(store, ids[2]).advice[0]  # 20 days: a short reminder, never dropped (qa16 re F2)
    assert short.title == "Red flag reported: examined yet?" and short.message.startswith("On 2026-09-01")


def test_a_later_checkin_without_red_flags_ends_the_reminder(tmp_path: Path) -> None:
    store, ids = _red_flag_history(tmp_path)
    store.add_checkin("mia", CheckIn(0, 0, note="examined: fine", examined=True), time_utc=T0 + timedelta(days=1))
    assert all(a.category is not Category.PROFESSIONAL for a in advice_for_session(store, ids[1]).advice)


def test_a_red_flag_checked_in_without_a_session_opens_the_next_runs_advice(
        ff: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review: `checkin --runner mia --before 2 --after 6 --swelling --cannot-bear-weight` (no session), then a
    run two days later: its advice opened with technique."""
    ff("runner", "add", "mia")
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)  # local calendar days
    monkeypatch.setattr("footfall.store.db.utc_now", lambda: (noon - timedelta(days=3)).astimezone(timezone.utc))
    code, out, _ = ff("checkin", "--runner", "mia", "--before", "2", "--after", "6", "--swelling",
                      "--cannot-bear-weight")
    monkeypatch.undo()
    assert code == 0 and "opens with a reminder" in out
    path = write_json(RUN_120S, tmp_path / "r.json", {})
    ff("history", "add", str(path), "--runner", "mia", "--start", (noon - timedelta(days=1)).isoformat())
    code, out, _ = ff("advice", "1")
    print(out)
    first = out.split("\n1. ")[1]
    assert code == 0 and first.startswith("[see a professional] Red flag reported: examined yet?")
    assert "swelling, difficulty bearing weight on the foot" in first and "in a check-in, 2 days before" in first
