"""qa18 science review, H3 and M3: an analysis says what made it (the footfall version, every parameter, a hash of
them) and where its start time came from; `footfall import --start` dates an imported CSV as `history add --start`
dates a run; an unknown landing pattern has no confidence (NaN: an empty cell, null), in the Step, the CSV, the
JSON, the history and back."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from footfall import __version__
from footfall.analysis.params import AnalysisParams
from footfall.analysis.step import Pattern
from footfall.cli import main
from footfall.coaching.scripted import Gait, planned_run
from footfall.finite import null_nan
from footfall.recording.file import open_recording
from footfall.recording.start import start_utc_source
from footfall.report.export import csv_text, read_steps, write_csv, write_json
from footfall.store import Store
from footfall.store.step_checks import check_step

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated two-foot run (sim.ffr) and its samples as another IMU's CSV (samples.csv)."""
    here = tmp_path_factory.mktemp("study")
    assert main(["simulate", "-o", str(here / "sim.ffr"), "--duration", "12", "--rate", "208", "--seed", "1"]) == 0
    assert main(["export", str(here / "sim.ffr"), "--csv", str(here / "samples.csv")]) == 0
    return here


def _analysis(ff: Run, recording: Path, *extra: str) -> dict[str, object]:
    out = recording.with_name(f"{recording.stem}{len(extra)}.json")
    assert ff("analyse", str(recording), "--json", str(out), "--force", *extra)[0] == 0
    doc = json.loads(out.read_text())
    assert isinstance(doc, dict)
    return doc


def test_import_start_dates_the_recording_its_analysis_and_its_session(ff: Run, folder: Path, tmp_path: Path) -> None:
    rec = tmp_path / "given.ffr"
    code, out, _ = ff("import", str(folder / "samples.csv"), "-o", str(rec), "--start", "2019-05-04T10:00:00+02:00")
    assert code == 0 and "import time" not in out
    meta = open_recording(rec).meta
    assert (meta["created_utc"], meta["start_utc_source"]) == ("2019-05-04T08:00:00Z", "given")
    assert datetime.fromisoformat(str(meta["imported_utc"]).replace("Z", "+00:00")).year >= 2026  # the import's own
    doc = _analysis(ff, rec)
    assert (doc["start_utc"], doc["start_utc_source"]) == ("2019-05-04T08:00:00Z", "given")
    assert ff("runner", "add", "ana")[0] == 0 and ff("history", "add", str(rec), "--runner", "ana")[0] == 0
    assert "2019-05-04 08:00" in ff("history", "list")[1]


def test_an_import_without_start_is_marked_as_dated_by_the_import(ff: Run, folder: Path, tmp_path: Path) -> None:
    rec = tmp_path / "now.ffr"
    code, out, _ = ff("import", str(folder / "samples.csv"), "-o", str(rec))
    assert code == 0 and 'start_utc_source "import time"' in out and "--start" in out
    meta = open_recording(rec).meta
    assert meta["start_utc_source"] == "import time" and "imported_utc" not in meta
    doc = _analysis(ff, rec)
    assert (doc["start_utc"], doc["start_utc_source"]) == (meta["created_utc"], "import time")


@pytest.mark.parametrize("start", ["2099-01-01", "1970-01-01T00:00:00Z", "yesterday", "2019-13-01"])
def test_import_refuses_a_start_as_history_add_does(ff: Run, folder: Path, tmp_path: Path, start: str) -> None:
    rec = tmp_path / "x.ffr"
    code, _, err = ff("import", str(folder / "samples.csv"), "-o", str(rec), "--start", start)
    assert code == 2 and not rec.exists()
    assert ff("runner", "add", "ana")[0] == 0
    code_add, _, err_add = ff("history", "add", str(folder / "sim.ffr"), "--runner", "ana", "--start", start)
    assert code_add == 2 and err.partition("error: ")[2] == err_add.partition("error: ")[2] != ""


