"""Checks on what goes into the history: values no runner, pair of shoes or start time can have are refused
in one line (a unit slip never reaches the coaching)."""

from __future__ import annotations

import math
import sqlite3
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from footfall.analysis.overstride import LEG_LENGTH_RANGE_M
from footfall.errors import InputError

# Plausible ranges: outside them the value is almost surely in other units (cm for m, strides for steps).
HEIGHT_RANGE_M = (0.5, 2.5)
TARGET_CADENCE_RANGE_SPM = (120.0, 230.0)
NAME_MAX_CHARS = 40  # one column of a listing; a name is one line of printable text
START_SKEW_S = 300.0  # a start this far ahead of this computer's clock is still taken (another device's clock)
LABEL_SEPARATOR = ";"  # joins the labels of overlapping segments in a step CSV cell: never inside a label
MAX_LABEL_CHARS = 40  # a segment label (baseline, cue, retest): a word or two, in tables and the report's headings
MAX_NOTE_CHARS = 2000  # a check-in note: a few sentences; a pasted document is refused, not stored
MAX_SOURCE_CHARS = 4102  # a session's source: a file name, or "live: " and a recording's path (PATH_MAX 4096)
MAX_CUE_CHARS = 400  # a cue's words, as spoken and listed
NOTE_CONTROLS = "\n\t"  # a note may run over lines; no other control character
# Bidirectional overrides and isolates: they reorder the text shown around them (a note that reads otherwise)
BIDI_CONTROLS = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def check_segment_label(label: str) -> None:
    """A segment label is non-blank, at most MAX_LABEL_CHARS long and without LABEL_SEPARATOR, so a step CSV's
    joined cell reads back as the labels it joined ("warm;up" would read as two segments, warm and up)."""
    check_label_length(label)
    if not label.strip():
        raise InputError("a segment needs a label", hint="e.g. baseline, cue or retest")
    check_plain_text(label, "segment label")
    if LABEL_SEPARATOR in label:
        raise InputError(f"segment label {label!r} contains {LABEL_SEPARATOR!r}, which separates the labels of "
                         "overlapping segments in step exports", hint="use another character, e.g. warm-up")


def check_segment_span(label: str, start_s: float, end_s: float) -> None:
    """A segment runs forwards, from 0 s or later (session seconds)."""
    if not (math.isfinite(start_s) and math.isfinite(end_s)) or start_s < 0 or end_s <= start_s:
        raise InputError(f"segment {label!r} must run forwards from 0 s or later, got {start_s:g} .. {end_s:g} s")


def check_label_length(label: str) -> None:
    """A segment label of at most MAX_LABEL_CHARS characters: a word or two, in tables and the report's headings."""
    _check_length(label, MAX_LABEL_CHARS, "a segment label", "e.g. baseline, cue, retest")


def check_note(text: str) -> None:
    """A check-in note (the client's or the clinician's) of at most MAX_NOTE_CHARS characters, with line breaks
    and tabs but no other control character (an escape sequence in it restyled or cleared the terminal listing
    it)."""
    _check_length(text, MAX_NOTE_CHARS, "a note", "shorten it")
    check_plain_text(text, "a note", allowed=NOTE_CONTROLS)


def check_plain_text(text: str, what: str, limit: int | None = None, allowed: str = "") -> None:
    """Text without control characters (C0, DEL, C1: a terminal runs escape sequences; line breaks unless
    `allowed`) or bidirectional overrides, of at most `limit` characters: what footfall prints of a label, note,
    cue or source is the text that was given."""
    if limit is not None:
        _check_length(text, limit, what, "shorten it")
    bad = [c for c in text if c not in allowed and is_control(c)]
    if bad:
        raise InputError(f"{what} {text!r:.60} holds the control character {bad[0]!r}",
                         hint="remove it: plain text" + (", line breaks are fine" if "\n" in allowed
                                                         else " on one line"))


def is_control(char: str) -> bool:
    """A control character (C0, DEL, C1), a line or paragraph separator, or a bidirectional override."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS


def one_newline(text: str) -> str:
    """Line breaks as \\n: a note pasted on Windows (\\r\\n), an old Mac (\\r) or with Unicode's line and paragraph
    separators is taken, and read back, as lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def stored_note(text: str) -> str:
    """A note as an older history may hold it, for every reader: its line breaks as \\n, any other control
    character escaped (shown)."""
    return shown(one_newline(text), NOTE_CONTROLS)


