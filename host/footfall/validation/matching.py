"""One-to-one matching of detected events to reference events by time (for recall, precision, errors), and
the median |error| every dataset reports."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Match:
    errors_s: list[float]  # detected - reference, for each matched pair
    matched: int
    missed: int  # references without a detection
    extra: int  # detections without a reference


def match_pairs(reference_s: np.ndarray, detected_s: np.ndarray, tolerance_s: float) -> list[tuple[int, int]]:
    """Greedy nearest-first matching of two sorted event lists: (reference index, detection index) pairs,
    each reference and each detection used at most once, |detection - reference| <= tolerance_s."""
    ref, det = np.asarray(reference_s, float), np.asarray(detected_s, float)
    if ref.size == 0 or det.size == 0:
        return []
    diff = det[None, :] - ref[:, None]
    pairs = np.argwhere(np.abs(diff) <= tolerance_s)
    order = np.argsort(np.abs(diff[pairs[:, 0], pairs[:, 1]]), kind="stable")
    used_r: set[int] = set()
    used_d: set[int] = set()
    out = []
    for r, d in pairs[order]:
        if r not in used_r and d not in used_d:
            used_r.add(int(r))
            used_d.add(int(d))
            out.append((int(r), int(d)))
    return out


def match_events(reference_s: np.ndarray, detected_s: np.ndarray, tolerance_s: float) -> Match:
    """Greedy nearest-first matching: each reference and each detection is used at most once."""
    ref, det = np.sort(np.asarray(reference_s, float)), np.sort(np.asarray(detected_s, float))
    pairs = match_pairs(ref, det, tolerance_s)
    errors = [float(det[d] - ref[r]) for r, d in pairs]
    return Match(errors, len(errors), int(ref.size) - len(errors), int(det.size) - len(errors))


def abs_median(errors: list[float]) -> float:
    """Median |error| of the finite errors (NaN when there is none)."""
    a = np.abs(np.asarray(errors, float))
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else float("nan")
