"""A clinic retraining session (QA 15, H2): the technique advice judges the baseline, before the cue, not a blend
of baseline, cue and retest; and a clinic test is no training run for the load checks, neither judged nor as the
reference of later runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from footfall.coaching.knowledge import Category
from footfall.coaching.scripted import Gait, planned_run
from footfall.coaching.session_advice import advice_for_session
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)
OVERSTRIDE = Gait(cadence_spm=156, strike_angle_deg=20, overstride_index=0.7)
CUED = Gait(cadence_spm=172, strike_angle_deg=4, overstride_index=0.2)
PLAN = (("baseline", 0.0, 120.0), ("cue", 120.0, 360.0), ("retest", 360.0, 600.0))


def _clinic_session(store: Store, start: datetime, cued_s: float = 480) -> int:
    """Two minutes of heel-first overstriding, then cued running (8 min), marked as a clinic plan."""
    sid = store.add_session("ana", planned_run([(120, OVERSTRIDE), (cued_s, CUED)], seed=1), start).id
    for label, a, b in PLAN:
        store.add_segment(sid, label, a, b)
    return sid


def test_technique_rests_on_the_baseline_and_says_so(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana", 1.68, 0.86)
        sid = _clinic_session(store, T0)
        advice = advice_for_session(store, sid, limit=None).advice
    technique = [a for a in advice if a.category is Category.TECHNIQUE]
    assert technique and all(a.message.startswith("Before the cue (baseline, 0-120 s): ") for a in technique)
    assert "Technique: looks good" not in [a.title for a in technique]  # the blend looked good; the baseline not
    assert not [a for a in advice if a.category is Category.LOAD]


def test_a_clinic_test_is_no_reference_for_a_later_run(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana")
        store.add_session("ana", planned_run([(600, CUED)], seed=2), T0)  # 10 min of training
        _clinic_session(store, T0 + timedelta(days=3), cued_s=1080)  # 20 min on the treadmill
        later = store.add_session("ana", planned_run([(640, CUED)], seed=3), T0 + timedelta(days=6)).id
        load = [a for a in advice_for_session(store, later, limit=None).advice if a.category is Category.LOAD]
    assert load and "is within 10% of your longest run" in load[0].message, load  # the 10 min run, not the test
