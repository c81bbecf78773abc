"""Which sound backend `--sound` picks per platform (no real audio is played)."""

from __future__ import annotations

import sys
import types
import wave
import io
from typing import Any

import pytest

from footfall.coaching import player
from footfall.errors import SourceError


def _which(present: set[str]) -> Any:
    return lambda name, *a, **k: f"/usr/bin/{name}" if name in present else None


def test_macos_uses_afplay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(player.sys, "platform", "darwin")
    monkeypatch.setattr(player.shutil, "which", _which({"afplay"}))
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], **kw: Any) -> None:
        with wave.open(cmd[1], "rb") as w:
            assert w.getframerate() == 16000 and w.getnframes() == 8000
        calls.append(cmd)

    monkeypatch.setattr(player.subprocess, "run", fake_run)
    sink = player.default_sink(16000)
    sink.write(b"\0\0" * 8000)
    sink.close()
    assert calls and calls[0][0] == "afplay"


def test_windows_uses_winsound(monkeypatch: pytest.MonkeyPatch) -> None:
    played: list[tuple[bytes, int]] = []
    fake = types.SimpleNamespace(SND_MEMORY=4, PlaySound=lambda data, flags: played.append((data, flags)))
    monkeypatch.setitem(sys.modules, "winsound", fake)
    monkeypatch.setattr(player.sys, "platform", "win32")
    monkeypatch.setattr(player.shutil, "which", _which(set()))
    sink = player.default_sink(16000)
    sink.write(b"\0\0" * 4000)
    assert not played  # still collecting a chunk
    sink.write(b"\0\0" * 4000)
    assert len(played) == 1 and played[0][1] == 4
    with wave.open(io.BytesIO(played[0][0]), "rb") as w:
        assert w.getnframes() == 8000


def test_linux_prefers_aplay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(player.shutil, "which", _which({"aplay", "afplay"}))
    assert player.default_command(16000)[0] == "aplay"


def test_nothing_found_names_every_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(player.sys, "platform", "linux")
    monkeypatch.setattr(player.shutil, "which", _which(set()))
    with pytest.raises(SourceError) as err:
        player.default_sink(16000)
    text = str(err.value) + str(getattr(err.value, "hint", ""))
    assert "aplay" in text and "afplay" in text and "winsound" in text
