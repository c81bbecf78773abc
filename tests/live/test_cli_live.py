"""`footfall live` and `footfall demo` from the command line, as a user runs them."""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.store import Store
from footfall.virtual.runner import preset, simulate, write_run


def test_live_replay_stores_history_cues_and_audio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = simulate(preset("heel-overstrider", duration_s=60.0))
    write_run(run, tmp_path / "run.ffr")
    db = tmp_path / "history.sqlite"
    assert main(["runner", "--db", str(db), "add", "ann", "--leg-length-m", "0.9"]) == 0
    assert main(["shoes", "add", "ann", "pegasus", "--db", str(db)]) == 0
    code = main(["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "0", "--record", str(tmp_path / "again.ffr"),
                 "--runner", "ann", "--shoe", "pegasus", "--db", str(db), "--audio", str(tmp_path / "cues.wav")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Shorter, quicker steps" in out and "After the run" in out and "stored as session 1" in out
    with Store(db) as store:
        session = store.sessions("ann")[0]
        steps, cues = store.steps(session.id), store.cues(session.id)
        shoe = store.shoe_named("ann", "pegasus")
    assert session.shoe_id == shoe.id and shoe.distance_km > 0.1  # the run's distance went onto the pair
    print(f"stored {len(steps)} steps and {len(cues)} cues: {[c.text for c in cues]}")
    assert len(steps) >= 140 and cues and cues[0].kind.value == "quicker_steps"
    with wave.open(str(tmp_path / "cues.wav")) as w:
        assert w.getnframes() / w.getframerate() > 55.0


def test_unknown_runner_fails_before_connecting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["live", "virtual:", "--runner", "nobody", "--db", str(tmp_path / "h.sqlite")]) == 2
    assert "no runner called 'nobody'" in capsys.readouterr().err


def test_live_bad_source_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "footfall", "live", f"replay:{tmp_path / 'missing.ffr'}"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


@pytest.mark.micropython
def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "footfall", "demo", "--duration", "16", "--stats",
                           "--record", str(tmp_path / "demo.ffr")], capture_output=True, text=True, timeout=120)
    print(proc.stdout[-1500:])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Shorter, quicker steps" in proc.stdout and "rearfoot" in proc.stdout
    assert "no gaps or errors" in proc.stdout and "latency, IC in the sensor stream" in proc.stdout
    assert "L: not calibrated" in proc.stdout  # the analysers' notes reach the live summary (it runs from the start)
    assert (tmp_path / "demo.ffr").stat().st_size > 100_000
