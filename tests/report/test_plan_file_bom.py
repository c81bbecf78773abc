"""`report --plan-file` of a plan saved by Windows Notepad as "UTF-8 with BOM" (notes qa18 finding 8): the BOM is
not kept as an invisible U+FEFF at the start of the plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.cli.report import plan_text
from footfall.errors import InputError

BOM = "\ufeff".encode()


def test_a_bom_is_no_part_of_the_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(BOM + "Kadenz +5 %\r\nChloé: 3 Läufe/Woche\r\n".encode())
    assert plan_text(None, plan) == "Kadenz +5 %\nChloé: 3 Läufe/Woche"
    plan.write_bytes("Kadenz +5 %".encode())  # without one, as before
    assert plan_text(None, plan) == "Kadenz +5 %"


def test_a_file_with_only_a_bom_is_an_empty_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(BOM + b"\r\n")
    with pytest.raises(InputError, match="the plan is empty"):
        plan_text(None, plan)
