"""`footfall validate`'s mistakes are errors: an unknown name, a data folder that does not exist, or a run where
every validation asked for was skipped (they used to print an empty table, or "skipped", and exit 0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.cli import main


def test_an_unknown_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--only", "bogus"])
    assert exit_.value.code == 2 and "invalid choice: 'bogus'" in capsys.readouterr().err


@pytest.mark.parametrize("folder, said", [("missing", "no folder"), ("empty", "nothing was measured")])
def test_no_data_is_an_error_not_a_pass(folder: str, said: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data" if folder == "missing" else tmp_path
    assert main(["validate", "--data", str(data), "--only", "gaitmap", "rbds"]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1


def test_a_metric_that_is_not_measured_prints_as_nan_not_a_crash() -> None:
    """A NaN figure (e.g. a trial without a strike label, or no body mass for a normalised impulse) used to crash
    the table (int(nan))."""
    from footfall.cli.validate import _value

    assert _value(float("nan")) == "nan" and _value(2605.0) == "2605" and _value(0.123456) == "0.123"


def test_a_dataset_it_cannot_read_is_a_skipped_row_and_the_others_are_measured(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """A copy of the data with gaitmap's files missing used to end the whole command with a traceback
    (FileNotFoundError); now its row says what is missing and rbds (two synthetic runners, one trial without
    its forces, said in a note) is measured."""
    from footfall.validation import rbds_synth
    from footfall.validation.rbds_synth import SynthTrial

    rbds_synth.write_trials(tmp_path / "rbds-running-mocap", (SynthTrial("RBDS002", 3.5, 15.0, duration_s=8.0),
                                                              SynthTrial("RBDS003", 4.5, 20.0, duration_s=8.0)))
    (tmp_path / "rbds-running-mocap" / "RBDS003runT45forces.txt").unlink()
    (tmp_path / "gaitmap-walking").mkdir()
    assert main(["validate", "--data", str(tmp_path), "--only", "gaitmap", "rbds"]) == 1  # gaitmap is there, unread
    assert main(["validate", "--data", str(tmp_path), "--only", "rbds"]) in (0, 1)  # (1: a target missed)
    capsys.readouterr()
    main(["validate", "--data", str(tmp_path), "--only", "gaitmap", "rbds"])
    out = " ".join(capsys.readouterr().out.split())
    assert "gaitmap │ skipped" in out and "gaitmap-walking lacks imu_sample_not_rotated.csv" in out.replace("│ ", "")
    assert "rbds-running-mocap │ label_agree_pct" in out
    assert "trials: RBDS002runT35;" in out and "RBDS003runT45 skipped: no RBDS003runT45forces.txt" in out
