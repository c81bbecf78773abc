"""The landing in the signals: the impact burst (when it starts, how hard it is) and the heel drop of a
forefoot-first touchdown (used by contacts.py).

A foot strike shows as a burst of jerk (the change of the specific force from one sample to the next): the
ground stops the foot within a few ms and the shoe rings for ~20 ms. Running ICs are timed by its start,
because the pitch-rate zero crossing misses the touchdown both ways (docs/algorithms.md, "Contacts").
"""

from __future__ import annotations

import numpy as np

from footfall.samples import FloatArray


def jerk(acc: FloatArray) -> FloatArray:
    """|change of the specific force| per sample interval (np.linalg.norm(np.diff(acc, axis=0), axis=1))."""
    d = acc[1:] - acc[:-1]
    return np.sqrt(np.add.reduce(d * d, axis=1))


def peak_jerk(acc: FloatArray) -> float:
    """Largest jerk in `acc` (0 with fewer than two samples)."""
    j = jerk(acc)
    return float(j.max()) if len(j) else 0.0


def impact_onset(acc: FloatArray, zero: int, burst_gap_n: int) -> float:
    """Start of the landing impact in `acc` (fractional offset): the first sample whose jerk reaches half the
    largest jerk in `acc`, in the burst nearest offset `zero` (the pitch-rate zero crossing)."""
    j = jerk(acc)
    half = 0.5 * float(j.max())
    return _onset(j, half, _nearest_burst((j >= half).nonzero()[0], zero, burst_gap_n)[0])


def settled_impact_onset(acc: FloatArray, zero: int, burst_gap_n: int) -> float | None:
    """`impact_onset` as soon as the samples so far settle it (None until then): the jerk has stayed below
    the half-peak level for more than `burst_gap_n` samples, so no burst still rings, and a burst starting
    later would lie further from `zero` than the one found. (A later jerk louder than twice this peak could
    still change the answer: it would raise the level; landing.py accepts that for its provisional IC.)"""
    j = jerk(acc)
    if len(j) == 0:
        return None
    half = 0.5 * float(j.max())
    loud = (j >= half).nonzero()[0]
    k, dist = _nearest_burst(loud, zero, burst_gap_n)
    if len(j) - 1 - int(loud[-1]) <= burst_gap_n or zero + dist >= len(j):
        return None
    return _onset(j, half, k)


def _onset(j: FloatArray, half: float, k: int) -> float:
    """Sub-sample onset: where the jerk crossed `half` before its loud sample `k`; j[k] belongs to the
    interval k..k+1 (+0.5)."""
    at, before = float(j[k]), float(j[k - 1])  # (k = 0: j[-1] is read but not used)
    frac = (half - before) / (at - before) if k > 0 and at > before else 1.0
    return float(k - 1 + frac + 0.5)


def _nearest_burst(loud: np.ndarray, zero: int, burst_gap_n: int) -> tuple[int, int]:
    """(first sample, distance from `zero`) of the burst of loud jerk (samples closer than `burst_gap_n`
    belong to one burst: the impact rings) that lies nearest the zero crossing: a late-swing jerk further
    away is not the landing."""
    samples = loud.tolist()  # a handful of samples: plain Python beats numpy's per-call cost here
    best, best_dist, first = samples[0], -1, samples[0]
    for last, nxt in zip(samples, samples[1:] + [None]):
        if nxt is None or nxt - last > burst_gap_n:  # the burst first..last ends here
            dist = first - zero if zero < first else (zero - last if zero > last else 0)
            if best_dist < 0 or dist < best_dist:  # the first of equally near bursts
                best, best_dist = first, dist
            first = nxt
    return int(best), best_dist


def late_swing(w: FloatArray) -> int | None:
    """First offset where the toe-up rate `w` (from the swing start) is below half its running peak: late
    swing, past the swing's own rise."""
    late = (w < 0.5 * np.maximum.accumulate(w)).nonzero()[0]
    return int(late[0]) if len(late) else None


def anchors(w: FloatArray, still: np.ndarray, rise: float, settle_n: int) -> list[tuple[int, bool]]:
    """Where a touchdown before the pitch-rate zero crossing shows in late swing (`w`, the toe-up rate, and
    `still`, the foot at rest, from `late_swing` on), as (offset, is a heel drop) in time order: the first
    point where `w` has risen `rise` above its lowest value since (a heel dropping), and the `settle_n`-th
    sample of the first run of `still` samples (the foot standing flat)."""
    up = (w - np.minimum.accumulate(w) >= rise).nonzero()[0]
    found = [(int(up[0]), True)] if len(up) else []
    if still.any():  # (rarely: the foot still moves in late swing)
        flat = (np.convolve(still, np.ones(settle_n, np.int64), mode="valid") == settle_n).nonzero()[0]
        found += [(int(flat[0]) + settle_n - 1, False)] if len(flat) else []
    return sorted(found)


def turns_up(w: FloatArray, within_n: int, rise: float) -> bool:
    """The toe-up rate `w` (from an impact on) rises by `rise` from its lowest value in its first
    `within_n` + 1 samples: the foot turns heel-down right after the impact."""
    if len(w) < 2:
        return False
    k = int(np.argmin(w[: within_n + 1]))
    return float(np.max(w[k:])) - float(w[k]) >= rise
