"""The Δ lines of `footfall progress` and `history show`: each metric's rows together, and the values in one
column however long a metric's words (the symmetry rows) or a visit's name ("Session 2 retest") are."""

from __future__ import annotations

import pytest

from footfall.report.change import Change, ChangeSet
from footfall.report.console import show_changes


def _change(metric: str, label: str) -> Change:
    return Change(metric, label, -1.25, -2.0, -0.5, within_noise=False)


def test_delta_lines_group_each_metric_and_align_their_values(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [_change("cadence_spm", "Session 2 retest"), _change("cadence_spm", "Session 3"),
            _change("contact_si_pct", "Session 2 retest"), _change("impact_si_pct", "Session 2 retest"),
            _change("contact_si_pct", "Session 3"), _change("impact_si_pct", "Session 3")]
    names = {"cadence_spm": "cadence (steps/min)", "contact_si_pct": "contact time, left − right symmetry index (% points)",
             "impact_si_pct": "impact, left − right symmetry index (% points)"}
    show_changes(ChangeSet("baseline", "Δ vs the first visit", rows), names)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  Δ ") and ": " in line]
    assert [line.split()[1].rstrip(",") for line in lines] == ["cadence", "cadence", "contact", "contact", "impact", "impact"]
    assert len({line.index(": ") for line in lines}) == 1  # one column of values
    assert all(line.endswith(rows[0].text()) for line in lines)
