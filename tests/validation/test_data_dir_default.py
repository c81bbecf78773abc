"""Where `footfall validate` looks for the reference data without --data (qa18 finding 9).

From a source checkout: ../shared/data beside it (as always). From an installed wheel there is no checkout
around the package (it used to look in <venv>/lib/shared/data): $FOOTFALL_DATA, else ./shared/data, else
../shared/data from the current folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.validation import run


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """run.py as a wheel installs it: <venv>/lib/python3.X/site-packages/footfall/validation/run.py."""
    module = tmp_path / "venv" / "lib" / "python3.12" / "site-packages" / "footfall" / "validation" / "run.py"
    module.parent.mkdir(parents=True)
    monkeypatch.setattr(run, "__file__", str(module))
    monkeypatch.delenv(run.DATA_ENV, raising=False)
    work = tmp_path / "work" / "sub"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    return tmp_path


def test_a_checkout_looks_beside_itself(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(run.DATA_ENV, raising=False)
    monkeypatch.chdir(Path.home() if Path.home().is_dir() else repo_root)
    assert run.default_data_dir() == repo_root.resolve().parent / "shared" / "data"


def test_the_environment_variable_comes_first(installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(run.DATA_ENV, str(installed / "mine"))
    assert run.default_data_dir() == installed / "mine"


def test_installed_looks_in_the_current_folder_then_its_parent(installed: Path) -> None:
    here = Path.cwd() / "shared" / "data"
    assert run.default_data_dir() == here  # neither exists: the first place, named in the skip lines
    parent = installed / "work" / "shared" / "data"
    parent.mkdir(parents=True)
    assert run.default_data_dir() == parent
    here.mkdir(parents=True)
    assert run.default_data_dir() == here
    assert "venv" not in str(run.default_data_dir())


def test_a_missing_dataset_is_skipped_with_what_to_give(tmp_path: Path) -> None:
    result = run.run_one("gaitmap", tmp_path)
    assert isinstance(result, run.Skipped)
    assert result.reason == f"no data at {tmp_path / 'gaitmap-walking'} (give --data DIR)"
