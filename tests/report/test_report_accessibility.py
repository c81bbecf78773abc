"""The report read by a screen reader, a keyboard, a narrow screen and a colour-blind eye (WCAG 2.2 AA), checked by
parsing the page (html.parser) and computing contrast ratios, not by eye (review stop 19, report/accessibility)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from footfall import __version__
from footfall.coaching.scripted import Gait, planned_run
from footfall.report import plots
from footfall.report.a11y import TABLE_NAMES, accessible_tables
from footfall.report.build import write_report
from footfall.store import Store

T0 = datetime(2026, 11, 3, 20, 0, tzinfo=timezone.utc)  # 09:00 on 4 Nov in Auckland (UTC+13)
WHITE = "#ffffff"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A clinic test (baseline, cue, retest) then a later visit reported against it: every section and table."""
    folder = tmp_path_factory.mktemp("a11y")
    with Store(folder / "h.sqlite") as store:
        store.add_runner("Anna Berg", 1.68, 0.86, target_cadence_spm=172)
        clinic = planned_run([(120, Gait(cadence_spm=158)), (120, Gait(cadence_spm=170, strike_angle_deg=9)),
                              (120, Gait(cadence_spm=168, strike_angle_deg=10))], seed=1)
        first = store.add_session("Anna Berg", clinic, T0).id
        for label, start_s in (("baseline", 0), ("cue", 120), ("retest", 240)):
            store.add_segment(first, label, start_s, start_s + 120)
        for week, cadence in ((1, 166), (2, 171)):
            store.add_session("Anna Berg", planned_run([(150, Gait(cadence_spm=cadence))], seed=week),
                              T0 + timedelta(days=7 * week))
        return {"clinic": write_report(store, first, folder / "c.html").read_text(encoding="utf-8"),
                "later": write_report(store, 3, folder / "l.html", compare_id="1:baseline").read_text(encoding="utf-8")}


