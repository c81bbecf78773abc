"""Where commands write, and what a damaged recording still gives: every output is refused in one line
before any work when it cannot or should not be written, JSON is strict, and a recording whose first
record is damaged still gives its samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.cli.common import parse_columns
from footfall.errors import InputError
from footfall.protocol.decode import StreamReport
from footfall.recording.file import open_recording, read_time_base

from .test_cli import recording  # noqa: F401  (fixture: a two-sensor recording)


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    return err


def test_outputs_that_cannot_be_written_are_refused_in_one_line(recording: Path, tmp_path: Path,  # noqa: F811
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    cases = [
        (["export", str(recording), "--csv", str(tmp_path / "no" / "x.csv")], "folder"),
        (["export", str(recording), "--csv", str(tmp_path)], "is a folder"),
        (["export", str(recording), "--csv", str(recording), "--force"], "also an input"),  # was: recording lost
        (["analyse", str(recording), "--json", str(tmp_path / "a.out"), "--csv", str(tmp_path / "a.out")],
         "also an input"),  # was: the CSV silently replaced the JSON
        (["export", str(recording), "--csv", "/proc/footfall-test.csv"], "check the path"),  # was: a traceback
    ]
    for argv, said in cases:
        assert main(argv) == 2, argv
        assert said in _error(capsys), argv
    assert open_recording(recording).sensors  # the input is intact


def test_analyse_refuses_to_overwrite_unless_forced(recording: Path, tmp_path: Path,  # noqa: F811
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "steps.csv"
    out.write_text("keep me")
    assert main(["analyse", str(recording), "--csv", str(out)]) == 2
    assert "already exists" in _error(capsys) and out.read_text() == "keep me"
    assert main(["analyse", str(recording), "--csv", str(out), "--force"]) == 0
    assert out.read_text().startswith("sensor,")


def test_json_outputs_are_strict_json(recording: Path, tmp_path: Path,  # noqa: F811
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A figure that was not measured is null, never a bare NaN (which JSON readers reject)."""
    def strict(text: str) -> object:
        return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))

    assert main(["analyse", str(recording), "--json", "-"]) == 0
    doc = strict(capsys.readouterr().out)
    assert isinstance(doc, dict) and doc["steps"]
    assert any(v is None for step in doc["steps"] for v in step.values())  # not measured: null
    assert main(["info", "--json", str(recording)]) == 0
    info = strict(capsys.readouterr().out)
    assert isinstance(info, dict) and "PROBLEMS" not in info["sensors"]["L"]


def test_a_damaged_first_record_keeps_the_samples_after_it(recording: Path) -> None:  # noqa: F811
    data = bytearray(recording.read_bytes())
    data[40] ^= 1  # inside the session-details record that opens the file
    recording.write_bytes(bytes(data))
    rec = open_recording(recording)
    assert "damaged" in rec.meta["notes"] and rec.report.corrupt_records == 1
    assert sum(b.n for b in rec.blocks("L")) == 1000 and sum(b.n for b in rec.blocks("R")) == 900


def test_records_that_are_json_but_not_objects_are_skipped_as_corrupt(tmp_path: Path) -> None:
    from footfall.recording.writer import REC_NOTE, RecordingWriter, pack_record

    path = tmp_path / "odd.ffr"
    writer = RecordingWriter(path, {"runner": "ada"})
    writer._append(pack_record(REC_NOTE, 0, b"[1, 2]", 0.0))  # a valid record whose JSON is a list (was: traceback)
    writer.note({"time_base": {"offsets_samples": {"L": "abc"}}})
    writer.close()
    rec = open_recording(path)
    assert rec.meta["runner"] == "ada" and rec.report.corrupt_records == 1
    assert "time-base note is damaged" in (read_time_base(path).note or "")  # not used, said (was: refused)
    nan = tmp_path / "nan.ffr"
    with RecordingWriter(nan, {}) as writer:
        writer.note({"time_base": {"offsets_samples": {"L": 2.5, "R": "nan"}}})  # sub-sample offsets, one broken
    assert "not a finite number" in (read_time_base(nan).note or "")


