"""The one root exception of footfall and its data-carrying subclasses.

Everything footfall raises on purpose derives from FootfallError, so callers (and the CLI, which turns it
into one clear line and a non-zero exit) need to catch only one type.
"""

from __future__ import annotations


class FootfallError(Exception):
    """Root of every error footfall raises on purpose. `hint` says what the user can do about it."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class ProtocolError(FootfallError):
    """A frame that cannot be decoded: truncated, corrupt, unknown version or type."""

    def __init__(self, message: str, *, data: bytes = b"", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.data = data


class TruncatedFrameError(ProtocolError):
    """A frame shorter than its header or its sample count says."""


class UnknownVersionError(ProtocolError):
    """A frame of a protocol version this decoder does not speak (update footfall or the firmware)."""


class RecordingError(FootfallError):
    """A recording file that is missing, not a recording, or damaged beyond its readable part."""

    def __init__(self, message: str, *, path: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.path = path


class InputError(FootfallError):
    """Bad user input: a CSV with wrong columns, impossible units, an unknown option value."""


class SourceError(FootfallError):
    """A live source (BLE, serial, replay, virtual) that cannot be opened or has gone away."""


class AnalysisError(FootfallError):
    """Input the analyser cannot make sense of (no usable samples, wrong rate, ...)."""


class StoreError(FootfallError):
    """The history database cannot be opened, migrated or written."""


class FlashError(FootfallError):
    """Installing the firmware failed: a file that does not compile, a missing tool, an mpremote run that failed."""
