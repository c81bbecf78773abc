"""`footfall simulate` and write_run: the virtual run goes through the real encoder into a real recording."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from footfall.cli import simulate as simulate_cmd
from footfall.errors import FootfallError, InputError
from footfall.recording.file import open_recording
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


def test_cadence_and_speed_of_a_walk_only_preset_are_its_walking_ones() -> None:
    """`--preset walk --cadence 100` kept the walk's own 112 steps/min (--cadence was the running cadence)."""
    args = argparse.Namespace(preset="walk", duration=30.0, cadence=100.0, speed=1.2, overstride=None,
                              tilt=None, rate=None, feet=None, seed=None, strike=None)
    p = simulate_cmd.params_from_args(args)
    assert (p.walk_cadence_spm, p.walk_speed_mps) == (100.0, 1.2)
    mixed = simulate_cmd.params_from_args(argparse.Namespace(**{**vars(args), "preset": "mixed"}))
    assert (mixed.cadence_spm, mixed.walk_cadence_spm) == (100.0, 112.0)  # it runs after its walk
    with pytest.raises(InputError, match=r"^--cadence 200 steps/min is outside 60..160 steps/min"):
        simulate_cmd.params_from_args(argparse.Namespace(**{**vars(args), "cadence": 200.0}))


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
    assert err.count("\n") == 0 and "--cadence 20 steps/min is outside 100..260 steps/min" in err and "Traceback" not in err
    assert not (tmp_path / "x.ffr").exists()


@pytest.mark.parametrize("argv, message", [
    (["--duration", "inf"], "--duration must be a finite number, got inf"),
    (["--duration", "nan"], "--duration must be a finite number, got nan"),
    (["--tilt=-inf"], "--tilt must be a finite number, got -inf"),
    (["--strike", "inf"], "--strike must be a finite number, got inf"),
    (["--cadence", "nan"], "--cadence must be a finite number, got nan"),
    (["--duration", "1e7"], "--duration 1e+07 is more than the 10800 s the simulator holds in memory at --rate 416"),
    (["--duration", "3600", "--rate", "6667"], "more than the 673 s"),
    (["--seed", "-1"], "--seed must be 0 or more, got -1"),
    (["--duration", "0"], "--duration must be > 0, got 0.0"),
    (["--rate", "10"], "--rate 10 Hz is outside 25..6667 Hz"),
    (["--cadence", "300"], "--cadence 300 steps/min is outside 100..260 steps/min"),
    (["--speed", "-1"], "--speed must be > 0, got -1.0"),
    (["--strike", "60"], "--strike 60 deg is outside -30..40 deg"),
    (["--overstride", "3"], "--overstride 3 is outside 0..1"),
    (["--rate", "416.5"], "--rate 416.5 Hz must be a whole number"),
])
def test_bad_options_are_named_as_options_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch, argv: list[str],
                                                      message: str) -> None:
    """--duration inf never ended, 1e7 died of a MemoryError, --seed -1 in a numpy traceback; the others named
    the library's fields (duration_s, rate_hz=10.0, cadence_spm=300.0)."""
    import footfall.virtual.runner as runner
    from footfall.cli import main

    def no_simulation(params: RunnerParams) -> None:  # a regression fails here instead of running for ever
        raise AssertionError(f"simulated {params}")

    monkeypatch.setattr(runner, "simulate", no_simulation)
    assert main(["simulate", "-o", str(tmp_path / "x.ffr"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not any(name in err for name in ("_s", "_hz", "_spm", "_mps", "_deg")), err
    assert not (tmp_path / "x.ffr").exists()


def test_the_library_refuses_what_it_cannot_simulate() -> None:
    """Library users keep the library's names; RunnerParams or simulate() refuses before anything is allocated."""
    from footfall.virtual.runner import MAX_DURATION_S, check_params, max_duration_s

    assert max_duration_s(416) == MAX_DURATION_S and max_duration_s(6667) < MAX_DURATION_S
    for given, message in [({"duration_s": float("inf")}, "duration_s must be a finite number"),
                           ({"mount_pitch_deg": float("nan")}, "mount_pitch_deg must be a finite"),
                           ({"seed": -1}, "seed must be 0 or more"),
                           ({"duration_s": MAX_DURATION_S + 1}, "holds in memory")]:
        with pytest.raises(FootfallError, match=message):
            simulate(RunnerParams(**given))  # type: ignore[arg-type]
    check_params(RunnerParams(duration_s=MAX_DURATION_S))


def test_outputs_are_checked_before_anything_is_written(tmp_path: Path) -> None:
    """An existing truth file was replaced, --truth naming the recording overwrote it with JSON, and a truth
    in a missing folder failed only after the recording was written."""
    kept = tmp_path / "truth.json"
    kept.write_text("precious")
    out = tmp_path / "run.ffr"
    cases = [(kept, "truth.json already exists"), (out, "is the recording itself"),
             (tmp_path / "none" / "t.json", "folder .*none does not exist"), (tmp_path, "is a folder")]
    for truth, message in cases:
        with pytest.raises(FootfallError, match=message):
            _cli("-o", str(out), "--truth", str(truth), "--duration", "2")
        assert not out.exists()
    assert kept.read_text() == "precious"
    with pytest.raises(FootfallError, match="folder .*none does not exist"):
        _cli("-o", str(tmp_path / "none" / "run.ffr"), "--duration", "2")
    out.write_bytes(b"recording")
    with pytest.raises(FootfallError, match="is the recording itself"):
        _cli("-o", str(out), "--truth", str(tmp_path / "." / "run.ffr"), "--duration", "2")
    assert out.read_bytes() == b"recording"
