"""`footfall simulate` and write_run: the virtual run goes through the real encoder into a real recording."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from footfall.cli import simulate as simulate_cmd
from footfall.errors import FootfallError
from footfall.recording import open_recording
from footfall.virtual.runner import RunnerParams, simulate, write_run


def _cli(*argv: str) -> int:
    """The command exactly as `footfall` registers it (the CLI main adds only the FootfallError line)."""
    parser = argparse.ArgumentParser(prog="footfall")
    simulate_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["simulate", *argv])
    return int(args.func(args))


def test_written_recording_holds_the_simulated_samples(tmp_path: Path) -> None:
    run = simulate(RunnerParams(duration_s=6.0, seed=3))
    write_run(run, tmp_path / "run.ffr", tmp_path / "truth.json")
    rec = open_recording(tmp_path / "run.ffr")
    assert set(rec.sensors) == {"L", "R"}
    assert "virtual runner" in str(rec.meta["runner"])
    for side, foot in run.feet.items():
        blocks = list(rec.blocks(side))
        acc = np.concatenate([b.acc_mps2 for b in blocks])
        gyr = np.concatenate([b.gyr_radps for b in blocks])
        assert blocks[0].first_index == 0 and acc.shape == foot.acc_mps2.shape
        acc_step, gyr_step = 16 * 9.80665 / 32768, np.radians(2000) / 32768  # one count at +-16 g / 2000 dps
        print(f"{side}: max |acc err| {np.abs(acc - foot.acc_mps2).max():.4f} m/s^2 (count {acc_step:.4f}), "
              f"max |gyr err| {np.abs(gyr - foot.gyr_radps).max():.5f} rad/s (count {gyr_step:.5f})")
        assert np.abs(acc - foot.acc_mps2).max() <= acc_step
        assert np.abs(gyr - foot.gyr_radps).max() <= gyr_step
        assert blocks[0].rate_hz == 416
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert len(truth["feet"]["R"]["contacts"]) == len(run.feet["R"].truth.contacts)


def test_cli_writes_recording_and_truth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, truth = tmp_path / "demo.ffr", tmp_path / "demo.json"
    assert _cli("-o", str(out), "--truth", str(truth), "--preset", "heel-overstrider", "--duration", "20",
                "--feet", "L", "--seed", "5") == 0
    print(capsys.readouterr().out)
    doc = json.loads(truth.read_text())
    assert doc["params"]["cadence_spm"] == 158.0 and doc["params"]["overstride"] == 0.8
    contacts = doc["feet"]["L"]["contacts"]
    assert {c["pattern"] for c in contacts} == {"rearfoot"}
    assert list(open_recording(out).sensors) == ["L"]


def test_cli_options_override_the_preset(tmp_path: Path) -> None:
    args = argparse.Namespace(preset="forefoot", duration=10.0, cadence=175.0, speed=None, overstride=None,
                              tilt=12.0, rate=208.0, feet="R", seed=1, strike="midfoot")
    p = simulate_cmd.params_from_args(args)
    assert (p.cadence_spm, p.strike_angle_deg, p.mount_pitch_deg, p.rate_hz, p.feet) == (175.0, 3.0, 12.0, 208.0, "R")
    assert p.speed_mps == 4.0  # from the preset


@pytest.mark.parametrize("argv, message", [
    (["--strike", "sideways"], "neither a pattern nor a number"),
    (["--overstride", "3"], "overstride"),
    (["--rate", "416.5"], "whole number"),
])
def test_cli_bad_input_is_one_clear_error_and_writes_nothing(tmp_path: Path, argv: list[str], message: str) -> None:
    out = tmp_path / "bad.ffr"
    with pytest.raises(FootfallError, match=message):
        _cli("-o", str(out), "--duration", "2", *argv)
    assert not out.exists()


def test_cli_never_overwrites_a_recording(tmp_path: Path) -> None:
    out = tmp_path / "kept.ffr"
    out.write_bytes(b"precious")
    with pytest.raises(FootfallError, match="already exists"):
        _cli("-o", str(out), "--duration", "2")
    assert out.read_bytes() == b"precious"


def test_footfall_main_turns_bad_input_into_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from footfall.cli import main

    assert main(["simulate", "-o", str(tmp_path / "x.ffr"), "--cadence", "20"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "cadence_spm" in err and "Traceback" not in err
    assert not (tmp_path / "x.ffr").exists()
