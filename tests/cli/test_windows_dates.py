"""`history add --start` with a date Windows' C runtime has no local time for (qa18 finding 6).

There, `datetime.astimezone()` on a naive time before 1970 or after 3000 raises OSError (EINVAL); it must end in
the date check's own words, not in "check the path and its permissions". Emulated by a datetime that does so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

import pytest

from footfall.cli import start_option
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json

Run = Callable[..., tuple[int, str, str]]


class WindowsDatetime(datetime):
    """astimezone() as on Windows: the C runtime's localtime refuses times outside 1970..3000."""

    def astimezone(self, tz: tzinfo | None = None) -> datetime:
        if self.tzinfo is None and not 1970 <= self.year < 3000:
            raise OSError(22, "Invalid argument")
        return super().astimezone(tz)


@pytest.mark.parametrize(("start", "words"), [("1969-07-20T20:17:00", "is before 2000-01-01"),
                                              ("3001-01-01T07:00:00", "is in the future")])
def test_a_start_windows_has_no_local_time_for_gets_the_date_message(
        ff: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str, words: str) -> None:
    steps = write_json(planned_run([(60, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "Ann")
    monkeypatch.setattr(start_option, "datetime", WindowsDatetime)
    code, _, err = ff("history", "add", str(steps), "--runner", "Ann", "--start", start, "--force")
    assert code == 2
    assert "check the path" not in err and "Invalid argument" not in err
    assert f"{start[:10]} {start[11:16]} UTC {words}" in err
