"""Virtual runs played one after the other through the streaming analyser (the coaching tests' shared helper)."""

from __future__ import annotations

import numpy as np

from footfall.analysis.session import Session
from footfall.analysis.step import Step
from footfall.samples import SampleBlock
from footfall.virtual.runner import SimulatedRun


def analyse_joined(runs: list[SimulatedRun]) -> list[Step]:
    """Analyse the runs played one after the other (signals concatenated per foot, fed a second at a time), steps
    in time order."""
    session, steps = Session(), []
    for side in runs[0].feet:
        acc = np.concatenate([r.feet[side].acc_mps2 for r in runs])
        gyr = np.concatenate([r.feet[side].gyr_radps for r in runs])
        rate = runs[0].feet[side].rate_hz
        for i in range(0, len(acc), int(rate)):
            steps += session.feed(SampleBlock(side, side, rate, i, acc[i:i + int(rate)], gyr[i:i + int(rate)]))
    steps += session.finish()
    return sorted(steps, key=lambda s: s.ic_time_s)
