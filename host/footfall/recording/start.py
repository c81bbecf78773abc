"""Where a recording's start time comes from. `start_utc` (analysis.session.FileAnalysis) is the wall-clock time
of the steps' time 0; the analysis JSON says which clock gave it (`start_utc_source`), so a study can tell a
recorded start from the time a file was made. `footfall import` writes the key into the recording's metadata;
other recordings get it from their own clocks (docs/user-guide.md §3)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

from footfall.utc import iso_utc

META_KEY = "start_utc_source"
RECORDING = "recording"  # the recording's own clock: a live session's time 0 on the host clock
FILE_CREATED = "file created"  # when the file was written (a live session's without a time base: its start)
IMPORT_TIME = "import time"  # `footfall import` without --start: when the CSV was imported, not when it was recorded
GIVEN = "given"  # `footfall import --start`: the time the user gave
SOURCES = (RECORDING, FILE_CREATED, IMPORT_TIME, GIVEN)


def start_utc_source(meta: Mapping[str, object], start_utc: str | None) -> str | None:
    """Which of SOURCES gave `start_utc` (FileAnalysis.start_utc of a recording with metadata `meta`); None when
    there is no start time. A recording imported before the key existed is dated by its import time."""
    if start_utc is None:
        return None
    if start_utc != meta.get("created_utc"):
        return RECORDING  # (FileAnalysis.start_utc takes the time base's origin only near created_utc)
    said = meta.get(META_KEY)
    if said in (IMPORT_TIME, GIVEN):
        return str(said)
    return IMPORT_TIME if meta.get("source") == "csv import" else FILE_CREATED


def import_meta(start: datetime | None) -> dict[str, object]:
    """The metadata `footfall import` writes about its start. Given one (`--start`), it becomes the recording's
    `created_utc`, which dates it for `analyse` and `history add` (FileAnalysis.start_utc), and the time of the
    import is kept as `imported_utc`; without one, `created_utc` is the time of the import, and said so."""
    if start is None:
        return {META_KEY: IMPORT_TIME}
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return {"created_utc": iso_utc(start), "imported_utc": iso_utc(now), META_KEY: GIVEN}
