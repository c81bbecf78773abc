"""The analyser end to end: two sensors, the summary, and the `analyse` / `validate` commands."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.pipeline import blocks_from_arrays
from footfall.analysis.session import Session, analyse_recording, analyse_session
from footfall.analysis.summary import summarise
from footfall.cli import main
from footfall.samples import SampleBlock
from footfall.virtual.runner import RunnerParams, preset, simulate

RUN = simulate(RunnerParams(duration_s=40.0, cadence_spm=176.0, seed=12))


def _streams(run=RUN, block_n: int = 400):
    return {s: blocks_from_arrays(f.acc_mps2, f.gyr_radps, f.rate_hz, s, s, block_n) for s, f in run.feet.items()}


def test_two_feet_flight_time_and_cadence() -> None:
    steps, reports = analyse_session(_streams())
    summary = summarise(steps, reports, 40.0)
    truth_cad = np.mean([f.truth.cadence_spm for f in RUN.feet.values()])
    got = summary.combined.figures
    contact = np.median([c.contact_time_ms for f in RUN.feet.values() for c in f.truth.contacts])
    step_s = 60.0 / RUN.params.cadence_spm
    print(f"cadence {got['cadence_spm']:.2f} vs {truth_cad:.2f}; flight {got['flight_time_ms']:.0f} ms "
          f"(step - contact = {1000 * step_s - contact:.0f} ms)")  # fmt: skip
    assert abs(got["cadence_spm"] - truth_cad) < 0.5
    assert abs(got["flight_time_ms"] - (1000 * step_s - contact)) < 15.0
    assert summary.cadence_note.startswith("both feet")
    assert set(summary.feet) == {"L", "R"} and summary.feet["L"].steps > 40
    assert all("two_feet" in s.flags for s in steps if s.ic_time_s > 14.0)
    assert set(summary.symmetry_index_pct) == {"contact_time", "stride_length", "impact", "flight_time"}


def test_a_block_of_the_wrong_shape_is_refused_with_the_root_error() -> None:
    from footfall.errors import InputError

    with pytest.raises(InputError, match=r"acc \(5, 3\) and gyr \(5, 2\) must both be \(n, 3\)"):
        SampleBlock("L", "L", 416.0, 0, np.zeros((5, 3)), np.zeros((5, 2)))


def test_left_right_asymmetry_against_the_simulators() -> None:
    """A runner whose left contact is 8 % longer and lands 6 deg more toe-up than the right (symmetry index of
    contact time 8 %, strike angle difference 6 deg); its stride lengths are the same on both feet."""
    run = simulate(RunnerParams(duration_s=60.0, asymmetry_pct=8.0, strike_asymmetry_deg=6.0, seed=5))
    steps, reports = analyse_session(_streams(run))
    summary = summarise(steps, reports, 60.0)
    si = summary.symmetry_index_pct
    print(f"contact time SI {si['contact_time']:.2f} % (truth 8), strike diff {summary.strike_angle_diff_deg:.2f} "
          f"deg (truth 6), stride length SI {si['stride_length']:.2f} % (truth 0)")
    assert si["contact_time"] == pytest.approx(8.0, abs=1.5)
    assert summary.strike_angle_diff_deg == pytest.approx(6.0, abs=1.0)
    assert abs(si["stride_length"]) < 1.0


def _release_delays_s(feet: tuple[str, ...]) -> list[float]:
    """Fed as live (17-sample blocks, feet interleaved): IC to the step's release, after the mounting is learnt."""
    session, delays_s = Session(sensors=feet), []
    n = min(len(f.acc_mps2) for f in RUN.feet.values())
    for lo in range(0, n, 17):
        for side in feet:
            f, hi = RUN.feet[side], min(n, lo + 17)
            steps = session.feed(SampleBlock(side, side, f.rate_hz, lo, f.acc_mps2[lo:hi], f.gyr_radps[lo:hi]))
            delays_s += [hi / f.rate_hz - s.ic_time_s for s in steps if s.ic_time_s > 15.0]
    return delays_s


