"""QA16 re-review (/work/notes/qa16_coaching_re.md) F8: the physiotherapist's report shows the examined and
recent-injury answers, and the runner's check-ins of the 28 days before the run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from footfall.coaching.checkin import CheckIn
from footfall.coaching.scripted import Gait, planned_run
from footfall.report.build import session_data
from footfall.report.html import render
from footfall.store import Store

T0 = datetime(2026, 11, 10, 7, 0, tzinfo=timezone.utc)
RUN = planned_run([(120, Gait())])


def test_the_report_shows_the_new_answers_and_the_checkin_history(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("kim")
        ids = [store.add_session("kim", RUN, T0 + timedelta(days=d)).id for d in (-40, 0, 1, 3)]
        store.add_checkin("kim", CheckIn(0, 1, note="old"), ids[0])  # beyond the 28 days
        store.add_checkin("kim", CheckIn(2, 8), ids[1])
        store.add_checkin("kim", CheckIn(6, None, flags_answered=True, recent_injury=True), ids[2])
        store.add_checkin("kim", CheckIn(swelling=True, examined=True, recent_injury=True), ids[3])
        page = render(session_data(store, ids[3]))
    assert "red flags: swelling. Examined by a professional. Injured in the last few months." in page
    table = page[page.index('<table id="checkin-history">'):]
    table = table[:table.index("</table>")]
    assert "Check-ins, last 28 days" in page and table.count("<tr>") == 3  # the header and two check-ins
    assert "<td>2026-11-10</td><td>2</td><td>2</td><td>8</td><td>not asked</td>" in table
    assert "<td>2026-11-11</td><td>3</td><td>6</td><td>–</td><td>none</td><td></td><td>yes</td>" in table
    assert "old" not in table
