"""A physiotherapist's session plan: timed phases (baseline, cue, retest, ...) run one after another.

`footfall live --phases baseline:2m,cue:2m,retest:2m` runs the plan: the live view shows the phase and the time
left in it, footfall's cues and metronome are given only in the phases called `cue` (a baseline or retest must
show the runner's own running, uncued), each phase is marked as a segment of the stored session when it ends
(as `footfall history mark` would), and the session ends with the last phase.

Times are session seconds, the time base of the steps' initial contacts (footfall.live.align), so a replay run
as fast as possible keeps the plan as a live session does.
"""

from __future__ import annotations

from dataclasses import dataclass

from footfall.coaching.clinic import CUE_LABEL
from footfall.errors import InputError
from footfall.store.checks import check_segment_label

SHORT_PHASE_S = 30.0  # a phase shorter than this gives rough medians (as a recording under 30 s does)


@dataclass(frozen=True)
class Phase:
    label: str
    start_s: float
    end_s: float

    @property
    def cues(self) -> bool:
        return self.label.lower() == CUE_LABEL


@dataclass(frozen=True)
class PhasePlan:
    phases: tuple[Phase, ...]

    @classmethod
    def parse(cls, spec: str) -> PhasePlan:
        """`label:duration,...`; a duration is seconds (`90`, `90s`), minutes (`2m`, `1.5m`) or hours (`1h`)."""
        phases: list[Phase] = []
        for item in (s.strip() for s in spec.split(",")):
            label, sep, length = (p.strip() for p in item.partition(":"))
            if not (label and sep and length):
                raise InputError(f"--phases item {item!r} is not LABEL:DURATION", hint=_EXAMPLE)
            check_segment_label(label)  # each phase becomes a marked segment: refused now, not at its end
            if any(p.label == label for p in phases):
                raise InputError(f"--phases names {label!r} twice",
                                 hint="each phase is one segment: give it its own label")
            start_s = phases[-1].end_s if phases else 0.0
            phases.append(Phase(label, start_s, start_s + _duration_s(length, label)))
        return cls(tuple(phases))

    def warnings(self) -> list[str]:
        """One line per phase under SHORT_PHASE_S: its figures will rest on few steps."""
        return [f"--phases: {p.label!r} lasts {p.end_s - p.start_s:g} s: a phase under {SHORT_PHASE_S:.0f} s gives "
                f"rough medians (few steps per foot)" for p in self.phases if p.end_s - p.start_s < SHORT_PHASE_S]

    @property
    def total_s(self) -> float:
        return self.phases[-1].end_s

    def at(self, time_s: float) -> Phase | None:
        """The phase running at `time_s` (None after the last one)."""
        return next((p for p in self.phases if p.start_s <= time_s < p.end_s), None)

    def spans(self, end_s: float) -> list[tuple[str, float, float]]:
        """(label, start_s, end_s) of each phase begun before a session that ended at `end_s`, the last one cut
        there (a session stopped early)."""
        return [(p.label, p.start_s, min(p.end_s, end_s)) for p in self.phases if p.start_s < end_s]


_EXAMPLE = "e.g. --phases baseline:2m,cue:2m,retest:2m (durations in s, m for minutes or h for hours)"
DURATION_UNITS_S = {"s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration_s(text: str) -> float:
    """Seconds from `90`, `90s`, `2m`, `1.5m` or `1h` (ValueError if it is none of these; its range is the
    caller's to check). --phases and every command's --duration read durations this way."""
    text = text.strip().lower()
    scale = DURATION_UNITS_S.get(text[-1:])
    return float(text[:-1] if scale else text) * (scale or 1.0)


def _duration_s(text: str, label: str) -> float:
    try:
        value = parse_duration_s(text)
    except ValueError:
        raise InputError(f"--phases: {label!r} lasts {text!r}, not a duration", hint=_EXAMPLE) from None
    if not 0 < value < float("inf"):
        raise InputError(f"--phases: {label!r} must last more than 0 s, not {text!r}", hint=_EXAMPLE)
    return value
