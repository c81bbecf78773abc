"""`footfall live` and `footfall demo` from the command line, as a user runs them."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.session import analyse_recording
from footfall.cli import main
from footfall.protocol.clock import ClockParams, check_clock
from footfall.recording.file import open_recording
from footfall.sources.virtual import RigParams
from footfall.store import Store
from footfall.virtual.imu_model_lsm6dsox import true_rate_hz
from footfall.virtual.runner import preset, simulate, write_run

ROOT = Path(__file__).resolve().parents[2]


def test_live_replay_stores_history_cues_and_audio(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from footfall.coaching.cues import CueParams

    monkeypatch.setattr(CueParams, "grace_s", 0.0)  # a live run waits 5 min before cueing: this replay lasts 60 s
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


def test_live_in_a_retired_pair_warns_and_finds_the_shoe_ignoring_case(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`history add` warned of a retired pair, a live session in it did not."""
    write_run(simulate(preset("heel-overstrider", duration_s=15.0)), tmp_path / "run.ffr")
    db = str(tmp_path / "history.sqlite")
    for argv in (["runner", "add", "ann"], ["shoes", "add", "ann", "Pegasus"], ["shoes", "retire", "1"]):
        assert main([*argv, "--db", db]) == 0
    code = main(["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "0", "--runner", "ann", "--shoe", "pegasus",
                 "--db", db])
    assert code == 0 and "warning: shoe Pegasus is retired; this run is added to its distance anyway" in \
        capsys.readouterr().out
    with Store(db) as store:
        assert store.sessions("ann")[0].shoe_id == 1 and store.shoe(1).distance_km > 0


def test_live_phases_cue_only_in_the_cue_phase_and_mark_each_phase(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`--phases`: the physiotherapist's baseline / cue / retest without noting times by hand."""
    write_run(simulate(preset("heel-overstrider", duration_s=70.0)), tmp_path / "run.ffr")
    db = tmp_path / "history.sqlite"
    assert main(["runner", "--db", str(db), "add", "ann"]) == 0
    assert main(["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "0", "--phases", "baseline:20,cue:25,retest:15",
                 "--runner", "ann", "--db", str(db), "--record", str(tmp_path / "clinic.ffr")]) == 0
    out = capsys.readouterr().out
    with Store(db) as store:
        marked = [(g.label, g.start_s, g.end_s) for g in store.segments(1)]
        cues, last_s = store.cues(1), max(s.ic_time_s for s in store.steps(1))
    print(f"segments {marked}; cues at {[round(c.time_s, 1) for c in cues]} s; last step {last_s:.1f} s")
    assert marked == [("baseline", 0.0, 20.0), ("cue", 20.0, 45.0), ("retest", 45.0, 60.0)]
    assert cues and all(20 <= c.time_s < 45 for c in cues) and 59 < last_s <= 61  # the plan ended the session
    assert "phase cue" in out and re.search(r"segment +baseline +cue +retest\n +seconds +0-20 +20-45 +45-60", out)
    # the recording is this session already (its hash is stored): added again only when asked, marked the same
    assert main(["history", "add", str(tmp_path / "clinic.ffr"), "--runner", "ann", "--db", str(db)]) == 2
    assert "clinic.ffr is already session 1" in capsys.readouterr().err
    assert main(["history", "add", str(tmp_path / "clinic.ffr"), "--runner", "ann", "--db", str(db), "--force"]) == 0
    with Store(db) as store:  # the recording keeps the plan: added later, it is marked the same
        assert [(g.label, g.start_s, g.end_s) for g in store.segments(2)] == marked
    assert main(["live", f"replay:{tmp_path / 'run.ffr'}", "--phases", "cue:1m", "--duration", "30"]) == 2
    assert "give --phases or --duration, not both" in capsys.readouterr().err


def test_unknown_runner_fails_before_connecting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["live", "virtual:", "--runner", "nobody", "--db", str(tmp_path / "h.sqlite")]) == 2
    assert "no runner called 'nobody'" in capsys.readouterr().err


def test_live_bad_source_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "footfall", "live", f"replay:{tmp_path / 'missing.ffr'}"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


