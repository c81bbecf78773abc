"""Audio cues rendered to a WAV file: clicks at the target cadence, speech (or tones) where the cues are."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from footfall.coaching.audio import AudioRenderer, espeak_available
from footfall.coaching.cues import Cue, CueEngine, CueKind, CueParams
from footfall.coaching.outputs import LiveCoach
from footfall.coaching.scripted import Gait, planned_run


def _read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float) / 32768, w.getframerate()


def _onsets(x: np.ndarray, rate: int, thresh: float = 0.2) -> np.ndarray:
    above = np.abs(x) > thresh
    idx = np.flatnonzero(above)
    if idx.size == 0:
        return idx / rate
    starts = idx[np.insert(np.diff(idx) > int(0.05 * rate), 0, True)]
    return starts / rate


def _cue(t: float, kind: CueKind = CueKind.QUICKER_STEPS) -> Cue:
    return Cue(t, kind, "Shorter, quicker steps", 170.0, 158.0, 0.6, 0.9, "cadence")


def test_click_spacing_matches_target_cadence(tmp_path: Path) -> None:
    r = AudioRenderer(speech=False)
    r.metronome(172.0, 1.0)
    r.metronome(None, 11.0)
    x, rate = _read(r.write_wav(tmp_path / "m.wav", end_s=13.0))
    on = _onsets(x, rate)
    spacing = np.diff(on)
    print(f"clicks {on.size}, spacing median {np.median(spacing) * 1000:.2f} ms (target {60000 / 172:.2f} ms)")
    assert abs(np.median(spacing) - 60 / 172) < 0.002
    assert np.max(np.abs(spacing - 60 / 172)) < 0.003
    assert on[0] == pytest.approx(1.0, abs=0.002) and on[-1] < 11.0
    assert np.max(np.abs(x[int(11.5 * rate):])) == 0.0  # metronome off: silence


def test_tones_when_no_speech(tmp_path: Path) -> None:
    r = AudioRenderer(speech=False)
    r.cue(_cue(2.0, CueKind.PRAISE))
    x, rate = _read(r.write_wav(tmp_path / "t.wav", end_s=4.0))
    seg = x[int(2.0 * rate):int(2.12 * rate)]
    spec = np.abs(np.fft.rfft(seg))
    peak_hz = np.fft.rfftfreq(seg.size, 1 / rate)[np.argmax(spec)]
    assert abs(peak_hz - 660) < 15  # praise starts on the lower tone (rising)
    assert np.max(np.abs(x[: int(1.9 * rate)])) == 0.0


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng not installed (.ci/run installs it)")
def test_spoken_cue_present(tmp_path: Path) -> None:
    r = AudioRenderer()
    assert r.speech
    r.cue(_cue(1.0))
    x, rate = _read(r.write_wav(tmp_path / "s.wav", end_s=5.0))
    voiced = np.abs(x) > 0.02
    start = np.flatnonzero(voiced)[0] / rate
    length = (np.flatnonzero(voiced)[-1] - np.flatnonzero(voiced)[0]) / rate
    print(f"speech starts {start:.3f} s, lasts {length:.2f} s")
    assert 1.0 <= start < 1.3 and 0.6 < length < 3.5  # a short phrase, not a tone (0.28 s)


def test_session_renders_with_clicks_after_cue(tmp_path: Path) -> None:
    r = AudioRenderer(speech=False)
    coach = LiveCoach(CueEngine(CueParams(grace_s=0)), [r])
    steps = planned_run([(40, Gait(cadence_spm=158, strike_angle_deg=22, overstride_index=0.65))])
    cues = [c for s in steps for c in coach.feed(s)]
    x, rate = _read(r.write_wav(tmp_path / "run.wav", end_s=steps[-1].ic_time_s))
    assert cues and cues[0].metronome_spm
    clicks = _onsets(x[int((cues[0].time_s + 0.5) * rate):], rate)
    assert abs(np.median(np.diff(clicks)) - 60 / cues[0].metronome_spm) < 0.002


def test_live_player_streams_clicks_in_real_time(tmp_path: Path) -> None:
    import time

    from footfall.coaching.player import LivePlayer

    raw = tmp_path / "live.raw"
    player = LivePlayer(["sh", "-c", f"cat > {raw}"], AudioRenderer(speech=False))
    player.metronome(180.0, time_s=123.0)  # the step time is ignored: events play at the current position
    time.sleep(0.6)
    player.cue(_cue(999.0, CueKind.PRAISE))
    time.sleep(0.9)
    player.close()
    x = np.frombuffer(raw.read_bytes(), dtype="<i2").astype(float) / 32768
    rate = 16000
    print(f"live player wrote {x.size / rate:.2f} s of audio")
    assert 1.2 < x.size / rate < 2.5
    clicks = _onsets(x, rate, thresh=0.45)  # tones peak at 0.4: only clicks pass
    assert abs(np.median(np.diff(clicks)) - 60 / 180) < 0.002
    assert clicks[0] < 0.2
    tone = np.abs(np.fft.rfft(x[int(0.5 * rate):]))
    freqs = np.fft.rfftfreq(x.size - int(0.5 * rate), 1 / rate)
    assert tone[(freqs > 640) & (freqs < 680)].max() > 20 * np.median(tone)  # the praise tone is there
