"""What a validation produces: named metrics with units, their bounds and whether they were met."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metric:
    name: str  # e.g. "ic_error_median_ms"
    value: float
    unit: str  # "ms", "%", "deg", "steps/min", "count"
    bound: float | None = None  # the target; None = reported only
    higher_is_better: bool = False

    @property
    def passed(self) -> bool:
        if self.bound is None:
            return True
        return self.value >= self.bound if self.higher_is_better else self.value <= self.bound


@dataclass(frozen=True)
class DatasetResult:
    dataset: str  # folder name under ../shared/data, or "virtual-runner"
    metrics: tuple[Metric, ...]
    notes: tuple[str, ...] = ()
    rows: tuple[dict[str, object], ...] = field(default=(), compare=False)  # per-trial detail for the docs

    @property
    def passed(self) -> bool:
        return all(m.passed for m in self.metrics)
