"""`footfall validate` says under its table what a bound in parentheses is (notes qa16 finding 12: only
docs/validation.md did)."""

from __future__ import annotations

from pathlib import Path

import pytest

import footfall.validation.run as validation_run
from footfall.cli import main
from footfall.validation.result import DatasetResult, Metric


def test_the_table_explains_its_parentheses(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    result = DatasetResult("rbds-running-mocap", (Metric("ic_abs_err_median_ms", 11.7, "ms", bound=10.0, guard=15.0),
                                                  Metric("contact_time_abs_err_median_ms", 10.6, "ms", guard=15.0)))
    monkeypatch.setattr(validation_run, "run_all", lambda data_dir, only: [result])
    assert main(["validate", "--data", str(tmp_path)]) == 1  # the target of 10 ms is missed
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    legend = lines.index("(...) = regression guard, not an accuracy target (docs/validation.md)")
    assert "(<= 15)" in lines[legend - 3] and lines[legend - 1].startswith("└")  # right under the table
