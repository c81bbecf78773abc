"""The text of another IMU's CSV, judged before any of it is parsed: a regular file (a FIFO would wait forever
and /dev/zero never ends), UTF-8 (the encoding every reader of the import uses; a UTF-16 or Latin-1 file is
named as such, with how to save it as UTF-8), and lines the header search can hold.

Positions are line numbers of the file as an editor shows them (convert's docstring).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from footfall.errors import InputError
from footfall.recording.records import not_regular

# the header search reads lines whole: one longer than this is no line of a CSV (a header of 200,000 columns is
# 1.5 M characters), so reading stops there instead of filling memory
MAX_LINE_CHARS = 16 << 20
CSV_FIELD_LIMIT = 131_072  # Python's csv module refuses a longer cell (csv.field_size_limit())
CHUNK_BYTES = 1 << 20
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
SAVE_AS_UTF8 = ('save it as UTF-8: in Excel "CSV UTF-8 (comma delimited)", in LibreOffice the character set '
                '"Unicode (UTF-8)", or `iconv -f {enc} -t UTF-8 {name} > {stem}-utf8.csv`')


def check_text_file(path: Path) -> None:
    """Refuse what is not a regular file, and a file that is not UTF-8, naming its line and encoding."""
    if (what := not_regular(path)) is not None:
        raise InputError(f"{path} is {what}, not a CSV file", hint="give the CSV file itself")
    try:
        with open(path, "rb") as f:
            _check_utf8(path, f.read(2), f)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist", hint="check the file name") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _check_utf8(path: Path, head: bytes, f: BinaryIO) -> None:
    """The whole file decoded a chunk at a time (in C: ~0.1 s for 100 MB), the first bad byte's line named."""
    _refuse_utf16(path, head)
    decoder, line, chunk = codecs.getincrementaldecoder("utf-8")(), 1, head
    while chunk:
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, line + exc.object.count(b"\n", 0, exc.start), exc.object[exc.start]) from None
        line += chunk.count(b"\n")
        chunk = f.read(CHUNK_BYTES)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:  # cut inside a character at the very end
        raise _not_utf8(path, line, None) from None


def _refuse_utf16(path: Path, head: bytes) -> None:
    if head in UTF16_BOMS:
        raise InputError(f"cannot read {path} as text: it is UTF-16 (Excel's \"Unicode text\"); footfall reads "
                         "UTF-8", hint=_save_hint(path, "UTF-16"))


def _not_utf8(path: Path, line: int, byte: int | None) -> InputError:
    said = f"byte 0x{byte:02x}" if byte is not None else "a character cut short at the end"
    latin = byte is not None and byte >= 0xA0  # ä, é, ° ... in Latin-1 / Windows-1252
    guess = ": it looks like Latin-1 or Windows-1252 text" if latin else ""
    return InputError(f"cannot read {path} as text: line {line} is not UTF-8 ({said}){guess}",
                      hint=_save_hint(path, "LATIN1" if latin else "ENCODING") if latin or byte is None
                      else "footfall imports CSV text; if this is one, " + _save_hint(path, "ENCODING"))


def _save_hint(path: Path, encoding: str) -> str:
    return SAVE_AS_UTF8.format(enc=encoding, name=path.name, stem=path.stem)


def bounded_lines(f: TextIO, path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line, none longer than MAX_LINE_CHARS: a longer one is refused, naming it,
    unless it is a comment (#), which is skipped a piece at a time."""
    k = 0
    while line := f.readline(MAX_LINE_CHARS + 1):
        k += 1
        if len(line) <= MAX_LINE_CHARS or line.endswith("\n"):
            yield k, line
        elif line.startswith("#"):
            while (rest := f.readline(MAX_LINE_CHARS)) and not rest.endswith("\n"):
                pass
        else:
            raise InputError(f"{path.name}, line {k} is over {MAX_LINE_CHARS:,} characters long: not a CSV of "
                             "samples", hint="check that this is the file you meant, and that it has line breaks")


def cell_too_long(path: Path, line: int) -> InputError:
    return InputError(f"{path.name}, line {line} has a cell of over {CSV_FIELD_LIMIT:,} characters: not a CSV of "
                      "samples", hint="a CSV of samples starts with a header that names its columns: is this the "
                      "file you meant?")
