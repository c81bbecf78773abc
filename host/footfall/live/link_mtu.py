"""What one lane's BLE link MTU means during a live session (docs/protocol.md "ATT MTU").

The source says the link's ATT MTU once it connects; the session says what it means once a status frame names
the firmware: on firmware 0.7 and later a small MTU only makes frames smaller (a note, nothing lost), on older
firmware its data frames arrive cut (the source's damage, kept in the recording). Below MIN_MTU the sensor refuses
to stream: that is said once, and the sensor is asked again only every `retry_s` (an MTU exchange that came late
can still let it stream: then the note is taken back).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from footfall.protocol.decode import StreamDecoder, mtu_note
from footfall.protocol.frames import MIN_MTU, MTU_SIZED_FW

SMALL_MTU_RETRY_S = 30.0  # a link too small to stream is asked to start this seldom


@dataclass
class LinkMtu:
    """One lane's MTU as the source reported it and what has been said of it."""

    att_mtu: int | None = None  # from the source (None: not known, e.g. BlueZ)
    said: bool = False  # the tailored note went out
    cut_said: str | None = None  # the cut-frame note that went out (None: none, or taken back)
    asked_s: float = -math.inf  # wall time of the last `start` the watchdog sent
    retry_s: float = SMALL_MTU_RETRY_S

    def from_source(self, extra: dict[str, Any], text: str) -> bool:
        """True when `text` is the source's note on its link's MTU (said later, by `note`, for the firmware)."""
        mtu = extra.get("att_mtu")
        if not isinstance(mtu, int) or text != mtu_note(mtu):
            return False
        self.att_mtu, self.said = mtu, False
        return True

    def note(self, decoder: StreamDecoder) -> tuple[str, bool] | None:
        """(the note, whether it is damage) once a status frame names the firmware; None before, or when said."""
        status = decoder.status
        if self.att_mtu is None or self.said or status is None:
            return None
        self.said = True
        if self.att_mtu < MIN_MTU:  # yet a whole status frame came: the link carries more than the source said
            return None  # (WinRT can report 23 before the exchange ends); a cut stream still gets cut_note
        return mtu_note(self.att_mtu, status.fw_version), status.fw_version < MTU_SIZED_FW

    def cut_note(self, decoder: StreamDecoder) -> str | None:
        """The note on frames all cut to one length, once; and, once whole frames arrive after all, its withdrawal."""
        note = decoder.truncation_note()
        if note is not None and note != self.cut_said:
            self.cut_said = note
            return note + (f"; asking it again every {self.retry_s:.0f} s" if self.too_small(decoder) else "")
        if note is None and self.cut_said is not None and decoder.report.samples:
            self.cut_said = None
            return "whole frames arrive now (the link's MTU grew after the first answer): streaming"
        return None

    def too_small(self, decoder: StreamDecoder) -> bool:
        """The link cannot carry the stream: its MTU (as the cut answers or the source say) is below MIN_MTU."""
        mtu = decoder.cut_mtu() or self.att_mtu
        return mtu is not None and mtu < MIN_MTU and not decoder.report.samples

    def may_ask(self, decoder: StreamDecoder, now_s: float) -> bool:
        """Whether the watchdog may ask a silent sensor to start now (seldom on a link too small to stream)."""
        if self.too_small(decoder) and now_s - self.asked_s < self.retry_s:
            return False
        self.asked_s = now_s
        return True
