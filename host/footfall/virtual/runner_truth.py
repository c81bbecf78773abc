"""What the virtual runner really did: per contact and per segment, and the truth JSON file."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from footfall.analysis.strike import classify
from footfall.finite import null_nan
from footfall.virtual.runner_timeline import Contacts, Segment

_ACTIVITY_NAME = {0: "standing", 1: "walking", 2: "running"}


def strike_pattern(angle_deg: float) -> str:
    """Foot-strike pattern of the true strike angle: the analyser's own thresholds (Altman & Davis 2012)."""
    return classify(angle_deg).value


@dataclass(frozen=True)
class TruthContact:
    """One ground contact. Stride values describe the stride ending at this IC (NaN for a foot's first)."""

    ic_s: float
    to_s: float  # inf when the foot stays down past the end of the run
    contact_time_ms: float
    strike_angle_deg: float
    pattern: str
    stride_time_s: float
    stride_length_m: float  # heel displacement between the previous foot-flat and this one
    speed_mps: float  # stride_length_m / stride_time_s exactly
    cadence_spm: float  # 2 x 60 / stride_time_s
    foot_velocity_at_ic_mps: float  # forward velocity of the sensor point at IC
    braking_mps2: float  # its mean forward deceleration over the analyser's braking window after IC
    activity: str
    steady: bool  # stride entirely inside one walking or running segment


@dataclass(frozen=True)
class Truth:
    side: str
    contacts: tuple[TruthContact, ...]
    segments: tuple[Segment, ...]

    @property
    def ic_s(self) -> np.ndarray:
        return np.array([c.ic_s for c in self.contacts])

    @property
    def to_s(self) -> np.ndarray:
        return np.array([c.to_s for c in self.contacts])

    @property
    def cadence_spm(self) -> float:
        """Mean cadence over the steady running strides inside the run (NaN when there are none)."""
        times = [c.stride_time_s for c in self.contacts
                 if c.steady and c.activity == "running" and c.ic_s - c.stride_time_s >= 0.0]
        return 120.0 * len(times) / sum(times) if times else math.nan

    def to_dict(self) -> dict[str, object]:
        return {"side": self.side, "cadence_spm": self.cadence_spm,
                "contacts": [asdict(c) for c in self.contacts]}


def truth_from_contacts(side: str, c: Contacts, foot_vx: tuple[np.ndarray, np.ndarray], segs: list[Segment],
                        duration_s: float) -> Truth:
    """Contacts whose IC lies inside 0..duration_s, with the stride that ends at each. foot_vx: the sensor
    point's forward velocity at each IC and its mean deceleration just after (runner.landing_velocity)."""
    stride_s = np.diff(c.ic_s, prepend=np.nan)
    length = np.diff(c.heel_x_m, prepend=np.nan)
    rows = []
    for k in np.flatnonzero((c.ic_s >= 0.0) & (c.ic_s < duration_s)):
        angle = float(np.degrees(c.strike_rad[k]))
        rows.append(TruthContact(
            ic_s=float(c.ic_s[k]), to_s=float(c.to_s[k]), contact_time_ms=float(1000.0 * (c.to_s[k] - c.ic_s[k])),
            strike_angle_deg=angle, pattern=strike_pattern(angle), stride_time_s=float(stride_s[k]),
            stride_length_m=float(length[k]), speed_mps=float(length[k] / stride_s[k]),
            cadence_spm=float(120.0 / stride_s[k]), foot_velocity_at_ic_mps=float(foot_vx[0][k]),
            braking_mps2=float(foot_vx[1][k]),
            activity=_ACTIVITY_NAME[int(c.activity[k])], steady=bool(c.steady[k])))
    return Truth(side, tuple(rows), tuple(segs))


def write_truth_json(path: str | Path, params: dict[str, object], truths: list[Truth]) -> None:
    segs = truths[0].segments if truths else ()
    doc = {"format": "footfall-virtual-truth", "version": 1, "params": params,
           "segments": [asdict(s) for s in segs], "feet": {t.side: t.to_dict() for t in truths}}
    Path(path).write_text(json.dumps(null_nan(doc), indent=1) + "\n")