def test_the_analysis_names_its_software_and_every_parameter(ff: Run, folder: Path) -> None:
    plain, scaled = _analysis(ff, folder / "sim.ffr"), _analysis(ff, folder / "sim.ffr", "--leg-length-m", "0.9")
    assert list(plain)[:3] == ["format", "version", "software"] and plain["version"] == 1
    assert plain["software"] == f"footfall {__version__}"
    params = plain["params"]
    assert isinstance(params, dict) and params["analysis"] == null_nan(asdict(AnalysisParams()))
    assert set(params) == {"analysis", "stride", "clipping", "standing", "gyro_signs", "summary"}
    assert params["summary"]["min_figure_n"] == 3 and params["summary"]["skip_flags"]["braking_mps2"] == ["turn"]
    assert params["stride"]["strike_sigma_deg"] == 2.0 and params["stride"]["leg_length_m"] is None
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"))
    assert plain["params_sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert scaled["params"]["stride"]["leg_length_m"] == 0.9  # type: ignore[index]
    assert scaled["params_sha256"] != plain["params_sha256"]
    assert plain["start_utc_source"] == "file created"  # `footfall simulate` writes no live clock


def test_start_utc_source_follows_the_clock_that_gave_it() -> None:
    created = {"created_utc": "2026-11-25T00:00:00Z"}
    assert start_utc_source(created, None) is None
    assert start_utc_source(created, "2026-11-25T00:00:01.250Z") == "recording"  # a live session's time base
    assert start_utc_source(created, "2026-11-25T00:00:00Z") == "file created"
    assert start_utc_source({**created, "source": "csv import"}, "2026-11-25T00:00:00Z") == "import time"  # older
    assert start_utc_source({**created, "start_utc_source": "given"}, "2026-11-25T00:00:00Z") == "given"


def _steps_with_unknown() -> list:  # type: ignore[type-arg]
    steps = planned_run([(10, Gait())])
    return [replace(steps[0], pattern=Pattern.UNKNOWN, strike_angle_deg=math.nan, pattern_confidence=0.0), *steps[1:]]


def test_an_unknown_pattern_has_no_confidence_anywhere(tmp_path: Path) -> None:
    steps = _steps_with_unknown()
    unknown, known = steps[0], steps[1]
    assert math.isnan(unknown.pattern_confidence) and known.pattern_confidence == 0.9  # a measured one is kept
    assert unknown.to_dict()["pattern_confidence"] is None
    header, first = csv_text(steps).splitlines()[:2]
    assert dict(zip(header.split(","), first.split(",")))["pattern_confidence"] == ""
    check_step(unknown)  # NaN is "not measured": accepted back
    for path in (write_csv(steps, tmp_path / "s.csv"), write_json(steps, tmp_path / "s.json")):
        back, _ = read_steps(path)
        assert math.isnan(back[0].pattern_confidence) and back[1].pattern_confidence == 0.9
    store = Store(tmp_path / "h.sqlite")
    store.add_runner("ana")
    session = store.add_session("ana", steps, datetime(2026, 11, 1, tzinfo=timezone.utc))
    stored = store.steps(session.id)
    assert math.isnan(stored[0].pattern_confidence) and stored[1].pattern_confidence == 0.9


def test_a_file_written_with_a_zero_confidence_for_unknown_reads_back_as_not_measured(tmp_path: Path) -> None:
    """footfall before qa18 wrote 0.0 there."""
    text = csv_text(_steps_with_unknown()).splitlines()
    header = text[0].split(",")
    cells = text[1].split(",")
    cells[header.index("pattern_confidence")] = "0.0"
    old = tmp_path / "old.csv"
    old.write_text("\n".join([text[0], ",".join(cells), *text[2:]]) + "\n")
    assert math.isnan(read_steps(old)[0][0].pattern_confidence)


def test_the_analysis_of_a_run_leaves_unknown_confidences_empty(ff: Run, folder: Path) -> None:
    doc = _analysis(ff, folder / "sim.ffr")
    steps = doc["steps"]
    assert isinstance(steps, list)
    unknown = [s for s in steps if s["pattern"] == "unknown"]
    assert unknown and all(s["pattern_confidence"] is None for s in unknown)
    assert all(0.0 < s["pattern_confidence"] <= 1.0 for s in steps if s["pattern"] != "unknown")


def test_every_top_level_key_of_the_analysis_json_is_in_the_user_guide(ff: Run, folder: Path) -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "user-guide.md").read_text(encoding="utf-8")
    table = guide.split("### The analysis", 1)[1].split("\n\n`symmetry_index_pct`", 1)[0]
    documented = {key for row in table.splitlines() if row.startswith("| `")
                  for key in re.findall(r"`([a-z0-9_]+)[`.\[]", row.split("|")[1])}  # (`summary.basis`: summary)
    assert not set(_analysis(ff, folder / "sim.ffr")) - documented


def test_steps_with_an_unknown_pattern_still_compare_equal() -> None:
    """NaN != NaN: the Step holds the one math.nan object, so a step read back equals the step written."""
    step = _steps_with_unknown()[0]
    assert step == replace(step, pattern_confidence=float("nan")) == replace(step, pattern_confidence=0.0)
