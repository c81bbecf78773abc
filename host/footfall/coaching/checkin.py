"""Pain check-in: 0-10 before and after the run, and the yes/no red-flag questions from the articles.

Red flags come from "I have regular ankle pain after my running sessions: what can I do?"
(`002_c1e424e8898c3435.txt`: trauma such as a fall or twist, swelling, bruising (haematoma), difficulty
bearing weight) and "Ankle Pain After Running – Top Causes" (`004_5337cbcb87cbd1be.txt`: pain that does not
go away). Any of them puts the see-a-professional advice first. footfall does not diagnose.

Pain scores are graded by `pain_level` with footfall's own starting values (`PainParams`; no article gives a
number): a little pain -> nothing extra; moderate pain or a clear rise -> ease off; moderate pain already before
the run -> skip the run and rest; severe pain or a big rise -> see a professional, as a red flag does ("If
you're having pain, then go see a doctor and start to take it easy", `004_5337cbcb87cbd1be.txt`; "stop
running - at least until medical advice has been obtained", `002_c1e424e8898c3435.txt`).

A red-flag question that was not asked is not a "no": only a check-in that answered every one of them
(`flags_answered`: `--ask` or `--no-red-flags`) or says a professional has examined the ankle (`examined`) ends
the reminders of an earlier red flag (coaching/reminder.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from footfall.errors import InputError

RED_FLAG_QUESTIONS: dict[str, str] = {
    "swelling": "Is the ankle or foot swollen?",
    "bruising": "Is there bruising?",
    "cannot_bear_weight": "Is it hard or impossible to stand or walk on that foot?",
    "twist_or_fall": "Did the pain start with a twist, a fall or a sudden change of direction?",
    "pain_persists": "Has the pain stayed, or come back after runs, rather than settling with rest?",
}

# Noun phrases: the advice says "You reported {labels joined by commas}." and the CLI prints them as they are.
RED_FLAG_LABELS: dict[str, str] = {
    "swelling": "swelling", "bruising": "bruising", "cannot_bear_weight": "difficulty bearing weight on the foot",
    "twist_or_fall": "pain that started with a twist or fall", "pain_persists": "pain that stays or keeps coming back",
}
RECENT_INJURY_QUESTION = "Have you injured this ankle in the last few months?"  # 004; not a red flag
EXAMINED_QUESTION = "Has a doctor, physiotherapist or podiatrist examined the ankle since you reported it?"
EXAMINE_FIRST = ("stop running and have it examined by a doctor, physiotherapist or podiatrist before you train "
                 "again")  # what a red flag or severe pain asks, on that run and in the reminders after it
TRAUMA_FIRST = "get it seen today, and keep your weight off the foot until then"  # 002's trauma signs
# the same, in a reminder days later: "today" only while the foot still cannot take weight
TRAUMA_LATER = ("stop running and have it examined by a doctor, physiotherapist or podiatrist as soon as you can "
                "(today if you still cannot put weight on the foot)")
TRAUMA_FLAGS = ("cannot_bear_weight", "twist_or_fall")


def red_flags_said(ci: CheckIn) -> str:
    """"swelling, pain that started with a twist or fall" for the check-in's red flags; "" for none."""
    return ", ".join(RED_FLAG_LABELS[f] for f in ci.red_flags)


def is_trauma(ci: CheckIn) -> bool:
    """Difficulty bearing weight or pain that started with a twist or fall: seen the same day, not "soon"."""
    return any(getattr(ci, f) for f in TRAUMA_FLAGS)


@dataclass(frozen=True)
class PainParams:
    """footfall's own starting values (0-10 scale): no article gives a threshold."""

    ease_off_pain: int = 4  # pain at or above this (before or after), or
    ease_off_rise: int = 2  # a rise of this many points during the run -> ease off
    skip_run_before: int = 4  # pain at or above this before the run -> skip the run and rest
    severe_pain: int = 7  # at or above this, or
    severe_rise: int = 5  # a rise of this many points -> see a professional before training again

    def describe(self) -> str:
        return (f"ease off at pain {self.ease_off_pain}/10 or a rise of {self.ease_off_rise}; skip the run at "
                f"{self.skip_run_before}/10 or more before it; see a professional at {self.severe_pain}/10 or a rise "
                f"of {self.severe_rise}")


