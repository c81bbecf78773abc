"""Metric bounds: a target decides `footfall validate`'s exit status, a regression guard only the tests."""

from __future__ import annotations

import math

from footfall.validation.result import DatasetResult, Metric


def test_a_target_and_a_guard_are_told_apart() -> None:
    m = Metric("ic_ms", 11.7, "ms", 10.0, guard=15.0)  # a target not met yet, guarded where it stands
    assert not m.met and m.held and not m.passed
    assert (m.target_text, m.status_text) == ("<= 10 (<= 15)", "NO (yes)")
    worse = Metric("ic_ms", 15.5, "ms", 10.0, guard=15.0)
    assert not worse.held and worse.status_text == "NO (NO)"
    reported = Metric("contact_ms", 5.1, "ms", guard=15.0)  # reported only, guarded
    assert reported.met and reported.passed and (reported.target_text, reported.status_text) == ("(<= 15)", "(yes)")
    plain = Metric("bias_ms", 4.2, "ms")
    assert plain.passed and plain.target_text == plain.status_text == "" and plain.row().endswith("reported")


def test_lower_limits_signed_figures_and_nan() -> None:
    assert Metric("recall", 1.0, "ratio", higher_is_better=True, guard=1.0).passed
    assert not Metric("recall", 0.98, "ratio", higher_is_better=True, guard=1.0).passed
    assert Metric("bias_ms", -9.0, "ms", 10.0, magnitude=True).passed  # |value| within the bound
    assert not Metric("bias_ms", -11.0, "ms", 10.0, magnitude=True).passed
    assert Metric("count_pct", -3.0, "%", 2.0).met  # without `magnitude` a bound is one-sided
    two_sided = [Metric("acc_only_pct", v, "%", guard=2.0, guard_low=-8.0) for v in (-8.5, -5.5, 1.0, 2.5)]
    assert [m.held for m in two_sided] == [False, True, True, False] and two_sided[0].target_text == "(-8..2)"
    assert not Metric("x", math.nan, "ms", guard=1.0).held and not Metric("x", math.nan, "ms", 1.0).met


def test_failures_name_the_metrics_that_fail() -> None:
    result = DatasetResult("d", (Metric("ic", 11.7, "ms", 10.0, guard=15.0), Metric("to", 6.0, "ms", 10.0),
                                 Metric("contact", 16.0, "ms", guard=15.0)))  # fmt: skip
    assert [row.split(":")[0] for row in result.failures()] == ["ic", "contact"]
    assert [row.split(":")[0] for row in result.failures(except_targets=("ic",))] == ["contact"]
    assert result["to"].value == 6.0 and not result.passed
    assert result.table().splitlines()[0] == "d ic: 11.7 ms  <= 10 (<= 15)  NO (yes)"
