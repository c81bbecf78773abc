"""The page's words and units in plain language, for the client who takes the report home: "impact (g)" reads as
grams, and "0-1", "ms" or a symmetry index mean nothing without a line on them. Each term is a row label of the
report's tables (html_parts.SUMMARY_ROWS), so the reader finds it by the same words."""

from __future__ import annotations

from html import escape

GLOSSARY: tuple[tuple[str, str], ...] = (
    ("cadence (steps/min)", "steps per minute, both feet counted."),
    ("contact time (ms)", "how long the foot stays on the ground at each step, in milliseconds (thousandths of a "
                          "second)."),
    ("strike angle (deg)", "the angle of the foot as it lands, in degrees: above 0 the toes point up (heel "
                           "first), below 0 they point down (ball of the foot first)."),
    ("rearfoot, midfoot, forefoot (%)", "the share of steps landing heel first, flat, or on the ball of the foot "
                                        "(from the strike angle, as Altman & Davis 2012)."),
    ("overstride index (0-1)", "footfall's own score of the signs of landing with the foot far ahead of the body: 0 "
                               "none, 1 strong. The sensor on the shoe cannot see the hips, so it is not a measured "
                               "distance."),
    ("impact (g)", "the peak jolt the sensor on the shoe measures as the foot lands, in g: 1 g is the pull of "
                   "gravity (9.81 m/s²). It is not the force on your body."),
    ("left − right (symmetry index, %)", "how far the two feet differ, as a percentage of their average: 0 means "
                                         "both feet alike."),
    ("median", "the middle value of all the steps: half are above it, half below."),
    ("change [95 % CI]", "the change from the earlier part; the two numbers in brackets are the range the true "
                         "change most likely lies in. \"In plain words\" says whether it is bigger than the "
                         "measurement's noise."),
)


def glossary_html() -> str:
    """The words-and-units section, a definition list."""
    items = "".join(f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in GLOSSARY)
    return f'<section id="glossary"><h2>Words and units on this page</h2><dl>{items}</dl></section>'
