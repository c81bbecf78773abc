"""Settings are written to flash only when a value changes (0.7.3): 0.7.2 rewrote settings.json (a temp file and a
rename) for every valid set command, the same values included, so a host that sets its pace or side each session,
or one that loops on a command, wore the flash for nothing. Real Device and Control under the MicroPython unix port
on the register-level chip model; saves counted instead of written."""

from __future__ import annotations

import ast
import struct

import pytest

import frame as F
from footfall.virtual.mpy import firmware_dir, run_micropython
from footfall.virtual.shoe import VIRTUAL_DIR

pytestmark = pytest.mark.micropython

SCRIPT = """
import config
from control import Control
from device import Device
from imu import make_imu
from imu_model import FakeClock, ModelBus, SampleSource
from imu_model_lsm6dsox import LSM6DSOXModel
from ring import Ring

clock = FakeClock()
imu = make_imu("lsm6dso32", ModelBus({0x6A: LSM6DSOXModel(SampleSource(data=bytes(1200)), clock_ns=clock.ns)}), 0x6A)
saved = []
dev = Device(config.Settings("xiao_esp32s3", 416, 32, 2000), imu, Ring(64), boards={"xiao_esp32s3": {}},
             save=lambda s: saved.append(s.as_dict()), ticks=lambda: clock.t_ns // 1000000)
control = Control(dev)
results = []
for command in COMMANDS:
    results.append(control.handle(command, config.LINK_USB))  # set side and rate: over USB only (0.7.4)
print("RESULTS", results)
print("SAVED", [(s["side"], s["pace_permille"], s["rate_hz"]) for s in saved])
"""

_PACE = bytes((F.CMD_SET_PACE, 1)) + struct.pack("<H", 1100)
_SIDE = bytes((F.CMD_SET_SIDE, 2, ord("L")))
_RATE = bytes((F.CMD_SET_RATE, 3)) + struct.pack("<H", 416)  # the rate it has
COMMANDS = [_PACE, _PACE, _SIDE, _SIDE, _PACE, _RATE, bytes((F.CMD_SET_RATE, 4)) + struct.pack("<H", 833)]


def test_only_a_changed_value_is_written_to_flash() -> None:
    proc = run_micropython(SCRIPT.replace("COMMANDS", repr(COMMANDS)), path=[VIRTUAL_DIR, firmware_dir()],
                           timeout_s=60)
    out = proc.stdout.decode()
    print(out, proc.stderr.decode()[-2000:])
    assert proc.returncode == 0
    got = {k: ast.literal_eval(v) for k, _, v in (line.partition(" ") for line in out.splitlines())}
    assert got["RESULTS"] == [F.RESULT_OK] * len(COMMANDS)  # every one answered ok, as before
    assert got["SAVED"] == [("?", 1100, 416), ("L", 1100, 416), ("L", 1100, 833)]
