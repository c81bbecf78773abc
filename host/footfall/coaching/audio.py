"""Sound for cues: metronome clicks at the target cadence and short spoken cues (espeak-ng), else tones.

`AudioRenderer` is a CueOutput that lays every event on a stream-time axis and renders it to samples or a
WAV file. Offline it renders a whole session (tests, `footfall demo --audio out.wav`); a live player can
call `render(start_s, end_s)` block by block and hand the samples to the sound card.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from footfall.coaching.cues import Cue, CueKind

FloatArray = NDArray[np.float64]

CLICK_HZ = 2000.0
CLICK_S = 0.012
TONE_S = 0.12
# Fallback melodies when no speech engine is present: rising = well done, falling = correction, level = the
# metronome stops (neither).
TONES_HZ: dict[CueKind, tuple[float, float]] = {
    CueKind.PRAISE: (660.0, 880.0),
    CueKind.QUICKER_STEPS: (880.0, 660.0),
    CueKind.OVERSTRIDE: (880.0, 523.0),
    CueKind.METRONOME_OFF: (660.0, 660.0),
}


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def click(rate_hz: float) -> FloatArray:
    """A short decaying 2 kHz click, easy to hear over footsteps."""
    t = np.arange(int(CLICK_S * rate_hz)) / rate_hz
    return 0.6 * np.sin(2 * np.pi * CLICK_HZ * t) * np.exp(-t / (CLICK_S / 4))


def tones(kind: CueKind, rate_hz: float) -> FloatArray:
    t = np.arange(int(TONE_S * rate_hz)) / rate_hz
    ramp = np.minimum(1.0, np.minimum(t, TONE_S - t) / 0.01)  # 10 ms fades avoid clicks at the edges
    parts = [0.4 * ramp * np.sin(2 * np.pi * f * t) for f in TONES_HZ[kind]]
    gap = np.zeros(int(0.04 * rate_hz))
    return np.concatenate([parts[0], gap, parts[1]])


def _read_wav(data: bytes) -> tuple[FloatArray, float]:
    with wave.open(io.BytesIO(data)) as w:
        frames = w.readframes(w.getnframes())
        rate = float(w.getframerate())
    return np.frombuffer(frames, dtype="<i2").astype(float) / 32768.0, rate


def speak(text: str, rate_hz: float) -> FloatArray | None:
    """`text` spoken by espeak-ng, resampled to `rate_hz`; None when espeak-ng is absent or fails."""
    if not espeak_available():
        return None
    try:
        out = subprocess.run(["espeak-ng", "--stdout", "-s", "175", text], capture_output=True, check=True,
                             timeout=20).stdout
        samples, rate = _read_wav(out)
    except (subprocess.SubprocessError, OSError, wave.Error, EOFError):
        return None
    n = int(len(samples) * rate_hz / rate)
    return np.interp(np.arange(n) * rate / rate_hz, np.arange(len(samples)), samples)


def click_times(changes: list[tuple[float, float | None]], end_s: float) -> FloatArray:
    """Click times for metronome settings [(time_s, spm or None)] up to end_s."""
    out: list[FloatArray] = []
    for i, (t0, spm) in enumerate(changes):
        t1 = changes[i + 1][0] if i + 1 < len(changes) else end_s
        if spm:
            out.append(np.arange(t0, t1, 60.0 / spm))
    return np.concatenate(out) if out else np.zeros(0)


@dataclass
class AudioRenderer:
    """CueOutput that renders metronome clicks and spoken (or toned) cues to audio samples."""

    rate_hz: float = 16000.0
    speech: bool | None = None  # None: speak when espeak-ng is installed
    events: list[tuple[float, FloatArray]] = field(default_factory=list)
    metronome_changes: list[tuple[float, float | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.speech is None:
            self.speech = espeak_available()
        self._click = click(self.rate_hz)

    def cue(self, cue: Cue) -> None:
        voice = speak(cue.text, self.rate_hz) if self.speech else None
        self.events.append((cue.time_s, voice if voice is not None else tones(cue.kind, self.rate_hz)))

    def metronome(self, target_spm: float | None, time_s: float) -> None:
        self.metronome_changes.append((time_s, target_spm))

    def close(self) -> None:
        pass

    def render(self, start_s: float, end_s: float) -> FloatArray:
        out = np.zeros(max(0, int(round((end_s - start_s) * self.rate_hz))))
        for t in click_times(self.metronome_changes, end_s):
            self._mix(out, t - start_s, self._click)
        for t, sound in self.events:
            self._mix(out, t - start_s, sound)
        return np.clip(out, -1.0, 1.0)

    def _mix(self, out: FloatArray, offset_s: float, sound: FloatArray) -> None:
        i0 = int(round(offset_s * self.rate_hz))
        lo, hi = max(i0, 0), min(i0 + len(sound), len(out))
        if lo < hi:
            out[lo:hi] += sound[lo - i0:hi - i0]

    def write_wav(self, path: str | Path, end_s: float, start_s: float = 0.0) -> Path:
        samples = (self.render(start_s, end_s) * 32767).astype("<i2")
        Path(path).write_bytes(wav_bytes(samples.tobytes(), int(self.rate_hz)))
        return Path(path)


def wav_bytes(pcm: bytes, rate_hz: int) -> bytes:
    """16-bit mono PCM as a WAV file's bytes."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(pcm)
    return out.getvalue()
