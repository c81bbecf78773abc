"""`footfall info/export/import/bench` through footfall.cli.main, and once as a real process: bad input
gives one clear line, a non-zero exit and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from footfall.cli import main
from footfall.recording.file import SiStream, open_recording, write_si_recording

from .test_csvio import HEADER, foot_signals, write


@pytest.fixture()
def recording(tmp_path: Path) -> Path:
    _, acc, gyr = foot_signals(1000)
    streams = [SiStream("L", "L", 200, acc, gyr), SiStream("R", "R", 200, acc[:900], gyr[:900])]
    return write_si_recording(tmp_path / "run.ffr", streams, {"runner": "ada"})


def test_info(recording: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(recording)]) == 0
    out = capsys.readouterr().out
    assert "runner: ada" in out
    assert "sensor L (side L; virtual, 200 Hz, +-16 g, +-2000 dps" in out and "5.0 s" in out and "4.5 s" in out
    assert "1000 samples; no gaps or errors" in out and "900 samples" in out


def test_info_json_counts_damage(recording: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = recording.read_bytes()
    recording.write_bytes(data[: len(data) - 300])
    assert main(["info", "--json", str(recording)]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["file"]["tail"] == "truncated" and out["file"]["clean_close"] is False
    assert out["sensors"]["L"]["samples"] + out["sensors"]["R"]["samples"] < 1900


def test_export_then_import(recording: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_csv = tmp_path / "run.csv"
    assert main(["export", str(recording), "--csv", str(out_csv), "--sensor", "R"]) == 0
    assert "wrote 900 samples of R" in capsys.readouterr().out
    assert out_csv.read_text().splitlines()[0].startswith("sensor,side,sample_index,time_s,acc_x_mps2")
    assert main(["export", str(recording), "--csv", str(out_csv)]) == 2  # refuses to overwrite
    assert "already exists" in capsys.readouterr().err
    assert main(["import", str(out_csv), "-o", str(tmp_path / "back.ffr")]) == 0
    assert "sensor R (side R): 900 samples at 200 Hz, with gyro" in capsys.readouterr().out


def test_import_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t, acc, gyr = foot_signals()
    turned = np.array([-1.0, -1.0, 1.0])  # sensor turned 180 degrees about z: file x, y = -foot x, y
    src = write(tmp_path / "other.csv", "t,ax,ay,az,gx,gy,gz", t, acc * turned / 9.80665, np.degrees(gyr * turned))
    args = ["import", str(src), "--acc-unit", "g", "--gyr-unit", "deg/s",
            "--columns", "time_s=t,acc_x=ax,acc_y=ay,acc_z=az,gyr_x=gx,gyr_y=gy,gyr_z=gz", "--side", "L"]
    assert main([*args, "-o", str(tmp_path / "o.ffr"), "--axes=-x,-y,z"]) == 0
    (block,) = open_recording(tmp_path / "o.ffr").blocks("L")
    assert np.abs(block.acc_mps2 - acc).max() < 0.01 and np.abs(block.gyr_radps - gyr).max() < 0.01
    assert main([*args, "-o", str(tmp_path / "m.ffr"), "--axes", "x,y,-z"]) == 2
    assert "mirrors" in capsys.readouterr().err and not (tmp_path / "m.ffr").exists()
    assert main(["import", str(src), "-o", str(tmp_path / "c.ffr"), "--columns", "acc_x"]) == 2
    assert "NAME=COLUMN" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    (["info", "{tmp}/missing.ffr"], "does not exist"),
    (["info", "{tmp}/notes.txt"], "not a footfall recording"),
    (["export", "{tmp}/notes.txt", "--csv", "{tmp}/o.csv"], "not a footfall recording"),
    (["import", "{tmp}/wrong.csv", "-o", "{tmp}/w.ffr"], "no column acc_x"),
    (["import", "{tmp}/in_g.csv", "-o", "{tmp}/g.ffr"], "looks like it is in g"),
])
def test_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                               message: str) -> None:
    (tmp_path / "notes.txt").write_text("my run notes\n")
    (tmp_path / "wrong.csv").write_text("when,x,y,z\n0,1,2,3\n")
    t, acc, gyr = foot_signals(400)
    write(tmp_path / "in_g.csv", HEADER, t, acc / 9.80665, gyr)
    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err
    print(err)
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_bad_input_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("time_s,acc_x,acc_y,acc_z\n0,0,0,1\n0.01,0,0,1\n0.02,0,0,1.01\n")
    proc = subprocess.run([sys.executable, "-m", "footfall", "import", str(tmp_path / "in.csv"), "-o",
                           str(tmp_path / "x.ffr")], capture_output=True, text=True, timeout=60)
    print(proc.stderr)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("footfall import: error:") and "--acc-unit g" in proc.stderr
    assert not (tmp_path / "x.ffr").exists()


@pytest.mark.skipif(os.name == "nt", reason="a POSIX shell pipeline: cmd.exe has neither head nor /dev/stdout")
def test_a_reader_that_leaves_early_is_no_error(recording: Path) -> None:
    """`footfall export ... --csv /dev/stdout | head -1`: the pipe closes under the writer; that is the
    reader's choice, not a failure (the OSError rule for unwritable files must not catch it)."""
    proc = subprocess.run(f"{sys.executable} -m footfall export {recording} --csv /dev/stdout --force | head -1",
                          shell=True, capture_output=True, text=True, timeout=60)
    assert proc.stdout.startswith("sensor,side,") and proc.stderr == ""


def test_bench_prints_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--frames", "2000", "--minutes", "0.2", "--sensors", "1"]) == 0
    out = capsys.readouterr().out
    for figure in ("decode_frame frames/s", "StreamDecoder.feed frames/s", "PacketReader MB/s",
                   "recording read+decode frames/s", "bytes/sample on disk"):
        assert figure in out


def test_export_to_standard_output(recording: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--csv -` writes the samples to standard output and the line about them to stderr (it made a file '-')."""
    assert main(["export", str(recording), "--csv", str(tmp_path / "r.csv"), "--sensor", "R"]) == 0
    capsys.readouterr()
    assert main(["export", str(recording), "--csv", "-", "--sensor", "R"]) == 0
    out, err = capsys.readouterr()
    assert out == (tmp_path / "r.csv").read_text() and "wrote 900 samples of R to -" in err
    assert not Path("-").exists()


@pytest.mark.parametrize("argv", [["--minutes", "0"], ["--minutes", "-1"], ["--frames", "0"], ["--sensors", "3"],
                                  ["--hours", "inf"]])
def test_bench_refuses_meaningless_sizes(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """`bench --minutes -1` printed "0 x real time ... (-1 min ...)" and exited 0."""
    with pytest.raises(SystemExit) as exit_:
        main(["bench", *argv])
    assert exit_.value.code == 2 and f"argument {argv[0]}" in capsys.readouterr().err
