"""`footfall analyse` given footfall's own per-step output says what the file is and what to do with it (notes
qa16 finding 6: a step CSV had "no column acc_x", an analysis JSON was "not a footfall recording ... bring a
CSV in with `footfall import`")."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.cli import main

WHAT_TO_DO = "(store it with `footfall history add {path} --runner NAME`, or analyse the recording it was made from)"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("own")
    assert main(["simulate", "-o", str(folder / "run.ffr"), "--duration", "12"]) == 0
    assert main(["analyse", str(folder / "run.ffr"), "--csv", str(folder / "steps.csv"),
                 "--json", str(folder / "run.json")]) == 0
    db = folder / "h.sqlite"
    assert main(["runner", "add", "ana", "--db", str(db)]) == 0
    assert main(["history", "add", str(folder / "run.ffr"), "--runner", "ana", "--db", str(db)]) == 0
    assert main(["history", "export", "1", "-o", str(folder / "export.json"), "--db", str(db)]) == 0
    assert main(["history", "export", "1", "-o", str(folder / "export.csv"), "--db", str(db)]) == 0
    return folder


@pytest.mark.parametrize("name, what", [
    ("steps.csv", "is a footfall step file (from `footfall analyse --csv` or `history export`), not raw samples"),
    ("export.csv", "is a footfall step file (from `footfall analyse --csv` or `history export`), not raw samples"),
    ("run.json", "is a footfall analysis file (from `footfall analyse --json`), not a recording"),
    ("export.json", "is a footfall step file (from `footfall history export`), not a recording"),
])
def test_analyse_names_its_own_step_files(outputs: Path, name: str, what: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    path = outputs / name
    assert main(["analyse", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert what in err and err.endswith(WHAT_TO_DO.format(path=path)) and len(err.splitlines()) == 1, err


def test_import_of_a_step_csv_says_the_same(outputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["import", str(outputs / "steps.csv"), "-o", str(tmp_path / "x.ffr")]) == 2
    assert "steps.csv is a footfall step file" in capsys.readouterr().err
    assert not (tmp_path / "x.ffr").exists()


def test_other_json_is_still_not_a_recording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"format": "geojson"}')
    assert main(["analyse", str(other)]) == 2
    assert "is not a footfall recording (footfall recordings are .ffr files" in capsys.readouterr().err
