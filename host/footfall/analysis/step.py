"""The per-step record the analyser emits, one per foot contact. Coaching, store and reports read it."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from enum import Enum

from footfall.finite import null_nan


# Every flag the analysis writes on a step (Step.flags), in the order of the user guide's table (§3 "Step flags"):
# the one list a study reads them from. tests/analysis/test_flag_table.py keeps the table equal to it and checks
# the flags the analysis produces against it.
FLAGS = (
    "first_of_bout", "gap_before", "gap_bridged", "gap_after", "no_toe_off", "acc_only", "strike_not_measured",
    "stride_not_measured", "no_rest_start", "no_rest_end", "bad_samples", "too_short", "saturated_stride",
    "gyro_saturated", "saturated", "low_rate", "poor_zupt", "turn", "alignment_poor", "two_feet",
)


class Pattern(str, Enum):
    """Foot-strike pattern (Altman & Davis 2012 thresholds on the strike angle)."""

    REARFOOT = "rearfoot"
    MIDFOOT = "midfoot"
    FOREFOOT = "forefoot"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Step:
    """One ground contact of one foot. NaN means 'could not be measured'; see `flags` for why."""

    sensor: str
    side: str  # "L", "R" or "?"
    index: int  # running number of this foot's steps in the session
    ic_time_s: float  # initial contact, seconds on the session's time base (the recording's: user-guide §6)
    to_time_s: float  # toe-off ending this contact
    contact_time_ms: float
    swing_time_ms: float  # toe-off of the previous contact to this IC
    flight_time_ms: float  # both feet off the ground before this IC (two sensors), else NaN
    strike_angle_deg: float  # + toe up (heel first), - toe down (forefoot first)
    pattern: Pattern
    pattern_confidence: float  # 0..1; NaN for an unknown pattern (the analysis's sources give NaN)
    cadence_spm: float  # steps per minute, from this foot's stride time x 2 (or both feet)
    stride_length_m: float  # this foot's displacement from the previous mid-stance to this one
    stride_time_s: float
    speed_mps: float
    foot_velocity_at_ic_mps: float  # forward foot velocity at contact (landing while still moving forward)
    # mean forward deceleration of the foot over the 40 ms after IC: (forward velocity at IC - 40 ms later) / 40 ms.
    # Positive: the foot slows. Negative: it still speeds up, or is already moving back at IC (pawing back) and
    # stops; the overstride index counts positive values only (stride.py, overstride.py)
    braking_mps2: float
    overstride_index: float  # 0 (none) .. 1 (strong), transparent combination in docs/algorithms.md
    impact_g: float  # peak acceleration magnitude near IC, in g
    activity: str  # "running", "walking", "standing"
    flags: tuple[str, ...] = ()  # e.g. ("acc_only", "saturated", "gap_before")

    def __post_init__(self) -> None:
        """An unknown pattern has no confidence: NaN (empty in CSV, null in JSON and SQL). The analysis gives NaN
        where it makes one (landing, stride, measures, clipping, pipeline: tests/analysis/test_confidence_sources.py);
        this is for the readers (report/export.read_steps, store/rows.py): footfall before 0.2 wrote 0.0, which
        reads as a measured "certainly not this pattern", and the files and stored sessions it wrote stay."""
        # the one NaN object, not any NaN: NaN != NaN, so equal Steps compare equal only through identity
        if self.pattern == Pattern.UNKNOWN and self.pattern_confidence is not math.nan:
            object.__setattr__(self, "pattern_confidence", math.nan)  # (frozen)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON (what `write_json` and `footfall analyse --json` write per step): a figure not measured
        (NaN) is None, as JSON has no NaN; `pattern` its text, `flags` a list. The Step itself keeps NaN."""
        d = asdict(self)
        d["pattern"] = self.pattern.value
        d["flags"] = list(self.flags)
        return {k: null_nan(v) for k, v in d.items()}
