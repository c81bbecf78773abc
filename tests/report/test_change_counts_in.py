"""A Δ's interval and the landing components rest on the steps the summary's figure rests on (qa18b science N1):
turning strides are out of the overstride index, the foot velocity at IC and the braking, so their bootstrap and
their medians leave them out too. Before, a second half with every 3rd stride turning (and landing wide) read
Δ -0.003 with a CI of [+0.015, +0.041]: the figure outside its own interval."""

from __future__ import annotations

import math
from dataclasses import replace

from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import analyse_blocks, blocks_from_arrays
from footfall.report.change import changes_against, values
from footfall.report.landing import landing
from footfall.report.segments import whole_figures
from footfall.virtual.runner import RunnerParams, simulate


def _halves() -> tuple[list, list]:
    foot = simulate(RunnerParams(feet="L", duration_s=240.0, seed=4)).feet["L"]
    steps, _ = analyse_blocks(blocks_from_arrays(foot.acc_mps2, foot.gyr_radps, foot.rate_hz, "L", "L"),
                              AnalysisParams())
    run = [s for s in sorted(steps, key=lambda s: s.ic_time_s) if s.activity == "running"]
    first, second = run[: len(run) // 2], run[len(run) // 2:]
    wide = [replace(s, flags=(*s.flags, "turn"), overstride_index=min(1.0, s.overstride_index + 0.25),
                    braking_mps2=s.braking_mps2 + 30.0)
            if k % 3 == 0 and math.isfinite(s.overstride_index) else s for k, s in enumerate(second)]
    return first, wide


def test_the_interval_and_the_components_leave_out_what_the_figure_leaves_out() -> None:
    first, wide = _halves()
    ref, g = whole_figures("first", first), whole_figures("second", wide)
    rows, _ = changes_against(ref, [g])
    row = next(r for r in rows if r.metric == "overstride_index")
    kept = [s for s in wide if "turn" not in s.flags]
    print(f"Δ {row.change:+.3f} [{row.ci_low:+.3f}, {row.ci_high:+.3f}]; {values(g, 'overstride_index').size} of "
          f"{len(wide)} strides resampled")
    assert row.ci_low <= row.change <= row.ci_high
    assert values(g, "overstride_index").size == sum(math.isfinite(s.overstride_index) for s in kept)
    braking = next(c for c in landing(wide, None).components if c.key == "braking_mps2")  # type: ignore[union-attr]
    plain = next(c for c in landing(kept, None).components if c.key == "braking_mps2")  # type: ignore[union-attr]
    assert braking.value == plain.value  # the 30 m/s² added to the turning strides does not reach the component
