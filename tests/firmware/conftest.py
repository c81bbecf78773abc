"""Firmware tests: the firmware's pure modules imported under CPython, and helpers to run MicroPython."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIRMWARE = REPO / "firmware"
if str(FIRMWARE) not in sys.path:
    sys.path.insert(0, str(FIRMWARE))

from fw_rig import Rig  # noqa: E402


@pytest.fixture
def rig() -> Rig:
    return Rig()
