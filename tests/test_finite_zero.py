"""JSON and SQL figures never read "-0.0": a tiny negative rounded to zero, or a computed -0.0, is written 0.0."""

from __future__ import annotations

import json
import math

from footfall.finite import null_nan


def test_a_tiny_negative_rounded_is_written_as_zero() -> None:
    out = null_nan({"braking_mps2": -0.00004, "steps": [-0.0, 1.5, math.nan]}, digits=3)
    assert json.dumps(out) == '{"braking_mps2": 0.0, "steps": [0.0, 1.5, null]}'


def test_an_unrounded_negative_zero_is_written_as_zero_and_negatives_keep_their_sign() -> None:
    assert math.copysign(1.0, null_nan(-0.0)) == 1.0  # type: ignore[arg-type]
    assert null_nan(-0.25, digits=1) == -0.2 and null_nan(-1e-300) == -1e-300
