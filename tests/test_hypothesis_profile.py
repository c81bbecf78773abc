"""Under CI (the CI variable set) the property tests are derandomised (tests/conftest.py): a rare failure repeats on
a rerun. Run in a fresh interpreter, since the profile is chosen when conftest is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_PROBE = """
import sys
sys.path.insert(0, {tests!r})
import conftest
from hypothesis import settings
print(settings.default.derandomize, settings.get_profile("ci").derandomize)
"""


@pytest.mark.parametrize(("ci", "derandomized"), [("true", True), ("1", True), ("false", False), (None, False)])
def test_ci_variable_derandomizes(ci: str | None, derandomized: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({} if ci is None else {"CI": ci})
    env.pop("HYPOTHESIS_PROFILE", None)
    code = _PROBE.format(tests=str(Path(__file__).parent))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == [str(derandomized), "True"]
