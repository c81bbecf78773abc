"""Hostile CSVs for `footfall import` (qa17): not a regular file, not UTF-8, a line too long for the header search,
quoted numbers, a column mapped to two roles, a sensor id with a line break, and an import refused half-way
(which left a stub recording behind, so the retry said "already exists")."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

from footfall.cli import main
from footfall.csvfile.convert import ImportOptions, import_csv
from footfall.errors import FootfallError, InputError
from footfall.recording.file import open_recording

from .test_csvio import HEADER, foot_signals, write


def _csv(tmp_path: Path, name: str = "ok.csv") -> Path:
    return write(tmp_path / name, HEADER, *foot_signals(400))


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    said: list[str] = []

    def run() -> None:
        try:
            import_csv(fifo, tmp_path / "p.ffr")
        except FootfallError as exc:
            said.append(str(exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "import waited on the FIFO"
    assert said and said[0].startswith(f"{fifo} is a FIFO (named pipe), not a CSV file"), said


def test_a_utf16_file_is_named_with_how_to_save_it_as_utf8(tmp_path: Path) -> None:
    """Excel's "Unicode text" was "'utf-8' codec can't decode byte 0xff in position 0"."""
    src = _csv(tmp_path)
    (tmp_path / "u16.csv").write_text(src.read_text(), encoding="utf-16")
    with pytest.raises(InputError, match="it is UTF-16") as said:
        import_csv(tmp_path / "u16.csv", tmp_path / "u.ffr")
    assert "CSV UTF-8" in said.value.hint and "iconv -f UTF-16 -t UTF-8 u16.csv" in said.value.hint


@pytest.mark.parametrize("where", [0, 5])
def test_a_latin1_line_is_named_with_its_line_number(tmp_path: Path, where: int) -> None:
    """A Latin-1 comment (Gerät) above the header was a bare codec error; below it, a traceback."""
    lines = _lines(_csv(tmp_path))
    lines.insert(where, "# Ger\xe4t 12\n")
    (tmp_path / "l1.csv").write_bytes("".join(lines).encode("latin-1"))
    said_re = rf"line {where + 1} is not UTF-8 \(byte 0xe4\): it looks like Latin-1"
    with pytest.raises(InputError, match=said_re) as said:
        import_csv(tmp_path / "l1.csv", tmp_path / "l.ffr")
    assert "iconv -f LATIN1 -t UTF-8 l1.csv" in said.value.hint
    assert not (tmp_path / "l.ffr").exists()


def test_a_cell_too_long_for_the_csv_module_is_named_not_a_traceback(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A 140,000-character preamble line: `_csv.Error: field larger than field limit (131072)`."""
    src = tmp_path / "pre.csv"
    src.write_text("x" * 140_000 + "\n" + "".join(_lines(_csv(tmp_path))))
    assert main(["import", str(src), "-o", str(tmp_path / "p.ffr"), "--side", "L"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "pre.csv, line 1 has a cell of over 131,072 characters" in err, err


def test_a_line_longer_than_the_header_search_holds_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Header, then a 50 MB line: a traceback. The limit is 16 M characters; 2,000 here to keep the test small."""
    from footfall.csvfile import text

    monkeypatch.setattr(text, "MAX_LINE_CHARS", 2000)
    lines = _lines(_csv(tmp_path))
    lines.insert(1, "1" * 5000 + "\n")
    lines.insert(0, "#" + "c" * 5000 + "\n")  # a comment that long is skipped, not refused
    (tmp_path / "long.csv").write_text("".join(lines))
    with pytest.raises(InputError, match=r"long.csv, line 3 is over 2,000 characters long: not a CSV of samples"):
        import_csv(tmp_path / "long.csv", tmp_path / "l.ffr")


def test_quoted_numbers_read_as_numbers(tmp_path: Path) -> None:
    """`"0.1","9.8",...` (valid CSV from some loggers) was refused as "not a number"."""
    src = _csv(tmp_path)
    quoted = tmp_path / "q.csv"
    rows = _lines(src)
    quoted.write_text(rows[0] + "".join(",".join(f'"{c}"' for c in r.rstrip("\n").split(",")) + "\n" for r in rows[1:]))
    plain = import_csv(src, tmp_path / "p.ffr").streams[0]
    got = import_csv(quoted, tmp_path / "q.ffr").streams[0]
    np.testing.assert_array_equal(got.acc_mps2, plain.acc_mps2)
    np.testing.assert_array_equal(got.sample_index, plain.sample_index)


def test_a_quote_left_open_is_named_with_its_line(tmp_path: Path) -> None:
    rows = _lines(_csv(tmp_path))
    rows[10] = '"' + rows[10]
    (tmp_path / "open.csv").write_text("".join(rows))
    with pytest.raises(InputError, match="open.csv, line 11: column time_s holds .* a quote that is not closed"):
        import_csv(tmp_path / "open.csv", tmp_path / "o.ffr")


def test_a_column_mapped_to_two_roles_is_refused(tmp_path: Path) -> None:
    """`--columns acc_x=time_s` was accepted: the time column read as acceleration too."""
    said_re = r"--columns acc_x=time_s: column 'time_s' would be read as both time_s and acc_x"
    with pytest.raises(InputError, match=said_re):
        import_csv(_csv(tmp_path), tmp_path / "t.ffr", ImportOptions(columns={"acc_x": "time_s"}))


@pytest.mark.parametrize("sensor", ["a\nb", "tab\there", "bell\x07"])
def test_a_sensor_id_with_a_control_character_is_refused(tmp_path: Path, sensor: str) -> None:
    with pytest.raises(InputError, match="must be one line of printable text"):
        import_csv(_csv(tmp_path), tmp_path / "s.ffr", ImportOptions(sensor=sensor))
    assert not (tmp_path / "s.ffr").exists()


def test_a_sensor_column_with_a_control_character_is_refused(tmp_path: Path) -> None:
    rows = _lines(_csv(tmp_path))
    (tmp_path / "sc.csv").write_text("sensor," + rows[0] + "".join(f'"a\tb",{r}' for r in rows[1:]))
    with pytest.raises(InputError, match=r"sensor id 'a\\tb' \(in the sensor column\) must be one line"):
        import_csv(tmp_path / "sc.csv", tmp_path / "sc.ffr")


def test_an_import_refused_half_way_leaves_no_stub_so_the_retry_works(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A 70,000-character --sensor: "metadata ... exceeds 65535", and a 259-byte stub that made the retry say
    "already exists"."""
    src, out = _csv(tmp_path), tmp_path / "i9.ffr"
    assert main(["import", str(src), "-o", str(out), "--sensor", "x" * 70_000]) == 2
    assert "exceeds 65535" in capsys.readouterr().err and not out.exists()
    assert main(["import", str(src), "-o", str(out), "--sensor", "left"]) == 0
    assert list(open_recording(out).sensors) == ["left"]
