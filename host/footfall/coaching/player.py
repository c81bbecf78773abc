"""Live sound: a CueOutput that plays cues and metronome clicks through a command-line audio player.

Cues reach the live view a few hundred ms after the step they are based on, so the player schedules every
event at its own current play position instead of the step time. Audio is rendered block by block by
`AudioRenderer` and written as raw 16-bit mono PCM to the player's stdin (`aplay` or `paplay` where
installed; any command reading raw PCM works, which is how the tests capture it).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import replace

from footfall.coaching.audio import AudioRenderer
from footfall.coaching.cues import Cue
from footfall.errors import SourceError


def default_command(rate_hz: int) -> list[str]:
    if shutil.which("aplay"):
        return ["aplay", "-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", str(rate_hz)]
    if shutil.which("paplay"):
        return ["paplay", "--raw", "--format=s16le", "--channels=1", f"--rate={rate_hz}"]
    raise SourceError("no audio player found", hint="install alsa-utils (aplay) or pulseaudio-utils (paplay)")


class LivePlayer:
    """Plays what an AudioRenderer renders, in real time, from a background thread."""

    def __init__(self, command: list[str] | None = None, renderer: AudioRenderer | None = None,
                 block_s: float = 0.05, lead_s: float = 0.05, idle_s: float = 4.0) -> None:
        self.renderer = renderer or AudioRenderer()
        self.idle_s = idle_s  # no step seen for this long (the runner stands): the clicks stop until steps come
        self._spm: float | None = None  # the metronome setting
        self._muted = False
        self._seen = time.monotonic()
        rate = int(self.renderer.rate_hz)
        self.block_s, self.lead_s = block_s, lead_s
        self._proc = subprocess.Popen(command or default_command(rate), stdin=subprocess.PIPE)
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
                assert self._proc.stdin is not None
                self._proc.stdin.write((block * 32767).astype("<i2").tobytes())
                self._proc.stdin.flush()
            except (BrokenPipeError, OSError):
                return
            # Pace by the wall clock too, so a player that does not block (or a pipe) stays in real time.
            time.sleep(max(0.0, start + self._pos_s - time.monotonic() - self.block_s))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            self._proc.kill()