class Page(HTMLParser):
    """What the checks need: each element's attributes and parent, the headings, the text of each id."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], str]] = []  # (tag, attributes, parent tag)
        self.stack: list[str] = []
        self.texts: dict[str, str] = {}
        self.open_ids: list[tuple[str, int]] = []
        self.svg_depth = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if not self.svg_depth:  # the chart's own inner elements are not the page's
            self.elements.append((tag, a, self.stack[-1] if self.stack else ""))
        self.svg_depth += tag == "svg"
        if tag in ("meta", "br", "img"):  # void: never closed
            return
        if "id" in a:
            self.open_ids.append((a["id"], len(self.stack)))
            self.texts[a["id"]] = ""
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.svg_depth:  # <path/>, <use/>: no children, nothing to close
            self.elements.append((tag, {k: v or "" for k, v in attrs}, self.stack[-1] if self.stack else ""))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:  # a void element's stray end tag
            return
        self.svg_depth -= tag == "svg"
        while self.stack and self.stack.pop() != tag:
            pass
        self.open_ids = [(i, depth) for i, depth in self.open_ids if depth < len(self.stack)]

    def handle_data(self, data: str) -> None:
        for i, _ in self.open_ids:
            self.texts[i] += data

    def of(self, tag: str) -> list[tuple[dict[str, str], str]]:
        return [(a, parent) for t, a, parent in self.elements if t == tag]


def _luminance(colour: str) -> float:
    h = colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in
              (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two #rgb / #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_matches_the_wcag_examples() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_every_chart_is_one_image_named_by_its_caption(pages: dict[str, str], name: str) -> None:
    page = Page(pages[name])
    svgs = page.of("svg")
    assert len(svgs) >= 6
    for attrs, _ in svgs:
        assert attrs.get("role") == "img"  # else a screen reader reads each tick label on its own
        label = attrs.get("aria-labelledby", "")
        assert len(page.texts.get(label, "").strip()) > 10, label


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_every_table_has_scoped_headers_a_thead_and_its_own_named_scrolling_region(pages: dict[str, str],
                                                                                  name: str) -> None:
    page = Page(pages[name])
    tables = page.of("table")
    assert len(tables) >= 6
    assert all(parent == "div" for _, parent in tables)
    regions = [a for a, _ in page.of("div") if "table-scroll" in a.get("class", "")]
    assert len(regions) == len(tables)
    assert all(a.get("role") == "region" and a.get("tabindex") == "0" for a in regions)
    assert all(a.get("aria-label") not in ("", "table") for a in regions)  # every table's id has a name
    assert all(a.get("scope") in ("col", "row") for a, _ in page.of("th"))
    assert len(page.of("thead")) == len(tables)
    assert all(parent in ("thead", "tbody") for _, parent in page.of("tr"))


def test_a_header_row_gets_column_scope_and_later_header_cells_row_scope() -> None:
    out = accessible_tables('<p>x</p><table id="summary-table"><tr><th>measure</th><th>this run</th></tr>'
                            '<tr data-key="a"><th>cadence</th><td>170</td></tr></table>')
    assert out == ('<p>x</p><div class="table-scroll" role="region" tabindex="0" aria-label="Summary figures">'
                   '<table id="summary-table"><thead><tr><th scope="col">measure</th><th scope="col">this run</th>'
                   '</tr></thead><tbody><tr data-key="a"><th scope="row">cadence</th><td>170</td></tr></tbody>'
                   '</table></div>')
    assert TABLE_NAMES["progress-table"] == "Progress across visits"


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_language_viewport_landmarks_and_heading_order(pages: dict[str, str], name: str) -> None:
    page = Page(pages[name])
    assert page.of("html")[0][0].get("lang") == "en"
    assert any(a.get("name") == "viewport" and "width=device-width" in a.get("content", "")
               for a, _ in page.of("meta"))  # without it a phone draws the page 980 px wide and shrinks it
    assert [len(page.of(t)) for t in ("header", "main", "footer")] == [1, 1, 1]
    assert all(parent == "main" for a, parent in page.of("section"))
    levels = [int(t[1]) for t, _, _ in page.elements if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))  # no level skipped


def _css_rules(page: str) -> list[tuple[str, dict[str, str]]]:
    css = page[page.index("<style>") + 7:page.index("</style>")]
    css = css.split("@media print")[0]  # the screen's colours
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    return [(sel.strip(), dict(re.findall(r"(color|background):\s*(#[0-9a-fA-F]{3,6})", body))) for sel, body in rules]


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_every_text_colour_has_4_5_to_1_on_its_background_and_on_the_table_headers(pages: dict[str, str],
                                                                                  name: str) -> None:
    rules = _css_rules(pages[name])
    backgrounds = [WHITE] + [c["background"] for sel, c in rules if sel == "th"]
    checked = 0
    for sel, colours in rules:
        if "color" in colours:
            on = [colours["background"]] if "background" in colours else backgrounds
            for bg in on:
                assert contrast(colours["color"], bg) >= 4.5, (sel, colours["color"], bg)
                checked += 1
    for sel, colours in rules:  # a badge's own background with the white text .cat sets
        if sel.startswith(".cat-") and "background" in colours:
            assert contrast(WHITE, colours["background"]) >= 4.5, sel
            checked += 1
    assert checked >= 8


def test_every_colour_that_carries_meaning_in_a_chart_has_3_to_1_against_the_plot() -> None:
    palettes = [*plots.SIDE_COLORS.values(), *plots.COLORS.values(), *plots.CUE_COLORS.values(), *plots.PART_COLORS]
    for colour in palettes:
        assert contrast(colour, WHITE) >= 3.0, colour


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_every_opaque_fill_and_stroke_drawn_in_the_charts_has_3_to_1(pages: dict[str, str], name: str) -> None:
    styles = re.findall(r'style="([^"]*)"', pages[name])
    opaque = [s for s in styles if "opacity" not in s]  # shaded spans and bands are backgrounds, not marks
    colours = {c.lower() for s in opaque for c in re.findall(r"(?:fill|stroke): (#[0-9a-fA-F]{6})", s)}
    assert len(colours - {WHITE}) >= 4
    assert all(contrast(c, WHITE) >= 3.0 for c in colours - {WHITE}), sorted(colours)


def test_left_and_right_are_told_apart_by_more_than_colour() -> None:
    steps = planned_run([(60, Gait())], seed=3)
    series = plots.series_figure(steps, "contact_time_ms", "contact time (ms)", "Contact time")
    assert series.count("stroke-dasharray") >= 2  # the right foot's dashed median line and its legend line
    assert ">left (median of 15)<" in series and ">right (median of 15)<" in series
    balance = plots.balance_figure(steps)
    assert "<pattern" in balance  # the right foot's bars are hatched
    assert ">left<" in balance and ">right<" in balance


def test_the_progress_chart_marks_each_visit_on_its_local_day_in_words(local_zone: Callable[[str], None],
                                                                      tmp_path: Path) -> None:
    local_zone("Pacific/Auckland")
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("Ben")
        ids = [store.add_session("Ben", planned_run([(90, Gait(cadence_spm=160 + 4 * k))], seed=k),
                                 T0 + timedelta(days=7 * k)).id for k in range(3)]
        page = write_report(store, ids[-1], tmp_path / "r.html").read_text(encoding="utf-8")
    chart = page.split('id="fig-progress"')[1].split("</figure>")[0]
    ticks = re.findall(r">(\d\d [A-Z][a-z]{2})<", chart)
    assert set(ticks) == {"04 Nov", "11 Nov", "18 Nov"}  # the table's local days, and only the visits'
    assert not re.search(r">\d\d-\d\d<", chart)  # "11-04": 4 Nov or 11 Apr?


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_the_page_names_the_footfall_that_wrote_it_and_prints_on_a4(pages: dict[str, str], name: str) -> None:
    meta = pages[name].split('id="report-meta"')[1].split("</p>")[0]
    assert f"by footfall {__version__}," in meta  # a GP can tell which version's figures they read
    assert "motion sensors (accelerometer and gyroscope) clipped to the shoes" in meta  # and what they rest on
    css = pages[name][:pages[name].index("</style>")]
    assert "@page{size:A4" in css
    assert ".table-scroll{overflow:visible}" in css.split("@media print")[1]  # printed tables are not cut at the edge


def test_each_change_says_in_plain_words_whether_it_counts() -> None:
    from footfall.report.change import Change
    from footfall.report.html_parts import plain_words

    clear = Change("cadence_spm", "retest", 9.8, 9.4, 10.3, within_noise=False)
    assert plain_words(clear) == "higher: a clear change, bigger than the measurement's noise"
    assert plain_words(Change("contact_time_ms", "retest", -12, -14, -10, False)).startswith("lower: a clear change")
    assert plain_words(Change("contact_si_pct", "retest", -1.3, -2.2, 0.04, True)) == \
        "no clear change: within the measurement's noise"  # the printed CI, [-2.2, +0.0], includes 0
    assert plain_words(Change("contact_time_ms", "retest", -8, -9, -7, True)) == \
        "too small to count: below footfall's floor for a change"
    assert plain_words(Change("cadence_spm", "S4", 13.1, 12.7, 13.4, False, speed="speed +9 %")) == \
        "not comparable: run at another speed (speed +9 %)"
    assert plain_words(Change("cadence_spm", "S5", 3.0, 2.0, 4.0, False, feet="one foot")).endswith(
        "; one foot measured, against both")


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_every_change_row_of_the_page_has_its_plain_words(pages: dict[str, str], name: str) -> None:
    rows = re.findall(r'<tr data-metric="[^"]*">(.*?)</tr>', pages[name])
    assert rows
    assert all(re.search(r'<td class="plain">[a-z][^<]+</td>$', row) for row in rows)


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_the_words_and_units_of_the_tables_are_explained_in_plain_language(pages: dict[str, str], name: str) -> None:
    from footfall.report.html_parts import SUMMARY_ROWS

    page = pages[name]
    section = page.split('<section id="glossary">')[1].split("</section>")[0]
    terms = re.findall(r"<dt>([^<]*)</dt>", section)
    figures = [label for key, label, _, _ in SUMMARY_ROWS if key in
               ("cadence_spm", "contact_time_ms", "strike_angle_deg", "overstride_index", "impact_g")]
    assert set(figures) <= set(terms)  # by the very words of the tables' rows
    assert "1 g is the pull of gravity" in section  # "impact (g)" is not grams
    assert page.index('<section id="glossary">') < page.index("</main>")


def test_a_visit_run_at_another_speed_is_a_hollow_point_and_the_caption_says_so(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("Ben")
        ids = [store.add_session("Ben", planned_run([(90, Gait(cadence_spm=162, speed_mps=speed))], seed=k),
                                 T0 + timedelta(days=7 * k)).id for k, speed in enumerate((3.0, 3.0, 3.6))]
        page = write_report(store, ids[-1], tmp_path / "r.html").read_text(encoding="utf-8")
    chart = page.split('id="fig-progress"')[1].split("</figure>")[0]
    hollow = re.findall(r'<g id="visits-[a-z_]+-not-comparable">(.*?)</g>', chart, re.S)
    filled = re.findall(r'<g id="visits-[a-z_]+-comparable">(.*?)</g>', chart, re.S)
    assert [h.count("<use") for h in hollow] == [1] * 4  # the fast third visit, in each of the four panels
    assert [f.count("<use") for f in filled] == [2] * 4
    assert "A hollow point: a visit run at another speed than the first" in chart
    assert "they are no trend" in chart


@pytest.mark.parametrize("name", ["clinic", "later"])
def test_no_header_cell_is_empty_and_a_badge_is_a_word_apart_from_its_heading(pages: dict[str, str],
                                                                              name: str) -> None:
    heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", pages[name], re.S)]
    assert heads and all(heads)  # the comparison's column of differences had a nameless header
    after_badge = re.findall(r'<h3><span class="cat[^"]*">[^<]*</span>(.)', pages[name])
    assert after_badge and set(after_badge) == {" "}  # read and copied as "load Load: ...", not "loadLoad: ..."


def test_a_change_below_the_floor_is_not_printed_as_the_floor_itself() -> None:
    from footfall.report.change import FLOORS, Change

    just_below = Change("contact_time_ms", "retest", -(FLOORS.contact_time_ms - 0.4), -10.6, -8.7, True)
    assert just_below.text() == "-9.6 [-10.6, -8.7] (below footfall's floor)"  # not "-10 [-11, -9] (below ...)"
    clear = Change("contact_time_ms", "retest", -27.4, -28.2, -26.3, False)
    assert clear.text() == "-27 [-28, -26]"  # the metric's own decimals elsewhere
    assert Change("cadence_spm", "cue", 0.97, 0.2, 1.6, True).text() == "+0.97 [+0.20, +1.60] (below footfall's floor)"


def test_captions_name_lines_by_their_style_not_by_colour_alone(pages: dict[str, str]) -> None:
    cadence = pages["later"].split('id="fig-cadence-caption">')[1].split("</figcaption>")[0]
    assert "dashed green line" in cadence and "right dashed" in cadence
    caption = plots.load_caption(plots.LoadBars(reference=((3.0, 5.0),), longest_km=5.0))
    assert "dashed 10%" in caption and "dotted 30%" in caption  # two red lines, told apart by their dashes


def test_the_bar_charts_are_named_by_what_they_show(pages: dict[str, str]) -> None:
    caption = pages["later"].split('id="fig-compare-caption">')[1].split("</figcaption>")[0]
    assert caption.startswith("Cadence, strike angle, rearfoot share and overstride index of each part")
    segments = pages["clinic"].split('id="fig-segments-caption">')[1].split("</figcaption>")[0]
    assert segments.startswith("Cadence, strike angle, rearfoot share and overstride index of each marked segment")


def test_two_visits_of_one_day_are_two_points(tmp_path: Path) -> None:
    """qa19 review: on the visits' days, a clinic test and a run later that day shared one point on the chart."""
    with Store(tmp_path / "h.sqlite") as store:
        store.add_runner("Ben")
        ids = [store.add_session("Ben", planned_run([(90, Gait(cadence_spm=160 + 4 * k))], seed=k),
                                 T0 + timedelta(hours=h)).id for k, h in enumerate((0, 1, 7 * 24))]
        page = write_report(store, ids[-1], tmp_path / "r.html").read_text(encoding="utf-8")
    chart = page.split('id="fig-progress"')[1].split("</figure>")[0]
    points = re.findall(r'<g id="visits-cadence_spm-comparable">(.*?)</g>', chart, re.S)[0]
    assert len(set(re.findall(r'<use [^>]*\bx="([-\d.]+)"', points))) == 3