def test_a_replay_stops_at_its_duration_of_recording_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--duration 10` on a replay played as fast as possible stops after 10 s of the recording (it used to
    count wall-clock seconds, so a fast replay played the whole file), in both feet: one file is read ahead of
    the other, and the session used to end when the first reached 10 s (the other at 9.4 s, its last steps lost)."""
    write_run(simulate(preset("heel-overstrider", duration_s=30.0)), tmp_path / "run.ffr")
    assert main(["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "0", "--duration", "10",
                 "--record", str(tmp_path / "part.ffr")]) == 0
    part = open_recording(tmp_path / "part.ffr")
    played = {foot: max(s.end_index / s.rate_hz for s in part.blocks(foot)) for foot in "LR"}
    print(f"played {played} s of the recording")
    assert all(10.0 <= t <= 10.1 for t in played.values()), played


def test_a_session_at_its_own_pace_ends_on_the_clock(tmp_path: Path) -> None:
    """Played in real time, `--duration 3` ends 3 s in (a first version of the fast-replay end waited 2 s more
    for sensors whose time base was not settled yet: every session under 8 s overran by 2 s)."""
    write_run(simulate(preset("heel-overstrider", duration_s=10.0)), tmp_path / "run.ffr")
    started = time.monotonic()
    assert main(["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "1", "--duration", "3",
                 "--record", str(tmp_path / "part.ffr")]) == 0
    took_s = time.monotonic() - started
    part = open_recording(tmp_path / "part.ffr")
    played = {foot: max(s.end_index / s.rate_hz for s in part.blocks(foot)) for foot in "LR"}
    print(f"took {took_s:.1f} s; played {played} s")
    assert took_s < 4.5 and all(2.5 <= t <= 3.6 for t in played.values()), (took_s, played)


def test_session_options_are_checked_before_the_session(tmp_path: Path) -> None:
    """A negative --duration or --speed, or a cue-audio file in a missing folder, is one line before anything
    runs (a demo of -3 s ran and stored an empty recording; the WAV failed at the end with a traceback)."""
    for argv in (["demo", "--duration", "-3"], ["live", "replay:x.ffr", "--speed", "-1"],
                 ["live", "replay:x.ffr", "--audio", str(tmp_path / "no" / "cues.wav")],
                 ["demo", "--phases", "baseline:1m,cue:0"], ["demo", "--phases", "cue:1m", "--duration", "30"]):
        proc = subprocess.run([sys.executable, "-m", "footfall", *argv], capture_output=True, text=True, timeout=60,
                              cwd=tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, (argv, proc.stderr)
    assert not list(tmp_path.glob("*.ffr"))


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Refused with one line on stderr and nothing on stdout; that line."""
    assert main(argv) == 2, argv
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, (argv, out, err)
    return err


def test_runner_only_options_need_a_runner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--shoe Pegasus` without --runner ran and counted the run on no pair; --db alone stored nothing."""
    write_run(simulate(preset("heel-overstrider", duration_s=5.0)), tmp_path / "run.ffr")
    db = str(tmp_path / "h.sqlite")
    for argv in (["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "0", "--shoe", "Pegasus"],
                 ["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "0", "--db", db],
                 ["demo", "--shoe", "Pegasus", "--record", str(tmp_path / "d.ffr")], ["demo", "--db", db]):
        err = _refused(argv, capsys)
        assert re.search(r"error: --(shoe|db) needs --runner", err), err
    assert not (tmp_path / "h.sqlite").exists() and not (tmp_path / "d.ffr").exists()


def test_one_or_two_sources_each_given_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three replays of one file made six lanes that the summary called one foot."""
    run = f"replay:{tmp_path / 'run.ffr'}"
    write_run(simulate(preset("heel-overstrider", duration_s=5.0)), tmp_path / "run.ffr")
    refusals = {(run, run, run, "--speed", "0"): "3 sensors given", ("ble:a", "ble:b", "serial:/dev/x"): "3 sensors",
                ("virtual:", "ble:footfall-L"): "3 sensors", (run, f"replay:{tmp_path}/../{tmp_path.name}/run.ffr"):
                "given twice", ("ble:footfall-L", "ble:footfall-L"): "given twice", ("virtual:R", "virtual:R"):
                "source virtual:R is given twice"}
    for argv, words in refusals.items():
        assert words in _refused(["live", *argv], capsys)


