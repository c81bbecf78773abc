"""What a screen reader, a keyboard and a narrow screen need from the report's tables (WCAG 2.2 AA), added to the
finished page in one place, so that each section's table code stays as simple as it is.

Every table's first row is its column headers (the sections build them so): it becomes a <thead> (a printed table
cut by an A4 page repeats it) with `scope="col"`; a header cell in a later row names that row (`scope="row"`).
Each table sits in a named, focusable region that scrolls sideways on its own, so at 400 % zoom or on a phone the
page's text still wraps to the screen (WCAG 1.4.10) and a keyboard can scroll the table (2.1.1).
"""

from __future__ import annotations

import re
from html import escape

TABLE_NAMES = {  # the region's name read out when a keyboard reaches it: the table's heading on the page
    "summary-table": "Summary figures", "summary-sides": "Left and right foot",
    "summary-landing": "What the overstride index is made of", "segments-table": "Marked segments",
    "changes-table": "Changes against the reference part", "segments-sides": "Left and right foot per segment",
    "segments-landing": "What the overstride index is made of, per segment",
    "segments-sign-changes": "Changes of the overstride signs", "progress-table": "Progress across visits",
    "progress-changes": "Changes since the first visit", "compare-conditions": "Conditions of the two parts",
    "compare-table": "The two parts compared", "compare-sides": "Left and right foot, the two parts",
    "compare-changes": "Changes between the two parts", "checkin-history": "Check-ins",
}
_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
_ID = re.compile(r'\bid="([^"]*)"')
_TH = re.compile(r"<th(?=[\s>])")


def accessible_tables(page: str) -> str:
    """Each table of `page` with its header row as <thead>, every header cell scoped, in a scrolling region."""
    return _TABLE.sub(_one_table, page)


def _one_table(match: re.Match[str]) -> str:
    attrs, body = match.group(1), match.group(2)
    if "</tr>" not in body:  # no rows: nothing to scope
        return match.group(0)
    end = body.index("</tr>") + len("</tr>")
    head = _TH.sub('<th scope="col"', body[:end])
    rows = _TH.sub('<th scope="row"', body[end:])
    found = _ID.search(attrs)
    name = TABLE_NAMES.get(found.group(1), "table") if found else "table"
    return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(name)}">'
            f'<table{attrs}><thead>{head}</thead><tbody>{rows}</tbody></table></div>')
