"""The rbds path on synthetic RBDS-format trials (validation.rbds_synth) with known truth: a rearfoot runner at
3.5 / 4.5 m/s and a forefoot control, the runners the real folder does not have (docs/validation.md, "Other
RBDS runners: a synthetic check")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.params import AnalysisParams
from footfall.validation import rbds, rbds_imu, rbds_synth
from footfall.validation.rbds_synth import SynthTrial

REARFOOT = SynthTrial("RBDS902", 3.5, 15.0, duration_s=20.0)


def _rows(folder: Path, trial: SynthTrial) -> list[dict[str, float | str]]:
    found = {t.name: t for t in rbds_imu.find_trials(folder)}[trial.name]
    feet, contacts = rbds_imu.load(folder, trial=found)
    return rbds.evaluate(feet, contacts, AnalysisParams(auto_align=False), found)


def test_the_loader_reads_every_trial_its_speed_and_label(tmp_path: Path) -> None:
    cases = (replace(REARFOOT, duration_s=8.0), SynthTrial("RBDS903", 4.5, 20.0, duration_s=8.0),
             SynthTrial("RBDS901", 2.5, -3.0, duration_s=8.0))  # fmt: skip
    rbds_synth.write_trials(tmp_path, cases)
    trials = {t.name: t for t in rbds_imu.find_trials(tmp_path)}
    assert set(trials) == {"RBDS902runT35", "RBDS903runT45", "RBDS901runT25"}
    assert [trials[c.name].speed_mps for c in cases] == [3.5, 4.5, 2.5]
    assert [trials[c.name].labels() for c in cases] == [{"L": "Rearfoot", "R": "Rearfoot"}] * 2 + [
        {"L": "Forefoot", "R": "Forefoot"}]


@pytest.mark.parametrize("trial", [replace(REARFOOT, duration_s=10.0),
                                   SynthTrial("RBDS901", 2.5, -3.0, duration_s=10.0)])
def test_the_force_and_marker_references_match_the_truth(tmp_path: Path, trial: SynthTrial) -> None:
    """What the validator derives from the written files (force IC/TO, marker strike angle) is the simulator's
    truth: the synthetic check measures the analyser, not the generator."""
    rbds_synth.write_trials(tmp_path, (trial,))
    found = rbds_imu.find_trials(tmp_path)[0]
    feet, contacts = rbds_imu.load(tmp_path, trial=found)
    truth = rbds_synth.truth(trial)
    true_ic = np.sort(np.concatenate([v[0] for v in truth.values()]))
    ref_ic = np.array([c.ic_s for c in contacts])
    assert len(ref_ic) == len(true_ic)
    assert np.abs(ref_ic - true_ic).max() < 0.006  # the 50 N threshold after the 50 Hz low-pass
    for side, (ic, _, angle) in truth.items():
        t = np.arange(len(feet[side].foot_angle_deg)) / feet[side].rate_hz
        assert np.median(np.abs(np.interp(ic, t, feet[side].foot_angle_deg) - angle)) < 1.0


def test_a_rearfoot_runner_through_noisy_markers_keeps_its_foot_flat(tmp_path: Path) -> None:
    """With 0.5 mm marker noise the smoothed angular-rate energy reached its least at an (early) IC, where a heel
    lander's toe-up rotation stops in the air: the closing rest of the stride sat on the IC, its strike angle read
    0 deg (midfoot) and its stride length came out short (label agreement was 83 %). The foot-flat is now looked
    for only where its whole smoothing window lies inside the contact (contacts.py)."""
    rbds_synth.write_trials(tmp_path, (REARFOOT,))
    for row in _rows(tmp_path, REARFOOT):
        print({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()})
        assert row["label_agree_pct"] >= 95.0
        assert float(row["stride_len_abs_err_median_pct"]) < 2.0
        assert float(row["strike_abs_err_median_deg"]) < 1.5


def test_the_forefoot_control_times_toe_off_and_the_angle_as_rbds001(tmp_path: Path) -> None:
    """The control reproduces RBDS001's TO, strike-angle and label figures in size (real: 6 ms, 0.3 deg, 100 %);
    not its IC (real +12 ms, here ~-37 ms: the simulator's forefoot landing lacks RBDS001's plantar flexion
    into contact and its heel drop, docs/validation.md), so IC is printed, not bounded."""
    trial = SynthTrial("RBDS901", 2.5, -3.0, duration_s=20.0)
    rbds_synth.write_trials(tmp_path, (trial,))
    for row in _rows(tmp_path, trial):
        print(row["foot"], "IC", round(float(row["ic_err_median_ms"]), 1), "ms")
        assert float(row["to_abs_err_median_ms"]) < 10.0
        assert float(row["strike_abs_err_median_deg"]) < 3.0
        assert row["label_agree_pct"] == 100.0
        # against belt x the force plate's stride time; belt x our rest-to-rest time read 3-6 %: this runner's foot
        # stays flat ~100 ms, and our rest falls anywhere in it (the distance is right, that time is not)
        assert float(row["stride_len_abs_err_median_pct"]) < 2.0
