"""The validations and their tests on data folders other than ../shared/data: fuller copies (more RBDS runners
and speeds, more ipol subjects) and partial ones (a runner, a subject, some trials or a file missing). They must
measure what is there, say what they left out, and never rest on a fact of one file (RBDS001, subject 13,
9 jogging trials): each folder here is built in tmp_path from synthetic trials or links to the real files."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.validation import ipol, pyshoe, rbds, rbds_imu, rbds_overstride, rbds_synth, run
from footfall.validation.rbds_synth import SynthTrial

REPO = Path(__file__).resolve().parents[2]
# marker noise as RBDS001's own (~0.17 mm): the standing check of test_rbds.py bounds the gyro noise it makes
RUNNERS = (SynthTrial("RBDS002", 3.5, 15.0, duration_s=8.0, marker_noise_mm=0.17),
           SynthTrial("RBDS003", 4.5, 20.0, duration_s=8.0, marker_noise_mm=0.17))


def _link(src: Path, dst: Path, names: list[str]) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for name in names:
        (dst / name).symlink_to(src / name)


def _rbds_without_rbds001(data: Path) -> Path:
    """Two synthetic runners (RBDS002 at 3.5, RBDS003 at 4.5 m/s) and a third trial whose forces are missing."""
    folder = data / "rbds-running-mocap"
    rbds_synth.write_trials(folder, (*RUNNERS, SynthTrial("RBDS004", 2.5, 12.0, duration_s=8.0)))
    (folder / "RBDS004runT25forces.txt").unlink()
    return folder


def test_rbds_scores_every_trial_without_rbds001_and_names_the_incomplete_one(tmp_path: Path) -> None:
    """rbds.cutoff_sensitivity and rbds_overstride.cutoff_sensitivity read RBDS001 at 2.5 m/s (or the first trial
    found) and crashed without it; a trial missing its forces was dropped without a word."""
    _rbds_without_rbds001(tmp_path)
    result = rbds.validate(tmp_path)
    assert sorted({str(r["trial"]) for r in result.rows}) == ["RBDS002runT35", "RBDS003runT45"]
    assert "RBDS004runT25 skipped: no RBDS004runT25forces.txt" in result.notes
    assert {r["belt_mps"] for r in result.rows} == {3.5, 4.5} and result["label_agree_pct"].passed
    trial = rbds_imu.find_trials(tmp_path)[1]
    rows = rbds.cutoff_sensitivity(tmp_path, (15.0, 30.0), trial=trial)
    assert {r["trial"] for r in rows} == {"RBDS003runT45"} and len(rows) == 4
    assert {r["trial"] for r in rbds_overstride.cutoff_sensitivity(tmp_path, (20.0,))} == {"RBDS002runT35"}
    assert any("overstride: RBDS004runT25 skipped" in n for n in rbds_overstride.validate(tmp_path).notes)


def test_a_folder_without_a_complete_trial_is_skipped_with_the_reason(tmp_path: Path) -> None:
    """`footfall validate` skips a dataset it cannot read (its row says why) and measures the others; it used to
    stop the whole run (gaitmap: FileNotFoundError) or print a table of NaN (rbds, pyshoe)."""
    rbds_synth.write_trials(tmp_path / "rbds-running-mocap", (RUNNERS[0],))
    (tmp_path / "rbds-running-mocap" / "RBDS002static.txt").unlink()
    (tmp_path / "gaitmap-walking").mkdir()
    (tmp_path / "pyshoe-vicon" / "processed").mkdir(parents=True)
    reasons = {r.name: r.reason for r in run.run_all(tmp_path, ["rbds", "rbds_overstride", "gaitmap", "pyshoe"])
               if isinstance(r, run.Skipped)}  # fmt: skip
    assert set(reasons) == {"rbds", "rbds_overstride", "gaitmap", "pyshoe"}
    assert reasons["rbds"].startswith("no complete RBDS running trial in") and "static" in reasons["rbds"]
    assert reasons["gaitmap"].startswith("gaitmap-walking lacks imu_sample_not_rotated.csv")
    assert reasons["pyshoe"].startswith("no pyshoe trial in")


def test_every_trial_refused_is_said_not_a_table_of_nan(tmp_path: Path) -> None:
    folder = tmp_path / "rbds-running-mocap"
    rbds_synth.write_trials(folder, (RUNNERS[0],))
    markers = folder / "RBDS002runT35markers.txt"
    lines = markers.read_text().splitlines()
    lines[1] = "\t".join("NaN" for _ in lines[1].split("\t"))  # every marker lost at the trial's start
    markers.write_text("\n".join(lines) + "\n")
    skipped = run.run_one("rbds", tmp_path)
    assert isinstance(skipped, run.Skipped) and "no RBDS trial could be scored: RBDS002runT35 skipped" in skipped.reason


def test_the_rbds_tests_run_on_a_folder_without_rbds001(tmp_path: Path) -> None:
    """tests/analysis/test_rbds.py pointed at such a folder by $FOOTFALL_DATA: the trial list, the labels read
    from its own RBDSinfo.txt and the copied-trial check pass; RBDS001's own facts are skipped, not failed."""
    _rbds_without_rbds001(tmp_path)
    tests = ("found_with_its_speed", "other_subjects", "provenance", "reads_gravity")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "tests/analysis/test_rbds.py", "-k", " or ".join(tests), "-o", "addopts=-ra"],
                          cwd=REPO, env={**os.environ, run.DATA_ENV: str(tmp_path)}, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    print(proc.stdout[-2000:])
    assert proc.returncode == 0 and "3 passed, 1 skipped" in proc.stdout
    assert "RBDS001runT25 is not in this data folder" in proc.stdout


