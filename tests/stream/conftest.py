"""Fixtures of the stream tests: the test vectors and firmware/frame.py imported under CPython."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"


def load_vectors(name: str) -> Any:
    return json.loads((VECTORS / name).read_text())


@pytest.fixture(scope="session")
def fw_frame() -> ModuleType:
    """firmware/frame.py as a CPython module (under its own name, so it cannot shadow anything)."""
    spec = importlib.util.spec_from_file_location("firmware_frame", REPO / "firmware" / "frame.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
