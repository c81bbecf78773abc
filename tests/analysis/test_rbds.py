"""rbds-running-mocap: the virtual laces IMU from shoe markers through the analyser, against force plate and
markers (real data). Every trial in the data folder is checked (here RBDS001 at 2.5 m/s; the full dataset has
28 runners at three speeds); the facts PROVENANCE.md gives of RBDS001 are checked where that trial is there."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from footfall.validation import rbds, rbds_imu
from footfall.validation.rbds_imu import Trial
from footfall.validation.result import DatasetResult

pytestmark = pytest.mark.realdata
SPEEDS_MPS = {"25": 2.5, "35": 3.5, "45": 4.5}  # the dataset's three belt speeds (T25, T35, T45)


@pytest.fixture(scope="module")
def data(data_with: Callable[[str], Path]) -> Path:
    return data_with("rbds-running-mocap")


@pytest.fixture(scope="module")
def trials(data: Path) -> list[Trial]:
    return rbds_imu.require_trials(data)


@pytest.fixture(scope="module")
def result(data: Path) -> DatasetResult:
    return rbds.validate(data)


def _known(result: DatasetResult) -> list[dict[str, object]]:
    return [dict(r) for r in result.rows if not r.get("auto_align")]  # the known-mounting run


def _info_labels(trial: Trial) -> dict[str, str]:
    """The authors' label per foot for this trial's speed, read here from RBDSinfo.txt on its own."""
    path = trial.folder / "RBDSinfo.txt"
    if not path.is_file():
        return {}
    with path.open(newline="") as f:
        row = next((r for r in csv.DictReader(f, delimiter="\t") if r["FileName"] == f"{trial.name}markers.txt"), {})
    return {s: row[f"{s}FSI{trial.speed_code}"] for s in "LR" if row.get(f"{s}FSI{trial.speed_code}")}


def test_virtual_imu_reads_gravity_and_no_rotation_when_standing(trials: list[Trial]) -> None:
    for subject in sorted({t.subject for t in trials}):
        static = rbds_imu.read_table(trials[0].folder / f"{subject}static.txt")
        for side in "LR":
            m = rbds_imu.shoe_markers(static, side)
            imu = rbds_imu.build_virtual_imu(m, m, side, rate_hz=150.0, cutoff_hz=6.0)
            inner = slice(30, -30)  # away from the filter's edge transients
            acc = np.median(imu.acc_mps2[inner], axis=0)
            gyr = np.abs(imu.gyr_radps[inner]).max()
            print(f"{subject} {side} standing: acc {acc.round(3)} m/s2, max |gyro| {gyr:.3f} rad/s")
            assert np.allclose(acc, [0.0, 0.0, 9.80665], atol=0.3)  # level sensor frame, gravity only
            assert gyr < 0.2


def test_virtual_imu_running_is_plausible(trials: list[Trial]) -> None:
    """Every trial: the force plate's contacts alternate feet and none is missed or split (each IC-to-IC step
    within 0.6-1.5 of the median), and each foot's virtual IMU reads running."""
    for trial in trials:
        feet, contacts = rbds_imu.load(trial.folder, trial=trial)
        by_foot = rbds_imu.assign_contacts(contacts, feet)
        order = "".join(side for _, side in sorted((c.ic_s, s) for s, cs in by_foot.items() for c in cs))
        step_s = np.diff(sorted(c.ic_s for c in contacts))
        ratio = step_s / np.median(step_s)
        print(f"{trial.name}: {len(contacts)} contacts, steps {ratio.min():.2f}-{ratio.max():.2f} of the median")
        assert "LL" not in order and "RR" not in order
        assert 0.6 <= ratio.min() and ratio.max() <= 1.5
        for imu in feet.values():
            rate = np.linalg.norm(imu.gyr_radps, axis=1)
            calm = rate <= np.quantile(rate, 0.05)  # mid-stance: the foot never stops on a treadmill
            g = np.linalg.norm(imu.acc_mps2[calm], axis=1)
            swing_peak = np.quantile(np.abs(imu.gyr_radps[:, 1]), 0.99)
            print(f"  {imu.side}: mid-stance |acc| median {np.median(g):.2f} m/s2, pitch-rate p99 {swing_peak:.1f} rad/s")
            assert abs(np.median(g) - 9.81) < 2.5  # about 1 g at mid-stance (plus the rolling foot's acceleration)
            assert 5.0 < swing_peak < 25.0  # running swing pitch rates


def test_rbds001_as_its_provenance_describes_it(trials: list[Trial], result: DatasetResult) -> None:
    """PROVENANCE.md's facts of RBDS001 at 2.5 m/s (any full copy of the dataset keeps them): about 77 contacts
    in its 30 s, Forefoot on both feet in RBDSinfo.txt, a strike angle of about -1 to -2 deg by hand."""
    trial = next((t for t in trials if t.name == "RBDS001runT25"), None)
    if trial is None:
        pytest.skip("RBDS001runT25 is not in this data folder")
    _, contacts = rbds_imu.load(trial.folder, trial=trial)
    assert 70 <= len(contacts) <= 85
    assert trial.labels() == {"L": "Forefoot", "R": "Forefoot"}
    rows = [r for r in _known(result) if r["trial"] == trial.name]
    assert [r["label"] for r in rows] == ["Forefoot", "Forefoot"]
    assert all(-4.0 < float(r["strike_ours_median_deg"]) < 1.0 for r in rows)  # type: ignore[arg-type]


