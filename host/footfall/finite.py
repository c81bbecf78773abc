"""NaN means "not measured" all through footfall. The median of what was measured, and NaN (or inf) written as
null where JSON and SQL have no NaN."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


def median(values: Iterable[float]) -> float:
    """The median of the finite values; NaN when there is none."""
    arr = np.fromiter(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    return float(np.median(arr)) if arr.size else math.nan


def null_nan(value: object, digits: int | None = None) -> object:
    """`value` with every float that is not finite as None, through dicts, lists and tuples (tuples become
    lists, as JSON has them); floats rounded to `digits` when given, and never -0.0."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return (value if digits is None else round(value, digits)) + 0.0  # -0.0 (a tiny negative, rounded) is 0
    if isinstance(value, dict):
        return {k: null_nan(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [null_nan(v, digits) for v in value]
    return value
