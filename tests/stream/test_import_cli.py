"""`footfall import` and `footfall analyse FILE.csv` through footfall.cli.main: every bad input is one line on
stderr and exit status 2, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.cli import main

from .test_csvio import HEADER, foot_signals, write


@pytest.fixture
def plain_csv(tmp_path: Path) -> Path:
    t, acc, gyr = foot_signals()
    return write(tmp_path / "plain.csv", HEADER, t, acc, gyr)


def _one_error_line(capsys: pytest.CaptureFixture[str], command: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"footfall {command}: error: ") and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("rate", ["0", "-5", "inf", "nan"])
def test_a_rate_of_zero_is_one_line_for_import_and_analyse(plain_csv: Path, capsys: pytest.CaptureFixture[str],
                                                           rate: str) -> None:
    """Both ended in ZeroDivisionError (csvfile/clock.py)."""
    out = plain_csv.with_name("r.ffr")
    assert main(["import", str(plain_csv), "-o", str(out), f"--rate={rate}"]) == 2
    assert "must be a number above 0" in _one_error_line(capsys, "import") and not out.exists()
    assert main(["analyse", str(plain_csv), f"--rate={rate}"]) == 2
    assert "must be a number above 0" in _one_error_line(capsys, "analyse")


def test_an_output_in_a_missing_folder_names_the_folder(plain_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It was a raw 'No such file or directory'."""
    out = plain_csv.parent / "nowhere" / "x.ffr"
    assert main(["import", str(plain_csv), "-o", str(out)]) == 2
    assert f"folder {out.parent} does not exist" in _one_error_line(capsys, "import")


def test_import_never_overwrites(plain_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = plain_csv.with_name("kept.ffr")
    kept.write_bytes(b"precious")
    assert main(["import", str(plain_csv), "-o", str(kept)]) == 2
    assert "kept.ffr already exists" in _one_error_line(capsys, "import") and kept.read_bytes() == b"precious"
    assert main(["import", str(plain_csv), "-o", str(plain_csv)]) == 2
    assert "is also an input" in _one_error_line(capsys, "import")


def test_side_that_contradicts_the_file_is_one_line(plain_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = plain_csv.read_text().splitlines()
    labelled = plain_csv.with_name("samples.csv")
    labelled.write_text("\n".join(["sensor,side," + lines[0]] + [f"R,R,{ln}" for ln in lines[1:]]) + "\n")
    assert main(["import", str(labelled), "-o", str(plain_csv.with_name("s.ffr")), "--side", "L"]) == 2
    assert "--side L contradicts the file's side column, which says R" in _one_error_line(capsys, "import")
    assert main(["analyse", str(labelled), "--sensor", "X"]) == 2
    assert "--sensor X cannot apply" in _one_error_line(capsys, "analyse")


def test_the_unused_gyro_columns_note_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t, acc, gyr = foot_signals()
    src = write(tmp_path / "w.csv", "t,ax,ay,az,wx,wy,wz", t, acc, gyr)
    assert main(["import", str(src), "-o", str(tmp_path / "w.ffr")]) == 0
    out = capsys.readouterr().out
    assert "without gyro" in out and "note: no gyro columns found" in out
    assert "--columns gyr_x=wx,gyr_y=wy,gyr_z=wz" in out


def _guide_import_example() -> list[tuple[str, list[str]]]:
    """(command, its output lines) of the first example of the user guide's Import section."""
    guide = (Path(__file__).parents[2] / "docs" / "user-guide.md").read_text()
    block = guide.split("### Import", 1)[1].split("```", 2)[1]
    runs: list[tuple[str, list[str]]] = []
    for line in block.replace("\\\n", " ").splitlines():
        if line.startswith("$ "):
            runs.append((" ".join(line[2:].split()), []))
        elif line.strip() and runs:
            runs[-1][1].append(line)
    return runs


def _other_imu_csv(path: Path) -> None:
    """The guide's other_imu.csv: the left foot of `footfall simulate --preset heel-overstrider --duration 120`
    as recorded, in g and deg/s, with the sensor's y axis toward the toe and its x axis to the right."""
    import numpy as np

    from footfall.recording.file import open_recording
    from footfall.virtual.runner import preset, simulate, write_run

    write_run(simulate(preset("heel-overstrider", duration_s=120.0, seed=0)), path.with_suffix(".ffr"))
    (block,) = open_recording(path.with_suffix(".ffr")).blocks("L")
    acc, gyr = block.acc_mps2 / 9.80665, np.degrees(block.gyr_radps)
    turn = np.array([[0, 1, 0], [-1, 0, 0], [0, 0, 1]])  # file (x, y, z) = foot (-y, x, z)
    table = np.column_stack([block.time_s, acc @ turn, gyr @ turn])
    np.savetxt(path, table, delimiter=",", header="t,ax,ay,az,gx,gy,gz", comments="",
               fmt=["%.9f"] + ["%.5f"] * 3 + ["%.4f"] * 3)


def test_the_user_guide_import_example_shows_what_the_tool_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The guide showed a "has no column acc_x" error that the tool no longer gives (it knows t, ax, ... gz)."""
    import shlex

    monkeypatch.chdir(tmp_path)
    _other_imu_csv(tmp_path / "other_imu.csv")
    runs = _guide_import_example()
    assert [c.split()[0] for c, _ in runs] == ["head", "footfall", "footfall", "footfall"]
    for command, expected in runs:
        if command.startswith("head -2 "):
            assert (tmp_path / command.split()[-1]).read_text().splitlines()[:2] == expected, command
            continue
        main(shlex.split(command)[1:])
        captured = capsys.readouterr()
        assert (captured.out + captured.err).splitlines() == expected, command
