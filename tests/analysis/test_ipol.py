"""ipol-walking: step counts and cadence across 13 subjects (unaligned sensors, lost packets); every trial in the
data folder counts (more subjects, or fewer, are read as they come)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from footfall.validation import ipol

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def data(data_with: Callable[[str], Path]) -> Path:
    return data_with(ipol.NAME)


def test_ipol_step_counts_and_cadence(data: Path) -> None:
    """Every subject (all 13 here; the `subjects` guard: every subject with a trial in the folder); the 2 % count target per subject on straight walking and in total (U-turn labels:
    docs/validation.md), cadence per subject; whole trials incl. the U-turn and the accelerometer-only path
    (gyroscope removed: it misses some steps, the last ones of a walk above all) guarded where they stand.
    The bounds are the metrics' own (footfall.validation.ipol)."""
    result = ipol.validate(data)
    print(result.table())
    for row in result.rows:
        print(row)
    assert not result.failures()


def test_a_late_detection_of_the_last_labelled_step_counts() -> None:
    """TrialBoundaries end on the last labelled IC: the same contact detected 30 ms later is still that step,
    and a detection of a labelled step outside the trial does not count."""
    labels = np.array([1.0, 2.0, 3.0, 4.0])
    ref, det, placed = ipol.count_steps(labels, np.array([1.02, 2.01, 3.03, 4.05]), 0.5, 3.0)
    assert list(ref) == [1.0, 2.0, 3.0] and list(det) == [1.02, 2.01, 3.03] and list(placed) == [1.0, 2.0, 3.0]
    _, det, _ = ipol.count_steps(labels, np.array([1.0, 2.0, 2.6, 3.0]), 0.5, 3.0)
    assert list(det) == [1.0, 2.0, 2.6, 3.0]  # an unmatched detection inside the trial is an extra step


def test_packet_counter_gaps_are_seen(data: Path) -> None:
    """The wireless sensors lose packets (5-6_lf.txt here): the first foot file with a gap in its counter is read
    with the gap, at the file's 100 Hz."""
    for path in (f for json in ipol.find_trials(data)[0] for f in (ipol.foot_file(json, "lf"), ipol.foot_file(json, "rf"))):
        rate, counter, acc, gyr = ipol.load_foot(path)
        assert rate == 100.0 and len(counter) == len(acc) == len(gyr)
        if np.diff(counter).max() > 1:
            print(f"{path.name}: {int(np.diff(counter).max()) - 1} packets lost at most in a row")
            return
    pytest.fail("no foot file with a lost packet in the folder")


def test_an_xsens_file_is_analysed_as_it_comes(data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`footfall analyse 1-1_lf.txt --rate 100` on the dataset's own file (the first trial's; preamble line,
    tab-separated, Acc_X/Gyr_X columns, unknown mounting): the labelled steps are found (lost packets are not
    bridged here: the file has no time column, so rows are taken as consecutive samples)."""
    import json

    from footfall.cli import main

    first = ipol.find_trials(data)[0][0]
    labels = json.loads(first.read_text())["LeftFootEvents"]
    out = tmp_path / "a.json"
    assert main(["analyse", str(ipol.foot_file(first, "lf")), "--rate", "100", "--side", "L", "--json", str(out)]) == 0
    steps = json.loads(out.read_text())["steps"]
    print(f"{len(steps)} steps, {len(labels)} labelled")
    assert abs(len(steps) - len(labels)) <= 2
