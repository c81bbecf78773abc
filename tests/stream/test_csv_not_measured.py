"""docs/library.md and docs/user-guide.md promise "not measured" as an empty CSV cell. The round trip cannot see
it (the importer reads "nan" as NaN too), so this reads the raw text."""

from __future__ import annotations

import csv
import io
import math

from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.report.export import csv_text
from footfall.virtual.runner import RunnerParams, simulate


def test_not_measured_is_an_empty_cell_and_no_cell_says_nan() -> None:
    foot = simulate(RunnerParams(duration_s=8.0, seed=3)).feet["L"]
    steps = analyse_blocks(blocks_from_arrays(foot.acc_mps2, foot.gyr_radps, foot.rate_hz, "L", "L"))[0]
    assert math.isnan(steps[0].stride_length_m)  # the first step of a bout has no stride before it
    rows = list(csv.DictReader(io.StringIO(csv_text(steps))))
    assert rows[0]["stride_length_m"] == ""
    assert rows[1]["stride_length_m"] != ""  # measured steps keep their number
    assert not [(i, k) for i, row in enumerate(rows) for k, v in row.items() if v.strip().lower() == "nan"]
