"""`footfall analyse --json/--csv` write their text a piece at a time (a 10-hour session's 100 000 steps peaked at
816 MB with --json when the whole text was built first): the pieces join to exactly the text made whole."""

from __future__ import annotations

import json

from footfall.coaching.scripted import Gait, planned_run
from footfall.report.export import csv_chunks, csv_text, json_chunks, json_text


def test_json_written_a_record_at_a_time_is_the_whole_texts_layout() -> None:
    steps = planned_run([(30, Gait())], seed=1)
    doc = {"format": "footfall-analysis", "version": 1, "summary": {"a": 1.5, "b": float("nan")}}
    records = [s.to_dict() for s in steps]
    assert "".join(json_chunks(doc, "steps", iter(records))) == json_text({**doc, "steps": records})
    assert "".join(json_chunks(doc, "steps", iter([]))) == json_text({**doc, "steps": []})
    assert json.loads("".join(json_chunks(doc, "steps", iter(records[:1]))))["steps"][0]["ic_time_s"] == \
        records[0]["ic_time_s"]


def test_csv_chunks_join_to_one_header_and_every_row() -> None:
    steps = planned_run([(60, Gait())], seed=2)
    whole = csv_text(steps)
    assert "".join(csv_chunks(steps, rows_per_chunk=7)) == whole and whole.count("\n") == len(steps) + 1
    assert "".join(csv_chunks([], rows_per_chunk=7)) == csv_text([]) and csv_text([]).count("\n") == 1
    segments = [("cue", 10.0, 20.0)]
    assert "".join(csv_chunks(steps, segments, rows_per_chunk=5)) == csv_text(steps, segments)