def test_late_samples_left_out_are_said_in_the_link_summary() -> None:
    report = StreamReport(frames=10, samples=200, reordered=1, late_samples=20)
    assert "20 samples of late frames left out" in report.summary()
    assert "PROBLEMS" not in report.as_dict() and report.as_dict()["late_samples"] == 20
    one = StreamReport(frames=1, samples=20, gaps=1, missing_frames=1, missing_samples=1, late_samples=1)
    assert one.summary() == ("1 frame, 20 samples; 1 gap, 1 missing frame, 1 missing sample, "
                             "1 sample of late frames left out")


def test_column_maps_name_known_columns_once() -> None:
    assert parse_columns("acc_x=ax, gyr_z=gz") == {"acc_x": "ax", "gyr_z": "gz"}
    with pytest.raises(InputError, match="unknown name 'bogus'"):
        parse_columns("bogus=acc_x")
    with pytest.raises(InputError, match="given for two names"):
        parse_columns("acc_x=a,acc_y=a")


def test_the_summary_table_puts_the_left_foot_first_and_names_what_it_counts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Left before right whichever foot stepped first (the columns swapped between runs), the steps row says
    which steps the figures use, and the files are written before the table (a reader leaving early, as
    `| head` does, lost them)."""
    from footfall.virtual.runner import preset, simulate, write_run

    run = simulate(preset("heel-overstrider", duration_s=30.0))
    assert min(run.feet, key=lambda side: run.feet[side].truth.ic_s[0]) == "R"  # the right foot lands first
    write_run(run, tmp_path / "run.ffr")
    assert main(["analyse", str(tmp_path / "run.ffr"), "--csv", str(tmp_path / "s.csv")]) == 0
    out = capsys.readouterr().out
    assert out.index(" left ") < out.index(" right ") < out.index(" both feet ")  # (it read "L (L)", "R (R)")
    assert "running steps" in out and "distance (all steps)" in out
    assert (tmp_path / "s.csv").read_text().startswith("sensor,")


def test_analyse_says_what_is_wrong_with_the_file_itself(recording: Path,  # noqa: F811
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The gaps are the sensors' view; the file's own damage (corrupt records, a cut tail, an interrupted
    recording) is said too, as `footfall info` says it (was: only "N gaps, M samples missing")."""
    def notes() -> list[str]:
        assert main(["analyse", str(recording), "--json", "-"]) == 0
        return [n for n in json.loads(capsys.readouterr().out)["summary"]["notes"] if n.startswith("the file")]

    assert notes() == []
    data = bytearray(recording.read_bytes())
    data[len(data) // 2] ^= 0xFF
    recording.write_bytes(bytes(data[:-100]))
    [note] = notes()
    report = open_recording(recording).report
    assert report.corrupt_records == 1 and report.tail == "truncated" and not report.clean_close
    assert note.startswith(f"the file: {report.skipped_bytes} damaged bytes skipped in 1 place")
    assert f"last {report.tail_bytes} bytes are cut off mid-record" in note and "interrupted" in note
    assert main(["analyse", str(recording)]) == 0
    said = " ".join(capsys.readouterr().out.split())  # the table's notes wrap at the terminal width
    assert f"note: the file: {report.skipped_bytes} damaged bytes skipped in 1 place" in said


def test_analyse_csv_to_standard_output(recording: Path, tmp_path: Path,  # noqa: F811
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`--csv -` writes the step rows to standard output, as `--json -` does (it made a file called '-')."""
    assert main(["analyse", str(recording), "--csv", str(tmp_path / "steps.csv")]) == 0
    capsys.readouterr()
    assert main(["analyse", str(recording), "--csv", "-"]) == 0
    with (tmp_path / "steps.csv").open(newline="") as f:
        assert capsys.readouterr().out == f.read()
    assert not Path("-").exists()
    assert main(["analyse", str(recording), "--csv", "-", "--json", "-"]) == 2
    assert "both ask for standard output" in _error(capsys)


def test_errors_name_the_whole_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """"footfall history show: error: ...", as argparse names it (was "footfall history: error: ...")."""
    assert main(["runner", "--db", str(tmp_path / "h.db"), "add", "ana"]) == 0
    assert main(["history", "--db", str(tmp_path / "h.db"), "show", "99"]) == 2
    assert _error(capsys).startswith("footfall history show: error: no session 99")
    assert main(["analyse", str(tmp_path / "none.ffr")]) == 2
    assert _error(capsys).startswith("footfall analyse: error:")
