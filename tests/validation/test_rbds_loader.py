"""The rbds loader on folders like the full dataset's (synthetic trials, validation.rbds_synth): marker samples the
cameras lost, a trial that cannot be used, more than one trial for the overstride rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from footfall.errors import InputError
from footfall.validation import rbds, rbds_imu, rbds_overstride, rbds_synth
from footfall.validation.rbds_synth import SynthTrial

SHORT = SynthTrial("RBDS902", 3.5, 15.0, duration_s=8.0)


def _lose(path: Path, marker: str, rows: range) -> None:
    """Write NaN into `marker`'s X, Y, Z cells of the given data rows (1 = the first after the header)."""
    lines = path.read_text().splitlines()
    cols = [i for i, name in enumerate(lines[0].split("\t")) if name[:-1] == marker]
    for r in rows:
        cells = lines[r].split("\t")
        for c in cols:
            cells[c] = "NaN"
        lines[r] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n")


def test_a_few_lost_marker_samples_are_filled(tmp_path: Path) -> None:
    """One lost sample used to end the whole validation (the spline refused the NaN the low-pass spread)."""
    rbds_synth.write_trials(tmp_path, (SHORT,))
    clean, _ = rbds_imu.load(tmp_path, trial=rbds_imu.find_trials(tmp_path)[0])
    _lose(tmp_path / f"{SHORT.name}markers.txt", "L.MT5", range(600, 606))  # 40 ms
    filled, _ = rbds_imu.load(tmp_path, trial=rbds_imu.find_trials(tmp_path)[0])
    assert np.isfinite(filled["L"].acc_mps2).all()
    away = slice(0, 1200)  # well before the gap (4 s = 1664 samples at 416 Hz): untouched
    assert np.allclose(filled["L"].acc_mps2[away], clean["L"].acc_mps2[away], atol=0.5)
    assert rbds.validate(tmp_path)["label_agree_pct"].value == 100.0


def test_a_long_gap_skips_that_trial_and_says_so(tmp_path: Path) -> None:
    other = SynthTrial("RBDS903", 4.5, 20.0, duration_s=8.0)
    rbds_synth.write_trials(tmp_path, (SHORT, other))
    _lose(tmp_path / f"{SHORT.name}markers.txt", "R.Heel.Bottom", range(300, 330))  # 0.2 s
    with pytest.raises(InputError, match="R.Heel.Bottom is lost for 0.20 s"):
        rbds_imu.load(tmp_path, trial=rbds_imu.find_trials(tmp_path)[0])
    result = rbds.validate(tmp_path)
    assert {r["trial"] for r in result.rows} == {other.name}
    assert any(n.startswith(f"{SHORT.name} skipped: marker R.Heel.Bottom") for n in result.notes)


def test_the_overstride_rows_cover_every_trial(tmp_path: Path) -> None:
    """It scored only the first trial found (RBDS001 here; the full dataset has 28 runners x 3 speeds)."""
    other = SynthTrial("RBDS903", 4.5, 20.0, duration_s=8.0)
    rbds_synth.write_trials(tmp_path, (SHORT, other))
    result = rbds_overstride.validate(tmp_path)
    assert sorted({str(r["trial"]) for r in result.rows}) == [SHORT.name, other.name]
    assert "2 trials (RBDS902runT35, RBDS903runT45)" in result.notes[0]