def test_pairing_waits_only_for_the_other_foots_open_contact() -> None:
    """A step goes out once its own toe-off is confirmed; the other foot is in the air by then, so pairing adds
    no wait (it used to wait for the other foot's next step, ~one step time more)."""
    paired, alone = _release_delays_s(("L", "R")), _release_delays_s(("L",))
    print(f"IC to step: paired median {np.median(paired):.3f} s (max {max(paired):.3f}), "
          f"one foot {np.median(alone):.3f} s (max {max(alone):.3f})")  # fmt: skip
    assert len(paired) > 2 * len(alone) - 4 > 40
    assert np.median(paired) < np.median(alone) + 0.01 and max(paired) < max(alone) + 0.05


def test_steps_are_released_in_time_order_when_the_feet_are_learnt_at_different_times() -> None:
    """Live, each foot's mounting is learnt from its own first 12 s of samples, so one foot's first steps come
    out a block before the other's. They used to be released foot by foot (all L, then all R), and the coach,
    which reads steps as a time series, cued "quicker steps" at 3.7 s in a demo whose 12th step came at 7.5 s."""
    session, released = Session(sensors=("L", "R")), []
    n = min(len(f.acc_mps2) for f in RUN.feet.values())
    for lo in range(0, n, 400):
        for side, shift in (("L", 0), ("R", 400)):  # R's samples arrive one block later
            f, a, b = RUN.feet[side], max(0, lo - shift), max(0, min(n, lo + 400 - shift))
            if b > a:
                released += session.feed(SampleBlock(side, side, f.rate_hz, a, f.acc_mps2[a:b], f.gyr_radps[a:b]))
    times = [s.ic_time_s for s in released]
    print(f"{len(times)} steps released; out of order: {sum(b < a for a, b in zip(times, times[1:]))}")
    assert len(times) > 60 and times == sorted(times)


def test_one_foot_says_steps_are_twice_strides() -> None:
    steps, reports = analyse_session({"R": _streams()["R"]})
    summary = summarise(steps, reports, 40.0)
    assert summary.cadence_note.startswith("one foot: steps = 2 x strides")
    assert summary.not_measured["flight_time_ms"] == "needs a sensor on each foot"
    assert abs(summary.combined.figures["cadence_spm"] - RUN.feet["R"].truth.cadence_spm) < 0.5


def test_mixed_session_segments_keep_running_figures_clean() -> None:
    run = simulate(preset("mixed", duration_s=70.0, seed=4))
    steps, reports = analyse_session(_streams(run))
    summary = summarise(steps, reports, 70.0)
    acts = [s.activity for s in summary.segments]
    print([(s.activity, round(s.start_s, 1), round(s.end_s, 1)) for s in summary.segments])
    assert acts[:3] == ["standing", "walking", "running"]
    walk, runseg = summary.segments[1], summary.segments[2]
    # the simulator ramps from walking to running over ~3 s after 25 s; we call a step running once it has a
    # flight phase (duty factor < 0.5) or a short contact, which happens near the end of the ramp
    assert abs(walk.start_s - 5.0) < 2.0 and 25.0 <= runseg.start_s < 29.0
    assert summary.basis == "running"
    truth = np.mean([f.truth.cadence_spm for f in run.feet.values()])
    assert abs(summary.combined.figures["cadence_spm"] - truth) < 1.0  # the walk does not dilute it


def test_summary_json_has_the_documented_keys() -> None:
    steps, reports = analyse_session(_streams())
    d = summarise(steps, reports, 40.0).to_dict()
    figures = d["combined"]["figures"]
    for key in ("cadence_spm", "stride_length_m", "contact_time_ms", "strike_angle_deg", "overstride_index"):
        assert key in figures
    assert set(d["combined"]["pattern_shares"]) == {"rearfoot", "midfoot", "forefoot"}
    json.dumps(d, allow_nan=False)  # NaN became null: valid JSON


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from footfall.recording.file import SiStream, write_si_recording

    path = tmp_path_factory.mktemp("rec") / "run.ffr"
    streams = [SiStream(s, s, f.rate_hz, f.acc_mps2, f.gyr_radps) for s, f in RUN.feet.items()]
    write_si_recording(path, streams, {"notes": "test"})
    return path


