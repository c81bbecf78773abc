"""qa17 physio review, report presentation: a clinic session opens with its segments (#4); each foot's figures
and "measured: left foot only" (#7); the overstride index's components (#12); labels, dates, leg length, no empty
cue panel, print CSS and local time (#11)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.stride import StrideParams
from footfall.analysis.pipeline import blocks_from_arrays
from footfall.analysis.session import analyse_session
from footfall.analysis.summary import summarise
from footfall.coaching.scripted import Gait, planned_run
from footfall.finite import median
from footfall.report.build import write_report
from footfall.report.html import CSP_META
from footfall.report.landing import landing, step_parts
from footfall.report.when import when_text
from footfall.store import Store
from footfall.virtual.runner import RunnerParams, simulate

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)


def _section(text: str, section_id: str) -> str:
    return text.split(f'<section id="{section_id}">')[1].split("</section>")[0]


def _cells(table: str, key: str, part: str | None = None) -> list[str]:
    """The cells of the row `data-key=key` (and `data-part=part`) of one table's HTML."""
    attr = f'data-key="{key}"' + (f' data-part="{part}"' if part else "")
    row = table.split(attr, 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def _asymmetric(steps: list) -> list:
    """The left foot's contacts 8 % longer and its strike angle 6 deg higher."""
    return [dataclasses.replace(s, contact_time_ms=s.contact_time_ms * 1.08,
                                strike_angle_deg=s.strike_angle_deg + 6) if s.side == "L" else s for s in steps]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, int], Path]:
    d = tmp_path_factory.mktemp("layout")
    store = Store(d / "h.sqlite")
    store.add_runner("Anna Berg", 1.68, 0.86)
    clinic = planned_run([(120, Gait(cadence_spm=160)), (120, Gait(cadence_spm=170, strike_angle_deg=12)),
                          (120, Gait(cadence_spm=168, strike_angle_deg=13))], seed=3)
    ids = {"clinic": store.add_session("Anna Berg", _asymmetric(clinic), T0).id}
    for label, a, b in (("baseline", 0, 120), ("cue", 120, 240), ("retest", 240, 360)):
        store.add_segment(ids["clinic"], label, a, b)
    ids["plain"] = store.add_session("Anna Berg", planned_run([(360, Gait())], seed=4), T0 + timedelta(days=7)).id
    left = [s for s in planned_run([(360, Gait())], seed=5) if s.side == "L"]
    ids["left"] = store.add_session("Anna Berg", left, T0 + timedelta(days=14)).id
    return store, ids, d


def test_a_clinic_session_opens_with_its_segments_and_pools_the_rest_under_its_name(history) -> None:
    store, ids, d = history
    text = write_report(store, ids["clinic"], d / "clinic.html").read_text()
    order = [text.index(f'<section id="{s}">') for s in ("segments", "advice", "summary", "figures")]
    assert order == sorted(order), "segments, then advice, then the pooled summary"
    seg = _section(text, "segments")
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", seg.split('id="segments-table"')[1].split("</tr>")[0])[1:]
    assert heads == ["baseline (0.0-2.0 min)", "cue (2.0-4.0 min)", "retest (4.0-6.0 min)", "all phases pooled"]
    assert "changes-table" in seg and "change vs baseline" in seg  # the Δ rows with the table
    assert 'data-metric="cadence_spm"><td>cadence (steps/min)</td>' in seg  # words, not code keys
    summary = _section(text, "summary")
    assert "<h2>Summary: all phases pooled</h2>" in summary and '<th scope="col">all phases pooled</th>' in summary
    assert "this run" not in summary


def test_a_session_without_clinic_segments_keeps_its_summary_first(history) -> None:
    store, ids, d = history
    text = write_report(store, ids["plain"], d / "plain.html").read_text()
    assert text.index('<section id="summary">') < text.index('<section id="advice">')
    assert 'id="segments"' not in text and '<th scope="col">this run</th>' in text and "pooled" not in text


def test_each_foot_and_the_symmetry_index_are_the_summarys_own(history) -> None:
    store, ids, d = history
    steps = store.steps(ids["clinic"])
    text = write_report(store, ids["clinic"], d / "clinic.html").read_text()
    table = text.split('id="segments-sides"')[1].split("</table>")[0]
    for label, a, b in (("baseline", 0, 120), ("retest", 240, 360)):
        s = summarise([x for x in steps if a <= x.ic_time_s < b])
        feet = {f.side: f.figures for f in s.feet.values()}
        left, right, diff = _cells(table, "contact_time_ms", label)
        print(label, left, right, diff)
        assert (left, right) == (f"{feet['L']['contact_time_ms']:.0f}", f"{feet['R']['contact_time_ms']:.0f}")
        index = s.symmetry_index_pct["contact_time"]
        assert diff == f"{index:+.1f} %" and 5 < index < 11  # the left contacts were made 8 % longer
        assert _cells(table, "strike_angle_deg", label)[2] == f"{s.strike_angle_diff_deg:+.1f} deg"
    assert len(re.findall(r'data-key="impact_g" data-part=', table)) == 4  # three segments and the pooled whole
    assert "left share of contact" not in text.split('id="compare"')[0]  # each foot, not a share


