"""Text in and out on Windows and macOS as well as Linux (docs/notes qa15 findings 3-5).

Windows is emulated: standard output that is a cp1252 (or ASCII) pipe with errors="strict", as Python makes it
there when output is redirected, and a default file encoding of cp1252 (`open()` without an encoding), as on a
Western-European Windows outside UTF-8 mode.
"""

from __future__ import annotations

import builtins
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from footfall.cli import main
from footfall.csvfile.convert import ImportOptions, export_csv, import_csv
from footfall.protocol.encode import SiStream
from footfall.recording.file import open_recording, write_si_recording
from footfall.virtual.runner import RunnerParams, simulate


class Pipe:
    """sys.stdout and sys.stderr as Windows makes them for a pipe or a file: a code page, errors="strict".
    Made in the test itself: pytest puts its own capture back in sys.stdout after the fixtures ran."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
        self.out = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
        self.err = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
        monkeypatch.setattr(sys, "stdout", self.out)
        monkeypatch.setattr(sys, "stderr", self.err)

    def read(self) -> tuple[str, str]:
        texts = []
        for stream in (self.out, self.err):
            stream.flush()
            texts.append(stream.buffer.getvalue().decode(stream.encoding))  # type: ignore[attr-defined]
        return texts[0], texts[1]


@pytest.fixture
def windows_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """open() / Path.open() / np.loadtxt without an encoding read and write cp1252, as on Windows."""
    real = io.open

    def cp1252_open(file: Any, mode: str = "r", buffering: int = -1, encoding: str | None = None,
                    errors: str | None = None, newline: str | None = None, closefd: bool = True,
                    opener: Any = None) -> Any:
        if "b" not in mode and encoding in (None, "locale"):
            encoding = "cp1252"
        return real(file, mode, buffering, encoding, errors, newline, closefd, opener)

    monkeypatch.setattr(io, "open", cp1252_open)
    monkeypatch.setattr(builtins, "open", cp1252_open)
    openers = np.lib._datasource._file_openers  # np.loadtxt's: it keeps the `open` of its first use
    openers._load()
    monkeypatch.setitem(openers._file_openers, None, cp1252_open)
    yield


def test_a_name_the_code_page_cannot_show_prints_as_a_question_mark(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cp1252_pipe = Pipe(monkeypatch, "cp1252")
    assert main(["runner", "add", "Łukasz", "--db", str(db)]) == 0
    assert main(["runner", "list", "--db", str(db)]) == 0  # a UnicodeEncodeError before
    out, err = cp1252_pipe.read()
    assert "?ukasz" in out and "Łukasz" not in out
    assert err == ""


def test_an_error_message_with_such_a_name_still_reaches_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    cp1252_pipe = Pipe(monkeypatch, "cp1252")
    assert main(["info", str(tmp_path / "Łukasz-Zoë.ffr")]) == 2
    _, err = cp1252_pipe.read()
    assert "footfall info: error:" in err and "?ukasz-Zoë.ffr" in err  # ë is in cp1252, Ł is not


def test_ascii_output_too(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = Pipe(monkeypatch, "ascii")  # LANG=C LC_ALL=C
    assert main(["runner", "add", "Zoë", "--db", str(db)]) == 0
    out, _ = pipe.read()
    assert out.startswith("Zo?:")


def test_streams_without_reconfigure_are_left_alone(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["runner", "add", "Łukasz", "--db", str(db)]) == 0
    assert out.getvalue().startswith("Łukasz:")


@pytest.mark.realdata
def test_validate_prints_ascii_bounds_on_a_cp1252_pipe(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cp1252_pipe = Pipe(monkeypatch, "cp1252")
    assert main(["validate", "--data", str(shared_data), "--only", "gaitmap"]) in (0, 1)
    out, _ = cp1252_pipe.read()
    assert "<= 10" in out and ">= 1" in out
    assert "?" not in out  # nothing was replaced: the table is plain ASCII inside


# --- CSV files are UTF-8 whatever the system's default encoding (finding 4) ---------------------------------


def _recording(path: Path, sensor: str, seconds: float = 20.0) -> Path:
    run = simulate(RunnerParams(duration_s=seconds, seed=3, rate_hz=416))
    stream = SiStream(sensor, "L", 416, run.feet["L"].acc_mps2, run.feet["L"].gyr_radps)
    return write_si_recording(path, [stream], {"source": "test"})


@pytest.fixture(scope="module")
def lukasz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _recording(tmp_path_factory.mktemp("rec") / "l.ffr", "Łukasz-L")


def test_export_csv_writes_utf8(tmp_path: Path, lukasz: Path, windows_files: None) -> None:
    out = tmp_path / "x.csv"
    rows = export_csv(open_recording(lukasz), out)  # a UnicodeEncodeError ('charmap') before
    assert rows > 0
    data = out.read_bytes()
    assert "\nŁukasz-L,L,".encode() in data
    data.decode("utf-8")


def test_exported_csv_round_trips_on_windows(tmp_path: Path, windows_files: None) -> None:
    rec = _recording(tmp_path / "a.ffr", "Läufer", seconds=5.0)
    export_csv(open_recording(rec), tmp_path / "a.csv")  # was cp1252 ('L\xe4ufer'): import then refused it
    result = import_csv(tmp_path / "a.csv", tmp_path / "b.ffr", ImportOptions(side="L"))
    assert [s.sensor for s in result.streams] == ["Läufer"]


def test_a_utf8_csv_with_a_bom_imports_its_names_on_windows(tmp_path: Path, windows_files: None) -> None:
    t = np.arange(2000) / 200
    rows = "".join(f"Läufer,L,{x:.6f},0,0,9.81,0,0,0\n" for x in t)
    src = tmp_path / "excel.csv"
    src.write_bytes(("\ufeffsensor,side,time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n" + rows).encode("utf-8"))
    result = import_csv(src, tmp_path / "e.ffr", ImportOptions(check_units=False))
    assert [s.sensor for s in result.streams] == ["Läufer"]  # 'LÃ¤ufer' before


def test_analyse_csv_file_is_utf8(tmp_path: Path, lukasz: Path, windows_files: None,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "steps.csv"
    assert main(["analyse", str(lukasz), "--csv", str(out)]) == 0  # a UnicodeEncodeError before
    lines = out.read_bytes().split(b"\n")
    assert len(lines) > 10 and lines[-1] == b""
    assert lines[1].decode("utf-8").startswith("Łukasz-L,L,")


# --- CSV rows end in LF: standard output on Windows makes that CRLF, not CR CR LF (blank rows) (finding 5) ------


def test_analyse_csv_to_stdout_ends_rows_in_lf_only(lukasz: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(lukasz), "--csv", "-"]) == 0
    out = capsys.readouterr().out
    assert "\r" not in out
    lines = out.split("\n")
    assert len(lines) > 10 and lines[0].startswith("sensor,") and lines[-1] == ""


def test_csv_text_and_write_csv(tmp_path: Path, lukasz: Path) -> None:
    from footfall.analysis.session import analyse_recording
    from footfall.report.export import csv_text, read_steps, write_csv

    steps, _ = analyse_recording(str(lukasz))
    assert steps
    text = csv_text(steps)
    assert "\r" not in text and text.count("\n") == len(steps) + 1
    path = write_csv(steps, tmp_path / "s.csv")
    assert path.read_bytes() == text.encode("utf-8")
    assert len(read_steps(path)[0]) == len(steps)  # and it reads back
