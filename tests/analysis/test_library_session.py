"""Library use of the streaming Session (QA16 #11, #2): one pass only, and a word when no step could be paired."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.analysis.session import Session, analyse_recording
from footfall.errors import AnalysisError
from footfall.recording.stream import iter_blocks
from footfall.samples import SampleBlock
from footfall.virtual.runner import RunnerParams, simulate, write_run


@pytest.fixture(scope="module")
def run_ffr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_run(simulate(RunnerParams(duration_s=40.0, seed=4)), tmp_path_factory.mktemp("run") / "run.ffr")


def _session(blocks: list[SampleBlock], sensors: list[str]) -> tuple[Session, int]:
    session = Session(sensors=sensors)
    steps = [s for b in blocks for s in session.feed(b)] + session.finish()
    return session, sum("two_feet" in s.flags for s in steps)


def _pairing_warnings(session: Session) -> list[str]:
    return [w for r in session.reports.values() for w in r.warnings if "no step is paired" in w]


def test_feed_after_finish_is_refused(run_ffr: Path) -> None:
    """Before: the second half's steps were stitched onto the first's with no word."""
    blocks = list(iter_blocks(run_ffr, 4096))
    session = Session(sensors=["L", "R"])
    for b in blocks[: len(blocks) // 2]:
        session.feed(b)
    session.finish()
    with pytest.raises(AnalysisError, match="finished"):
        session.feed(blocks[-1])
    assert session.finish() == []  # a second finish() gives nothing more


def test_a_session_pairs_without_a_word_when_all_is_well(run_ffr: Path) -> None:
    session, paired = _session(list(iter_blocks(run_ffr, 4096)), ["L", "R"])
    assert paired > 0 and not _pairing_warnings(session)


@pytest.mark.parametrize(("sensors", "says"), [
    (["A", "B"], "expected sensor A, B sent no samples"),
    (["L", "R", "X"], "3 sensors in this session (L, R, X)"),
])  # fmt: skip
def test_no_pairing_is_said_in_the_reports(run_ffr: Path, sensors: list[str], says: str) -> None:
    """Before: misspelt or extra sensor ids paired 0 of 331 steps and said nothing."""
    session, paired = _session(list(iter_blocks(run_ffr, 4096)), sensors)
    assert paired == 0
    for report in session.reports.values():
        assert any(says in w for w in report.warnings), report.warnings


def test_an_expected_foot_that_never_came_is_said(run_ffr: Path) -> None:
    blocks = [b for b in iter_blocks(run_ffr, 4096) if b.sensor == "L"]
    session, paired = _session(blocks, ["L", "R"])
    assert paired == 0 and list(session.reports) == ["L"]
    assert _pairing_warnings(session) == [session.reports["L"].warnings[-1]]
    assert "expected sensor R sent no samples (seen: L)" in session.reports["L"].warnings[-1]


def test_a_third_sensor_is_said(run_ffr: Path) -> None:
    from dataclasses import replace

    blocks = list(iter_blocks(run_ffr, 4096))
    third = [replace(b, sensor="C") for b in blocks if b.sensor == "L"][:3]
    session, paired = _session(third + blocks, [])
    assert paired == 0 and any("3 sensors" in w for w in _pairing_warnings(session))


def test_analyse_recording_takes_a_path(run_ffr: Path) -> None:
    steps, reports = analyse_recording(run_ffr)
    assert steps and set(reports) == {"L", "R"} and not _pairing_warnings_of(reports)


def _pairing_warnings_of(reports: dict) -> list[str]:  # type: ignore[type-arg]
    return [w for r in reports.values() for w in r.warnings if "no step is paired" in w]


def test_max_wait_s_lets_a_silent_foots_partner_go_out_in_time(run_ffr: Path) -> None:
    """Before: with R named but silent, every L step was held until finish() (library QA 16, finding 3)."""
    blocks = [b for b in iter_blocks(run_ffr, 512) if b.sensor == "L"]
    held, timed = Session(sensors=["L", "R"]), Session(sensors=["L", "R"], max_wait_s=2.0)
    early_held = [s for b in blocks for s in held.feed(b)]
    early_timed, lag_s = [], []
    for b in blocks:
        for s in timed.feed(b):
            early_timed.append(s)
            lag_s.append((b.first_index + b.n) / b.rate_hz + b.time_offset_s - s.ic_time_s)
    assert early_held == [] and len(early_timed) > 40
    after_alignment = [lag for lag, s in zip(lag_s, early_timed) if s.ic_time_s > 15.0]  # the mounting is
    assert len(after_alignment) > 20 and max(after_alignment) < 2.0 + 2.5  # learnt over the first 12 s;
    # the bound: the wait, plus a block (1.2 s) and about a second before a step is final and settled
    assert not any("two_feet" in s.flags for s in early_timed)
    with pytest.raises(AnalysisError, match="max_wait_s"):
        Session(max_wait_s=-1.0)


def test_max_wait_s_does_not_unpair_two_feet_that_both_stream(run_ffr: Path) -> None:
    """The wait is counted in stream time, so it must be longer than a block (here 512 samples, 1.2 s)."""
    blocks = list(iter_blocks(run_ffr, 512))
    plain = _session(blocks, ["L", "R"])[1]
    timed = Session(sensors=["L", "R"], max_wait_s=3.0)
    steps = [s for b in blocks for s in timed.feed(b)] + timed.finish()
    assert sum("two_feet" in s.flags for s in steps) == plain > 0
