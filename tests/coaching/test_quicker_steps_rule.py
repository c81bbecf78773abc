"""The "shorter, quicker steps" rule needs all three: heel-first on >= 60 % of steps, a strike angle of 15 deg or
more, and a cadence below the speed norm. A heel-first, slow runner with a shallow 9-14 deg angle does not get it."""

from __future__ import annotations

import math

import pytest

from footfall.coaching.summary import RunSummary
from footfall.coaching.technique import QUICKER_TITLE, TechniqueParams, technique_advice


def _summary(strike_angle_deg: float, rearfoot_share: float = 0.7, cadence_spm: float = 150.0) -> RunSummary:
    """A 30-minute run at 3 m/s (norm 170 steps/min), no overstride finding and one sensor."""
    return RunSummary(n_steps=5000, duration_s=1800.0, distance_m=5400.0, cadence_spm=cadence_spm, speed_mps=3.0,
                      strike_angle_deg=strike_angle_deg, rearfoot_share=rearfoot_share, midfoot_share=0.2,
                      forefoot_share=0.8 - rearfoot_share, contact_time_ms=260.0, overstride_index=0.3,
                      impact_g=8.0, balance_left_share=math.nan)


@pytest.mark.parametrize(("strike_angle_deg", "advised"), [(9.0, False), (14.9, False), (15.0, True), (21.0, True)])
def test_strike_angle_condition_and_its_15_deg_boundary(strike_angle_deg: float, advised: bool) -> None:
    assert TechniqueParams().strike_angle_deg == 15.0  # the boundary these cases sit around
    titles = [a.title for a in technique_advice(_summary(strike_angle_deg))]
    assert (QUICKER_TITLE in titles) is advised, titles


@pytest.mark.parametrize(("rearfoot_share", "cadence_spm", "advised"),
                         [(0.59, 150.0, False), (0.6, 150.0, True), (0.7, 171.0, False)])
def test_heel_share_and_cadence_conditions(rearfoot_share: float, cadence_spm: float, advised: bool) -> None:
    titles = [a.title for a in technique_advice(_summary(18.0, rearfoot_share, cadence_spm))]
    assert (QUICKER_TITLE in titles) is advised, titles