def test_a_one_sensor_session_says_so_in_its_header_and_against_a_two_sensor_one(history) -> None:
    store, ids, d = history
    text = write_report(store, ids["left"], d / "left.html", compare_id=ids["plain"]).read_text()
    header = text.split("</header>")[0]
    assert "measured: left foot only" in header
    compare = _section(text, "compare")
    assert f'<p class="feet">Session {ids["left"]}: measured: left foot only</p>' in compare
    assert f"Session {ids['left']} (whole, measured: left foot only)" in compare
    both = write_report(store, ids["plain"], d / "plain.html").read_text()
    assert "foot only" not in both


def test_the_overstride_components_are_the_analysers_own() -> None:
    """Each step's components recomputed from its stored figures give back the analyser's index, so the
    report's component table explains the very index it shows."""
    run = simulate(RunnerParams(duration_s=40.0, cadence_spm=160.0, seed=21))
    streams = {s: blocks_from_arrays(f.acc_mps2, f.gyr_radps, f.rate_hz, s, s, 400) for s, f in run.feet.items()}
    steps, _ = analyse_session(streams, stride_params=StrideParams(leg_length_m=0.86))
    measured = [s for s in steps if np.isfinite(s.overstride_index)]
    assert len(measured) > 40
    again = np.array([step_parts(s, 0.86).index for s in measured])
    assert again == pytest.approx([s.overstride_index for s in measured], abs=1e-9)
    wrong_leg = np.array([step_parts(s, None).index for s in measured])
    assert np.max(np.abs(wrong_leg - again)) > 1e-3  # the leg length matters, so the page has to say which
    found = landing(steps, 0.86)
    assert found is not None
    by_key = {c.key: c for c in found.components}
    running = [s for s in steps if s.activity == "running"]
    assert by_key["foot_velocity_at_ic_mps"].value == pytest.approx(
        median(s.foot_velocity_at_ic_mps for s in running), abs=0.05)
    print({k: c.text() for k, c in by_key.items()}, found.index, found.norm_spm)


def test_the_report_shows_the_components_explains_the_index_and_states_the_leg_length(history) -> None:
    store, ids, d = history
    text = write_report(store, ids["plain"], d / "plain.html").read_text()
    table = text.split('id="summary-landing"')[1].split("</table>")[0]
    for key in ("strike_angle_deg", "foot_velocity_at_ic_mps", "braking_mps2", "cadence_deficit_spm"):
        assert re.fullmatch(r"-?\d+\.\d+ \S+ → \d\.\d\d", _cells(table, key)[0]), key
    assert "not a measured distance" in text and "current profile: 0.86 m; the component scores use it" in text
    assert "overstride index (0-1), as stored" in table and "with the current leg length" in text


def test_title_date_and_no_empty_cue_panel(history) -> None:
    store, ids, d = history
    before = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    text = write_report(store, ids["plain"], d / "plain.html").read_text()
    title = re.search(r"<title>([^<]*)</title>", text)
    assert title and title.group(1).startswith("Anna Berg: ")
    written = re.search(r"Report written (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", text)
    assert written and datetime.strptime(written.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc) >= before
    assert 'id="fig-cues"' not in text and "Cue timeline" not in text  # no cues: no panel


def test_local_time_is_the_computers_zone_named_beside_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    t = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
    try:
        monkeypatch.setenv("TZ", "Europe/Berlin")
        time.tzset()
        assert when_text(t) == "2026-11-20 09:00 UTC (10:00 CET, UTC+01:00, this computer's time zone)"
        monkeypatch.setenv("TZ", "America/New_York")
        time.tzset()
        assert when_text(t.replace(hour=2)) == ("2026-11-20 02:00 UTC (2026-11-19 21:00 EST, UTC-05:00, this "
                                                "computer's time zone)")
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        assert when_text(t) == "2026-11-20 09:00 UTC"
    finally:
        monkeypatch.undo()
        time.tzset()


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    import shutil

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium not installed (.ci/run installs it)")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}"]
    return subprocess.run([exe, *flags, *args], capture_output=True, text=True, timeout=120,
                          env={"HOME": str(profile), "PATH": "/usr/bin:/bin"})


A4_TEXT_PX = 703  # 210 mm - 2 x 12 mm margins at 96 px per inch: the width a printed A4 page gives the text