def test_prints_and_bounds_strike_angle_pattern_and_stride(result: DatasetResult, trials: list[Trial]) -> None:
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
    by_name = {t.name: t for t in trials}
    for row in _known(result):
        assert int(row["paired"]) >= int(row["contacts_ref"]) - 2  # type: ignore[call-overload]
        assert row["label"] == _info_labels(by_name[str(row["trial"])]).get(str(row["foot"]), "")  # per foot, speed


def test_every_trial_in_the_folder_is_found_with_its_speed(data: Path, trials: list[Trial]) -> None:
    """Each RBDSnnnrunTvvmarkers.txt with its forces and its subject's static trial is a trial, at its own speed
    and with its own labels; one without them is named in the notes, not dropped silently."""
    folder = rbds_imu.folder_of(data)
    names = sorted(p.name.removesuffix("markers.txt") for p in folder.glob("RBDS*runT*markers.txt"))
    complete = [n for n in names if (folder / f"{n}forces.txt").is_file()
                and (folder / f"{n.partition('runT')[0]}static.txt").is_file()]  # fmt: skip
    assert [t.name for t in trials] == complete
    assert [line.split(" ")[0] for line in rbds_imu.incomplete_trials(data)] == [n for n in names if n not in complete]
    for t in trials:
        assert t.speed_mps == SPEEDS_MPS[t.speed_code]
        assert t.labels() == _info_labels(t)


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


def test_ic_timing_on_this_reference_depends_on_its_low_pass(data: Path, trials: list[Trial],
                                                             result: DatasetResult) -> None:  # fmt: skip
    """Why the 10 ms IC target is not met here: rebuilding the virtual IMU of the trial with the largest IC error
    (RBDS001 here) with a marker cutoff of 15, 20, 25 or 30 Hz (all usual for running kinematics) moves the same
    detector's median IC error by more than 10 ms and through zero, while the TO error (the push-off release)
    stays within 15 ms at every cutoff."""
    worst = max(_known(result), key=lambda r: float(r["ic_abs_err_median_ms"]))  # type: ignore[arg-type]
    rows = rbds.cutoff_sensitivity(data, trial={t.name: t for t in trials}[str(worst["trial"])])
    for r in rows:
        print(r)
    ic = np.array([float(r["ic_err_median_ms"]) for r in rows])  # type: ignore[arg-type]
    to = np.array([float(r["to_err_median_ms"]) for r in rows])  # type: ignore[arg-type]
    assert ic.max() - ic.min() > 10.0 and ic.min() < 0.0 < ic.max()
    assert np.abs(to).max() <= 15.0 and to.max() - to.min() < ic.max() - ic.min()


def test_other_subjects_and_speeds_are_scored_with_their_own_belt_and_labels(trials: list[Trial], result: DatasetResult,
                                                                             tmp_path: Path) -> None:  # fmt: skip
    """A folder with more RBDS trials (here the first trial's files linked under a new subject at another speed,
    its right foot labelled the other way in its own RBDSinfo row) is scored trial by trial: the copy's speed
    against its own belt, its pattern against its own label, and the original's figures do not move."""
    src = trials[0]
    own = _info_labels(src)
    if set(own) != {"L", "R"}:
        pytest.skip(f"{src.name} has no label per foot in RBDSinfo.txt")
    code = "45" if src.speed_code == "35" else "35"
    copy = Trial(tmp_path, "RBDS999", code)
    for mine, theirs in ((src, src), (copy, src)):
        for suffix in ("runT{}markers.txt", "runT{}forces.txt"):
            (tmp_path / (mine.subject + suffix.format(mine.speed_code))).symlink_to(
                src.folder / (theirs.subject + suffix.format(theirs.speed_code)))
        (tmp_path / f"{mine.subject}static.txt").symlink_to(src.folder / f"{src.subject}static.txt")
    flipped = "Forefoot" if own["R"] == "Rearfoot" else "Rearfoot"
    info = [("FileName", f"RFSI{src.speed_code}", f"LFSI{src.speed_code}", f"RFSI{code}", f"LFSI{code}"),
            (f"{src.name}markers.txt", own["R"], own["L"], "", ""), (f"{copy.name}markers.txt", "", "", flipped, own["L"])]
    (tmp_path / "RBDSinfo.txt").write_text("\n".join("\t".join(r) for r in info) + "\n")
    got = rbds.validate(tmp_path)
    rows = {(r["trial"], r["foot"]): r for r in _known(got)}
    before = {r["foot"]: r for r in _known(result) if r["trial"] == src.name}
    print({k: (r["label"], round(float(r["speed_err_pct"]), 1), r["label_agree_pct"]) for k, r in rows.items()})  # type: ignore[arg-type]
    for side in "LR":
        assert rows[(src.name, side)]["ic_err_median_ms"] == before[side]["ic_err_median_ms"]
        measured_mps = (1 + float(before[side]["speed_err_pct"]) / 100) * src.speed_mps  # type: ignore[arg-type]
        assert float(rows[(copy.name, side)]["speed_err_pct"]) == pytest.approx(  # type: ignore[arg-type]
            100 * (measured_mps / copy.speed_mps - 1))
    assert rows[(copy.name, "R")]["label"] == flipped
    assert rows[(copy.name, "R")]["label_agree_pct"] == pytest.approx(100.0 - float(before["R"]["label_agree_pct"]))  # type: ignore[arg-type]
    assert rows[(copy.name, "L")]["label_agree_pct"] == before["L"]["label_agree_pct"]
    assert not got["label_agree_pct"].passed and not got["speed_err_pct"].passed  # the mislabelled copy
