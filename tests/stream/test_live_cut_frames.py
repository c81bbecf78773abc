"""A live session names the BLE link's ATT MTU when the frames arrive cut to one length (QA 18, F1): a note under
the table, once, instead of a "corrupt" count with no reason."""

from __future__ import annotations

import asyncio

from footfall.live.session import LiveParams, LiveSession
from footfall.sources.base import Source

from .streams import stream


class CutLinkSource(Source):
    """Answers `start` with a stream whose notifications a link of ATT MTU `mtu` cut (firmware before 0.7)."""

    def __init__(self, mtu: int) -> None:
        super().__init__("test:cut", "footfall-L", "L")
        self.mtu = mtu

    async def open(self) -> None:
        self._event("restored", "connected")

    async def send(self, command: bytes) -> None:
        if command[0] == 0x01:
            for frame in stream(30):
                self._arrived(frame[: self.mtu - 3])


def test_frames_cut_by_a_185_link_are_named_once() -> None:
    async def main() -> LiveSession:
        session = LiveSession([CutLinkSource(185)], None, LiveParams(duration_s=2.5, silence_s=1.0))
        await session.run()
        return session

    session = asyncio.run(asyncio.wait_for(main(), 30))
    notes = [n for n in session.state.notes if "every cut frame is 182 bytes: link ATT MTU 185" in n]
    assert len(notes) == 1, list(session.state.notes)
    assert session.lanes[0].view.corrupt >= 30
