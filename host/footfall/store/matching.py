"""Which stored session a file given to `history add` belongs to: the unfinished live session its recording was
made beside (by the steps that session stored, then by the path it recorded to), or a session that holds its
steps already (a step file of a run stored before).
"""

from __future__ import annotations

import bisect
import ntpath
from collections.abc import Sequence
from pathlib import Path

from footfall.errors import InputError
from footfall.store.rows import Session

IC_MATCH_S = 1e-3  # a stored step and the recording's are one step when their initial contacts are this close


def recorded_path(session: Session) -> str:
    """The recording a live session made of itself, as its command line named it ("live: FILE"); "" if none."""
    return recorded_path_of(session.source)


def without_folders(source: str) -> str:
    """A session's source as it leaves this computer (history export, runner export): the file's name without its
    folders, which can name another client, a date of birth or a login ("live: /home/kim/clients/Eve Smith/r.ffr"
    -> "live: r.ffr"); Windows paths too."""
    if source.startswith("live:"):
        name = ntpath.basename(recorded_path_of(source))  # (ntpath splits on / and \ alike)
        return f"live: {name}" if name else source
    return ntpath.basename(source) or source


def recorded_path_of(source: str) -> str:
    return source.partition(":")[2].strip() if source.startswith("live:") else ""


def steps_agree(stored_ic_s: Sequence[float], recorded_ic_s: Sequence[float]) -> bool:
    """Every stored step's initial contact is one of the recording's (within IC_MATCH_S)."""
    times = sorted(recorded_ic_s)
    for t in stored_ic_s:
        i = bisect.bisect_left(times, t - IC_MATCH_S)
        if i == len(times) or times[i] > t + IC_MATCH_S:
            return False
    return True


def same_path(recorded: str, recording: Path) -> bool:
    """Whether the path a live session recorded to is `recording` (as written, or the same file from here)."""
    if not recorded:
        return False
    if Path(recorded) == recording:
        return True
    try:
        return Path(recorded).resolve() == recording.resolve()
    except OSError:
        return False


def pick_live_session(candidates: Sequence[tuple[Session, Sequence[float]]], recording: Path,
                      recorded_ic_s: Sequence[float]) -> Session | None:
    """The candidate (an unfinished live session with the recording's file name, and the initial contacts it
    stored) that `recording` was made beside. First by content: a session whose stored steps are not the
    recording's is not its live session, and one whose steps are wins over one that stored none. Then by the
    recorded path. When that still leaves more than one, the user is asked (InputError naming them)."""
    agreeing = [s for s, ics in candidates if ics and steps_agree(ics, recorded_ic_s)]
    pool = agreeing or [s for s, ics in candidates if not ics]
    if len(pool) > 1:
        pool = [s for s in pool if same_path(recorded_path(s), recording)] or pool
    if len(pool) > 1:
        raise ambiguous(recording, pool)
    return pool[0] if pool else None


def ambiguous(recording: Path, sessions: Sequence[Session]) -> InputError:
    named = [f"session {s.id} ({s.source})" for s in sessions]
    listed = ", ".join(named[:-1]) + f" or {named[-1]}"
    return InputError(f"{recording} may be the recording of {listed}: neither the steps they stored nor their "
                      "paths tell which",
                      hint="add it by the path it was recorded to (`footfall history show ID` names it)")
