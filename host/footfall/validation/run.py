"""Run every validation: the real datasets in ../shared/data (when present) and the virtual-runner grid.

Each validation is a module of this package with `validate(data_dir) -> DatasetResult`; a module that is
missing (not written yet), whose data folder is absent, or that refuses the folder's files (InputError: a file the
dataset needs is missing, or no trial in it is complete) is reported as skipped with the reason, never as passed.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from footfall.errors import InputError
from footfall.validation.result import DatasetResult

# module name -> data folder under data_dir (None: needs no data)
VALIDATIONS: dict[str, str | None] = {
    "gaitmap": "gaitmap-walking",
    "ipol": "ipol-walking",
    "pyshoe": "pyshoe-vicon",
    "rbds": "rbds-running-mocap",
    "rbds_overstride": "rbds-running-mocap",  # the overstride components against the pelvis markers and AP force
    "footnet": "footnet-example",
    "virtual": None,
}


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str
    refused: bool = False  # its data is there but could not be read: nothing of it was validated (exit status 1)


DATA_ENV = "FOOTFALL_DATA"
DATA_ORDER = (f"${DATA_ENV} if set; else, from a source checkout, ../shared/data beside it; else ./shared/data, "
              "then ../shared/data from the current folder")


def default_data_dir() -> Path:
    """Where the reference data is when --data is not given, in the order of DATA_ORDER. An installed package
    has no checkout around it (it would look in <venv>/lib/shared/data), so it looks from the current folder."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser()
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").is_file() and (checkout / "host" / "footfall").is_dir():
        return checkout.parent / "shared" / "data"
    here = [Path.cwd() / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    return next((d for d in here if d.is_dir()), here[0])


def run_one(name: str, data_dir: Path) -> DatasetResult | Skipped:
    folder = VALIDATIONS[name]
    if folder is not None and not (data_dir / folder).is_dir():
        return Skipped(name, f"no data at {data_dir / folder} (give --data DIR)")
    try:
        module = importlib.import_module(f"footfall.validation.{name}")
    except ImportError as exc:
        return Skipped(name, f"validation module not available ({exc})")
    try:  # one dataset's incomplete copy must not end the others' run: said in its row, as a missing folder is
        result: DatasetResult = module.validate(data_dir)
    except InputError as exc:
        return Skipped(name, str(exc), refused=True)  # the message and its hint
    return result


def run_all(data_dir: Path, only: list[str] | None = None) -> list[DatasetResult | Skipped]:
    return [run_one(name, data_dir) for name in VALIDATIONS if not only or name in only]
