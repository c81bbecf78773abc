"""Counts in messages: "1 gap", "2 gaps" (QA found "1 gaps, 1 missing frames" in the link summary)."""

from __future__ import annotations


def counted(n: int, plural: str) -> str:
    """`n` and its noun, singular when n is 1: counted(1, "missing frames") -> "1 missing frame"."""
    singular = plural[:-1] if plural.endswith("s") and not plural.endswith("ss") else plural
    return f"{n} {singular if n == 1 else plural}"
