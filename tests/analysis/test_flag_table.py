"""The step flags have one list, analysis/step.FLAGS (qa18 science review L1, qa18b diff: the test read the source
text): the user guide's table (§3 "Step flags") names exactly those, and every flag the analysis produces on a
grid of virtual runs (both feet, one foot, no gyroscope, a low rate, clipping, gaps, stops) is one of them."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.pipeline import blocks_from_arrays
from footfall.analysis.session import analyse_session
from footfall.analysis.step import FLAGS
from footfall.virtual.runner import RunnerParams, preset, simulate

REPO = Path(__file__).resolve().parents[2]
ANALYSIS = REPO / "host" / "footfall" / "analysis"


def _documented() -> list[str]:
    """The flags in the first column of the table under "**Step flags.**", in its order."""
    guide = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    table = guide.split("**Step flags.**", 1)[1].split("\n\n", 2)[1]
    return [flag for row in table.splitlines()[2:] for flag in re.findall(r"`([a-z_]+)`", row.split("|")[1])]


def test_the_table_names_exactly_the_flags() -> None:
    assert _documented() == list(FLAGS)
    assert len(set(FLAGS)) == len(FLAGS)


def test_every_flag_in_the_list_is_written_by_the_analysis() -> None:
    """A flag nothing writes any more is stale (a run cannot show that nothing writes it: the code can)."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in ANALYSIS.glob("*.py") if p.name != "step.py")
    assert not [flag for flag in FLAGS if f'"{flag}"' not in code]


def _runs() -> Iterator[tuple[str, RunnerParams, np.ndarray | None]]:
    base = RunnerParams(duration_s=14.0, seed=5)
    yield "both feet", base, None
    yield "one foot, stops", replace(preset("mixed"), duration_s=30.0, feet="L", seed=6), None
    yield "overstrider", replace(preset("heel-overstrider"), duration_s=14.0, seed=7), None
    yield "no gyroscope", replace(base, feet="L"), np.array([np.nan])
    yield "40 Hz", replace(base, feet="L", rate_hz=40.0), None
    yield "clipping", replace(base, feet="L", acc_range_g=4.0, gyr_range_dps=500.0), None
    yield "gaps", replace(base, feet="L"), np.array([0.03, 0.4])  # lost seconds: bridged, then not


def _flags(params: RunnerParams, extra: np.ndarray | None) -> set[str]:
    run = simulate(params)
    streams = {}
    for name, f in run.feet.items():
        gyr, index = f.gyr_radps, None
        if extra is not None and np.isnan(extra).all():
            gyr = np.full_like(gyr, np.nan)
        elif extra is not None:  # gaps of these lengths, a third and two thirds in
            n = len(f.acc_mps2)
            index = np.arange(n) + np.where(np.arange(n) > n // 3, int(extra[0] * f.rate_hz), 0) \
                + np.where(np.arange(n) > 2 * n // 3, int(extra[1] * f.rate_hz), 0)
        streams[name] = blocks_from_arrays(f.acc_mps2, gyr, f.rate_hz, name, name, 400, index)
    steps, _ = analyse_session(streams)
    return {flag for s in steps for flag in s.flags}


@functools.cache
def _produced() -> dict[str, frozenset[str]]:
    return {label: frozenset(_flags(params, extra)) for label, params, extra in _runs()}


def test_every_flag_the_analysis_produces_is_in_the_list() -> None:
    for label, got in _produced().items():
        assert not got - set(FLAGS), (label, sorted(got - set(FLAGS)))
    produced = set().union(*_produced().values())
    print(f"produced {len(produced)} of {len(FLAGS)} flags: {sorted(produced)}; "
          f"not on this grid: {sorted(set(FLAGS) - produced)}")


@pytest.mark.parametrize("flag", ["acc_only", "low_rate", "gap_bridged", "gap_before", "gap_after", "two_feet",
                                  "first_of_bout", "saturated_stride", "gyro_saturated", "saturated"])
def test_the_grid_reaches_the_producers(flag: str) -> None:
    """pipeline, stride, clipping and session each write some of these: the grid runs through all four."""
    assert any(flag in got for got in _produced().values())
