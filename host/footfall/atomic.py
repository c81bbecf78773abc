"""Output files written whole or not at all: into a temporary file beside the final name, flushed to the disk,
then renamed onto it (os.replace is atomic on one file system). A write that fails (a full disk) removes the
temporary and leaves the old file as it was: --force asks to replace a file, never to destroy it on failure."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from footfall.errors import InputError

DISK_FULL = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path in `path`'s folder for the caller to write; on success it becomes `path` (fsynced, then
    renamed); on any error it is removed, `path` keeps its old content (or stays absent) and an OSError is said
    in one line (InputError): "disk full: nothing written, X unchanged" when the disk or a size limit is full."""
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
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise _write_error(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


def _temporary(path: Path) -> Path:
    """A new empty file beside `path` (hidden, ending .part), for one write."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    return Path(name)


def write_text_atomic(path: Path, text: str, newline: str | None = None) -> Path:
    """`text` (UTF-8) as `path`, whole or not at all (atomic_output)."""
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8", newline=newline) as f:
        f.write(text)
    return path


def _sync(path: Path) -> None:
    """The data on the disk before the rename: a crash just after it must not leave an empty file by the name."""
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _keep_mode(path: Path, tmp: Path) -> None:
    """A replaced file keeps its permissions; a new one gets the usual ones (mkstemp makes it 0600)."""
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _write_error(path: Path, exc: OSError) -> InputError:
    kept = f"{path} unchanged" if path.exists() else f"{path} not created"
    if exc.errno in DISK_FULL:
        return InputError(f"disk full: nothing written, {kept}", hint="free some space, or write to another disk")
    return InputError(f"cannot write {path}: {exc.strerror or exc}; nothing written, {kept}",
                      hint="check the path and its permissions")
