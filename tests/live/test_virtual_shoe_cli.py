"""`footfall virtual-shoe` as a builder runs it: the runner played at the board's own sample rate, a recording
at the board's ranges (and refused at a rate the board's IMU does not offer), options checked in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from footfall.analysis.session import analyse_recording
from footfall.analysis.summary import summarise
from footfall.cli import main
from footfall.virtual.runner import preset, simulate, write_run


def _shoe(*argv: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "footfall", "virtual-shoe", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("USB serial: "):
            return proc, line.split()[2].rstrip(";")
    raise AssertionError(proc.stderr.read() if proc.stderr else "no serial port printed")


@pytest.mark.micropython
def test_the_m5_board_plays_the_runner_at_its_own_rate(tmp_path: Path) -> None:
    """The MPU6886 samples at 500 Hz: counts made for 416 Hz played the 172 steps/min runner at 207."""
    proc, port = _shoe("--board", "m5stickc_plus2", "--runner", "midfoot", "--duration-s", "30")
    try:
        assert main(["live", f"serial:{port}", "--duration", "12", "--record", str(tmp_path / "m5.ffr")]) == 0
    finally:
        proc.terminate()
        proc.wait(10)
    steps, reports = analyse_recording(str(tmp_path / "m5.ffr"))
    cadence = summarise(steps, reports).combined.figures["cadence_spm"]
    print(f"m5 virtual shoe: {len(steps)} steps, {cadence:.1f} steps/min (runner: 172)")
    assert abs(cadence / 172.0 - 1) < 0.02


def test_a_recording_the_board_cannot_sample_at_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_run(simulate(preset("midfoot", duration_s=5.0, rate_hz=500)), tmp_path / "m5.ffr")
    assert main(["virtual-shoe", "--play", str(tmp_path / "m5.ffr")]) == 2
    assert "sampled at 500 Hz, which the xiao_esp32s3's lsm6dso32 does not offer" in capsys.readouterr().err


def test_every_firmware_board_profile_is_a_virtual_board(capsys: pytest.CaptureFixture[str]) -> None:
    """--board offered two of the three profiles of firmware/boards.py (not xiao_esp32s3_lsm6dsox)."""
    from footfall.flash import load_boards
    from footfall.virtual.mpy import firmware_dir
    from footfall.virtual.shoe import board_imu

    boards = load_boards(firmware_dir())
    assert "xiao_esp32s3_lsm6dsox" in boards and {b: board_imu(b) for b in boards} == \
        {b: p["imu"] for b, p in boards.items()}
    assert main(["virtual-shoe", "--board", "nope"]) == 2
    assert "unknown board 'nope' (one of: xiao_esp32s3, " in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["virtual-shoe", "--radio", "nonsense"], ["virtual-shoe", "--duration-s", "0"],
                                  ["scan", "--timeout", "0"]])
def test_bad_options_are_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """--radio nonsense started a shoe that died silently; --duration-s 0 named duration_s; scan listened -1 s."""
    with pytest.raises(SystemExit):
        main(argv)
    assert f"argument {argv[1]}" in capsys.readouterr().err


def test_a_recording_is_played_at_the_board_s_own_ranges(tmp_path: Path) -> None:
    """A ±16 g recording played on the ±32 g LSM6DSO32: its own counts, read at the board's scale, gave twice its
    acceleration; now its samples are the board's counts."""
    import numpy as np

    from footfall.virtual.shoe_sources import recording_counts, scales

    run = simulate(preset("midfoot", duration_s=5.0, acc_range_g=16))
    write_run(run, tmp_path / "r16.ffr")
    counts, rate_hz = recording_counts(tmp_path / "r16.ffr", "L", "lsm6dso32", 32)
    acc_mps2_per_count, _ = scales("lsm6dso32", 32, 2000)
    played = counts[:, :3] * acc_mps2_per_count
    first = run.feet["L"].acc_mps2[: len(played)]
    assert rate_hz == pytest.approx(416, abs=1) and np.allclose(played, first, atol=1.5 * acc_mps2_per_count)
