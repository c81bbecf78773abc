"""docs/examples/physio_session.py, the script behind the example session of the user guide's section 4, runs
end to end: it prints the segment table and the cues the live coach gave, in the cue phase only."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "physio_session.py"


def test_the_physio_example_prints_its_segments_and_cue_times(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(SCRIPT)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    header = next(line for line in proc.stdout.splitlines() if line.startswith("| measure |"))
    assert [cell.split(" (")[0] for cell in header.strip("| ").split(" | ")[1:]] == ["baseline", "cue", "retest"]
    assert re.search(r"^\| running steps \| \d+ \| \d+ \| \d+ \|$", proc.stdout, re.MULTILINE)
    # the cue that starts the metronome says so (coaching/cues.py METRONOME_ON)
    assert re.search(r"^\s+\d+\.\d s  Shorter, quicker steps; metronome on, step with the beat$", proc.stdout,
                     re.MULTILINE), proc.stdout
    cue_times = [float(t) for t in re.findall(r"^\s+(\d+\.\d) s  ", proc.stdout, re.MULTILINE)]
    assert cue_times and all(120 <= t < 240 for t in cue_times), cue_times  # --phases: the cue phase only
    assert not list(tmp_path.iterdir())  # every file went to the script's own temporary folder
    guide = (SCRIPT.parents[1] / "user-guide.md").read_text(encoding="utf-8").splitlines()
    table = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert [line for line in table if line not in guide] == []  # the guide's table is this run's (was 334 steps)