def shown(text: str, keep: str = "") -> str:
    """`text` for a terminal: each control character (is_control) but those in `keep` as its escape (\\x1b,
    \\n), the rest as it is. For what an older history holds from before its text was checked."""
    return "".join(repr(c)[1:-1] if c not in keep and is_control(c) else c for c in text)


def _check_length(text: str, limit: int, what: str, hint: str) -> None:
    if len(text) > limit:
        raise InputError(f"{what} holds at most {limit} characters, not {len(text)}", hint=hint)


def check_runner(name: str, height_m: float | None, leg_length_m: float | None,
                 target_cadence_spm: float | None) -> None:
    """Refuse values no runner has, so a unit slip never reaches the coaching (a watch's 85 strides/min
    stored as a target of 85 steps/min would make every cue ask for shorter, quicker steps)."""
    _check_name("runner", name, "footfall runner add ana")
    if height_m is not None:
        _check_metres("height", height_m, HEIGHT_RANGE_M, "--height-m")
    if leg_length_m is not None:
        check_leg_length(leg_length_m)
    if height_m is not None and leg_length_m is not None and leg_length_m >= height_m:
        raise InputError(f"leg length {leg_length_m:g} m must be shorter than the height {height_m:g} m",
                         hint="leg length is hip to floor, about half the height")
    if target_cadence_spm is not None:
        _check_target_cadence(target_cadence_spm)


def check_leg_length(leg_length_m: float) -> None:
    """Hip to floor, in metres (a value in cm is refused, saying so)."""
    _check_metres("leg length", leg_length_m, LEG_LENGTH_RANGE_M, "--leg-length-m")


def _check_name(kind: str, name: str, example: str) -> None:
    """One line of printable text without spaces around it, short enough for a listing's column (a runner's,
    a pair of shoes': `--shoe "pegasus "` made a second pair beside `Pegasus`)."""
    if not name.strip():
        raise InputError(f"a {kind} needs a name", hint=f"e.g. `{example}`")
    if not name.isprintable() or name != name.strip():
        raise InputError(f"{kind} name {name!r} must be one line of printable text, without spaces around it",
                         hint=f"e.g. `{example}`")
    if len(name) > NAME_MAX_CHARS:
        raise InputError(f"{kind} name of {len(name)} characters is too long", hint=f"use at most {NAME_MAX_CHARS}")


def _check_metres(what: str, value_m: float, range_m: tuple[float, float], option: str) -> None:
    low, high = range_m
    if low <= value_m <= high:
        return
    hint = f"give it in metres, {low:g}-{high:g}"
    if low * 100 <= value_m <= high * 100:
        hint += f": {value_m:g} cm is {option} {value_m / 100:g}"
    raise InputError(f"{what} {value_m:g} m is not plausible", hint=hint)


def _check_target_cadence(cadence_spm: float) -> None:
    low, high = TARGET_CADENCE_RANGE_SPM
    if low <= cadence_spm <= high:
        return
    hint = "steps/min count both feet: a watch showing strides/min shows half"
    if low <= 2 * cadence_spm <= high:
        hint += f", so {cadence_spm:g} strides/min is {2 * cadence_spm:g} steps/min"
    raise InputError(f"target cadence {cadence_spm:g} steps/min is outside {low:g}-{high:g}", hint=hint)


def same_ignoring_case(name: str, rows: Iterable[sqlite3.Row]) -> list[str]:
    folded = name.casefold()
    return [r["name"] for r in rows if r["name"].casefold() == folded]


def check_shoe(name: str | None = None, limit_km: float | None = None, initial_km: float | None = None) -> None:
    """Refuse a pair without a name, a limit that is not a distance, or a negative distance already run
    (the shoe listing divides by the limit and would show a negative share worn)."""
    if name is not None:
        _check_name("shoe", name, "footfall shoes add ana Pegasus")
    if limit_km is not None and not 0 < limit_km < math.inf:
        raise InputError(f"the shoe limit must be more than 0 km, got {limit_km:g}",
                         hint="the distance after which to replace the pair, e.g. --limit-km 600")
    if initial_km is not None and not 0 <= initial_km < math.inf:
        raise InputError(f"the distance already run must be 0 km or more, got {initial_km:g}",
                         hint="e.g. --initial-km 250, or leave it out for a new pair")


def check_start(start_utc: datetime) -> None:
    """Refuse a start in the future (beyond START_SKEW_S): it would sort after every later run and set the
    30-day load window wrong."""
    if start_utc.astimezone(timezone.utc) > utc_now() + timedelta(seconds=START_SKEW_S):
        raise InputError(f"start {start_utc.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC is in the future",
                         hint="give --start as the time the run began, e.g. --start 2026-04-20T07:00:00Z")
