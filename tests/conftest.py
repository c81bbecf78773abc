"""Shared fixtures. Real recordings live in ../shared/data beside the repository and are never copied in."""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"  # the default; $FOOTFALL_DATA points the tests elsewhere

# Property tests draw new inputs on every local run. Under CI (the CI variable, set by GitHub Actions, GitLab CI and
# most services; CI=false or 0 counts as unset) they are derandomised: a failure comes back on a rerun instead of
# showing once and vanishing (CI keeps no .hypothesis database), its reproduction blob is printed, and no
# per-example deadline trips on a loaded runner. `pytest --hypothesis-profile=ci` does the same locally. Loaded
# here, before any test module is imported, so every @settings(...) inherits it.
settings.register_profile("ci", derandomize=True, print_blob=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default" if os.environ.get("CI", "").lower() in ("", "0", "false") else "ci")


def data_dir() -> Path:
    """Where the reference recordings are, as `footfall validate` looks (footfall.validation.run.default_data_dir):
    $FOOTFALL_DATA when set (a fuller or a partial copy of the datasets), else ../shared/data beside the checkout."""
    from footfall.validation.run import DATA_ENV

    return Path(os.environ[DATA_ENV]).expanduser() if os.environ.get(DATA_ENV) else SHARED_DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real reference recordings; tests that need it skip cleanly when it is absent (but fail when
    $FOOTFALL_DATA names a folder that does not exist: a typo must not read as "no data, skipped")."""
    from footfall.validation.run import DATA_ENV

    folder = data_dir()
    if not folder.is_dir():
        if os.environ.get(DATA_ENV):
            pytest.fail(f"${DATA_ENV} is {folder}, which is not a folder")
        pytest.skip(f"reference data not found at {folder}")
    return folder


@pytest.fixture(scope="session")
def data_with(shared_data: Path) -> Callable[[str], Path]:
    """`data_with("pyshoe-vicon")`: the data folder, or a skip when it lacks that dataset (a partial copy); a file
    works too: `data_with("ipol-walking/GaitData/13-3_rf.txt")` for a test of one recording."""

    def folder(name: str) -> Path:
        if not (shared_data / name).exists():
            pytest.skip(f"no {name} in {shared_data}")
        return shared_data

    return folder


@pytest.fixture(scope="session")
def gaitmap_data(data_with: Callable[[str], Path]) -> Path:
    """The data folder, its gaitmap example files checked (a copy lacking one skips, naming it)."""
    from footfall.validation import gaitmap

    data = data_with(gaitmap.NAME)
    if missing := gaitmap.missing_files(data / gaitmap.NAME):
        pytest.skip(f"{gaitmap.NAME} lacks {', '.join(missing)}")
    return data


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture
def local_zone() -> Iterator[Callable[[str], None]]:
    """`local_zone("Pacific/Auckland")` runs the rest of the test with that zone as this computer's (TZ, then
    time.tzset), and the zone comes back after it. Skips where there is no time.tzset (Windows)."""
    if not hasattr(time, "tzset"):
        pytest.skip("the time zone is set through TZ and time.tzset, which this platform lacks")
    with pytest.MonkeyPatch.context() as patch:
        def use(name: str) -> None:
            patch.setenv("TZ", name)
            time.tzset()

        yield use
    time.tzset()  # the zone the environment had before


# The commands that read or write the history database, and so get the test's own with `--db`.
_DB_COMMANDS = {"runner", "shoes", "history", "checkin", "advice", "report", "live", "demo"}
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A history database of the test's own (created by the first command that writes)."""
    return tmp_path / "h.sqlite"


@pytest.fixture
def ff(db: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """`footfall ARGV` in this process, on the test's own history database: (exit code, stdout, stderr)."""
    from footfall.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        extra = ["--db", str(db)] if argv[0] in _DB_COMMANDS and "--db" not in argv else []
        code = main([*argv, *extra])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


class FakeDisk:
    """A raw file that takes `room` bytes (the last write short, as the kernel does; each write at most `chunk`),
    then fails with `err` (ENOSPC: the disk is full)."""

    def __init__(self, path: str, mode: str, buffering: int, state: dict[str, Any]) -> None:
        self._f = open(path, mode, buffering=buffering)  # noqa: SIM115
        self.room, self.chunk, self.err = state["room"], state["chunk"], state["err"]

    def write(self, data: Any) -> int:
        if self.room <= 0:
            raise OSError(self.err, "No space left on device" if self.err == errno.ENOSPC else "Input/output error")
        n = self._f.write(bytes(data[: min(self.room, self.chunk)]))
        self.room -= n
        return n

    def fileno(self) -> int:
        return self._f.fileno()

    def close(self) -> None:
        self._f.close()

    @property
    def closed(self) -> bool:
        return self._f.closed


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Each file the recording writer creates is a FakeDisk with this dict's `room`, `chunk` and `err` as they are
    when it is created (set them in the test; by default it never fills); `crashed` collects threads' exceptions."""
    from footfall.recording import writer as recording_writer

    state: dict[str, Any] = {"room": 1 << 40, "chunk": 1 << 30, "err": errno.ENOSPC, "crashed": []}
    monkeypatch.setattr(recording_writer, "open", lambda path, mode, buffering: FakeDisk(path, mode, buffering, state),
                        raising=False)
    monkeypatch.setattr(threading, "excepthook", state["crashed"].append)
    return state


def overwrite_root_page(path: Path, table: str) -> None:
    """Damage a history file as a disk error would: `table`'s root page overwritten."""
    import sqlite3

    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xab" * page_size)


@pytest.fixture
def damage_table() -> Callable[[Path, str], None]:
    """overwrite_root_page, for tests in any folder."""
    return overwrite_root_page


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the `micropython` tests, with the reason, where MicroPython's unix port cannot run (Windows, Intel Mac)."""
    if not any(item.get_closest_marker("micropython") for item in items):
        return
    from footfall.virtual.mpy import unix_port_problem

    problem = unix_port_problem()
    if problem is None:
        return
    skip = pytest.mark.skip(reason=problem)
    for item in items:
        if item.get_closest_marker("micropython"):
            item.add_marker(skip)


NO_RADIO = "the virtual radio needs bumble"  # footfall.virtual.mpy.radio_problem's words


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    """A test module that cannot import the virtual radio because bumble is not installed (pip leaves it out on
    Windows on ARM64, where it has no wheel) is skipped with that reason, not a collection error that stops the run;
    a module failing for any other reason still fails."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.failed and NO_RADIO in str(report.longrepr):
        report.outcome, report.longrepr = "skipped", (str(collector.path), 0, f"Skipped: {NO_RADIO}")
