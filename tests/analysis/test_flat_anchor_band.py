"""The "foot standing flat" anchor of an early touchdown (contacts.ContactDetector._anchors) needs a calm gyro AND
a specific force within 2 m/s^2 of gravity: a foot still decelerating (|a| = g + 3) is not yet standing, however
calm its gyro. No recording or simulated run reaches this band's edge, so the anchor is checked directly."""

from __future__ import annotations

import numpy as np
import pytest

from footfall.analysis.buffer import SampleWindow
from footfall.analysis.contacts import ContactDetector
from footfall.analysis.params import AnalysisParams
from footfall.samples import STANDARD_GRAVITY_MPS2

RATE_HZ = 416.0


def _flat_anchors(acc_norm_mps2: float) -> list[tuple[int, bool]]:
    """Anchors of a late swing: the toe-up rate rises to 8 rad/s and falls back to 0 over 0.2 s, then the gyro is
    still for 0.1 s with |a| = `acc_norm_mps2` (no heel drop: the rate never rises again)."""
    swing_n, still_n, pad = int(0.2 * RATE_HZ), int(0.1 * RATE_HZ), 20
    toe_up = np.concatenate((np.zeros(pad), 8.0 * np.sin(np.linspace(0.0, np.pi, swing_n)), np.zeros(still_n + pad)))
    gyr = np.zeros((len(toe_up), 3))
    gyr[:, 1] = -toe_up  # the toe-up rate is -gyr_y
    acc = np.tile([0.0, 0.0, acc_norm_mps2], (len(toe_up), 1))
    win = SampleWindow(0)
    win.append(acc, gyr)
    det = ContactDetector(AnalysisParams(), RATE_HZ, 0)
    det.swing_start = pad
    return [a for a in det._anchors(win, pad + swing_n + still_n) if not a[1]]


@pytest.mark.parametrize(("excess_mps2", "standing"), [(0.0, True), (1.5, True), (-1.5, True), (3.0, False),
                                                       (-3.0, False)])
def test_standing_flat_needs_gravity_within_2_mps2(excess_mps2: float, standing: bool) -> None:
    anchors = _flat_anchors(STANDARD_GRAVITY_MPS2 + excess_mps2)
    assert bool(anchors) is standing, anchors
