"""What a small BLE ATT MTU means, said right (QA18b BLE N1, N5, N6; the samples-per-MTU formula once):

- the host's samples_for_mtu is the firmware's, for every MTU a link can have;
- a 0.7 sensor at MTU 185 is healthy: one note naming its firmware, no warning, no source damage; the same MTU on
  older firmware is damage, with "update it";
- an answer cut before the MTU exchange does not leave "will not stream" standing once whole frames arrive;
- on a link below MTU 48 the session says so once and asks the sensor to start seldom, not every few seconds.
"""

from __future__ import annotations

import asyncio
import dataclasses
from types import ModuleType

import pytest

from footfall.live.session import LiveParams, LiveSession
from footfall.protocol import frames as ff
from footfall.protocol.decode import StreamDecoder, mtu_note
from footfall.sources.base import Source

from .streams import status, stream


def test_host_and_firmware_agree_on_samples_per_frame(fw_frame: ModuleType) -> None:
    got = {mtu: ff.samples_for_mtu(mtu) for mtu in range(23, 518)}
    assert got == {mtu: fw_frame.samples_for_mtu(mtu) for mtu in range(23, 518)}
    assert (got[23], got[48], got[185], got[240], got[241], got[517]) == (1, 2, 14, 18, 19, 19)


def _with_fw(frame: bytes, fw: tuple[int, int, int]) -> bytes:
    return bytes(dataclasses.replace(ff.StatusFrame.from_bytes(frame), fw_version=fw))


def test_the_mtu_note_names_what_the_firmware_does() -> None:
    new, old, unknown = mtu_note(185, (0, 7, 1)), mtu_note(185, (0, 6, 2)), mtu_note(185)
    assert "firmware 0.7.1 sends 14 samples" in new and "nothing is lost" in new and "update" not in new
    assert "firmware 0.6.2's data frames arrive cut" in old and "update it" in old
    assert "0.7 sends 14 samples" in unknown and "older firmware" in unknown
    assert all(n.startswith("link ATT MTU 185 (full frames need 241): ") for n in (new, old, unknown))


def test_a_cut_answer_before_the_mtu_exchange_is_taken_back_by_whole_frames() -> None:
    decoder = StreamDecoder(sensor="L")
    decoder.feed(status(0)[:20])  # 'busy' answered before the exchange, cut by MTU 23
    assert decoder.cut_mtu() == 23 and "will not stream" in (decoder.truncation_note() or "")
    for frame in stream(5, seq0=1):
        decoder.feed(frame)
    assert decoder.cut_mtu() is None and decoder.truncation_note() is None


class MtuSource(Source):
    """Says its link's MTU as BleSource does, and answers `start` as a sensor of firmware `fw` on that link would:
    `cut_starts` starts answered 'busy' cut to MTU - 3 (below 48), then a whole stream."""

    def __init__(self, mtu: int | None, fw: tuple[int, int, int], cut_starts: int = 0, cut_mtu: int = 23) -> None:
        super().__init__("test:mtu", "footfall-L", "L")
        self.mtu, self.fw, self.cut_starts, self.cut_mtu = mtu, fw, cut_starts, cut_mtu
        self.starts = self.syncs = 0
        self.seq = 0

    async def open(self) -> None:
        self.health.extra["att_mtu"] = self.mtu
        if self.mtu is not None:
            self._event("note", mtu_note(self.mtu))
        self._event("restored", "connected")

    async def send(self, command: bytes) -> None:
        self.syncs += command[0] == ff.CMD_TIME_SYNC
        if command[0] != ff.CMD_START:
            return
        self.starts += 1
        if self.starts <= self.cut_starts:
            self._arrived(_with_fw(status(self.seq), self.fw)[: self.cut_mtu - 3])
            self.seq += 1
            return
        frames = stream(30, seq0=self.seq, n=ff.samples_for_mtu(self.mtu or 247))
        self.seq += len(frames)
        for frame in [_with_fw(frames[0], self.fw)] + frames[1:]:
            self._arrived(frame)


def _run(source: MtuSource, duration_s: float) -> LiveSession:
    async def main() -> LiveSession:
        session = LiveSession([source], None, LiveParams(duration_s=duration_s, silence_s=1.0))
        await session.run()
        return session

    return asyncio.run(asyncio.wait_for(main(), 30))


@pytest.mark.parametrize("fw, damage", [((0, 7, 1), False), ((0, 6, 2), True)])
def test_a_small_mtu_is_damage_only_on_firmware_that_does_not_size_its_frames(fw: tuple[int, int, int],
                                                                               damage: bool) -> None:
    session = _run(MtuSource(185, fw), 2.0)
    notes = [n for n in session.state.notes if "ATT MTU 185" in n]
    assert len(notes) == 1 and mtu_note(185, fw) in notes[0], list(session.state.notes)
    assert bool(session.warnings) == damage and bool(session._source_damage) == damage, session.warnings
    assert session.lanes[0].view.samples == 30 * 14


def test_below_the_smallest_mtu_the_session_says_so_once_and_asks_seldom() -> None:
    source = MtuSource(None, (0, 7, 1), cut_starts=99)  # BlueZ: the MTU is learnt from the cut answers
    session = _run(source, 6.0)
    notes = list(session.state.notes)
    assert sum("ATT MTU 23 is below the 48" in n for n in notes) == 1, notes
    assert not any("asking it to start again" in n for n in notes), notes
    assert source.starts <= 2, source.starts  # the claim, and one ask in case the MTU exchange came late
    assert source.syncs == 0, source.syncs  # no time sync every 5 s to a sensor that refuses every one


def test_a_stream_after_a_late_mtu_exchange_takes_the_note_back() -> None:
    source = MtuSource(None, (0, 7, 1), cut_starts=1)  # the first start came before the exchange
    session = _run(source, 3.0)
    notes = list(session.state.notes)
    assert any("whole frames arrive now" in n for n in notes), notes
    assert session.lanes[0].view.samples == 30 * 19 and source.starts >= 2


def test_a_reported_mtu_below_48_is_not_believed_once_whole_status_frames_arrive() -> None:
    """WinRT can report MTU 23 before its exchange has ended (qa18c F3): the session said "will not stream" while
    the samples streamed. A whole 45-byte status frame proves the link carries 48 or more."""
    session = _run(MtuSource(23, (0, 7, 2)), 2.0)
    notes = list(session.state.notes)
    assert not any("will not stream" in n for n in notes), notes
    assert session.lanes[0].view.samples > 0 and not session.warnings


class _FallsSilent(MtuSource):
    """Streams its first 30 frames on the first start, then nothing: what a host sees when its resend after a
    reconnect was refused (before the MTU exchange) and the sensor went on streaming to nobody."""

    def __init__(self) -> None:
        super().__init__(247, (0, 7, 2))
        self.commands: list[int] = []

    async def send(self, command: bytes) -> None:
        self.commands.append(command[0])
        if command[0] == ff.CMD_START and self.starts == 0:
            await super().send(command)


def test_a_silent_sensor_is_asked_for_what_was_missed_then_to_start() -> None:
    """The watchdog asks for the frames after the last one received before it asks to start (qa18c F2: a bare
    start never asked again for frames lost just before the link dropped)."""
    source = _FallsSilent()
    _run(source, 3.0)
    retries = source.commands[source.commands.index(ff.CMD_START) + 1:]
    retries = [c for c in retries if c != ff.CMD_TIME_SYNC]
    assert retries[:2] == [ff.CMD_RESEND, ff.CMD_START], source.commands