def test_recording_gives_the_same_steps_as_arrays(recording: Path) -> None:
    from_file, _ = analyse_recording(str(recording))
    from_arrays, _ = analyse_session(_streams())
    a = np.array([s.ic_time_s for s in from_file])
    b = np.array([s.ic_time_s for s in from_arrays])
    assert len(a) == len(b) > 80
    assert np.abs(a - b).max() < 0.003  # the recording quantises to sensor counts


def test_analyse_command_writes_json_and_csv(recording: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out_json, out_csv = tmp_path / "a.json", tmp_path / "a.csv"
    assert main(["analyse", str(recording), "--json", str(out_json), "--csv", str(out_csv)]) == 0
    printed = capsys.readouterr().out
    assert "cadence" in printed and "contact time" in printed
    doc = json.loads(out_json.read_text())
    assert doc["summary"]["combined"]["figures"]["cadence_spm"] > 150
    for sensor in doc["sensors"].values():  # how each sensor was read: mounting and calibration
        assert sensor["samples"] > 10000 and sensor["alignment"]["good"] and len(sensor["alignment"]["matrix"]) == 3
        assert sensor["calibration"]["measured"] is False and sensor["calibration"]["standing_g"] is None
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == len(doc["steps"]) > 80 and "ic_time_s" in rows[0]
    from footfall.report.export import read_steps  # the CSV is the export's own format: both read back alike

    assert "nan" not in out_csv.read_text() and any(r["flags"].count(";") for r in rows)
    assert [repr(s) for s in read_steps(out_csv)[0]] == [repr(s) for s in read_steps(out_json)[0]]


def test_analyse_reads_a_csv_as_import_does(recording: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`footfall analyse run.csv` (another IMU's CSV, here in g and deg/s) = `import` then `analyse`."""
    exported = tmp_path / "both.csv"
    assert main(["export", str(recording), "--csv", str(exported), "--sensor", "R"]) == 0
    rows = list(csv.DictReader(exported.open()))
    foreign = tmp_path / "foreign.csv"
    with foreign.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["t", "ax", "ay", "az", "gx", "gy", "gz"])
        for r in rows:
            acc = [float(r[f"acc_{a}_mps2"]) / 9.80665 for a in "xyz"]
            gyr = [math.degrees(float(r[f"gyr_{a}_radps"])) for a in "xyz"]
            w.writerow([r["time_s"], *acc, *gyr])
    options = ["--acc-unit", "g", "--gyr-unit", "deg/s", "--side", "R",
               "--columns", "time_s=t,acc_x=ax,acc_y=ay,acc_z=az,gyr_x=gx,gyr_y=gy,gyr_z=gz"]
    capsys.readouterr()
    assert main(["analyse", str(foreign), "--json", str(tmp_path / "direct.json"), *options]) == 0
    assert "cadence" in capsys.readouterr().out
    assert main(["import", str(foreign), "-o", str(tmp_path / "imported.ffr"), *options]) == 0
    assert main(["analyse", str(tmp_path / "imported.ffr"), "--json", str(tmp_path / "via.json")]) == 0
    direct, via = (json.loads((tmp_path / n).read_text())["steps"] for n in ("direct.json", "via.json"))
    assert len(direct) == len(via) > 40 and direct == via
    assert main(["analyse", str(foreign), *options[4:]]) == 2  # no units given: the unit check names the fix
    assert "--acc-unit g" in capsys.readouterr().err


def test_analyse_command_missing_file_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["analyse", str(tmp_path / "nope.ffr")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_validate_command_runs_one_dataset(shared_data: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["validate", "--data", str(shared_data), "--only", "gaitmap"])
    out = capsys.readouterr().out
    assert "ic_error_median_ms" in out and code == 0


def test_steps_are_finite_where_measured() -> None:
    steps, _ = analyse_session(_streams())
    assert len(steps) > 100
    for name, low, high in (("contact_time_ms", 100, 500), ("cadence_spm", 150, 200)):
        values = np.array([getattr(s, name) for s in steps])
        measured = values[np.isfinite(values)]
        assert len(measured) > 0.9 * len(steps) and ((low < measured) & (measured < high)).all(), name
