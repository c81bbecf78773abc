"""Small helpers over 1-D series that the event detectors share (contacts.py, contacts_acc.py)."""

from __future__ import annotations

import numpy as np

from footfall.samples import FloatArray

_FALSE = np.zeros(1, bool)


def runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) positions of the True runs of a boolean array (called several times per
    stride on short arrays: written for few numpy calls)."""
    padded = np.concatenate((_FALSE, mask, _FALSE))
    edges = (padded[1:] != padded[:-1]).nonzero()[0]  # alternately a run's start and its end
    return edges[::2], edges[1::2]


def refine_min(y: FloatArray, j: int) -> float:
    """Sub-sample position of the extremum at j by a parabola through its neighbours."""
    if 0 < j < len(y) - 1:
        before, at, after = float(y[j - 1]), float(y[j]), float(y[j + 1])  # Python floats: same IEEE arithmetic
        den = before - 2 * at + after
        if den != 0:
            return j + min(max(0.5 * (before - after) / den, -0.5), 0.5)
    return float(j)
