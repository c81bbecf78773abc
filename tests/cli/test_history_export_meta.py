"""`history export` JSON says which footfall wrote it and where the stored session's start came from, as far as
the history knows (qa18b science N3): a live session's start is its own clock, a stored file's is not kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall import __version__
from footfall.coaching.scripted import Gait, planned_run
from footfall.recording.start import SOURCES
from footfall.store import Store
from footfall.store.matching import without_folders

Run = Callable[..., tuple[int, str, str]]
START = datetime(2026, 11, 3, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize(("source", "said"), [("live: /tmp/x/ana.ffr", "recording"), ("live", "recording"),
                                              ("/tmp/x/run.ffr", None), ("/tmp/x/live.json", None)])
def test_the_export_meta_names_the_software_and_the_start_source(ff: Run, db: Path, tmp_path: Path, source: str,
                                                                 said: str | None) -> None:
    with Store(db) as store:
        store.add_runner("ana")
        sid = store.add_session("ana", planned_run([(60, Gait())]), START, source=source).id
    code, _, err = ff("history", "export", str(sid), "-o", str(tmp_path / "s.json"))
    assert code == 0, err
    meta = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["meta"]
    assert meta["software"] == f"footfall {__version__}"
    assert meta["start_utc_source"] == said and (said is None or said in SOURCES)
    assert (meta["session"], meta["runner"], meta["start_utc"], meta["source"]) == (sid, "ana", "2026-11-03T10:00:00Z",
                                                                                    without_folders(source))


def test_the_export_with_its_provenance_reads_back(ff: Run, db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        store.add_runner("ana")
        sid = store.add_session("ana", planned_run([(60, Gait())]), START, source="live").id
    assert ff("history", "export", str(sid), "-o", str(tmp_path / "s.json"))[0] == 0
    code, out, err = ff("history", "add", str(tmp_path / "s.json"), "--runner", "ana", "--force")
    assert code == 0, err + out
