"""An installed footfall (a wheel, not a checkout) carries the firmware: `footfall firmware install`, `demo` and
`virtual-shoe` said "install footfall from a checkout" (pyproject listed firmware_files/*, which did not exist)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from footfall.virtual import mpy

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_every_firmware_file_where_an_installed_footfall_looks(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("footfall-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    firmware = {p.relative_to(ROOT / "firmware").as_posix() for p in (ROOT / "firmware").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    where = mpy.INSTALLED_FIRMWARE_DIR.relative_to(Path(mpy.__file__).resolve().parents[2]).as_posix()
    assert "main.py" in firmware and "imu/lsm6dsox.py" in firmware
    assert {f"{where}/{name}" for name in firmware} <= names, sorted(firmware)


def test_a_checkout_reads_its_own_firmware_folder() -> None:
    assert mpy.firmware_dir() == ROOT / "firmware"
