"""Live sound: a CueOutput that plays cues and metronome clicks through a command-line audio player.

Cues reach the live view a few hundred ms after the step they are based on, so the player schedules every
event at its own current play position instead of the step time. Audio is rendered block by block by
`AudioRenderer` and written as raw 16-bit mono PCM to the player's stdin (`aplay` or `paplay` where
installed; any command reading raw PCM works, which is how the tests capture it). Where neither exists, macOS's
`afplay` and Windows's stdlib `winsound` play the same samples in short WAV chunks (a little more latency);
the start-up silence before each chunk is skipped on the audio clock, so the clicks keep the wall clock's pace.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from footfall.coaching.audio import AudioRenderer, click, click_times, wav_bytes
from footfall.coaching.cues import Cue
from footfall.errors import SourceError


def default_command(rate_hz: int) -> list[str]:
    if shutil.which("aplay"):
        return ["aplay", "-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", str(rate_hz)]
    if shutil.which("paplay"):
        return ["paplay", "--raw", "--format=s16le", "--channels=1", f"--rate={rate_hz}"]
    raise SourceError("no audio player found", hint=_NO_PLAYER_HINT)


_NO_PLAYER_HINT = ("Linux: install alsa-utils (aplay) or pulseaudio-utils (paplay); macOS: afplay (built in) "
                   "must be on PATH; Windows: the built-in winsound module is used")


class Sink(Protocol):
    def write(self, pcm: bytes) -> float:
        """Play `pcm`; return how long the speaker was silent beyond it (s): 0 for a stream."""
        ...

    def close(self) -> None: ...


class PipeSink:
    """Raw 16-bit mono PCM to a command's stdin (aplay, paplay, or any test command)."""

    def __init__(self, command: list[str]) -> None:
        self._proc = subprocess.Popen(command, stdin=subprocess.PIPE)

    def write(self, pcm: bytes) -> float:
        assert self._proc.stdin is not None
        self._proc.stdin.write(pcm)
        self._proc.stdin.flush()
        return 0.0  # the player streams: a full pipe blocks us without a gap in the sound

    def close(self) -> None:
        if self._proc.stdin is not None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        try:
            self._proc.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            self._proc.kill()


class ChunkSink:
    """Collects PCM into chunks of `chunk_s` and plays each as a WAV, synchronously (afplay or winsound).

    Such a player starts afresh for every chunk, so the speaker is silent while it starts (and while the next
    chunk is made). `write` returns that silence, measured by the wall clock, so the live player can move its
    audio clock on by as much: without it the clicks stretch to audio time and come slower than the target.
    """

    def __init__(self, play: Callable[[bytes], None], rate_hz: int, chunk_s: float = 0.5) -> None:
        self._play, self._rate = play, rate_hz
        self._chunk = int(chunk_s * rate_hz) * 2
        self._buf = b""
        self._ended_s: float | None = None  # time.monotonic() when the last chunk had played

    def write(self, pcm: bytes) -> float:
        self._buf += pcm
        if len(self._buf) < self._chunk:
            return 0.0
        data, self._buf = self._buf, b""
        began_s = time.monotonic() if self._ended_s is None else self._ended_s
        self._play(wav_bytes(data, self._rate))
        self._ended_s = time.monotonic()
        return max(0.0, self._ended_s - began_s - len(data) / 2 / self._rate)

    def close(self) -> None:
        self._buf = b""


def _afplay(wav: bytes) -> None:
    fd, name = tempfile.mkstemp(suffix=".wav", prefix="footfall-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(wav)
        subprocess.run(["afplay", name], check=False)
    finally:
        os.unlink(name)


def default_sink(rate_hz: int) -> Sink:
    """The first audio backend present here: aplay, paplay, afplay (macOS), winsound (Windows)."""
    if shutil.which("aplay") or shutil.which("paplay"):
        return PipeSink(default_command(rate_hz))
    if sys.platform == "darwin" and shutil.which("afplay"):
        return ChunkSink(_afplay, rate_hz)
    if sys.platform == "win32":
        try:
            import winsound
        except ImportError:
            pass
        else:
            flags = winsound.SND_MEMORY

            def play(wav: bytes) -> None:
                winsound.PlaySound(wav, flags)

            return ChunkSink(play, rate_hz)
    raise SourceError("no audio player found", hint=_NO_PLAYER_HINT)


class LivePlayer:
    """Plays what an AudioRenderer renders, in real time, from a background thread."""

    def __init__(self, command: list[str] | None = None, renderer: AudioRenderer | None = None,
                 block_s: float = 0.05, lead_s: float = 0.05, idle_s: float = 4.0,
                 sink: Sink | None = None) -> None:
        self.renderer = renderer or AudioRenderer()
        self.idle_s = idle_s  # no step seen for this long (the runner stands): the clicks stop until steps come
        self._spm: float | None = None  # the metronome setting
        self._muted = False
        self._seen = time.monotonic()
        rate = int(self.renderer.rate_hz)
        self.block_s, self.lead_s = block_s, lead_s
        self._sink: Sink = sink or (PipeSink(command) if command else default_sink(rate))
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pos_s = 0.0
        self._thread = threading.Thread(target=self._loop, name="footfall-audio", daemon=True)
        self._thread.start()

    def cue(self, cue: Cue) -> None:
        with self._lock:
            self.renderer.cue(replace(cue, time_s=self._pos_s + self.lead_s))

    def metronome(self, target_spm: float | None, time_s: float) -> None:
        with self._lock:
            self._spm, self._muted = target_spm, False
            self.renderer.metronome(target_spm, self._pos_s + self.lead_s)

    def step_seen(self) -> None:
        """A step came (LiveCoach calls this): clicks stopped by a standing break start again."""
        with self._lock:
            self._seen = time.monotonic()
            if self._muted:
                self._muted = False
                self.renderer.metronome(self._spm, self._pos_s + self.lead_s)

    def _mute_when_idle(self) -> None:
        if self._spm and not self._muted and time.monotonic() - self._seen > self.idle_s:
            self._muted = True
            self.renderer.metronome(None, self._pos_s)

    def _loop(self) -> None:
        start = time.monotonic()
        while not self._stop.is_set():
            with self._lock:
                self._mute_when_idle()
                block = self.renderer.render(self._pos_s, self._pos_s + self.block_s)
                self._pos_s += self.block_s
            try:
                silent_s = self._sink.write((block * 32767).astype("<i2").tobytes())
            except (BrokenPipeError, OSError):
                return
            if silent_s > 0:
                self._skip(silent_s)
            # Pace by the wall clock too, so a player that does not block (or a pipe) stays in real time.
            time.sleep(max(0.0, start + self._pos_s - time.monotonic() - self.block_s))

    def _skip(self, silent_s: float) -> None:
        """The speaker was silent for `silent_s` (a chunk player's start-up): the audio clock moves on by as
        much, so the clicks keep to the wall clock. A sound due in the skipped span plays at its end, a little
        late rather than lost (a lost click would slow the rate as much as the stretch did)."""
        with self._lock:
            begin_s, self._pos_s = self._pos_s, self._pos_s + silent_s
            end_s, rate_hz = self._pos_s, self.renderer.rate_hz
            due = click_times(self.renderer.metronome_changes, end_s)
            late = [(end_s, click(rate_hz))] * int((due >= begin_s).sum())
            kept = [(end_s if begin_s <= t < end_s else t, sound) for t, sound in self.renderer.events
                    if t + len(sound) / rate_hz >= begin_s]  # sounds over by now are dropped: render is O(n)
            self.renderer.events = kept + late

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)
        self._sink.close()
