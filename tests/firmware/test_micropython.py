"""The firmware's pure modules under the real MicroPython unix port (mpy_selftest.py does the checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.virtual.mpy import firmware_dir, run_micropython
from footfall.virtual.shoe import VIRTUAL_DIR

pytestmark = pytest.mark.micropython


def test_pure_modules_under_micropython() -> None:
    script = (Path(__file__).parent / "mpy_selftest.py").read_text()
    proc = run_micropython(script, path=[VIRTUAL_DIR, firmware_dir()], timeout_s=120)
    out = proc.stdout.decode()
    print(out, proc.stderr.decode()[-2000:])
    assert proc.returncode == 0 and out.rstrip().endswith("ALL OK")
    assert out.count("ok ") == 9


def test_main_imports_without_touching_hardware() -> None:
    # importing main must only define things: no I2C, no radio, no tasks (the shim would say so)
    script = "import main\nimport machine\nprint(machine._IMU is None, machine._started[0])\n"
    proc = run_micropython(script, path=[VIRTUAL_DIR / "mpy_shims", VIRTUAL_DIR, firmware_dir()])
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().split() == ["True", "False"]
