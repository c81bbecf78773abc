"""What a validation produces: named metrics with units, their bounds and whether they were met.

A metric can carry two kinds of bound, and each bound lives only here (the tests assert `Metric.passed`):
- `bound`, the target (an issue's accuracy target; docs/validation.md's "target" column). `footfall validate`
  exits 1 when one is unmet.
- `guard`, a regression guard: where a reported-only figure (or a target not met yet) stands, so that it does
  not silently get worse. Not a target: the table shows it in parentheses and the exit status ignores it, but
  the tests fail on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field


Row = dict[str, float | str]  # one trial's or subject's figures (and its name) for the docs' detail tables


def finite_column(rows: list[Row], key: str) -> list[float]:
    """The finite values of `key` over the rows (one per foot or trial): what a table row's worst or median is of."""
    values = [float(r[key]) for r in rows]
    return [v for v in values if math.isfinite(v)]


@dataclass(frozen=True)
class Metric:
    name: str  # e.g. "ic_error_median_ms"
    value: float
    unit: str  # "ms", "%", "deg", "steps/min", "count"
    bound: float | None = None  # the target; None = no target
    higher_is_better: bool = False  # the bounds are lower limits (value >= bound), else upper limits
    guard: float | None = None  # a regression guard in the same direction (not a target); None = none
    magnitude: bool = False  # a signed figure (a bias, a count difference): the bounds apply to |value|
    guard_low: float | None = None  # a signed figure guarded on both sides: also value >= guard_low

    @property
    def met(self) -> bool:
        """The target is met (or there is none)."""
        return self.bound is None or self._within(self.bound)

    @property
    def held(self) -> bool:
        """The regression guard holds (or there is none)."""
        low_ok = self.guard_low is None or self.value >= self.guard_low
        return low_ok and (self.guard is None or self._within(self.guard))

    @property
    def passed(self) -> bool:
        """Target met and guard held: what the tests assert."""
        return self.met and self.held

    def _within(self, limit: float) -> bool:
        v = abs(self.value) if self.magnitude else self.value
        return v >= limit if self.higher_is_better else v <= limit  # NaN meets no bound

    @property
    def target_text(self) -> str:
        """The bounds as the table prints them (plain ASCII): "<= 10", "(<= 15)" for a guard, both together."""
        x = "|x| " if self.magnitude else ""
        op = ">= " if self.higher_is_better else "<= "
        parts = [] if self.bound is None else [f"{x}{op}{self.bound:g}"]
        if self.guard_low is not None and self.guard is not None:
            parts.append(f"({self.guard_low:g}..{self.guard:g})")
        elif self.guard is not None:
            parts.append(f"({x}{op}{self.guard:g})")
        return " ".join(parts)

    @property
    def status_text(self) -> str:
        """"yes" / "NO" for the target, the same in parentheses for the guard, "" for a reported-only figure."""
        parts = [] if self.bound is None else ["yes" if self.met else "NO"]
        if self.guard is not None or self.guard_low is not None:
            parts.append("(yes)" if self.held else "(NO)")
        return " ".join(parts)

    def row(self) -> str:
        """One line for a test's printout: name, value, unit, bounds, status."""
        value = f"{self.value:.4g}" if math.isfinite(self.value) else str(self.value)
        return f"{self.name}: {value} {self.unit}  {self.target_text or 'reported'}  {self.status_text}".rstrip()


@dataclass(frozen=True)
class DatasetResult:
    dataset: str  # folder name under ../shared/data, or "virtual-runner"
    metrics: tuple[Metric, ...]
    notes: tuple[str, ...] = ()
    rows: tuple[Mapping[str, object], ...] = field(default=(), compare=False)  # per-trial detail for the docs

    @property
    def passed(self) -> bool:
        """Every target met and every guard held."""
        return all(m.passed for m in self.metrics)

    def __getitem__(self, name: str) -> Metric:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(name)

    def failures(self, *, except_targets: tuple[str, ...] = ()) -> list[str]:
        """The table rows of the metrics that fail: a guard not held, or a target not met (except the targets
        named, known to be unmet; their guards still count). Empty when everything holds."""
        return [m.row() for m in self.metrics if not m.held or (not m.met and m.name not in except_targets)]

    def table(self) -> str:
        """Every metric, one `Metric.row` a line (tests print it)."""
        return "\n".join(f"{self.dataset} {m.row()}" for m in self.metrics)
