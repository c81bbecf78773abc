"""A mistyped option after a command is reported by that command, with its usage and the option it was probably
meant to be (notes qa16 finding 5: the root parser said "footfall: error: unrecognized arguments: --duraton 10"
with the top-level usage); `analyze` is `analyse`."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.cli import main


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("argv, said", [
    (["simulate", "-o", "r2.ffr", "--duraton", "10"],
     "footfall simulate: error: unknown option --duraton (did you mean --duration?)"),
    (["analyse", "run.ffr", "--jsn", "x.json"], "footfall analyse: error: unknown option --jsn (did you mean --json?)"),
    (["demo", "--duraton=5"], "footfall demo: error: unknown option --duraton (did you mean --duration?)"),
    (["runner", "add", "ana", "--hieght-m", "1.7", "--db", "never.sqlite"],
     "footfall runner add: error: unknown option --hieght-m (did you mean --height-m?)"),
    (["history", "delete", "1", "--yess", "--db", "never.sqlite"],
     "footfall history delete: error: unknown option --yess (did you mean --yes?)"),
    (["info", "run.ffr", "--zzz"], "footfall info: error: unknown option --zzz (see `footfall info --help`)"),
])
def test_an_unknown_option_is_said_by_its_command(argv: list[str], said: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(argv, capsys)
    command = said.split(":")[0]
    assert err.startswith(f"usage: {command} ") and err.strip().endswith(said), err


def test_a_stray_argument_is_said_by_its_command(capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(["info", "a.ffr", "b.ffr"], capsys)
    assert err.startswith("usage: footfall info ") and "footfall info: error: unrecognized arguments: b.ffr" in err


def test_analyze_is_analyse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run.ffr"
    assert main(["simulate", "-o", str(run), "--duration", "12"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(run)]) == 0
    assert "cadence" in capsys.readouterr().out
    assert "footfall analyse: error: unknown option --jsn" in _refused(["analyze", str(run), "--jsn", "x"], capsys)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "analyse (analyze)" in capsys.readouterr().out
