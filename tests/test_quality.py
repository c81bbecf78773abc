"""House rules checked on every run: the host package type-checks, and no module grows past ~500 lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 500


def test_host_package_is_mypy_clean() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_no_source_file_is_too_long() -> None:
    long = [(str(p.relative_to(REPO)), n) for p in [*REPO.glob("host/**/*.py"), *REPO.glob("firmware/**/*.py")]
            if (n := len(p.read_text().splitlines())) > MAX_LINES]
    assert not long, long


def test_ci_runs_the_readme_test_command() -> None:
    readme = [line for line in (REPO / "README.md").read_text().splitlines() if line.startswith("python3 -m venv")]
    assert len(readme) >= 2 and "pytest" in readme[1]
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert readme[1] in ci  # the README's second command, exactly as CI runs it
