"""The overstride index's components against rbds-running-mocap's pelvis markers and AP force (n = 1 runner at
one speed: per-step agreement, not validity between runners). Prints every figure docs/validation.md quotes."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from footfall.validation import rbds_imu, rbds_overstride
from footfall.validation.rbds_imu import ForceContact, Trial
from footfall.validation.rbds_overstride import Recording
from footfall.validation.result import DatasetResult

realdata = pytest.mark.realdata


def _recording(fx_n: np.ndarray) -> Recording:
    """Markers at 150 Hz for 1 s: the pelvis at x = 0.3 t, the heel 0.12 m ahead of it at t = 0.5 s."""
    t = np.arange(150) / 150.0
    heel = 0.3 * t + 0.12 + 0.2 * (t - 0.5)  # moving relative to the pelvis, so the IC instant matters
    return Recording(t, 0.3 * t, {"L": heel}, {"L": heel + 0.2}, np.arange(len(fx_n)) / 300.0, fx_n, 60.0)


def test_landing_takes_the_foot_ahead_at_ic_and_only_the_backward_force() -> None:
    t = np.arange(300) / 300.0
    fx = np.where((t >= 0.5) & (t < 0.6), -100.0, 0.0) + np.where((t >= 0.6) & (t <= 0.7), 150.0, 0.0)
    got = rbds_overstride.landing(_recording(fx), "L", ForceContact(0.5, 0.7))
    print(got)
    assert got.heel_ahead_m == pytest.approx(0.12, abs=1e-9)
    assert got.forefoot_ahead_m == pytest.approx(0.32, abs=1e-9)
    assert got.braking_impulse_ns == pytest.approx(10.0, rel=0.05)  # 100 N for 0.1 s; the push-off not counted
    assert got.peak_braking_n == pytest.approx(100.0)


def test_rho_counts_only_steps_measured_on_both_sides() -> None:
    assert rbds_overstride.rho([1, 2, 3, 4, 5, math.nan], [2, 4, 6, 8, 10, 12]) == (pytest.approx(1.0), 5)
    assert rbds_overstride.rho([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])[0] == pytest.approx(-1.0)
    value, n = rbds_overstride.rho([1, 2, 3], [1, 2, 3])
    assert math.isnan(value) and n == 3  # too few steps for a rank correlation


def test_foot_kinematics_use_the_analysers_braking_window() -> None:
    rate_hz = 400.0
    t = np.arange(400) / rate_hz
    forward = 2.0 - 50.0 * t  # m/s: a foot decelerating at 50 m/s^2
    v, braking = rbds_overstride.foot_at(forward, rate_hz, 0.01)
    assert v == pytest.approx(1.5) and braking == pytest.approx(50.0)


def test_body_mass_is_nan_without_the_info_file(tmp_path: Path) -> None:
    assert math.isnan(rbds_overstride.body_mass_kg(Trial(tmp_path, "RBDS001", "25")))


@pytest.fixture(scope="module")
def data(data_with: Callable[[str], Path]) -> Path:
    return data_with("rbds-running-mocap")


@pytest.fixture(scope="module")
def result(data: Path) -> DatasetResult:
    return rbds_overstride.validate(data)


def _info_mass_kg(trial: Trial) -> float:
    """The Mass column of the trial's RBDSinfo.txt row, read here on its own."""
    with (trial.folder / "RBDSinfo.txt").open(newline="") as f:
        return float(next(r["Mass"] for r in csv.DictReader(f, delimiter="\t") if r["FileName"] == f"{trial.name}markers.txt"))


@realdata
def test_the_ap_force_brakes_first_then_propels(data: Path) -> None:
    """The module reads Fx as the force on the runner, + forward: backward in the first half of a contact (every
    trial); the body mass comes from the trial's RBDSinfo.txt row (62 kg for RBDS001, as PROVENANCE.md says)."""
    for trial in rbds_imu.require_trials(data):
        rec = rbds_overstride.read_recording(trial)
        contacts = rbds_imu.force_contacts(rbds_imu.read_table(trial.folder / f"{trial.name}forces.txt"))
        halves = []
        for c in contacts:
            mid = 0.5 * (c.ic_s + c.to_s)
            first = rec.fx_n[(rec.force_time_s >= c.ic_s) & (rec.force_time_s < mid)].mean()
            second = rec.fx_n[(rec.force_time_s >= mid) & (rec.force_time_s <= c.to_s)].mean()
            halves.append((first, second))
        braking_first = sum(a < 0 < b for a, b in halves)
        print(f"{trial.name}: {braking_first} of {len(halves)} contacts: backward force in the first half, forward "
              "in the second")
        assert braking_first >= 0.95 * len(halves)
        assert rec.body_mass_kg == _info_mass_kg(trial)


@realdata
def test_prints_and_bounds_the_overstride_check(result: DatasetResult) -> None:
    for row in result.rows:
        print({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items() if not k.startswith("n_")})
    print(result.table())
    assert not result.failures()  # the guards: rho vs the plate's peak braking; our integration at our IC
    rows: list[dict[str, Any]] = [dict(r) for r in result.rows]
    for row in rows:
        assert int(row["paired"]) >= int(row["contacts_ref"]) - 2
        assert 0.0 < float(row["heel_ahead_median_m"]) < float(row["forefoot_ahead_median_m"]) < 0.5
        assert 0.05 < float(row["braking_impulse_median_nskg"]) < 0.5  # N s/kg: the forward speed lost per step
        assert 0.1 < float(row["peak_braking_median_bw"]) < 0.6
        assert 0.5 < float(row["marker_foot_velocity_at_ic_mps_at_force_ic_median"]) < 2.0  # still moving forward
        rhos = {k: float(v) for k, v in row.items() if k.startswith("rho_")}
        assert all(-1.0 <= v <= 1.0 for v in rhos.values()), rhos
        assert all(int(v) >= 30 for k, v in row.items() if k.startswith("n_"))  # every RBDS trial runs 30 s
        # docs/validation.md says the index does not follow the heel's distance ahead of the pelvis from step to
        # step in RBDS001 (|rho| under 0.32, p > 0.05 at n ~ 38); a change that makes it must change the docs
        if row["trial"] == "RBDS001runT25":
            assert abs(rhos["rho_overstride_index_vs_heel_ahead_m"]) < 0.32


@realdata
def test_cutoff_sensitivity_moves_ours_not_the_reference(data: Path) -> None:
    """How much of our figures rests on where our IC falls in the smoothed landing: the virtual IMU of the first
    trial (RBDS001 here) rebuilt at 15-30 Hz (rbds.cutoff_sensitivity moves the IC by ~20 ms); the force and
    pelvis reference must not move, and at every cutoff at most 3 force contacts a foot go unpaired."""
    rows = rbds_overstride.cutoff_sensitivity(data)
    keys = ("overstride_index_median", "foot_velocity_at_ic_mps_median", "braking_mps2_median",
            "rho_foot_velocity_at_ic_mps_vs_peak_braking_n", "rho_braking_mps2_vs_peak_braking_n",
            "rho_overstride_index_vs_heel_ahead_m")
    for r in rows:
        print(r["cutoff_hz"], r["foot"], r["paired"], " ".join(f"{k} {float(r[k]):.3g}" for k in keys))
    for side in "LR":
        ref = {float(r["heel_ahead_median_m"]) for r in rows if r["foot"] == side}
        assert max(ref) - min(ref) < 0.005  # the same contacts, so the same reference
        assert all(int(str(r["paired"])) >= int(str(r["contacts_ref"])) - 3 for r in rows if r["foot"] == side)
