"""QA17 hostile #8: metadata of a type footfall does not write (another program's note, "other programs may add
any key") is shown as text by `info` and `analyse`, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.cli import main
from footfall.protocol.encode import SiStream
from footfall.recording.file import write_si_recording
from footfall.virtual.runner import RunnerParams, simulate

ODD = [(["a"], "['a']"), ({"L": ["a"], "R": ["a"]}, "['a']"), ({"L": 3, "R": "cut at 9 s"}, "3"), ("whole", "whole")]


@pytest.mark.parametrize(("damage", "shown"), ODD, ids=["list", "unhashable", "number", "text"])
def test_odd_source_damage_notes_are_shown_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   damage: object, shown: str) -> None:
    run = simulate(RunnerParams(duration_s=12, seed=3, rate_hz=416))
    stream = SiStream("L", "L", 416, run.feet["L"].acc_mps2, run.feet["L"].gyr_radps)
    rec = write_si_recording(tmp_path / "odd.ffr", [stream], {"source_damage": damage})
    assert main(["info", str(rec)]) == 0
    out = capsys.readouterr().out
    assert out.count(f"  recorded from a damaged source: {shown}\n") == 1  # once, for both feet
    assert main(["analyse", str(rec)]) == 0
    assert f"its source: {shown}" in capsys.readouterr().out


def test_a_full_disk_outside_the_atomic_writers_is_named_as_such(monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The last-resort OSError line pointed at permissions for ENOSPC too (QA17 hostile, impl note)."""
    import errno

    from footfall import cli
    from footfall.cli import simulate as simulate_cli

    def full(args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(simulate_cli, "run", full)
    assert cli.main(["simulate", "-o", "x.ffr"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device (the disk is full" in err and "permissions" not in err
