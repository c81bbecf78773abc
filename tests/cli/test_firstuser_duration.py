"""`--duration` of demo, live and simulate takes the times --phases takes: 90, 90s, 2m, 1h (notes qa16 finding
15: `footfall demo --duration 2m` was "invalid seconds value")."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from footfall.cli import build_parser, main
from footfall.cli.common import seconds
from footfall.coaching.phases import PhasePlan


@pytest.mark.parametrize("text, value_s", [("90", 90.0), ("90s", 90.0), ("2m", 120.0), ("1.5m", 90.0),
                                           ("1h", 3600.0), ("0.5H", 1800.0)])
def test_every_duration_reads_as_phases_do(text: str, value_s: float) -> None:
    for command in (["demo"], ["live"], ["simulate", "-o", "x.ffr"]):
        assert build_parser().parse_args([*command, "--duration", text]).duration == value_s
    assert PhasePlan.parse(f"baseline:{text}").total_s == value_s


@pytest.mark.parametrize("text", ["2x", "m", "", "0", "-1m", "nan", "inf"])
def test_what_is_not_a_time_above_zero_is_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        seconds(text)


def test_a_demo_of_two_minutes_is_refused_for_nothing_else(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--duration", "2x"])
    err = capsys.readouterr().err
    assert "footfall demo: error: argument --duration: 2x is not a time: give seconds (90, 90s), minutes (2m) " \
           "or hours (1h)" in err


def test_simulate_takes_minutes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "-o", str(tmp_path / "run.ffr"), "--duration", "0.25m"]) == 0
    assert "; 15 s, feet L+R" in capsys.readouterr().out
