"""A correction that starts a metronome block says so in words ("...; metronome on, step with the beat"), at each
block's start only; it stays one cue (one utterance, spoken or toned as its kind), and "Metronome off" still ends
each block (QA17: a new block only said "Shorter, quicker steps")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from footfall.coaching.audio import AudioRenderer, espeak_available, speak, tones
from footfall.coaching.cues import BLOCK_OFF, LAST_REMINDER, METRONOME_ON, PHRASES, CueEngine, CueKind, CueParams
from footfall.coaching.outputs import ListOutput, LiveCoach
from footfall.coaching.scripted import Gait, planned_run

HEEL = Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65)  # never takes the cue up
PATIENT = CueParams(grace_s=0, max_unanswered=100)
REPO = Path(__file__).resolve().parents[2]


def _sink(gait: Gait, duration_s: float, params: CueParams) -> ListOutput:
    sink = ListOutput()
    coach = LiveCoach(CueEngine(params), [sink])
    for step in planned_run([(duration_s, gait)], seed=2):
        coach.feed(step)
    return sink


def test_each_block_starts_with_metronome_on_and_only_then() -> None:
    sink = _sink(HEEL, 3000, PATIENT)
    starts = {t for t, spm in sink.metronome_changes if spm is not None}
    said_on = [c for c in sink.cues if METRONOME_ON in c.text]
    print([(round(c.time_s), c.text) for c in sink.cues])
    assert {c.time_s for c in said_on} == starts and len(starts) == PATIENT.metronome_blocks
    assert all(c.kind is CueKind.QUICKER_STEPS and c.metronome_spm for c in said_on)
    assert said_on[0].text == PHRASES[CueKind.QUICKER_STEPS] + METRONOME_ON
    others = [c for c in sink.cues if c.kind is CueKind.QUICKER_STEPS and c not in said_on]
    assert others and all(c.text == PHRASES[CueKind.QUICKER_STEPS] for c in others)  # reminders inside a block
    assert [c.text for c in sink.cues].count(BLOCK_OFF) == PATIENT.metronome_blocks


def test_no_metronome_no_announcement() -> None:
    """A fast overstrider at the speed norm gets the landing cue without clicks, and no "metronome on"."""
    fast = replace(HEEL, cadence_spm=185, strike_angle_deg=5, speed_mps=4.0)
    sink = _sink(fast, 300, CueParams(grace_s=0))
    assert [c for c in sink.cues if c.kind is CueKind.OVERSTRIDE]
    assert not sink.metronome_changes and not [c for c in sink.cues if METRONOME_ON in c.text]


def test_the_last_reminder_still_ends_the_cue() -> None:
    cues = CueEngine(CueParams(grace_s=0, max_unanswered=1)).feed_many(planned_run([(300, HEEL)], seed=4))
    assert cues[0].text == PHRASES[CueKind.QUICKER_STEPS] + METRONOME_ON + LAST_REMINDER


def test_it_is_rendered_as_one_cue_like_the_others(tmp_path: Path) -> None:
    """One event per cue: the tone of its kind without speech, its whole text spoken with it."""
    cue = CueEngine(CueParams(grace_s=0)).feed_many(planned_run([(120, HEEL)], seed=5))[0]
    quiet = AudioRenderer(speech=False)
    quiet.cue(cue)
    [(t, sound)] = quiet.events
    assert t == cue.time_s and np.array_equal(sound, tones(CueKind.QUICKER_STEPS, quiet.rate_hz))
    if not espeak_available():
        pytest.skip("espeak-ng not installed (.ci/run installs it)")
    spoken = speak(cue.text, 16000.0)
    short = speak(PHRASES[CueKind.QUICKER_STEPS], 16000.0)
    assert spoken is not None and short is not None and len(spoken) > len(short) + 16000  # the words are said


def test_the_docs_quote_the_phrase() -> None:
    said = PHRASES[CueKind.QUICKER_STEPS] + METRONOME_ON
    for doc in ("docs/coaching.md", "docs/user-guide.md"):
        assert said in (REPO / doc).read_text(encoding="utf-8"), doc
