"""One-to-one matching of detected events to reference events by time (for recall, precision, errors)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Match:
    errors_s: list[float]  # detected - reference, for each matched pair
    matched: int
    missed: int  # references without a detection
    extra: int  # detections without a reference


def match_events(reference_s: np.ndarray, detected_s: np.ndarray, tolerance_s: float) -> Match:
    """Greedy nearest-first matching: each reference and each detection is used at most once."""
    ref, det = np.sort(np.asarray(reference_s, float)), np.sort(np.asarray(detected_s, float))
    if ref.size == 0 or det.size == 0:
        return Match([], 0, int(ref.size), int(det.size))
    diff = det[None, :] - ref[:, None]
    pairs = np.argwhere(np.abs(diff) <= tolerance_s)
    order = np.argsort(np.abs(diff[pairs[:, 0], pairs[:, 1]]))
    used_r: set[int] = set()
    used_d: set[int] = set()
    errors = []
    for r, d in pairs[order]:
        if r not in used_r and d not in used_d:
            used_r.add(int(r))
            used_d.add(int(d))
            errors.append(float(diff[r, d]))
    return Match(errors, len(errors), int(ref.size) - len(errors), int(det.size) - len(errors))