def test_an_existing_recording_is_refused_before_anything_is_printed(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The demo said "recording to run.ffr" and then that run.ffr exists; an input is never the output."""
    write_run(simulate(preset("heel-overstrider", duration_s=5.0)), tmp_path / "run.ffr")
    (tmp_path / "old.ffr").write_bytes(b"keep")
    for argv in (["demo", "--record", str(tmp_path / "old.ffr")],
                 ["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "0", "--record", str(tmp_path / "old.ffr")]):
        assert "old.ffr already exists (choose another name or delete it first" in _refused(argv, capsys)
    assert "is also an input" in _refused(["live", f"replay:{tmp_path / 'run.ffr'}", "--record",
                                           str(tmp_path / "run.ffr")], capsys)
    assert "does not exist" in _refused(["demo", "--record", str(tmp_path / "no" / "d.ffr")], capsys)
    assert (tmp_path / "old.ffr").read_bytes() == b"keep"


def test_demo_help_lists_presets_and_explains_feet(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--preset {heel-overstrider,midfoot,forefoot,walk,mixed}" in text
    assert re.search(r"--feet \{L,R,both\} +which virtual shoes", text), text


def test_a_recorded_session_names_its_recording_in_the_history(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A session stored with --record said only "live" in `history`, `history show` and the report."""
    write_run(simulate(preset("heel-overstrider", duration_s=20.0)), tmp_path / "run.ffr")
    db = str(tmp_path / "h.sqlite")
    assert main(["runner", "--db", db, "add", "ann"]) == 0
    record = tmp_path / "physio.ffr"
    assert main(["live", f"replay:{tmp_path / 'run.ffr'}", "--speed", "0", "--runner", "ann", "--db", db,
                 "--record", str(record)]) == 0
    with Store(db) as store:
        assert store.session(1).source == f"live: {record}"


@pytest.mark.micropython
def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "footfall", "demo", "--duration", "16", "--stats",
                           "--record", str(tmp_path / "demo.ffr")], capture_output=True, text=True, timeout=120)
    print(proc.stdout[-1500:])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Shorter, quicker steps" in proc.stdout and "rearfoot" in proc.stdout
    assert "no gaps or errors" in proc.stdout and "latency, IC in the sensor stream" in proc.stdout
    assert "L: calibrated on" in proc.stdout  # the demo stands 5.5 s first; the notes reach the live summary
    assert (tmp_path / "demo.ffr").stat().st_size > 100_000
    _each_foot_runs_at_its_chip_s_own_rate(tmp_path / "demo.ffr")
    _the_feet_share_one_time_base(tmp_path / "demo.ffr", 16.0)


def _the_feet_share_one_time_base(path: Path, duration_s: float) -> None:
    """Against the virtual runner's own ICs (docs/examples/demo_skew.py): the live alignment left the feet within
    a few ms of each other (usually ~1 ms; 5 ms in 1 of 6 measured runs; unaligned they are ~1 s apart)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("demo_skew", ROOT / "docs" / "examples" / "demo_skew.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    skew, lags = module.skew_ms(str(path), duration_s)
    print(f"left/right skew against the runner: {skew:+.2f} ms (lags {lags})")
    assert abs(skew) <= 8.0


def _each_foot_runs_at_its_chip_s_own_rate(path: Path) -> None:
    """The rig's two chips are trimmed +1.5 % and -1.05 % off the typical 416.7 Hz: the host must time each foot
    by its own chip's rate, or the feet drift apart and both cadences are off (by +1.5 % and -1.05 %)."""
    steps, _ = analyse_recording(str(path))
    truth_spm = preset(RigParams().preset).cadence_spm
    for side, trim in zip("LR", RigParams().freq_fine):
        rate_hz = next(iter(open_recording(path).blocks(side))).rate_hz
        stride_s = np.median([s.stride_time_s for s in steps if s.sensor == side and math.isfinite(s.stride_time_s)])
        print(f"{side}: chip at {rate_hz} Hz (trim {trim:+d}); cadence {120 / stride_s:.2f} steps/min, "
              f"runner {truth_spm}; taken at the nominal 416 Hz it would read {120 / stride_s * 416 / rate_hz:.2f}")
        assert rate_hz == pytest.approx(true_rate_hz(416, trim), abs=1e-3)
        assert abs(120 / stride_s / truth_spm - 1) < 0.005
        frames = open_recording(path).frames(side)  # the status frames time the chip against the board's clock
        decoder = open_recording(path).decoder(side)
        decoder.feed_many([f.data for f in frames], [f.arrival_time_s for f in frames])
        clock = check_clock(decoder.clock_pairs, rate_hz, ClockParams(min_span_s=5.0))
        print(f"{side}: sample clock over {clock.span_s:.1f} s of device time: {clock.rate_hz:.3f} Hz")
        assert abs(clock.error_vs(rate_hz)) < 5e-4
