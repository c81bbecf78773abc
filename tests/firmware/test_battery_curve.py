"""The battery percentage follows a LiPo discharge curve, not a straight line from 3.30 to 4.15 V."""

from __future__ import annotations

from power import lipo_pct


def test_a_resting_lipo_reads_on_its_discharge_curve() -> None:
    """3.70 V is a nearly empty cell (~11 %), 3.84 V a half-full one: the straight line read 47 % and 63 %."""
    assert lipo_pct(3700) < 15 and 45 <= lipo_pct(3840) <= 55 and lipo_pct(4200) == 100
    assert lipo_pct(3200) == 0 and lipo_pct(0) == 255 and lipo_pct(4350) == 100
    readings = [lipo_pct(mv) for mv in range(3200, 4300, 5)]
    assert readings == sorted(readings)  # never falls as the voltage rises
