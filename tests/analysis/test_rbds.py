"""rbds-running-mocap: the virtual laces IMU from shoe markers through the analyser, against force plate and
markers (real data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from footfall.validation import rbds, rbds_imu
from footfall.validation.result import DatasetResult

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def result(shared_data: Path) -> DatasetResult:
    return rbds.validate(shared_data)


def test_virtual_imu_reads_gravity_and_no_rotation_when_standing(shared_data: Path) -> None:
    folder = shared_data / "rbds-running-mocap"
    static = rbds_imu.read_table(folder / "RBDS001static.txt")
    for side in "LR":
        m = rbds_imu.shoe_markers(static, side)
        imu = rbds_imu.build_virtual_imu(m, m, side, rate_hz=150.0, cutoff_hz=6.0)
        inner = slice(30, -30)  # away from the filter's edge transients
        acc = np.median(imu.acc_mps2[inner], axis=0)
        gyr = np.abs(imu.gyr_radps[inner]).max()
        print(f"{side} standing: acc {acc.round(3)} m/s2, max |gyro| {gyr:.3f} rad/s")
        assert np.allclose(acc, [0.0, 0.0, 9.80665], atol=0.3)  # level sensor frame, gravity only
        assert gyr < 0.2


def test_virtual_imu_running_is_plausible(shared_data: Path) -> None:
    feet, contacts = rbds_imu.load(shared_data)
    assert 70 <= len(contacts) <= 85  # about 77 contacts in 30 s (PROVENANCE.md)
    for imu in feet.values():
        rate = np.linalg.norm(imu.gyr_radps, axis=1)
        calm = rate <= np.quantile(rate, 0.05)  # mid-stance: the foot never stops on a treadmill at 2.5 m/s
        g = np.linalg.norm(imu.acc_mps2[calm], axis=1)
        swing_peak = np.quantile(np.abs(imu.gyr_radps[:, 1]), 0.99)
        print(f"{imu.side}: mid-stance |acc| median {np.median(g):.2f} m/s2, pitch-rate p99 {swing_peak:.1f} rad/s")
        assert abs(np.median(g) - 9.81) < 2.5  # about 1 g at mid-stance (plus the rolling foot's acceleration)
        assert 5.0 < swing_peak < 25.0  # running swing pitch rates


def test_prints_and_bounds_strike_angle_pattern_and_stride(result: DatasetResult) -> None:
    for row in result.rows:
        print({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()})
    print(result.table())
    assert result["strike_abs_err_median_deg"].passed  # against the static-referenced marker angle
    assert result["strike_vs_flat_abs_err_median_deg"].passed  # against the foot-flat-referenced one
    assert result["label_agree_pct"].passed  # rearfoot or not, as the authors label each foot
    assert result["stride_len_abs_err_median_pct"].passed
    assert result["speed_err_pct"].passed  # median speed against the belt
    # every target and guard, but the IC target (below this reference's resolution, see the IC test below)
    assert not result.failures(except_targets=("ic_abs_err_median_ms",))
    for row in (r for r in result.rows if not r.get("auto_align")):  # the known-mounting run
        assert int(row["paired"]) >= int(row["contacts_ref"]) - 2  # type: ignore[call-overload]
    rbds001 = [r for r in result.rows if r["trial"] == "RBDS001runT25" and not r.get("auto_align")]
    assert [r["label"] for r in rbds001] == ["Forefoot", "Forefoot"]  # RBDSinfo.txt, read per foot and speed
    assert all(-4.0 < float(r["strike_ours_median_deg"]) < 1.0 for r in rbds001)  # type: ignore[arg-type]


def test_every_trial_in_the_folder_is_found_with_its_speed(shared_data: Path) -> None:
    trials = rbds_imu.find_trials(shared_data)
    assert [(t.name, t.speed_mps) for t in trials] == [("RBDS001runT25", 2.5)]
    assert trials[0].labels() == {"L": "Forefoot", "R": "Forefoot"}


def test_contact_timing_against_the_force_plate(result: DatasetResult) -> None:
    # target median |error| <= 10 ms (the contact detector's; see docs/validation.md): measured IC ~11.7 ms
    # late on this band-limited virtual signal (guarded at the state reached: the metric's guard), TO ~6 ms late
    # (worst foot)
    for name in ("ic_abs_err_median_ms", "to_abs_err_median_ms"):
        print(result[name].row())
    assert result["ic_abs_err_median_ms"].held
    assert result["to_abs_err_median_ms"].passed
    # the durations, both feet analysed as one two-sensor session: contact ~5-10 ms short and flight ~5-10 ms
    # long (the late IC again), worst foot 10.6 / 10.2 ms; left/right asymmetry (the summary's symmetry index),
    # ours minus the force plate's: contact 1.8 pp, flight 4.9 pp (flight is short: the feet's flight errors,
    # +10.2 and +5.0 ms, differ by 5 % of it). Reported, guarded.
    for name in ("contact_time_abs_err_median_ms", "flight_time_abs_err_median_ms", "contact_time_asymmetry_err_pp",
                 "flight_time_asymmetry_err_pp"):
        print(result[name].row())
        assert result[name].passed


def test_ic_timing_on_this_reference_depends_on_its_low_pass(shared_data: Path) -> None:
    """Why the 10 ms IC target is not met here: rebuilding the virtual IMU with a marker cutoff of 15, 20, 25 or
    30 Hz (all usual for running kinematics) moves the same detector's median IC error by more than 10 ms
    and through zero, while the TO error (the push-off release) stays within 15 ms at every cutoff."""
    rows = rbds.cutoff_sensitivity(shared_data)
    for r in rows:
        print(r)
    ic = np.array([float(r["ic_err_median_ms"]) for r in rows])  # type: ignore[arg-type]
    to = np.array([float(r["to_err_median_ms"]) for r in rows])  # type: ignore[arg-type]
    assert ic.max() - ic.min() > 10.0 and ic.min() < 0.0 < ic.max()
    assert np.abs(to).max() <= 15.0 and to.max() - to.min() < ic.max() - ic.min()


def test_other_subjects_and_speeds_are_scored_with_their_own_belt_and_labels(shared_data: Path, tmp_path: Path) -> None:
    """A folder with more RBDS trials (here RBDS001's files linked under a second subject at "3.5 m/s", with its
    own RBDSinfo row) is scored trial by trial: that trial's speed against 3.5 m/s, its pattern against its
    own label."""
    src = shared_data / "rbds-running-mocap"
    for name in ("RBDS001runT25markers.txt", "RBDS001runT25forces.txt", "RBDS001static.txt"):
        (tmp_path / name).symlink_to(src / name)
        (tmp_path / name.replace("RBDS001", "RBDS002").replace("T25", "T35")).symlink_to(src / name)
    lines = (src / "RBDSinfo.txt").read_text().splitlines()
    names = lines[0].split("\t")
    row = dict(zip(names, next(ln for ln in lines if "\tRBDS001runT25markers.txt\t" in ln).split("\t")))
    other = {**row, "FileName": "RBDS002runT35markers.txt", "RFSI35": "Rearfoot", "LFSI35": "Forefoot"}
    (tmp_path / "RBDSinfo.txt").write_text("\n".join([lines[0], "\t".join(row.values()), "\t".join(other.values())]))
    result = rbds.validate(tmp_path)
    rows = {(r["trial"], r["foot"]): r for r in result.rows if not r.get("auto_align")}
    print({k: (r["label"], round(float(r["speed_err_pct"]), 1), r["label_agree_pct"]) for k, r in rows.items()})  # type: ignore[arg-type]
    assert float(rows[("RBDS002runT35", "L")]["speed_err_pct"]) < -25.0  # 2.5 m/s of running against 3.5  # type: ignore[arg-type]
    assert rows[("RBDS002runT35", "R")]["label"] == "Rearfoot" and rows[("RBDS002runT35", "R")]["label_agree_pct"] == 0.0
    assert rows[("RBDS001runT25", "R")]["label_agree_pct"] == 100.0
    assert not result["label_agree_pct"].passed and not result["speed_err_pct"].passed  # the mislabelled copy
