"""The coaching commands end to end through the real CLI main: runner, shoes, history, checkin, advice, report."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import write_json



def test_full_flow(ff, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert ff("runner", "add", "ana", "--height-m", "1.68", "--target-cadence-spm", "170")[0] == 0
    assert "540.0 of 600 km" in ff("shoes", "add", "ana", "Pegasus", "--initial-km", "540")[1]
    write_json(planned_run([(600, Gait(cadence_spm=172, strike_angle_deg=4, overstride_index=0.2))]),
               tmp_path / "old.json", {"start_utc": "2026-04-15T07:00:00Z"})
    write_json(planned_run([(900, Gait())]), tmp_path / "run.json", {"start_utc": "2026-04-20T07:00:00+00:00"})
    assert ff("history", "add", str(tmp_path / "old.json"), "--runner", "ana", "--shoe", "Pegasus")[0] == 0
    code, out, _ = ff("history", "add", str(tmp_path / "run.json"), "--runner", "ana", "--shoe", "Pegasus")
    assert code == 0 and "session 2" in out
    listing = ff("history")[1]
    assert "2026-04-15 07:00" in listing and "2026-04-20 07:00" in listing
    code, out, _ = ff("advice", "2", "--json")
    doc = json.loads(out)
    load = next(a for a in doc["advice"] if a["category"] == "load")  # 10 then 15 min: the beginner plan (qa16 F6)
    assert "within the beginner plan" in load["message"] and "50% longer" not in load["message"]
    assert all(a["sources"] for a in doc["advice"])
    code, out, _ = ff("checkin", "--runner", "ana", "--session", "2", "--before", "0", "--after", "3",
                      "--twist-or-fall")
    assert code == 0 and "pain that started with a twist or fall" in out
    assert json.loads(ff("advice", "2", "--json")[1])["advice"][0]["category"] == "see a professional"
    assert ff("history", "mark", "2", "baseline", "0", "120")[0] == 0
    code, out, _ = ff("report", "2", "--compare", "1", "-o", str(tmp_path / "r.html"))
    assert code == 0 and (tmp_path / "r.html").stat().st_size > 10_000
    assert ff("history", "export", "2", "-o", str(tmp_path / "s.csv"))[0] == 0
    assert len((tmp_path / "s.csv").read_text().splitlines()) == 2400 + 1
    assert ff("history", "export", "2", "-o", str(tmp_path / "s.fit"))[0] == 0
    assert (tmp_path / "s.fit").read_bytes()[8:12] == b".FIT"


def test_errors_are_one_line(ff) -> None:  # type: ignore[no-untyped-def]
    code, _, err = ff("report", "7")  # no database yet: none is made by a command that only reads
    assert code == 2 and err.count("\n") == 1 and "no history database at" in err
    code, _, err = ff("checkin", "--runner", "nobody", "--after", "3")
    assert code == 2 and "no runner called 'nobody'" in err
    code, _, err = ff("report", "7")  # the failed checkin made no database either
    assert code == 2 and err.count("\n") == 1 and "no history database at" in err
    ff("runner", "add", "ana")
    code, _, err = ff("report", "7")
    assert code == 2 and err.count("\n") == 1 and "no session 7" in err
    code, _, err = ff("checkin", "--runner", "ana", "--after", "12")
    assert code == 2 and "0-10" in err


def test_checkin_asks_interactively(ff, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ff("runner", "add", "ana")
    answers = iter(["2", "6", "n", "y", "n", "n", "n", "n"])  # before, after, swelling, bruising, ..., recent injury
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, out, _ = ff("checkin", "--runner", "ana", "--ask")
    assert code == 0 and "pain 2 -> 6" in out and "red flags: bruising" in out
    assert out.index("See a professional first") < out.index("Pain: rest until checked")
    assert "* Pain: rest until checked\n  Pain 2/10 before" in out  # no "title: Pain ..." double colon


def test_history_add_analyses_a_recording(ff, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from footfall.virtual import runner as runner_mod
    run = runner_mod.simulate(runner_mod.preset("heel-overstrider", duration_s=60.0))
    runner_mod.write_run(run, tmp_path / "run.ffr")
    ff("runner", "add", "ben")
    code, out, _ = ff("history", "add", str(tmp_path / "run.ffr"), "--runner", "ben")
    assert code == 0 and "session 1" in out
    doc = json.loads(ff("advice", "1", "--json")[1])
    print("recording imported:", {k: round(v, 2) for k, v in doc["summary"].items() if v is not None})
    assert doc["summary"]["cadence_spm"] == pytest.approx(158, abs=3)
    assert doc["summary"]["rearfoot_share"] > 0.9
    assert doc["advice"][0]["title"] == "Shorter, quicker steps"
    shown = ff("history", "show", "1")[1]  # counts whole, shares in % (it printed 316.000 and 0.932)
    assert re.search(r"n_steps +\d+\n", shown) and re.search(r"rearfoot_share +\d+\.\d %", shown)
    cut = tmp_path / "cut.ffr"  # a recording whose writer was killed: added, and the damage is said
    cut.write_bytes((tmp_path / "run.ffr").read_bytes()[:-5000])
    code, out, err = ff("history", "add", str(cut), "--runner", "ben")
    assert code == 0 and "session 2" in out and "the file: its last" in err and "interrupted" in err
    code, _, err = ff("history", "add", str(tmp_path / "run.ffr"), "--runner", "ben", "--force")  # imported before
    assert code == 0 and "note:" not in err


def test_a_walk_gets_no_running_technique_advice(ff, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Cadence, heel-strike and overstride advice rest on running studies: a walking session says it has no
    running to judge instead of telling a 112 steps/min walker to aim for 170 (it used to)."""
    from footfall.virtual import runner as runner_mod
    runner_mod.write_run(runner_mod.simulate(runner_mod.preset("walk", duration_s=40.0)), tmp_path / "walk.ffr")
    ff("runner", "add", "ben")
    assert ff("history", "add", str(tmp_path / "walk.ffr"), "--runner", "ben")[0] == 0
    code, out, _ = ff("advice", "1", "--all")
    assert code == 0 and "walking steps" in out.splitlines()[0]
    assert "Technique: no running in this session" in out and "Shorter, quicker steps" not in out


def test_history_add_analyses_as_live_does(ff, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same recording gives the same steps whether it was stored live or added later: on its own time
    base and with the runner's leg length (history add ignored both: 0.74 vs 0.78 overstride in review)."""
    from footfall.analysis.session import analyse_recording
    from footfall.analysis.stride import StrideParams

    from footfall.virtual import runner as runner_mod
    runner_mod.write_run(runner_mod.simulate(runner_mod.preset("heel-overstrider", duration_s=40.0)),
                         tmp_path / "run.ffr")
    ff("runner", "add", "ben", "--height-m", "1.60", "--leg-length-m", "0.80")
    assert ff("history", "add", str(tmp_path / "run.ffr"), "--runner", "ben")[0] == 0
    assert ff("history", "export", "1", "-o", str(tmp_path / "s.json"))[0] == 0
    stored = [s["overstride_index"] for s in json.loads((tmp_path / "s.json").read_text())["steps"]]
    got = [math.nan if v is None else v for v in stored]
    want, _ = analyse_recording(str(tmp_path / "run.ffr"), stride_params=StrideParams(leg_length_m=0.80))
    plain, _ = analyse_recording(str(tmp_path / "run.ffr"))
    assert got == pytest.approx([s.overstride_index for s in want], nan_ok=True)
    assert got != pytest.approx([s.overstride_index for s in plain], nan_ok=True)
