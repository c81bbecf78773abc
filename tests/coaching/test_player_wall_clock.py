"""The metronome keeps the wall clock's pace through a chunk player (afplay on macOS, winsound on Windows).

Such a player returns once a chunk has played and takes some start-up time before each chunk. The fake below
does the same with sleeps, and the clicks it "hears" are timed by the wall clock (qa18 finding 2: with 30 ms of
start-up the clicks came at 156/min for a 166/min target).
"""

from __future__ import annotations

import io
import threading
import time
import wave

import numpy as np
import pytest

from footfall.coaching import player
from footfall.coaching.audio import AudioRenderer

TARGET_SPM = 166.0
RUN_S = 8.0
STARTUPS_S = (0.0, 0.03, 0.15)


class SlowChunkPlayer:
    """Plays a WAV like afplay or PlaySound: start-up time, then the sound's own length; notes click onsets."""

    def __init__(self, startup_s: float) -> None:
        self.startup_s = startup_s
        self.onsets_s: list[float] = []

    def __call__(self, wav: bytes) -> None:
        with wave.open(io.BytesIO(wav)) as w:
            rate_hz = w.getframerate()
            pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2")
        time.sleep(self.startup_s)
        began_s = time.monotonic()
        loud = np.flatnonzero(np.abs(pcm) > 3000)
        if loud.size:
            firsts = loud[np.insert(np.diff(loud) > rate_hz * 0.1, 0, True)]
            self.onsets_s += [began_s + i / rate_hz for i in firsts]
        time.sleep(len(pcm) / rate_hz)


def _clicks(onsets_s: list[float]) -> np.ndarray:
    """One onset per click: a click cut by a chunk's end shows its tail at the next chunk's start."""
    out: list[float] = []
    for t in sorted(onsets_s):
        if not out or t - out[-1] > 0.1:
            out.append(t)
    return np.array(out)


def _run(fake: SlowChunkPlayer) -> None:
    rate_hz = 16000
    live = player.LivePlayer(renderer=AudioRenderer(rate_hz=rate_hz, speech=False),
                             sink=player.ChunkSink(fake, rate_hz))
    live.metronome(TARGET_SPM, 0.0)
    start_s = time.monotonic()
    while time.monotonic() - start_s < RUN_S:
        live.step_seen()
        time.sleep(0.1)
    live.close()


@pytest.fixture(scope="module")
def heard() -> dict[float, np.ndarray]:
    """Click times heard per start-up time; the three players run at once to keep the test short."""
    fakes = {startup_s: SlowChunkPlayer(startup_s) for startup_s in STARTUPS_S}
    threads = [threading.Thread(target=_run, args=(fake,)) for fake in fakes.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {startup_s: _clicks(fake.onsets_s) for startup_s, fake in fakes.items()}


@pytest.mark.parametrize("startup_s", STARTUPS_S)
def test_mean_click_rate_is_the_target_by_the_wall_clock(heard: dict[float, np.ndarray],
                                                         startup_s: float) -> None:
    clicks_s = heard[startup_s]
    assert len(clicks_s) > 15
    # The fitted interval (least squares over the click number) is the mean rate; a lost click shifts every
    # later number, so it shows too.
    interval_s = np.polyfit(np.arange(len(clicks_s)), clicks_s, 1)[0]
    rate_spm = 60.0 / interval_s
    print(f"start-up {startup_s * 1000:.0f} ms: {len(clicks_s)} clicks, {rate_spm:.1f}/min")
    assert abs(rate_spm / TARGET_SPM - 1.0) < 0.01


@pytest.mark.parametrize("startup_s", STARTUPS_S)
def test_no_click_is_lost_in_the_start_up_silence(heard: dict[float, np.ndarray], startup_s: float) -> None:
    gaps_s = np.diff(heard[startup_s])
    # A click due while the player starts plays when the sound resumes: late by at most the start-up.
    assert gaps_s.max() < 60.0 / TARGET_SPM + startup_s + 0.03
