"""footnet-example: a crude sagittal virtual IMU from three foot points through the analyser, against the
force-plate contacts of a treadmill runner (real data; contact timing reported, cadence bounded)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.validation import footnet

pytestmark = pytest.mark.realdata


def test_footnet_contacts_and_cadence(data_with: Callable[[str], Path]) -> None:
    result = footnet.validate(data_with("footnet-example"))
    for row in result.rows:
        print({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()})
    print(result.table())
    assert result["cadence_err_pct"].passed
    assert result["contacts_within_100ms_pct"].passed  # a guard against a broken tool
    assert not result.failures()
    for row in result.rows:
        assert row["steps"] == row["contacts_ref"]  # type: ignore[comparison-overlap]
