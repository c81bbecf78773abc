"""After an examination no entry tells the runner to stop running until they have seen a doctor (QA17 re-check,
N2 beyond the recurring-pain entry): the examined entry carries the clinician's plan, and the moderate-pain
entries say "tell your clinician" with the examined variant of the recurring-pain guidance."""

from __future__ import annotations

import pytest

from footfall.coaching.advice import checkin_advice
from footfall.coaching.checkin import CheckIn

STOP_AND_SEE = ("red_flags", "persistent_pain")


def _keys(ci: CheckIn) -> list[str]:
    return [i.key for a in checkin_advice(ci, after_run=True) for i in a.items]


def test_an_examined_red_flag_carries_the_plan_not_stop_and_see() -> None:
    keys = _keys(CheckIn(pain_after=3, swelling=True, examined=True))
    assert "physio_plan" in keys and not set(STOP_AND_SEE) & set(keys)


@pytest.mark.parametrize("ci", [CheckIn(pain_before=5, pain_after=5), CheckIn(pain_after=4)],
                         ids=["skip_run", "ease_off"])
def test_moderate_pain_after_an_examination_points_to_the_clinician(ci: CheckIn) -> None:
    from dataclasses import replace

    plain = checkin_advice(ci, after_run=True)
    examined = checkin_advice(replace(ci, examined=True), after_run=True)
    assert "persistent_pain" in [i.key for a in plain for i in a.items]
    assert "tell your clinician" not in " ".join(a.message for a in plain)
    keys = [i.key for a in examined for i in a.items]
    assert "recurring_examined" in keys and "persistent_pain" not in keys
    assert "tell your clinician" in " ".join(a.message for a in examined)
