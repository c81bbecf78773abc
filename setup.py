"""The wheel carries the firmware sources as footfall/firmware_files, so `footfall firmware install`, `demo` and
`virtual-shoe` work from an installed footfall too (a checkout, editable or not, reads firmware/ itself).
Everything else about the package is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FIRMWARE = Path(__file__).resolve().parent / "firmware"


class BuildWithFirmware(build_py):
    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            shutil.copytree(FIRMWARE, Path(self.build_lib) / "footfall" / "firmware_files", dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithFirmware})
