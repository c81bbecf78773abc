"""Virtual-runner grid: IC, cadence, pattern and overstride across runners, mountings and noise."""

from __future__ import annotations

from footfall.validation import virtual


def test_virtual_runner_grid() -> None:
    result = virtual.validate(None, n_cases=8, duration_s=20.0)
    m = {x.name: x.value for x in result.metrics}
    print({k: round(v, 3) for k, v in m.items()}, result.notes)
    assert m["ic_error_median_ms"] <= 5.0
    assert m["ic_within_5ms_share"] >= 0.95
    assert m["missed_steps"] == 0 and m["extra_steps"] == 0
    assert m["cadence_error_max_spm"] <= 0.5
    # contact and flight time against the simulator's own contacts (its toe-off is the fastest plantar flexion,
    # which our TO finds where no push-off release shows): 24 cases x 30 s, median 0.7 / 0.7 ms, worst case 5 ms
    assert m["contact_time_error_median_ms"] <= 2.0 and m["contact_time_error_worst_case_ms"] <= 10.0
    assert m["flight_time_error_median_ms"] <= 2.0 and m["flight_time_error_worst_case_ms"] <= 10.0
    assert m["pattern_accuracy_outside_bands"] >= 0.95
    assert m["overstride_index_rises"] == 1.0


def test_cases_cover_the_grid() -> None:
    cases = virtual.draw_cases(24)
    cad = [c.cadence_spm for c in cases]
    strike = [c.strike_angle_deg for c in cases]
    assert min(cad) < 155 and max(cad) > 185 and min(strike) < -5 and max(strike) > 20
    assert max(abs(a) for c in cases for a in c.mount_deg) > 15
