"""One run, one overstride index: `analyse --leg-length-m`, and `history add` of a recording or of its step
files (analyse JSON with or without format/version, analyse CSV) for a runner with a leg length. It was 0.740
from analyse and from `history add run.json`, 0.779 from `history add run.ffr` (leg length 0.86 m)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.analysis.leg_length import overstride_for, with_leg_length
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def run_ffr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from footfall.virtual import runner as runner_mod
    path = tmp_path_factory.mktemp("leg") / "run.ffr"
    runner_mod.write_run(runner_mod.simulate(runner_mod.preset("heel-overstrider", duration_s=30.0)), path)
    return path


def _stored_index(db: Path) -> list[float]:
    with Store(db) as store:
        return [float(s.summary["overstride_index"]) for s in store.sessions()]


def test_every_way_in_gives_the_recordings_index(ff: Run, db: Path, tmp_path: Path, run_ffr: Path) -> None:
    out = {name: tmp_path / name for name in ("plain.json", "plain.csv", "leg.json")}
    assert ff("analyse", str(run_ffr), "--json", str(out["plain.json"]), "--csv", str(out["plain.csv"]))[0] == 0
    code, table, _ = ff("analyse", str(run_ffr), "--leg-length-m", "0.86", "--json", str(out["leg.json"]))
    assert code == 0 and "scaled for a leg length of 0.86 m" in table
    plain, leg = (json.loads(out[n].read_text()) for n in ("plain.json", "leg.json"))
    assert (plain["leg_length_m"], leg["leg_length_m"]) == (None, 0.86)
    old = {k: v for k, v in plain.items() if k not in ("format", "version", "leg_length_m")}  # before the fields
    (tmp_path / "old.json").write_text(json.dumps(old))
    ff("runner", "add", "ana", "--leg-length-m", "0.86")
    for f in (run_ffr, out["plain.json"], out["plain.csv"], out["leg.json"], tmp_path / "old.json"):
        code, _, err = ff("history", "add", str(f), "--runner", "ana", "--force")
        assert code == 0 and "overstride index" not in err, err
    from_ffr, *from_files = _stored_index(db)
    assert from_files == [pytest.approx(from_ffr, abs=1e-9)] * 4  # the JSON gave 0.740, the recording 0.779
    combined = leg["summary"]["combined"]["figures"]["overstride_index"]
    assert combined == pytest.approx(from_ffr, abs=1e-3) != pytest.approx(plain["summary"]["combined"]["figures"][
        "overstride_index"], abs=1e-3)


def test_analyse_json_says_its_format_and_refuses_nothing_older(ff: Run, tmp_path: Path, run_ffr: Path) -> None:
    assert ff("analyse", str(run_ffr), "--json", str(tmp_path / "a.json"))[0] == 0
    doc = json.loads((tmp_path / "a.json").read_text())
    assert (doc["format"], doc["version"]) == ("footfall-analysis", 1)
    doc["version"] = 2
    (tmp_path / "v2.json").write_text(json.dumps(doc))
    ff("runner", "add", "ana")
    code, _, err = ff("history", "add", str(tmp_path / "v2.json"), "--runner", "ana")
    assert code == 2 and "footfall-analysis version 2; this footfall reads version 1" in err


def test_analyse_refuses_a_leg_length_in_cm(ff: Run, run_ffr: Path) -> None:
    code, _, err = ff("analyse", str(run_ffr), "--leg-length-m", "86")
    assert code == 2 and "86 cm is --leg-length-m 0.86" in err


def test_an_index_the_record_does_not_reproduce_is_kept_and_counted() -> None:
    steps = [s for s in planned_run([(20, Gait())]) if math.isfinite(s.overstride_index)]
    assert steps and all(overstride_for(s, None) != s.overstride_index for s in steps)  # scripted: not from a record
    done = with_leg_length(steps, 0.86, None)
    assert done.kept == len(steps) and done.steps == steps


def test_advice_json_counts_steps_in_an_int(ff: Run, tmp_path: Path) -> None:
    from footfall.report.export import write_json

    ff("runner", "add", "ana")
    assert ff("history", "add", str(write_json(planned_run([(60, Gait())]), tmp_path / "r.json")), "--runner",
              "ana")[0] == 0
    n_steps = json.loads(ff("advice", "1", "--json")[1])["summary"]["n_steps"]
    assert isinstance(n_steps, int) and n_steps > 100  # was 158.0
