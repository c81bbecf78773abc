"""Atomic outputs over a read-only file (qa18 finding 10).

Windows refuses to replace a read-only file and to delete one: the temporary must stay writable until it is in
place, and a failed cleanup must never hide the first error (a raw "[WinError 5] ... .part" and a stray .part
file were the result). Windows is emulated by an os.replace and an unlink that refuse read-only files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from footfall import atomic
from footfall.errors import InputError


def _read_only(path: str | os.PathLike[str]) -> bool:
    return os.path.exists(path) and not os.stat(path).st_mode & stat.S_IWUSR


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace, real_unlink = os.replace, Path.unlink

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if _read_only(src) or _read_only(dst):
            raise PermissionError(13, "Access is denied", str(dst))
        real_replace(src, dst)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if _read_only(self):
            raise PermissionError(13, "Access is denied", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "unlink", unlink)


def _parts(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def test_a_read_only_file_on_windows_is_one_clear_error_and_no_part_file(windows: None, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    target.write_text("old")
    target.chmod(0o444)
    with pytest.raises(InputError) as err:
        atomic.write_text_atomic(target, "new")
    assert f"cannot write {target}: Access is denied; nothing written, {target} unchanged" in str(err.value)
    assert ".part" not in str(err.value)
    assert _parts(tmp_path) == [] and target.read_text() == "old"


def test_a_cleanup_that_fails_does_not_hide_the_first_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_unlink(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Access is denied", str(self))

    monkeypatch.setattr(Path, "unlink", no_unlink)
    with pytest.raises(InputError, match="disk full: nothing written"):
        with atomic.atomic_output(tmp_path / "y.json"):
            raise OSError(28, "No space left on device")


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_read_only_file_replaced_with_force_stays_read_only(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    target.write_text("old")
    target.chmod(0o444)
    atomic.write_text_atomic(target, "new")
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o444
    assert _parts(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_the_mode_asked_for_is_the_mode_written(tmp_path: Path) -> None:
    for mode in (0o600, 0o640, 0o400):
        path = atomic.write_text_atomic(tmp_path / f"m{mode:o}.json", "{}", mode=mode)
        assert stat.S_IMODE(path.stat().st_mode) == mode
