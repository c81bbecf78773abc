"""Recordings (.ffr): the frames exactly as they arrived, with host arrival time and session metadata.
`writer` (the record layout and the append-only writer), `file` (a whole file opened: sensors, frames,
blocks, damage), `stream` (read in bounded memory, block by block) and `time_base` (one clock for all sensors)."""

from footfall.recording.file import Recording, open_recording, read_time_base, write_si_recording
from footfall.recording.stream import iter_blocks
from footfall.recording.time_base import TimeBase
from footfall.recording.writer import RecordingWriter

__all__ = ["Recording", "RecordingWriter", "TimeBase", "iter_blocks", "open_recording", "read_time_base",
           "write_si_recording"]
