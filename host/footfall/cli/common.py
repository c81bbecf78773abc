"""Options shared by several commands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from footfall.live.session import LiveResult
    from footfall.report.compare import Part

MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer: a number beyond it is no session (not a traceback)
DB_HELP = "history database (default: history.sqlite in the user data directory)"
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
COLUMN_NAMES = ("time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z", "sensor", "side")


def output_file(path: Path, force: bool | None = False, inputs: Sequence[Path] = ()) -> Path:
    """A file a command is about to write: refused, in one line, when it is a folder, when its folder is missing
    or not writable, when it is one of the command's `inputs` (even with --force), or when it exists already and
    `force` is not given (nothing is ever overwritten unasked; None: the command has no --force)."""
    if path.is_dir():
        raise InputError(f"{path} is a folder", hint="give the name of a file to write, in it or elsewhere")
    if any(path.resolve() == Path(p).resolve() for p in inputs):
        raise InputError(f"{path} is also an input of this command", hint="write to another file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {path}: folder {folder} does not exist", hint="create it or choose another path")
    if path.exists() and not force:
        raise InputError(f"{path} already exists", hint="choose another name or " +
                         ("delete it first: this command never overwrites a file" if force is None else "add --force"))
    if not os.access(path if path.exists() else folder, os.W_OK):  # (an existing file: e.g. /dev/stdout)
        raise InputError(f"cannot write {path}: {'it' if path.exists() else f'folder {folder}'} is not writable",
                         hint="choose another path")
    return path


def atomic_output(path: Path) -> AbstractContextManager[Path]:
    """Where a command writes the file `output_file` allowed: a temporary path beside it, renamed onto `path` only
    once written whole and on the disk; a failed write (a full disk) leaves the old file as it was and says so
    in one line (footfall.atomic, which the library's own writers use too)."""
    from footfall import atomic

    return atomic.atomic_output(path)


def say_compacted(path: Path, clean: bool) -> None:
    """After a delete and the compaction of the history file (Store.compact): whether the deleted data is gone from
    the file, or stays in it until another program reading it lets go (a warning on stderr)."""
    if clean:
        print(f"{path} was compacted: the deleted data is no longer in the file")
    else:
        print(f"warning: another program is using {path}, so it could not be compacted: parts of the deleted "
              f"data stay in the file until that program has closed it", file=sys.stderr)


DURATION_FORMS = "seconds (90, 90s), minutes (2m) or hours (1h)"


def duration(text: str) -> float:
    """An argparse type: a time in seconds, written as --phases writes it (90, 90s, 2m, 1h); its range is the
    command's to check."""
    from footfall.coaching.phases import parse_duration_s

    try:
        return parse_duration_s(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a time: give {DURATION_FORMS}") from None


def seconds(text: str) -> float:
    """An argparse type: a time above 0 as `duration` reads it (a negative --duration ran a demo of nothing)."""
    value = duration(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a time above 0 s")
    return value


def above_zero(text: str) -> float:
    """An argparse type: a finite number above 0 (`bench --minutes -1` printed figures for nothing)."""
    value = float(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a number above 0")
    return value


def count(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a count of 1 or more")
    return value


def session_id(text: str) -> int:
    """An argparse type: a session number, for every command that takes one. A number no history can hold
    (below 1, or past SQLite's integers) is refused here in one line."""
    return row_id(text, "session", "`footfall history` lists them")


def row_id(text: str, noun: str, listed: str) -> int:
    """A number of a history row (a session, a check-in): a whole number from 1 to MAX_ROW_ID."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a {noun} number") from None
    if not 1 <= value <= MAX_ROW_ID:
        raise argparse.ArgumentTypeError(f"no {noun} {text} ({noun} numbers are whole numbers from 1; {listed})")
    return value


def refuse_undated(store: Any, session_id: int) -> None:
    """A session stored with a start before footfall.dates.EARLIEST_START_UTC (a typo such as 0001-01-01, stored
    before footfall refused it) has no calendar weeks before it to judge its load and trend against: its advice
    and report are refused in one line, with the way to date it again."""
    from footfall.dates import check_not_too_early

    session = store.session(session_id)
    check_not_too_early(session.start_utc, f"session {session_id}'s start", hint=f"`footfall history export "
                        f"{session_id} -o run.json`, `footfall history delete {session_id}`, then `footfall history "
                        f"add run.json --runner NAME --start TIME` with the time the run began")


def session_part(text: str) -> Part:
    """An argparse type: a session (N) or one of its marked segments (N:LABEL), its number as `session_id`."""
    from footfall.report.compare import Part

    try:
        part = Part.parse(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    session_id(str(part.session_id))
    return part


def label_text(text: str) -> str:
    """An argparse type: a segment label no longer than `history mark` and the import both take (store/checks.py;
    its other checks are the store's, made when the label is stored)."""
    from footfall.store.checks import check_label_length

    return _checked(check_label_length, text)


def note_text(text: str) -> str:
    """An argparse type: a check-in note `checkin` and the import both take (store/checks.py)."""
    from footfall.store.checks import check_note, one_newline

    return _checked(check_note, one_newline(text))


def _checked(check: Callable[[str], None], text: str) -> str:
    try:
        check(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def pace(text: str) -> float:
    """An argparse type: a replay pace, 0 (as fast as possible) or more."""
    value = float(text)
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a pace of 0 or more")
    return value


def rate_text(status: Any) -> str:
    """A status frame's rate: '416 Hz', or '422.937 Hz (set to 416 Hz)' when the chip says its own."""
    return f"{status.sample_rate_hz:.3f} Hz (set to {status.rate_hz} Hz)" if status.rate_mhz else f"{status.rate_hz} Hz"


def source_damage(meta: dict[str, Any]) -> list[str]:
    """The damage notes of the source a live session recorded from (meta "source_damage": {sensor: text}), each
    once (a replayed file: once for both feet). Another program may put anything under the key: a value that is
    not text is shown as its text, and a note that is not {sensor: text} as one text, never a traceback."""
    notes = meta.get("source_damage")
    if not notes:
        return []
    values = notes.values() if isinstance(notes, dict) else [notes]
    return list(dict.fromkeys(v if isinstance(v, str) else repr(v) for v in values))


def add_csv_options(p: Any) -> None:
    """How to read another IMU's CSV (`import`, and `analyse` given a CSV): units, rate, axes, columns."""
    p.add_argument("--acc-unit", choices=["m/s2", "g"], help="unit of the acceleration columns")
    p.add_argument("--gyr-unit", choices=["rad/s", "deg/s"], help="unit of the gyro columns")
    p.add_argument("--rate", type=float, metavar="HZ", help="sample rate (default: inferred from time_s)")
    p.add_argument("--axes", default="x,y,z", metavar="MAP",
                   help="foot axes from file axes with signs, e.g. x,-y,-z or y,x,-z (default x,y,z); "
                        "write --axes=-x,-y,z when the map starts with a minus")
    p.add_argument("--columns", default="", metavar="MAP",
                   help="column names, e.g. time_s=t,acc_x=ax,acc_y=ay,acc_z=az,gyr_x=gx,gyr_y=gy,gyr_z=gz; "
                        "or numbers, #1 for the first column (for a header that repeats names)")
    p.add_argument("--side", choices=["L", "R"], help="which foot the sensor was on")
    p.add_argument("--sensor", help="sensor id to record (default: the side)")
    p.add_argument("--no-unit-check", action="store_true", help="accept implausible gravity or rotation rates")


def csv_options(args: argparse.Namespace) -> Any:
    """The csvfile.convert.ImportOptions of `add_csv_options`' arguments."""
    from footfall.csvfile.convert import ImportOptions

    return ImportOptions(acc_unit=args.acc_unit, gyr_unit=args.gyr_unit, rate_hz=args.rate, axes=args.axes,
                         columns=parse_columns(args.columns), side=args.side, sensor=args.sensor,
                         check_units=not args.no_unit_check)


def parse_columns(spec: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        ours, sep, theirs = item.partition("=")
        ours, theirs = ours.strip().lower(), theirs.strip()
        if not sep or not theirs:
            raise InputError(f"--columns item {item!r} is not NAME=COLUMN", hint="e.g. --columns acc_x=ax")
        if ours not in COLUMN_NAMES:
            raise InputError(f"--columns: unknown name {ours!r}", hint=f"names are {', '.join(COLUMN_NAMES)}")
        if theirs in mapping.values():
            raise InputError(f"--columns: column {theirs!r} is given for two names", hint="each column feeds one name")
        mapping[ours] = theirs
    return mapping


def add_db_option(parser: argparse.ArgumentParser, actions: Any = None) -> None:
    """`--db PATH` on a command and, when it has `actions` (sub-parsers), on each of them too, so the option
    may stand before or after the action."""
    parser.add_argument("--db", type=Path, default=None, help=DB_HELP)
    for action in (actions.choices.values() if actions is not None else ()):
        action.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=DB_HELP)


def add_session_options(parser: argparse.ArgumentParser) -> None:
    """What a live session (`live`, `demo`) stores and plays: runner, shoe, history database, cue audio, phases."""
    parser.add_argument("--runner", dest="runner_name", metavar="NAME",
                        help="store the session in this runner's history (see `footfall runner add`)")
    parser.add_argument("--shoe", metavar="NAME", help="the runner's pair worn for this run (see `footfall shoes add`)")
    parser.add_argument("--audio", type=Path, metavar="WAV",  # checked by coach_options
                        help="also render the metronome and spoken cues to a WAV file")
    parser.add_argument("--sound", action="store_true", help="play the metronome and cues live (aplay or paplay)")
    parser.add_argument("--phases", metavar="PLAN", help="a physiotherapist's timed phases, e.g. baseline:2m,cue:2m,"
                        "retest:2m: shown live, cues only in the phases called cue, each phase marked as a segment of "
                        "the stored session; the session ends with the last phase (instead of --duration)")
    add_db_option(parser)


def coach_options(args: argparse.Namespace) -> Any:
    """The CoachOptions of `add_session_options`' arguments (with the PhasePlan of --phases, if given)."""
    from footfall.coaching.phases import PhasePlan
    from footfall.live.coach import CoachOptions

    if args.audio is not None:  # refused before the session, not when it is written at the end
        output_file(args.audio, force=True)
    plan = PhasePlan.parse(args.phases) if args.phases else None
    for line in plan.warnings() if plan else []:
        print(f"warning: {line}", file=sys.stderr)
    return CoachOptions(args.runner_name, args.shoe, args.db, args.audio, args.sound, plan)


def session_duration_s(args: argparse.Namespace, options: Any) -> float | None:
    """The session's length: --duration, or the length of the --phases plan (not both); None if neither."""
    if options.phases is None:
        return args.duration
    if args.duration is not None:
        raise InputError("give --phases or --duration, not both", hint="the session ends with the last phase")
    return float(options.phases.total_s)


def print_session_end(result: LiveResult, console: Console, args: argparse.Namespace,
                      planned_s: float | None = None) -> None:
    """After a live session (`planned_s` long, if it had a length): its summary, whether it was stopped early,
    its advice and where things were written."""
    from footfall.report.console import print_result, show_segments
    from footfall.report.segments import segment_figures

    print_result(result, console, args.db, planned_s)
    if args.runner_name and result.session_id is None and not result.steps:  # (a history that failed says so)
        console.print(f"not stored in {args.runner_name}'s history: no steps were measured", highlight=False)
    if args.audio:
        console.print(f"cue audio (metronome and spoken cues): {args.audio}", highlight=False)
    if result.state.phases is not None:
        console.file.flush()
        print("phases (figures of the steps in each):")
        show_segments(segment_figures(result.steps, result.state.phases.spans(result.state.elapsed_s)))


def confirmed(what: str, yes: bool) -> bool:
    """`yes`, or asked on a terminal; elsewhere (a script, a pipe) refused: there is no undo."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise InputError(f"not deleting {what}", hint="add --yes to delete it: standard input is not a terminal "
                         "to ask on, and what is deleted cannot be brought back")
    print(f"deleting {what}; there is no undo")
    try:
        answer = input("delete it? [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")
