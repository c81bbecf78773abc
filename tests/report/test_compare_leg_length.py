"""The comparison's leg-length condition reads each session's own leg length (schema v8): a warning when the two
differ, "not known" with the current profile for a session stored before; and the landing-component table's leg
length: the session's own when known (no caveat), else the profile's today, said so (qa17 diff-review B1)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from footfall.analysis.leg_length import with_leg_length
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.compare import LEG_LENGTH_USED, Part, compare
from footfall.report.landing import landing, leg_length_text, used_leg_length
from footfall.store import Store
from footfall.store.rows import LegLength

T0 = datetime(2026, 11, 3, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """ana (profile 0.86 m): session 1 stored with 0.80 m, 2 with 0.86 m, 3 with 0.86 m, 4 before v8 (not known)."""
    s = Store(tmp_path / "h.sqlite")
    s.add_runner("ana", 1.68, 0.86)
    for k, leg in enumerate((LegLength(0.80), LegLength(0.86), LegLength(0.86), None)):
        s.add_session("ana", planned_run([(60, Gait())], seed=k), T0 + timedelta(days=k), leg_length=leg)
    return s


def _leg_condition(store: Store, a: int, b: int) -> tuple[str, str, str]:
    [k] = [k for k in compare(store, Part(a), Part(b)).conditions if k.name == LEG_LENGTH_USED]
    return k.before, k.after, k.warning


def test_two_sessions_stored_with_different_leg_lengths_are_warned_of(store: Store) -> None:
    before, after, warning = _leg_condition(store, 2, 1)
    assert (before, after) == ("0.8 m", "0.86 m")  # the older first, whatever the order typed
    assert warning.startswith("leg length used differs: the two overstride indexes were computed with different")
    assert _leg_condition(store, 2, 3) == ("0.86 m", "0.86 m", "")


def test_a_session_stored_before_says_not_known_and_falls_back_to_the_profile(store: Store) -> None:
    before, after, warning = _leg_condition(store, 2, 4)
    assert (before, after, warning) == ("0.86 m", "not known (current profile: 0.86 m)", "")
    before, after, warning = _leg_condition(store, 1, 4)
    assert after == "not known (current profile: 0.86 m)" and "differs" in warning
    assert "its runner's current profile is shown" in warning


def test_the_json_says_whether_the_leg_length_is_the_sessions_own(store: Store) -> None:
    doc = compare(store, Part(1), Part(4)).to_dict()
    assert (doc["before"]["leg_length_m"], doc["before"]["leg_length_known"]) == (0.80, True)  # type: ignore[index]
    assert (doc["after"]["leg_length_m"], doc["after"]["leg_length_known"]) == (0.86, False)  # type: ignore[index]


def test_the_landing_table_uses_the_sessions_own_leg_length(store: Store) -> None:
    own, old = used_leg_length(store.session(1), 0.86), used_leg_length(store.session(4), 0.86)
    assert (own.value_m, own.known) == (0.80, True) and (old.value_m, old.known) == (0.86, False)
    steps = with_leg_length(store.steps(1), 0.80, None).steps  # the index as `history add` stored it for 0.80 m
    with_own, with_profile = landing(steps, own.value_m), landing(steps, 0.86)
    assert with_own is not None and with_profile is not None
    cadence = {c.key: c for c in with_own.components}["cadence_deficit_spm"]
    assert cadence.score != {c.key: c for c in with_profile.components}["cadence_deficit_spm"].score
    assert with_own.norm_spm != with_profile.norm_spm  # the leg length changes the norm the scores are made with


def test_the_leg_length_line_drops_the_caveat_when_it_is_the_sessions_own() -> None:
    known, profile = leg_length_text(0.8, known=True), leg_length_text(0.86)
    assert known == "leg length the session's overstride index was computed with: 0.8 m; the component scores use it too"
    assert "current profile: 0.86 m" in profile and "used the profile's value when the session was added" in profile
    assert "none given (the cadence norm of a 0.90 m leg)" in leg_length_text(None, known=True)


def test_the_report_recomputes_the_components_with_the_sessions_own_leg_length(store: Store, tmp_path: Path) -> None:
    """Session 1 was stored with 0.80 m while the profile says 0.86 m: the page uses 0.80 m, without the caveat;
    session 4 (stored before v8) says it uses the current profile."""
    from footfall.report.build import write_report

    own = write_report(store, 1, tmp_path / "one.html").read_text()
    old = write_report(store, 4, tmp_path / "four.html").read_text()
    assert "the session&#x27;s overstride index was computed with: 0.8 m" in own
    assert "with the session's leg length" in own and "current profile" not in own
    assert "the runner&#x27;s current profile: 0.86 m" in old and "with the current leg length" in old
