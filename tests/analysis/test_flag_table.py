"""The user guide's step-flag table (§3, qa18 science review L1) names every flag the analysis writes, and no flag
the analysis never writes: a study reads the flags from that one table."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from footfall.analysis.step import Step
from footfall.store.step_checks import ACTIVITIES

REPO = Path(__file__).resolve().parents[2]
ANALYSIS = REPO / "host" / "footfall" / "analysis"


def _documented() -> set[str]:
    """The flags in the first column of the table under "**Step flags.**"."""
    guide = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    table = guide.split("**Step flags.**", 1)[1].split("\n\n", 2)[1]
    return {flag for row in table.splitlines()[2:] for flag in re.findall(r"`([a-z_]+)`", row.split("|")[1])}


def _written() -> set[str]:
    """Quoted words on the analysis code's lines about flags, less the Step's field names and the activities."""
    words: set[str] = set()
    for path in ANALYSIS.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            code = line.split("#", 1)[0]
            if "flag" in code:
                words |= set(re.findall(r'"([a-z][a-z_]*)"', code))
    return words - {f.name for f in fields(Step)} - set(ACTIVITIES)


def test_every_flag_the_analysis_writes_is_in_the_table() -> None:
    documented = _documented()
    assert len(documented) >= 15, documented  # the table was found and read
    assert not _written() - documented, sorted(_written() - documented)


def test_every_flag_in_the_table_is_one_the_analysis_writes() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in ANALYSIS.glob("*.py"))
    stale = sorted(flag for flag in _documented() if f'"{flag}"' not in code)
    assert not stale, stale
