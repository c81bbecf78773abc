"""Left and right foot side by side (qa17 #7): each foot's medians of contact time, strike angle, impact and stride
length, and how far apart they are, as the analyser's summary has them (`footfall analyse --json`: the feet's
figures and `symmetry_index_pct`, `strike_angle_diff_deg`); and which feet a part was measured on.

The symmetry index is 200 (L - R) / (L + R) % (Robinson et al. 1987), over the time both sensors measured
(analysis/feet.py); the strike angle, near 0 where a ratio means nothing, is compared as a difference in degrees.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from footfall.analysis.step import Step
from footfall.analysis.summary import Summary, summarise

FEET = {frozenset("LR"): "both feet", frozenset("L"): "left foot only", frozenset("R"): "right foot only"}
ONE_FOOT = frozenset({FEET[frozenset("L")], FEET[frozenset("R")]})
# figure, label, unit, decimals, the summary's symmetry key ("" : compared as a difference)
SIDE_ROWS: tuple[tuple[str, str, str, int, str], ...] = (
    ("contact_time_ms", "contact time", "ms", 0, "contact_time"),
    ("strike_angle_deg", "strike angle", "deg", 1, ""),
    ("impact_g", "impact", "g", 1, "impact"),
    ("stride_length_m", "stride length", "m", 2, "stride_length"),
)


def feet_measured(steps: Sequence[Step]) -> str:
    """"both feet", "left foot only", "right foot only" ("no steps", "feet not known" otherwise)."""
    sides = frozenset(s.side for s in steps)
    return FEET.get(sides, "no steps" if not sides else "feet not known")


def one_foot_parts(feet: Mapping[str, str]) -> list[tuple[str, str]]:
    """(name, "left foot only") of each part measured on one foot, when the parts (`feet`: name -> feet_measured)
    were not all measured alike: its figures are that foot's only, next to figures of both (qa17 #7). The renderers
    write "NAME: measured: left foot only"; a session measured on one foot throughout says so in its header."""
    if len(set(feet.values())) < 2:
        return []
    return [(name, f) for name, f in feet.items() if f in ONE_FOOT]


@dataclass(frozen=True)
class SideRow:
    key: str  # the figure's name (contact_time_ms ...)
    label: str  # "contact time (ms)"
    left: float  # the left foot's median; NaN = not measured (or no sensor on that foot)
    right: float
    difference: float  # the symmetry index in % (strike angle: left minus right, in deg); NaN = not compared
    decimals: int

    def cells(self) -> tuple[str, str, str]:
        """("272", "256", "+6.1 %") as the tables print them; "–" for what is not measured."""
        unit = " deg" if self.key == "strike_angle_deg" else " %"
        diff = "–" if not math.isfinite(self.difference) else f"{round(self.difference, 1) + 0.0:+.1f}{unit}"  # no -0.0
        return _num(self.left, self.decimals), _num(self.right, self.decimals), diff


def _num(value: float, decimals: int) -> str:
    return "–" if not math.isfinite(value) else f"{value:.{decimals}f}"


def side_rows(steps: Sequence[Step]) -> list[SideRow]:
    """Each foot's figures of these steps (their main activity) and the difference between the feet."""
    return rows_of(summarise(steps))


def rows_of(summary: Summary) -> list[SideRow]:
    feet = {f.side: f.figures for f in summary.feet.values()}
    out = []
    for key, label, unit, decimals, symmetry in SIDE_ROWS:
        diff = summary.symmetry_index_pct.get(symmetry, math.nan) if symmetry else summary.strike_angle_diff_deg
        out.append(SideRow(key, f"{label} ({unit})", feet.get("L", {}).get(key, math.nan),
                           feet.get("R", {}).get(key, math.nan), diff, decimals))
    return out