@dataclass(frozen=True)
class CheckIn:
    pain_before: int | None = None  # 0 (none) .. 10 (worst imaginable); None = not asked
    pain_after: int | None = None
    swelling: bool = False
    bruising: bool = False
    cannot_bear_weight: bool = False
    twist_or_fall: bool = False
    pain_persists: bool = False
    note: str = ""
    examined: bool = False  # a professional has examined the ankle since a red flag: ends its reminders
    recent_injury: bool = False  # the ankle was injured in the last few months (004's question; not a red flag)
    flags_answered: bool = False  # every red-flag question was answered (a flag not set is a "no", not unasked)

    def __post_init__(self) -> None:
        for name in ("pain_before", "pain_after"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 10:
                raise InputError(f"{name.replace('_', ' ')} must be 0-10, got {value}")

    @property
    def red_flags(self) -> list[str]:
        return [k for k in RED_FLAG_QUESTIONS if getattr(self, k)]

    @property
    def is_empty(self) -> bool:
        """Nothing reported (no pain score, red flag or note): saving it would change no advice."""
        said = (self.red_flags, self.note, self.examined, self.recent_injury, self.flags_answered)
        return self.pain_before is None and self.pain_after is None and not any(said)

    @property
    def pain_now(self) -> int:
        return max(p for p in (self.pain_before, self.pain_after, 0) if p is not None)

    @property
    def pain_rise(self) -> int:
        if self.pain_before is None or self.pain_after is None:
            return 0
        return self.pain_after - self.pain_before


def pain_level(ci: CheckIn, p: PainParams = PainParams()) -> str:
    """"severe", "skip_run" (moderate pain before the run), "ease_off" or "low" (a little or no pain)."""
    if ci.pain_now >= p.severe_pain or ci.pain_rise >= p.severe_rise:
        return "severe"
    if (ci.pain_before or 0) >= p.skip_run_before:
        return "skip_run"
    if ci.pain_now >= p.ease_off_pain or ci.pain_rise >= p.ease_off_rise:
        return "ease_off"
    return "low"


def describe_checkin(ci: CheckIn) -> str:
    """One line: "pain 1 -> 3, red flags: swelling, note: left ankle stiff" (pain only when given, note when any;
    "red flags: not asked" when none was reported and the questions were not all answered; a check-in that only
    says the ankle was examined: "examined by a professional (examination only)", as "not asked" read as if nobody
    had asked: qa17 N11)."""
    def pain(value: int | None) -> str:
        return "-" if value is None else str(value)

    note = [f"note: {ci.note}"] if ci.note else []
    if ci.examined and not (ci.red_flags or ci.flags_answered or ci.recent_injury) \
            and ci.pain_before is None and ci.pain_after is None:
        return ", ".join(["examined by a professional (examination only)", *note])
    parts = [] if ci.pain_before is None and ci.pain_after is None else \
        [f"pain {pain(ci.pain_before)} -> {pain(ci.pain_after)}"]
    parts.append(f"red flags: {red_flags_said(ci) or ('none' if ci.flags_answered else 'not asked')}")
    parts += ["examined by a professional"] if ci.examined else []
    parts += ["injured in the last few months"] if ci.recent_injury else []
    return ", ".join(parts + note)


def combine_checkins(checkins: Sequence[CheckIn]) -> CheckIn | None:
    """One session's check-ins (oldest first) as one, so a later "all fine" cannot hide an earlier red flag
    from the advice: a red flag reported in any stays, pain before and after come from the latest check-in
    that gives each, notes are joined."""
    if not checkins:
        return None
    flags = {k: any(getattr(c, k) for c in checkins) for k in (*RED_FLAG_QUESTIONS, *_ANY_OF)}
    return CheckIn(_latest(checkins, "pain_before"), _latest(checkins, "pain_after"),
                   note="; ".join(c.note for c in checkins if c.note), **flags)


_ANY_OF = ("examined", "recent_injury", "flags_answered")  # said in any of a session's check-ins: said for it


def _latest(checkins: Sequence[CheckIn], name: str) -> int | None:
    return next((getattr(c, name) for c in reversed(checkins) if getattr(c, name) is not None), None)