def test_the_tests_read_footfall_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py looked only in ../shared/data: a fuller or partial copy could not be tested."""
    # the root conftest by its path: "conftest" in sys.modules is whichever directory's was imported last
    spec = importlib.util.spec_from_file_location("root_conftest", REPO / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    monkeypatch.setenv(run.DATA_ENV, str(tmp_path))
    assert conftest.data_dir() == tmp_path
    monkeypatch.delenv(run.DATA_ENV)
    assert conftest.data_dir() == REPO.parent / "shared" / "data"


@pytest.mark.realdata
def test_ipol_counts_the_subjects_of_the_folder_it_is_given(data_with: Callable[[str], Path], tmp_path: Path) -> None:
    """Two subjects (the first two trials each), subject 1 again under a new number with its files renamed,
    and a trial missing a foot file: three subjects scored, the `subjects` guard (13 before) is the folder's
    own, the foot files are those named after each JSON (its Filename field still names subject 1's), and the
    incomplete trial is named."""
    src = data_with(ipol.NAME) / ipol.NAME / "GaitData"
    dst = tmp_path / ipol.NAME / "GaitData"
    names = [f"{s}-{t}{ext}" for s in (1, 2) for t in (1, 2) for ext in (".json", "_lf.txt", "_rf.txt")]
    _link(src, dst, [n for n in names if n != "2-2_rf.txt"])
    for name in (n for n in names if n.startswith("1-")):
        (dst / f"14-{name[2:]}").symlink_to(src / name)  # its JSONs still say subject 1, files 1-1 and 1-2
    result = ipol.validate(tmp_path)
    assert [s["subject"] for s in result.rows] == [1, 2, 14]
    assert result["subjects"].value == result["subjects"].guard == 3 and result["subjects"].passed
    assert result["trials"].value == 5 and "2-2 skipped: no 2-2_rf.txt" in result.notes
    assert {**result.rows[0], "subject": 14} == result.rows[2]  # the same recordings
    for trial in ("14-1", "14-2"):  # subject 14 has no complete trial left: not every subject was read
        (dst / f"{trial}_rf.txt").unlink()
    assert not ipol.validate(tmp_path)["subjects"].held


@pytest.mark.realdata
def test_pyshoe_guards_follow_the_trials_of_the_folder(data_with: Callable[[str], Path], tmp_path: Path) -> None:
    """Two jogging trials and one walk: the trial-count guards are shares of what the Vicon reference calls
    jogging and walking in the folder (they were 8 and 18, the shared folder's counts); a folder without a
    jogging trial has no jogging figures, rather than NaN ones that break their guards."""
    src = data_with("pyshoe-vicon") / "pyshoe-vicon" / "processed"
    jog, walk = ["2017-11-27-11-11-24.mat", "2017-11-27-11-12-18.mat"], ["2017-11-22-11-22-03.mat"]
    _link(src, tmp_path / "pyshoe-vicon" / "processed", jog + walk)
    result = pyshoe.validate(tmp_path)
    assert (result["jog_trials"].guard, result["walk_trials"].guard) == (2.0, 1.0)
    assert all(result[f"{g}_trials"].passed for g in ("jog", "walk")) and all(m.met for m in result.metrics)
    for name in jog:
        (tmp_path / "pyshoe-vicon" / "processed" / name).unlink()
    names = {m.name for m in pyshoe.validate(tmp_path).metrics}
    assert "walk_trials" in names and not any("jog" in n for n in names)
