"""Output files written whole or not at all: into a temporary file beside the final name, flushed to the disk,
then renamed onto it (os.replace is atomic on one file system). A write that fails (a full disk) removes the
temporary and leaves the old file as it was: --force asks to replace a file, never to destroy it on failure."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from footfall.errors import InputError

DISK_FULL = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
PRIVATE_MODE = 0o600  # a new output (report, export, recording) holds health data: its owner's only, whatever the umask


@contextmanager
def atomic_output(path: Path, mode: int | None = None) -> Iterator[Path]:
    """A temporary path in `path`'s folder for the caller to write; on success it becomes `path` (fsynced, then
    renamed); on any error it is removed, `path` keeps its old content (or stays absent) and an OSError is said
    in one line (InputError): "disk full: nothing written, X unchanged" when the disk or a size limit is full.
    `mode`: the file's permissions (default: a replaced file keeps its own, a new one is PRIVATE_MODE: it holds
    health data, and the usual umask 022 let every user of the computer read it)."""
    if path.exists() and not path.is_file():  # /dev/stdout, a FIFO: written in place, as nothing else can be
        yield path
        return
    target = path.resolve() if path.is_symlink() else path  # a link stays a link: the file it names is replaced
    try:
        tmp = _temporary(target)
    except OSError as exc:  # (a missing or unwritable folder)
        raise _write_error(path, exc) from None
    try:
        yield tmp
        _sync(tmp)
        wanted = _keep_mode(target) if mode is None else mode
        os.chmod(tmp, wanted | stat.S_IWUSR)  # writable until in place: Windows deletes no read-only file
        os.replace(tmp, target)
        if not wanted & stat.S_IWUSR:  # a read-only file stays read-only once replaced
            os.chmod(target, wanted)
    except OSError as exc:
        raise _write_error(path, exc) from None
    finally:
        _remove(tmp)


def _remove(tmp: Path) -> None:
    """The temporary gone, if still there. A failure here must never hide the error that brought us here (on
    Windows a read-only file cannot be deleted: its read-only flag is cleared first)."""
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        try:
            os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # a stray .part file is a smaller harm than hiding why the write failed


def _temporary(path: Path) -> Path:
    """A new empty file beside `path` (hidden, ending .part), for one write."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    return Path(name)


def write_text_atomic(path: Path, text: str, newline: str | None = None, mode: int | None = None) -> Path:
    """`text` (UTF-8) as `path`, whole or not at all (atomic_output, `mode` as there)."""
    with atomic_output(path, mode) as tmp, open(tmp, "w", encoding="utf-8", newline=newline) as f:
        f.write(text)
    return path


def _sync(path: Path) -> None:
    """The data on the disk before the rename: a crash just after it must not leave an empty file by the name."""
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _keep_mode(path: Path) -> int:
    """A replaced file keeps its permissions (its owner chose them); a new one is PRIVATE_MODE (as mkstemp made
    the temporary). On Windows a mode sets only the read-only flag: the file gets its folder's access list."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return PRIVATE_MODE


def _write_error(path: Path, exc: OSError) -> InputError:
    kept = f"{path} unchanged" if path.exists() else f"{path} not created"
    if exc.errno in DISK_FULL:
        return InputError(f"disk full: nothing written, {kept}", hint="free some space, or write to another disk")
    return InputError(f"cannot write {path}: {exc.strerror or exc}; nothing written, {kept}",
                      hint="check the path and its permissions")
