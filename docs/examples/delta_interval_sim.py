"""How often the Δ interval (report/change.py `diff_ci`) excludes 0 when nothing changed, and how often it covers a
known change: docs/validation.md, "The Δ interval". After the QA 18 reviewer's simulation: two parts drawn
independently from one process of per-step contact times (270 ms, 2.8 steps/s), 200 pairs x 400 resamples per cell.

usage: python docs/examples/delta_interval_sim.py [old|new|auto-only|min-20s] [pairs]
  old: blocks of 10 s (the rule before QA 18); new: at least 10 s, longer by the data (Politis & White);
  auto-only: the data's block alone; min-20s: at least 20 s, longer by the data. A few minutes per rule.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import numpy as np

from footfall.report.change import PARAMS, ChangeParams, diff_ci

STEP_RATE_HZ = 2.8
CONTACT_MS = 270.0
TRUE_CHANGE_MS = -5.0  # the known change of the coverage runs
FLOOR_MS = 10.0  # NoiseFloors.contact_time_ms
RULES = {"old": (10.0, False), "new": (10.0, True), "auto-only": (0.0, True), "min-20s": (20.0, True)}
PROCESSES = (("phi", 0.0), ("phi", 0.5), ("phi", 0.9), ("phi", 0.97), ("d", 0.3))


def ar1(rng: np.random.Generator, n: int, phi: float, sd_ms: float) -> np.ndarray:
    """A first-order autoregression with lag-1 correlation `phi` and spread `sd_ms`."""
    e = rng.normal(0, sd_ms * np.sqrt(1 - phi**2), n)
    x = np.empty(n)
    x[0] = rng.normal(0, sd_ms)
    for i in range(1, n):
        x[i] = phi * x[i - 1] + e[i]
    return x


def arfima(rng: np.random.Generator, n: int, d: float, sd_ms: float, lags: int = 3000) -> np.ndarray:
    """ARFIMA(0, d, 0), long-range dependent (detrended-fluctuation exponent d + 0.5), spread `sd_ms`."""
    psi = np.cumprod(np.r_[1.0, (np.arange(1, lags) - 1 + d) / np.arange(1, lags)])
    x = np.convolve(rng.normal(0, 1, n + lags), psi, mode="valid")[:n]
    return np.asarray(sd_ms * x / np.sqrt((psi**2).sum()))


def part(rng: np.random.Generator, n: int, process: tuple[str, float], sd_ms: float) -> np.ndarray:
    kind, value = process
    return CONTACT_MS + (arfima(rng, n, value, sd_ms) if kind == "d" else ar1(rng, n, value, sd_ms))


def cell(process: tuple[str, float], part_s: int, sd_ms: float, rule: str, pairs: int) -> tuple[float, ...]:
    """(false positives, false positives that also clear the floor, coverage of the true change) as shares."""
    block_s, auto = RULES[rule]
    rng = np.random.default_rng(int(1000 * process[1]) + part_s + int(sd_ms) + (7 if process[0] == "d" else 0))
    n = int(part_s * STEP_RATE_HZ)
    block = int(max(1, min(round(n * block_s / part_s), n // 3)))  # block_length's rule for block_s
    counts = np.zeros(3)
    for r in range(pairs):
        params = replace(PARAMS, n_resamples=400, seed=r, auto_block=auto, block_s=block_s)
        counts += _pair(rng, n, process, sd_ms, block, params)
    return tuple(counts / pairs)


def _pair(rng: np.random.Generator, n: int, process: tuple[str, float], sd_ms: float, block: int,
          params: ChangeParams) -> np.ndarray:
    a, b = part(rng, n, process, sd_ms), part(rng, n, process, sd_ms)
    low, high = diff_ci("contact_time_ms", a, b, block, block, params)
    excludes = low > 0 or high < 0
    beyond_floor = excludes and abs(np.median(b) - np.median(a)) >= FLOOR_MS
    c = part(rng, n, process, sd_ms) + TRUE_CHANGE_MS
    low, high = diff_ci("contact_time_ms", a, c, block, block, params)
    return np.array([excludes, beyond_floor, low <= TRUE_CHANGE_MS <= high], dtype=float)


def main() -> int:
    rule = sys.argv[1] if len(sys.argv) > 1 else "new"
    pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    start = time.perf_counter()
    print(f"rule {rule}: {pairs} pairs x 400 resamples; shares of pairs: CI excludes 0 at no change; that and "
          f"|change| >= {FLOOR_MS:g} ms; CI covers a true {TRUE_CHANGE_MS:g} ms change")
    for sd_ms in (10.0, 20.0):
        for process in PROCESSES:
            for part_s in (60, 120, 300):
                if sd_ms == 20 and (part_s != 60 or process[1] in (0.0, 0.5)):
                    continue
                fp, fp_floor, cover = cell(process, part_s, sd_ms, rule, pairs)
                print(f"spread {sd_ms:g} ms  {process[0]} {process[1]:<4g}  {part_s:3d} s:  {fp:6.1%}  {fp_floor:6.1%}"
                      f"  {cover:6.1%}", flush=True)
    print(f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
