"""What the Store refuses: implausible runner and shoe values, duplicates and check-ins on the wrong session,
each with a message that names the problem (never SQLite's constraint text); and how a session's check-ins
combine, so a red flag once reported keeps its advice."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.coaching.checkin import CheckIn
from footfall.coaching.scripted import Gait, planned_run
from footfall.errors import InputError, StoreError
from footfall.store import Store

T0 = datetime(2026, 3, 1, 7, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "h.sqlite")
    s.add_runner("ana", height_m=1.68, leg_length_m=0.86, target_cadence_spm=172)
    s.add_runner("bob")
    return s


@pytest.mark.parametrize(("values", "match"), [
    ({"height_m": 168.0}, r"height 168 m is not plausible \(give it in metres, 0.5-2.5: 168 cm is --height-m 1.68\)"),
    ({"height_m": -1.68}, r"height -1.68 m is not plausible"),
    ({"height_m": float("nan")}, r"height nan m"),
    ({"leg_length_m": 86.0}, r"leg length 86 m is not plausible .*86 cm is --leg-length-m 0.86"),
    ({"leg_length_m": 0.1}, r"leg length 0.1 m is not plausible"),
    ({"height_m": 1.2, "leg_length_m": 1.3}, r"leg length 1.3 m must be shorter than the height 1.2 m"),
    ({"target_cadence_spm": 85.0}, r"outside 120-230 \(steps/min count both feet: a watch showing strides/min "
                                   r"shows half, so 85 strides/min is 170 steps/min\)"),
    ({"target_cadence_spm": 0.0}, r"target cadence 0 steps/min is outside 120-230"),
    ({"target_cadence_spm": 400.0}, r"target cadence 400 steps/min"),
])
def test_implausible_runner_values_are_refused_with_a_hint(store: Store, values: dict[str, float],
                                                          match: str) -> None:
    with pytest.raises(InputError, match=match):
        store.add_runner("cy", **values)  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.runner("cy")  # nothing saved


@pytest.mark.parametrize("name", ["", "   "])
def test_a_runner_needs_a_name(store: Store, name: str) -> None:
    with pytest.raises(InputError, match="a runner needs a name"):
        store.add_runner(name)


@pytest.mark.parametrize(("name", "says"), [("", "a shoe needs a name"), ("pegasus ", "without spaces around it"),
                                            ("Peg\nasus", "one line of printable text"), ("x" * 41, "too long")])
def test_shoe_names_are_checked_as_runner_names_are(store: Store, name: str, says: str) -> None:
    """`shoes add ana "pegasus "` made a second pair beside `Pegasus`, which `--shoe "pegasus "` then counted."""
    store.add_shoe("ana", "Pegasus")
    with pytest.raises(InputError, match=says):
        store.add_shoe("ana", name)
    assert [s.name for s in store.shoes("ana")] == ["Pegasus"]


def test_range_ends_are_accepted(store: Store) -> None:
    low = store.add_runner("low", height_m=0.5, leg_length_m=0.3, target_cadence_spm=120)
    high = store.add_runner("high", height_m=2.5, leg_length_m=1.5, target_cadence_spm=230)
    assert (low.height_m, high.target_cadence_spm) == (0.5, 230)


def test_update_checks_the_new_values_against_the_stored_ones(store: Store) -> None:
    with pytest.raises(InputError, match="leg length 0.86 m must be shorter than the height 0.8 m"):
        store.update_runner("ana", height_m=0.8)  # against the stored leg length
    with pytest.raises(InputError, match="strides/min"):
        store.update_runner("ana", target_cadence_spm=86)
    assert store.runner("ana").target_cadence_spm == 172  # unchanged
    r = store.update_runner("ana", height_m=1.5, leg_length_m=0.8)
    assert (r.height_m, r.leg_length_m, r.target_cadence_spm) == (1.5, 0.8, 172)


def test_duplicate_runner_says_how_to_change_it(store: Store) -> None:
    with pytest.raises(StoreError) as info:
        store.add_runner("ana")
    assert str(info.value) == "runner 'ana' already exists (change it with `footfall runner set ana ...`)"


def test_duplicate_shoe_names_the_pair(store: Store) -> None:
    store.add_shoe("ana", "Pegasus")
    with pytest.raises(StoreError, match="ana already has a shoe called 'Pegasus'") as info:
        store.add_shoe("ana", "Pegasus")
    assert "constraint" not in str(info.value)
    assert store.add_shoe("bob", "Pegasus").name == "Pegasus"  # another runner's pair may share the name


@pytest.mark.parametrize(("limit_km", "initial_km", "match"), [
    (-5.0, 0.0, r"limit must be more than 0 km, got -5"),
    (0.0, 0.0, r"limit must be more than 0 km, got 0"),
    (float("inf"), 0.0, r"limit must be more than 0 km"),
    (600.0, -3.0, r"distance already run must be 0 km or more, got -3"),
])
def test_shoe_distances_must_be_distances(store: Store, limit_km: float, initial_km: float, match: str) -> None:
    with pytest.raises(InputError, match=match):
        store.add_shoe("ana", "Pegasus", limit_km=limit_km, initial_km=initial_km)
    assert store.shoes("ana", include_retired=True) == []


def test_shoe_limit_update_is_checked(store: Store) -> None:
    shoe = store.add_shoe("ana", "Pegasus")
    with pytest.raises(InputError, match="more than 0 km"):
        store.update_shoe(shoe.id, limit_km=0)
    with pytest.raises(StoreError, match="no shoe with id 99"):
        store.update_shoe(99, limit_km=500)
    assert store.update_shoe(shoe.id, limit_km=800).limit_km == 800


def test_checkin_on_a_missing_session_is_refused_like_a_missing_session(store: Store) -> None:
    with pytest.raises(StoreError) as info:
        store.add_checkin("ana", CheckIn(pain_after=2), session_id=99)
    assert str(info.value) == "no session 99 (list them with `footfall history`)"


def test_checkin_on_another_runners_session_is_refused(store: Store) -> None:
    s = store.add_session("ana", planned_run([(30, Gait())]), T0)
    with pytest.raises(StoreError, match=rf"session {s.id} is ana's run, not bob's \(give --runner ana"):
        store.add_checkin("bob", CheckIn(pain_after=2), session_id=s.id)
    assert store.checkin_for(s.id) is None


def test_a_later_checkin_does_not_hide_an_earlier_red_flag(store: Store) -> None:
    s = store.add_session("ana", planned_run([(30, Gait())]), T0)
    store.add_checkin("ana", CheckIn(2, 5, twist_or_fall=True, note="rolled it"), s.id, T0 + timedelta(hours=1))
    store.add_checkin("ana", CheckIn(pain_after=3, swelling=True), s.id, T0 + timedelta(hours=5))
    store.add_checkin("ana", CheckIn(note="better today"), s.id, T0 + timedelta(days=1))
    ci = store.checkin_for(s.id)
    assert ci is not None
    assert ci.red_flags == ["swelling", "twist_or_fall"]
    assert (ci.pain_before, ci.pain_after) == (2, 3)  # the latest check-in that gives each
    assert ci.note == "rolled it; better today"


def test_checkins_combine_in_time_order_whatever_the_zone(store: Store) -> None:
    s = store.add_session("ana", planned_run([(30, Gait())]), T0)
    later = (T0 + timedelta(hours=2)).astimezone(timezone(timedelta(hours=-8)))  # sorts first as text
    store.add_checkin("ana", CheckIn(pain_after=1), s.id, later)
    store.add_checkin("ana", CheckIn(pain_after=6), s.id, T0 + timedelta(hours=1))
    ci = store.checkin_for(s.id)
    assert ci is not None and ci.pain_after == 1


def test_duplicate_runner_hint_quotes_a_name_with_spaces(store: Store) -> None:
    """qa15 physio L2: the hint must be copy-pasteable when the name has spaces."""
    store.add_runner("P001 Anna K")
    with pytest.raises(StoreError) as info:
        store.add_runner("P001 Anna K")
    assert "`footfall runner set 'P001 Anna K' ...`" in str(info.value)
