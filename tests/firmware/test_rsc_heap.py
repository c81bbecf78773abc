"""The on-device cadence makes little garbage (0.7.3). Its once-a-second autocorrelation ran in floats, and on
MicroPython each product and sum was a new heap object: ~290 kB of garbage per second of sampling on the unix port,
which on a board with its heap in PSRAM (the M5StickC Plus2) filled the heap between the sampler's timed collections,
so an automatic collection (~100 ms there) could land with the 73 ms FIFO nearly full. The work buffer is integers
now; measured under the MicroPython unix port on the virtual runner's foot at 416 Hz."""

from __future__ import annotations

from pathlib import Path

import pytest
from fw_rig import runner_counts

from footfall.virtual.mpy import firmware_dir, run_micropython

pytestmark = pytest.mark.micropython

SCRIPT = """
import gc
import rsc
data = bytearray(open(PATH, "rb").read())
mv = memoryview(data)
n = len(data) // 12
detector = rsc.StepDetector(416, 32, 2000)
gc.collect()
gc.disable()
before = gc.mem_alloc()
for i in range(0, n - 38, 38):
    detector.feed(mv[i * 12 : (i + 38) * 12], 38)
per_s = (gc.mem_alloc() - before) * 416 // (38 * ((n - 38 + 37) // 38))
gc.collect()
before = gc.mem_alloc()
detector._envelope()
detector._stride()
print("HEAP", per_s, gc.mem_alloc() - before, detector.cadence_spm())
"""


def test_the_cadence_makes_little_garbage(tmp_path: Path) -> None:
    path = tmp_path / "foot.bin"
    path.write_bytes(runner_counts(170, 12, 416).astype("<i2").tobytes())
    proc = run_micropython(SCRIPT.replace("PATH", repr(str(path))), path=[firmware_dir()], timeout_s=60)
    out = proc.stdout.decode()
    print(out, proc.stderr.decode()[-2000:])
    assert proc.returncode == 0
    per_s, one_update, spm = (int(v) for v in out.split("HEAP", 1)[1].split())
    assert 165 <= spm <= 175  # still the runner's cadence
    assert one_update < 16_000, one_update  # floats: ~250 kB for one autocorrelation
    assert per_s < 120_000, per_s  # floats: ~290 kB per second of sampling, all of it included
