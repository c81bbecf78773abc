"""Shared fixtures. Real recordings live in ../shared/data beside the repository and are never copied in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real reference recordings; tests that need it skip cleanly when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


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
