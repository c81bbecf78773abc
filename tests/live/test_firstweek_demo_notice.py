"""impl19 runner: with a red flag open, `footfall demo --runner NAME` said "demo: cues from the start" and two
lines later "No technique cues in this session: they wait until a professional has looked at the ankle". The
demo's line about cues is left out when the session gives none. The same for a check-in of pain before the run
(test_firstweek_pain_before.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import footfall.live.run as live_run
from footfall.cli import main

CUES_FROM_START = "demo: cues from the start"


class _Stopped(Exception):
    """The session itself is not needed: only what the demo says before it starts."""


async def _no_session(*args: Any, **kwargs: Any) -> Any:
    coach = kwargs["coach"]
    if (notice := live_run.pre_run_notice(coach)) is not None:  # as run_live says it first
        print(notice.advice.title, notice.no_cues)
    raise _Stopped


def _demo_preamble(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    db = str(tmp_path / "h.sqlite")
    assert main(["runner", "add", "kai", "--db", db]) == 0
    if extra:  # a check-in, say
        assert main([*extra, "--db", db]) == 0
    capsys.readouterr()
    with pytest.raises(_Stopped):
        main(["demo", "--runner", "kai", "--db", db, "--record", str(tmp_path / "d.ffr"), "--duration", "5"])
    return capsys.readouterr().out


def test_an_open_red_flag_has_no_cues_from_the_start(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_run, "run_live", _no_session)
    out = _demo_preamble(tmp_path, capsys, "checkin", "--runner", "kai", "--after", "3", "--swelling")
    print(out)
    assert live_run.NO_CUES in out
    assert CUES_FROM_START not in out


def test_without_a_red_flag_the_demo_still_says_it_cues_from_the_start(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_run, "run_live", _no_session)
    out = _demo_preamble(tmp_path, capsys)
    assert CUES_FROM_START in out and live_run.NO_CUES not in out


def test_pain_checked_in_before_the_demo_has_no_cues_from_the_start(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_run, "run_live", _no_session)
    out = _demo_preamble(tmp_path, capsys, "checkin", "--runner", "kai", "--before", "5")
    assert live_run.NO_CUES_PAIN in out and CUES_FROM_START not in out
