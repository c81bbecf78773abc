"""Hostile CSVs for `footfall import`: time jumps the recording cannot hold, junk cells (1e308), a side column that
says neither L nor R, data in milli-g, time_s out of order, a header of one 20 kB line. Each is refused in one
clear line, or imported with everything reading back and a note saying what happened."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from footfall.cli import main
from footfall.csvfile.convert import ImportOptions, import_csv
from footfall.errors import InputError
from footfall.recording.file import open_recording, scan

from .test_csvio import HEADER, foot_signals, write

RATE_HZ = 416


def _jumped(tmp_path: Path, jump_s: float, n: int = 8320, at: int = 4000) -> Path:
    """n rows at 416 Hz whose time_s jumps by jump_s after row `at` (line at + 1 of the file; header line 1)."""
    _, acc, gyr = foot_signals(n)
    t = np.arange(n) / RATE_HZ
    t[at:] += jump_s
    return write(tmp_path / "g.csv", HEADER, t, acc, gyr)


def test_a_jump_the_sample_index_cannot_hold_is_refused_with_its_line(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A jump of 6e6 s (2.5e9 samples, over 2^31) was written as a step back in time: 'info' then showed 4000 of
    8320 samples, the rest 'late frames left out', after an import that said it wrote 8320."""
    src = _jumped(tmp_path, 6e6)
    out = tmp_path / "g.ffr"
    assert main(["import", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "g.csv, line 4002: time_s jumps by 69.4 days" in err and "split the file before line 4002" in err
    assert not out.exists()


@pytest.mark.parametrize("jump_s, said", [(3600.0, "60 min"), (1e6, "11.6 days")])
def test_a_time_gap_is_stored_whole_and_noted_with_its_length_and_place(tmp_path: Path, jump_s: float,
                                                                        said: str) -> None:
    result = import_csv(_jumped(tmp_path, jump_s), tmp_path / "g.ffr")
    (note,) = result.notes
    assert note.startswith("imported: time_s has a gap") and f"{said} before line 4002" in note, note
    rep = scan(open_recording(result.path), "imported").report
    assert rep.samples == 8320 and rep.late_samples == 0 and rep.gaps == 1
    assert rep.missing_samples == pytest.approx(jump_s * RATE_HZ, rel=1e-7)  # the clock's fit: 25 in 4e8


def test_a_short_hole_is_noted_too(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    keep = np.r_[0:700, 760:2000]
    result = import_csv(write(tmp_path / "h.csv", HEADER, t[keep], acc[keep], gyr[keep]), tmp_path / "h.ffr")
    (note,) = result.notes
    assert "a gap (0.3 s in all, 60 samples): 0.3 s before line 702" in note, note


@pytest.mark.parametrize("value", ["1e308", "-1e308", "1e30"])
def test_a_value_beyond_any_sensor_is_left_out_like_nan(tmp_path: Path, value: str) -> None:
    """1e308 gave numpy overflow warnings, was stored as a 32 g sample and widened the whole file to +-32 g."""
    t, acc, gyr = foot_signals()
    src = write(tmp_path / "j.csv", HEADER, t, acc, gyr)
    lines = src.read_text().splitlines()
    cells = lines[101].split(",")
    cells[1] = value
    lines[101] = ",".join(cells)
    src.write_text("\n".join(lines) + "\n")
    clean = import_csv(write(tmp_path / "c.csv", HEADER, t, acc, gyr), tmp_path / "c.ffr")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = import_csv(src, tmp_path / "j.ffr", ImportOptions(acc_unit="m/s2"))
    (stream,) = result.streams
    assert stream.acc_range_g == clean.streams[0].acc_range_g < 32 and len(stream.acc_mps2) == 1999
    assert any("left out 1 of 2000 rows" in n and "beyond any sensor's range" in n and "(line 102)" in n
               for n in result.notes), result.notes


def test_a_junk_cell_in_g_overflows_to_no_warning(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    acc_g = acc / 9.80665
    acc_g[50, 2] = 1e308
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = import_csv(write(tmp_path / "g.csv", "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x,gyr_y,gyr_z", t, acc_g,
                                  gyr), tmp_path / "g.ffr")
    assert len(result.streams[0].acc_mps2) == 1999 and result.streams[0].acc_range_g < 32


def test_a_side_that_is_not_l_r_or_unknown_is_refused(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals(400)
    lines = write(tmp_path / "s.csv", HEADER, t, acc, gyr).read_text().splitlines()
    sides = ["L"] * 399
    sides[7] = "Q"
    labelled = tmp_path / "side.csv"
    labelled.write_text("\n".join(["side," + lines[0]] + [f"{s},{ln}" for s, ln in zip(sides, lines[1:])]) + "\n")
    with pytest.raises(InputError, match=r"side.csv, line 9: side 'Q' must be L, R or \?"):
        import_csv(labelled, tmp_path / "side.ffr")
    assert not (tmp_path / "side.ffr").exists()


def test_an_empty_side_column_is_an_unknown_side_not_a_sensor_without_a_name(tmp_path: Path) -> None:
    """Every side cell empty made a sensor called '' (and an empty-named lane with no frames in the recording)."""
    t, acc, gyr = foot_signals(400)
    lines = write(tmp_path / "s.csv", HEADER, t, acc, gyr).read_text().splitlines()
    blank = tmp_path / "blank.csv"
    blank.write_text("\n".join(["side," + lines[0]] + [f",{ln}" for ln in lines[1:]]) + "\n")
    import_csv(blank, tmp_path / "blank.ffr")
    rec = open_recording(tmp_path / "blank.ffr")
    assert list(rec.sensors) == ["imported"] and rec.sensors["imported"].side == "?"


def test_data_in_milli_g_is_refused_with_a_hint_naming_mg(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    src = write(tmp_path / "mg.csv", HEADER, t, acc / 9.80665 * 1000, gyr)
    for unit in ("m/s2", "g"):
        with pytest.raises(InputError, match="unless the file is in mg .milli-g") as info:
            import_csv(src, tmp_path / f"mg{unit[0]}.ffr", ImportOptions(acc_unit=unit))
        assert "divide the acceleration columns by 1000 and give --acc-unit g" in str(info.value)


@pytest.mark.parametrize("bad", ["same", "back", "nan"])
def test_time_out_of_order_names_the_line(tmp_path: Path, bad: str) -> None:
    t, acc, gyr = foot_signals()
    t = t.copy()
    t[300] = {"same": t[299], "back": t[299] - 0.5, "nan": np.nan}[bad]
    with pytest.raises(InputError, match="t.csv, line 302: time_s .*must increase strictly"):
        import_csv(write(tmp_path / "t.csv", HEADER, t, acc, gyr), tmp_path / "t.ffr")


def test_a_header_of_one_huge_line_is_not_echoed_whole(tmp_path: Path) -> None:
    src = tmp_path / "huge.csv"
    src.write_text("d" * 20000 + "\n1\n")
    with pytest.raises(InputError) as info:
        import_csv(src, tmp_path / "huge.ffr")
    message = str(info.value)
    assert "has no column acc_x" in message and len(message) < 500, len(message)
    many = tmp_path / "many.csv"
    many.write_text(",".join(f"col{k}" for k in range(500)) + "\n" + ",".join("1" * 500) + "\n")
    with pytest.raises(InputError, match=r"found: col0, col1, .*col9 and 490 more\)"):
        import_csv(many, tmp_path / "many.ffr")
