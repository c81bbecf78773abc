"""Virtual-runner grid: IC, cadence, pattern and overstride across runners, mountings and noise."""

from __future__ import annotations

from footfall.validation import virtual


def test_virtual_runner_grid() -> None:
    """8 of `footfall validate`'s 24 cases, 20 s each: every target and regression guard of the grid's metrics
    (IC, steps, cadence, contact and flight time, landing velocity, pattern, overstride) holds."""
    result = virtual.validate(None, n_cases=8, duration_s=20.0)
    print(result.table(), result.notes, sep="\n")
    assert not result.failures()


def test_cases_cover_the_grid() -> None:
    cases = virtual.draw_cases(24)
    cad = [c.cadence_spm for c in cases]
    strike = [c.strike_angle_deg for c in cases]
    assert min(cad) < 155 and max(cad) > 185 and min(strike) < -5 and max(strike) > 20
    assert max(abs(a) for c in cases for a in c.mount_deg) > 15