MEASURE = """<script>
const w = document.documentElement.clientWidth;
const cut = [...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right > w + 1)
  .map(t => t.id + ':' + Math.round(t.getBoundingClientRect().right));
document.body.insertAdjacentHTML('beforeend', '<pre id="cut">' + w + ' ' + JSON.stringify(cut) + '</pre>');
</script></body>"""


def test_no_table_is_wider_than_an_a4_page_and_the_pdf_is_a4(history, tmp_path: Path) -> None:
    """qa17 #11: at 800 px the 9-column comparison table was cut at the right edge of a printed page."""
    store, ids, d = history
    write_report(store, ids["left"], d / "progress.html", compare_id=ids["plain"])  # the 11-column progress table
    page = write_report(store, ids["clinic"], d / "wide.html", compare_id=ids["plain"]).read_text()
    assert 'id="progress-table"' in (d / "progress.html").read_text()
    for name, text in (("clinic", page), ("progress", (d / "progress.html").read_text())):
        probe = tmp_path / f"probe-{name}.html"
        probe.write_text(text.replace(CSP_META, "").replace("</body>", MEASURE))  # the page's policy runs no script
        dom = _chromium([f"--window-size={A4_TEXT_PX},1000", "--dump-dom", probe.as_uri()], tmp_path / name).stdout
        measured = re.search(r'<pre id="cut">(\d+) (.*?)</pre>', dom)
        assert measured, dom[-500:]
        print(name, "viewport", measured.group(1), "tables cut:", measured.group(2))
        assert measured.group(2) == "[]"
    pdf = tmp_path / "r.pdf"
    _chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", (d / "wide.html").as_uri()], tmp_path / "p2")
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()))
    print("PDF pages:", boxes)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)


def test_the_overstride_signs_change_against_the_baseline(history) -> None:
    """#12: the two components that are about overstride (foot moving forward at landing, braking) get a Δ of
    their own, so a flatter landing alone (strike angle) is not read as less overstride."""
    from footfall.report.landing import sign_changes
    from footfall.report.segments import segment_figures

    steps = planned_run([(120, Gait()), (120, Gait())], seed=8)
    later = [dataclasses.replace(s, foot_velocity_at_ic_mps=s.foot_velocity_at_ic_mps + 0.3)
             if s.ic_time_s >= 120 else s for s in steps]
    figures = segment_figures(later, [("baseline", 0, 120), ("cue", 120, 240)])
    rows = {c.metric: c for c in sign_changes(figures)}
    fv, braking = rows["foot_velocity_at_ic_mps"], rows["braking_mps2"]
    base = median(s.foot_velocity_at_ic_mps for s in figures[0].steps)
    assert fv.change == pytest.approx(median(s.foot_velocity_at_ic_mps for s in figures[1].steps) - base)
    assert fv.change > 0.2 and fv.ci_low > 0 and not fv.within_noise and fv.reference == "baseline"
    assert braking.within_noise == (braking.ci_low <= 0 <= braking.ci_high)
    store, ids, d = history
    text = write_report(store, ids["clinic"], d / "clinic.html").read_text()
    table = _section(text, "segments").split('id="segments-sign-changes"')[1].split("</table>")[0]
    assert table.count("<tr data-metric=") == 4  # two signs x (cue, retest)


def test_history_show_compare_names_the_one_foot_part(history, capsys: pytest.CaptureFixture[str]) -> None:
    from footfall import cli

    store, ids, d = history
    db = str(d / "h.sqlite")
    assert cli.main(["history", "show", str(ids["left"]), "--compare", str(ids["plain"]), "--db", db]) == 0
    out = capsys.readouterr().out
    assert f"  Session {ids['left']}: measured: left foot only" in out
    assert cli.main(["history", "show", str(ids["clinic"]), "--compare", str(ids["plain"]), "--db", db]) == 0
    assert "measured:" not in capsys.readouterr().out  # two sensors on both sides: nothing to say


def test_one_foot_parts_are_named_only_next_to_parts_measured_otherwise() -> None:
    """One rule for the five places that say "NAME: measured: left foot only" (report/sides.py)."""
    from footfall.report.detail_html import sides_html
    from footfall.report.sides import one_foot_parts

    assert one_foot_parts({"a": "left foot only", "b": "both feet"}) == [("a", "left foot only")]
    assert one_foot_parts({"a": "left foot only", "b": "right foot only"}) == [("a", "left foot only"),
                                                                               ("b", "right foot only")]
    assert one_foot_parts({"a": "left foot only", "b": "left foot only"}) == []
    assert one_foot_parts({"a": "both feet", "b": "no steps"}) == []
    left = [s for s in planned_run([(20, Gait())]) if s.side == "L"]
    page = sides_html({"warm-up": [], "run": left}, "t")
    assert "run: measured: left foot only" in page and "warm-up: measured" not in page  # (not "no steps: that foot's")
