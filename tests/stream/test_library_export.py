"""Library use of the step files (QA16 #14): write_json / write_csv never overwrite unasked."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.errors import InputError
from footfall.report.export import read_steps, write_csv, write_json
from footfall.virtual.runner import RunnerParams, simulate


@pytest.fixture(scope="module")
def steps() -> list:  # type: ignore[type-arg]
    foot = simulate(RunnerParams(duration_s=20.0, seed=5)).feet["L"]
    return analyse_blocks(blocks_from_arrays(foot.acc_mps2, foot.gyr_radps, foot.rate_hz, "L", "L"))[0]


@pytest.mark.parametrize("write", [write_json, write_csv])
def test_an_existing_file_is_refused_unless_overwrite(  # type: ignore[no-untyped-def]
        tmp_path: Path, steps: list, write) -> None:  # type: ignore[type-arg]
    """Before: the second call overwrote the file without a word."""
    path = tmp_path / ("s.json" if write is write_json else "s.csv")
    write(steps, path)
    first = path.read_bytes()
    with pytest.raises(InputError, match="already exists"):
        write(steps[:3], path)
    assert path.read_bytes() == first
    write(steps[:3], path, overwrite=True)
    assert len(read_steps(path)[0]) == 3


def test_a_missing_folder_is_an_input_error(tmp_path: Path, steps: list) -> None:  # type: ignore[type-arg]
    with pytest.raises(InputError, match="cannot write"):
        write_json(steps, tmp_path / "no" / "s.json")
