"""The report's cadence band and load chart agree with the advice (review qa16 findings 1 and 5): the band is the
figure this run aimed for (the metronome's, or a step towards the runner's own target), not a target 40 % away;
the load chart shows the running sessions the load check compares, not walks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.build import session_data
from footfall.store import Store

T0 = datetime(2026, 4, 20, 7, 0, tzinfo=timezone.utc)
HEEL = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)


def test_the_band_is_this_run_s_aim_and_walks_stay_off_the_load_chart(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("ana", 1.68, 0.86, target_cadence_spm=220)
        stroll = planned_run([(600, Gait(cadence_spm=112))], seed=2)
        walk = store.add_session("ana", [replace(s, activity="walking") for s in stroll], T0 - timedelta(days=3))
        store.add_session("ana", planned_run([(360, HEEL)], seed=3), T0 - timedelta(days=2))  # a reference: 5 min+
        s = store.add_session("ana", planned_run([(300, HEEL)], seed=1), T0)
        data = session_data(store, s.id)
        assert walk.basis == "walking"
    assert data.target_spm is not None and 164 <= data.target_spm <= 168  # +5 % of 158 (F11: was +10 %), was 220
    assert [round(days) for days, _ in data.load.reference] == [2]  # the run two days back, not the walk
    assert data.load.excluded == ()
