"""An exception no firmware task handles (a MemoryError after hours of a fragmented heap, an OSError from a radio
call) ended main() and left the board at its REPL: no data, no advertising, no power-off, a sensor mute until the
cell was flat (0.7.2). main.run says why on USB and resets the board, unless the crash came within
_RESET_AFTER_CRASH_MS of boot (a fault at every boot stays at the REPL, where an install can still reach it).
Runs main.py under the MicroPython unix port with the virtual board's shims."""

from __future__ import annotations

import pytest

from footfall.virtual.mpy import firmware_dir, run_micropython
from footfall.virtual.shoe import SHIMS_DIR, VIRTUAL_DIR

pytestmark = pytest.mark.micropython

SCRIPT = """
import asyncio
import main

async def crashing():
    await asyncio.sleep_ms(5)
    raise MemoryError("memory allocation failed")

async def leaving():
    await asyncio.sleep_ms(5)

for name, entry, up_ms in (("LATE", crashing, main._RESET_AFTER_CRASH_MS), ("EARLY", crashing, 1000),
                           ("REPL", leaving, main._RESET_AFTER_CRASH_MS)):
    resets = []
    clock = [0]
    def ticks():
        clock[0] += up_ms  # boot, then the crash up_ms later
        return clock[0] - up_ms
    crashed = main.run(entry, reset=lambda: resets.append(1), ticks_ms=ticks)
    print("RUN_%s" % name, crashed, len(resets))
"""


def test_a_crash_resets_the_board_unless_it_came_at_boot() -> None:
    proc = run_micropython(SCRIPT, path=[SHIMS_DIR, VIRTUAL_DIR, firmware_dir()], timeout_s=60)
    out = proc.stdout.decode()
    print(out, proc.stderr.decode()[-2000:])
    assert proc.returncode == 0
    lines = dict(line.split(" ", 1) for line in out.splitlines() if line.startswith("RUN_"))
    assert lines == {"RUN_LATE": "True 1", "RUN_EARLY": "True 0", "RUN_REPL": "False 0"}
    assert out.count("footfall crashed:") == 2 and "MemoryError: memory allocation failed" in out


QUIET_SCRIPT = """
import asyncio
import main

class Device:
    stopped = 0
    def stop(self):
        self.stopped += 1

device = Device()

async def crashing():
    main._running[:] = [(device, None)]  # as main() keeps what it built
    raise OSError(5)

main.run(crashing, reset=lambda: None, ticks_ms=lambda: 0)
print("STOPPED", device.stopped)
"""


def test_an_early_crash_leaves_the_imu_and_radio_off_at_the_repl() -> None:
    """qa19 review: the crash that stays at the REPL (within 60 s of boot) left the IMU sampling and the radio
    advertising, which the USB escape's way to the REPL switches off."""
    proc = run_micropython(QUIET_SCRIPT, path=[SHIMS_DIR, VIRTUAL_DIR, firmware_dir()], timeout_s=60)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert "STOPPED 1" in proc.stdout.decode().splitlines()

