"""The live view's Links table: what its counts are, said in its headers.

QA17: the table said "missing 0" while the end-of-session line said "230 missing frames" for the same link. They
count different things: the table's column is the samples lost in gaps of the sample index (StreamReport
.missing_samples), the line's "missing frames" the frame numbers never seen (status and event frames too, and
numbers skipped after a restart). The column now says "missing samples", as the end-of-session line does."""

from __future__ import annotations

from pathlib import Path

from footfall.live.state import LaneState, LiveState
from footfall.live.view import render_text

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"


def _links(state: LiveState, width: int) -> list[str]:
    lines = render_text(state, width=width).splitlines()
    return [line.rstrip() for line in lines[next(i for i, x in enumerate(lines) if x.strip() == "Links"):]]


def _cells(line: str, bar: str) -> list[str]:
    return [cell.strip() for cell in line.strip(bar).split(bar)]


def test_the_missing_column_says_it_counts_samples_and_shows_the_reports_samples() -> None:
    state = LiveState(elapsed_s=60.0)
    state.lanes["L"] = LaneState("L", "L", "footfall-L", connected=True, frames=915, gaps=1, missing_samples=19)
    table = _links(state, 120)
    header = _cells(next(x for x in table if x.startswith("┃")), "┃")
    row = dict(zip(header, _cells(next(x for x in table if x.startswith("│ L")), "│"), strict=True))
    assert (row["frames"], row["gaps"], row["missing samples"]) == ("915", "1", "19"), row


def test_the_guides_quoted_links_table_is_what_the_view_prints() -> None:
    state = LiveState(elapsed_s=40.0)
    for sensor, frames in (("L", 915), ("R", 893)):
        state.lanes[sensor] = LaneState(sensor, sensor, f"footfall-{sensor}", connected=True, rssi_dbm=-50,
                                        battery_pct=63, frames=frames)
    printed = [x for x in _links(state, 120) if x.startswith(("┃", "│"))]
    guide = GUIDE.read_text().splitlines()
    header = next(i for i, x in enumerate(guide) if x.startswith("┃ foot ") and "reconnects" in x)
    assert guide[header : header + 3] == printed
    assert "| missing samples | samples in those gaps |" in GUIDE.read_text()  # the column table's own row
