"""`footfall history [list|add|show|export|mark|unmark|delete]`: the sessions in the history database.

`add FILE` imports a run: a recording (.ffr, analysed here with the streaming analyser) or a per-step file
(.json/.csv from `footfall history export` or `footfall analyse`); a recording of `footfall live --phases` gets its
phases marked. The same file (by content) is refused a second time unless --force is given.
`mark` sets a physiotherapist's segment (baseline, cue, retest); `unmark` removes one.
"""

from __future__ import annotations

import argparse
import math
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from footfall.cli.common import (add_db_option, atomic_output, confirmed, label_text, output_file, say_compacted,
                                 session_id, session_part)
from footfall.cli import history_marks as marks
from footfall.cli.start_option import given_start, parse_time
from footfall.coaching.phases import PhasePlan
from footfall.errors import InputError, StoreError
from footfall.shell import shell_word
from footfall.store.checks import MAX_SOURCE_CHARS, NOTE_CONTROLS, shown  # (an older history's text: printed escaped)

if TYPE_CHECKING:
    from footfall.analysis.step import Step
    from footfall.report.compare import Part
    from footfall.store import Store
    from footfall.store.rows import Session

READABLE = ("history add takes a .ffr recording, or the steps written by `footfall analyse --json/--csv` or "
            "`footfall history export`")
STILL_RECORDING = "add a recording once its session has ended (a live session with --runner stores its steps as " \
    "it runs)"
STALE_AFTER = timedelta(minutes=10)  # an unfinished session with no step for this long is no longer recording
DELETE_HELP = ("Delete a session with its steps, cues and marked segments (there is no undo). Its check-ins stay in "
               "the runner's history, no longer attached to a run. In a terminal it shows the session and asks first; "
               "elsewhere it needs --yes.")
WRITES = ("add",)  # the actions that may create the history database; the others need one
READS = (None, "list", "show", "export")  # the actions that only read: the database is opened read-only


def register(sub: Any) -> None:
    parser = sub.add_parser("history", help="list, import, export and mark sessions in the history")
    parser.set_defaults(func=run)
    parser.add_argument("--runner", default=None, help="only this runner's sessions (as `history list --runner`)")
    hsub = parser.add_subparsers(dest="history_command", metavar="ACTION")
    lst = hsub.add_parser("list", help="list sessions (the default)")
    lst.add_argument("--runner", default=argparse.SUPPRESS, help="only this runner's sessions")
    add = hsub.add_parser("add", help="import a recording (.ffr) or a step file (.json/.csv)")
    add.add_argument("file", type=Path)
    add.add_argument("--runner", required=True)
    add.add_argument("--shoe", default=None, help="name of the pair worn (see `footfall shoes`)")
    add.add_argument("--start", default=None, help="start time, ISO 8601; without an offset (+02:00, Z) it is this "
                                                  "computer's local time (default: from the file, else now)")
    add.add_argument("--force", action="store_true", help="add the file even if it is in the history already")
    show = hsub.add_parser("show", help="summary of one session, or two compared (--compare)")
    show.add_argument("session", type=session_part,
                      help="a session number; with --compare also N:LABEL, one of its marked segments")
    show.add_argument("--compare", type=session_part, default=None, metavar="OTHER",
                      help="another session (N) or one of its segments (N:LABEL): the two before → after, with the "
                           "change [95 %% CI] and the conditions (speed, feet, shoe, leg length) of each")
    show.add_argument("--json", action="store_true", help="with --compare: the comparison as JSON")
    exp = hsub.add_parser("export", help="per-step export of a session")
    exp.add_argument("session", type=session_id)
    exp.add_argument("-o", "--output", type=Path, required=True, help="output file: .csv, .json or .fit")
    exp.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    mark = hsub.add_parser("mark", help="mark a segment of a session (physiotherapist mode)")
    mark.add_argument("session", type=session_id)
    mark.add_argument("label", type=label_text, help="baseline, cue, retest or any short label")
    mark.add_argument("start_s", type=float, help="segment start, seconds since the session start")
    mark.add_argument("end_s", type=float)
    unm = hsub.add_parser("unmark", help="remove a marked segment (asks nothing: marking it again is cheap)")
    unm.add_argument("session", type=session_id)
    unm.add_argument("label", help="the segment's label, as `footfall history show` lists it")
    dele = hsub.add_parser("delete", help="delete a session", description=DELETE_HELP)
    dele.add_argument("session", type=session_id)
    dele.add_argument("--yes", action="store_true", help="delete without asking (needed when not in a terminal)")
    for p in (lst, add, show, exp, mark, unm, dele):
        p.set_defaults(func=run)
    add_db_option(parser, hsub)


def run(args: argparse.Namespace) -> int:
    from footfall.store import Store

    command = args.history_command
    with Store(args.db, create=command in WRITES, readonly=command in READS) as store:
        action = {"list": _list, "add": _add, "show": _show, "export": _export, "mark": marks.mark, "unmark": marks.unmark,
                  "delete": _delete}
        return action[args.history_command or "list"](store, args)


def _list(store: Store, args: argparse.Namespace) -> int:
    stale: list[tuple[Session, str]] = []
    sessions = store.sessions(getattr(args, "runner", None))
    if not sessions:
        who = f" of {args.runner}" if getattr(args, "runner", None) else ""
        print(f"no sessions{who} in {store.path} yet: `footfall history add FILE --runner NAME` adds a recording, "
              "and `footfall live --runner NAME` stores a session as it runs")
    if sessions:
        print(f"{'id':>4s}  {'start (UTC)':16s}  {_pad('runner', 12)} {'length':>10s}  {'distance':>9s}  "
              f"{'basis':7s}  {'':22s}  {'segments':22s}  source")
    for s in sessions:
        runner = store.runner_by_id(s.runner_id).name
        figures = _figures(store, s)
        print(f"{s.id:4d}  {s.start_utc:%Y-%m-%d %H:%M}  {_pad(runner, 12)} {figures}  {_labels(store, s):22s}  "
              f"{shown(s.source)}")
        if figures.startswith("not finished"):
            stale.append((s, runner))
    for s, runner in stale:
        print(f"note: {_recover_hint(s, runner)}", file=sys.stderr)
    return 0


def _labels(store: Store, s: Session) -> str:
    """The session's marked segments ("baseline,cue,retest": a clinic test), "-" when none."""
    return shown(",".join(g.label for g in store.segments(s.id))) or "-"


def _recover_hint(s: Session, runner: str) -> str:
    """How to deal with a session that stopped without finishing (a live session killed, or whose history could
    not be written): complete it from its recording, or delete it."""
    recording = s.source.partition(":")[2].strip() if s.source.startswith("live:") else ""
    add = f"footfall history add {shell_word(recording)} --runner {shell_word(runner)}"  # pasted: a path with spaces
    complete = f"`{add}` completes it from its recording, or " if recording else ""
    return f"session {s.id} stopped without finishing: {complete}`footfall history delete {s.id}` removes it"


def _figures(store: Store, s: Session) -> str:
    """A finished session's length, distance, basis and cadence; a session still recording says so."""
    if not s.finished:
        return f"{_unfinished(store, s):54s}"
    km = "-" if s.distance_m != s.distance_m else f"{s.distance_m / 1000:.2f} km"
    cadence = s.summary.get("cadence_spm")
    spm = f"{cadence:.0f} steps/min" if isinstance(cadence, float) and math.isfinite(cadence) else "-"
    return f"{s.duration_s / 60:6.1f} min  {km:>9s}  {s.basis or '-':7s}  {'cadence ' + spm:22s}"


def _unfinished(store: Store, s: Session) -> str:
    """"in progress" while steps keep coming (a live session in another terminal), else "not finished"."""
    steps = store.steps(s.id)
    last = s.start_utc + timedelta(seconds=max((st.ic_time_s for st in steps), default=0.0))
    state = "in progress" if datetime.now(timezone.utc) - last < STALE_AFTER else "not finished"
    return f"{state}, {len(steps)} steps so far"


def _pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns: a wide (CJK) character takes two."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


class Loaded(NamedTuple):
    steps: list[Step]
    start: datetime | None  # the start time the file knows
    phases: list[tuple[str, float, float]]  # a live session's timed phases (`live --phases`), as they ran
    damage: str | None = None  # what is wrong with the recording itself (RecordingReport.damage)
    end_s: float | None = None  # a recording's length, seconds since its start (None: a step file's, not known)


def load_steps(path: Path, leg_length_m: float | None = None) -> Loaded:
    """Steps from a recording (analysed now, as `footfall analyse` and a live session do: on the recording's
    own time base, with the runner's leg length for the overstride index) or a step file."""
    kind = _file_kind(path)
    if kind == "recording":
        from footfall.analysis.session import analyse_file
        from footfall.analysis.stride import StrideParams

        # one streaming pass (it read the whole file into memory first, for its metadata)
        a = analyse_file(str(path), stride_params=StrideParams(leg_length_m=leg_length_m))
        created, plan = a.start_utc, a.meta.get("phases")  # the steps' time 0, as `analyse --json` has it
        end_s = max((r.end_s for r in a.reports.values()), default=0.0)
        phases = PhasePlan.parse(str(plan)).spans(end_s) if plan else []
        return Loaded(a.steps, parse_time(str(created)) if created else None, phases, a.health.damage(), end_s)
    steps, meta = _read_step_file(path)
    steps = _for_leg_length(path, steps, meta.get("leg_length_m"), leg_length_m)
    return Loaded(steps, parse_time(str(meta["start_utc"])) if meta.get("start_utc") else None, [])


def _for_leg_length(path: Path, steps: list[Step], said: object, leg_length_m: float | None) -> list[Step]:
    """A step file's overstride index for the runner's leg length, as `history add` of its recording gives it
    (footfall.analysis.leg_length); `said` is the leg length the file says its index used."""
    from footfall.analysis.leg_length import with_leg_length

    done = with_leg_length(steps, leg_length_m, float(said) if isinstance(said, (int, float)) else None)
    if done.kept:
        leg = f"the runner's leg length ({leg_length_m:g} m)" if leg_length_m else "no leg length"
        print(f"note: {path}: the overstride index of {done.kept} of {len(steps)} steps is kept as the file has it, "
              f"not recomputed for {leg}: their records do not reproduce it", file=sys.stderr)
    return done.steps


def _file_kind(path: Path) -> str:
    """"recording", "json" or "csv", by the file's content and name; anything else refused in one line."""
    from footfall.recording.file import MAGIC

    if path.suffix.lower() == ".ffr":
        return "recording"  # open_recording says what is wrong with it, if anything
    if not path.is_file():
        raise InputError(f"no such file: {path}", hint="check the file name")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(MAGIC):
        return "recording"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return "json"
    if path.suffix.lower() == ".csv":
        return _csv_kind(path, text.partition("\n")[0])
    raise InputError(f"{path} is neither a recording nor a step file", hint=READABLE)


def _csv_kind(path: Path, header: str) -> str:
    """A step CSV has an ic_time_s column; a CSV of IMU samples (time and acceleration columns) is refused
    with the command that brings samples in."""
    columns = {c.strip().strip('"').lower() for c in header.split(",")}
    if "ic_time_s" in columns:
        return "csv"
    if any(c.startswith(("acc", "gyr", "time")) for c in columns):
        raise InputError(f"{path} looks like IMU samples, not steps",
                         hint=f"bring it in with `footfall import {path} -o run.ffr`, then `footfall history add "
                              f"run.ffr`")
    raise InputError(f"{path} is not a step CSV (it has no ic_time_s column)", hint=READABLE)


def _read_step_file(path: Path) -> tuple[list[Step], dict[str, object]]:
    """The export reader (which also reads `footfall analyse --json`), with a record it cannot read (a word
    where a number belongs) said in one line."""
    from footfall.report.export import read_steps

    try:
        return read_steps(path)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: a step record cannot be read ({exc})", hint=READABLE) from exc


def _add(store: Store, args: argparse.Namespace) -> int:
    from footfall.dates import check_not_too_early
    from footfall.recording.records import check_regular
    from footfall.store.db import file_sha256
    from footfall.store.rows import LegLength

    runner = store.runner(args.runner)
    check_regular(args.file)  # a FIFO would hang the lock check below, /dev/zero the reading
    _refuse_while_recorded(store, runner.name, args.file)
    given = given_start(args.start) if args.start else None  # refused before the analysis, not after it
    shoe = store.shoe_named(runner.name, args.shoe) if args.shoe else None
    loaded = load_steps(args.file, runner.leg_length_m)
    if given is None and loaded.start is not None:
        check_not_too_early(loaded.start, f"{args.file}: its start", hint="give the time the run began with --start")
    if loaded.damage:
        print(f"note: {args.file}: {loaded.damage}", file=sys.stderr)
    if not loaded.steps:
        raise InputError(f"{args.file}: no steps found", hint="is it a running recording?")
    digest = file_sha256(args.file)
    if not args.force:
        _refuse_twice(store, args.file, digest, loaded)
    if shoe is not None and shoe.warning():
        print(f"warning: {shoe.warning()}", file=sys.stderr)
    if given is None and loaded.start is None:
        print(f"note: {args.file} holds no start time: stored as starting now (give --start to set it)",
              file=sys.stderr)
    s = _complete_live(store, args, loaded, shoe.id if shoe else None, digest) or store.add_session(
        runner.name, loaded.steps, given or loaded.start, shoe.id if shoe else None, source=source_name(args.file),
        source_sha256=digest, leg_length=LegLength(runner.leg_length_m))
    counted = int(s.summary.get("n_steps") or 0)
    within = f" ({counted} of them in the figures: the main activity's)" if counted != len(loaded.steps) else ""
    print(f"session {s.id}: {len(loaded.steps)} steps{within}, {s.duration_s / 60:.1f} min, {s.basis}")
    passed = store.shoe(shoe.id).passed_limit(shoe.distance_km) if shoe is not None else None
    if passed:  # one line, once: the run that takes the pair past its limit
        print(passed)
    _mark_phases(store, s.id, loaded)
    return 0


def source_name(path: Path) -> str:
    """What the history keeps of the file a session came from: its name, not its folders (they can name other
    clients, a date of birth, a login; its content hash tells the file apart), as plain text an import takes."""
    return shown(path.name)[:MAX_SOURCE_CHARS]


def _complete_live(store: Store, args: argparse.Namespace, loaded: Loaded, shoe_id: int | None,
                   digest: str) -> Session | None:
    """The recording of a live session that stopped unfinished (killed, or its history could not be written)
    completes that session rather than adding the run a second time (see `Store.unfinished_live_session`)."""
    if loaded.start is None or loaded.end_s is None:  # a step file: not a live session's recording
        return None
    stuck = store.unfinished_live_session(args.runner, args.file, loaded.start, loaded.steps)
    if stuck is None or not _may_complete(stuck, args.file, digest):
        return None
    before = len(store.steps(stuck.id))
    print(f"note: session {stuck.id} is the live session {args.file} was recorded in, stopped unfinished with "
          f"{before} steps: completed from the recording", file=sys.stderr)
    from footfall.store.rows import LegLength

    used = LegLength(store.runner(args.runner).leg_length_m)  # load_steps computed the index with it
    return store.complete_session(stuck.id, loaded.steps, shoe_id, digest, used)


def _refuse_while_recorded(store: Store, runner: str, path: Path) -> None:
    """A recording still being made (its writer holds its lock: recording_writer.being_recorded) is not added:
    its live session stores its steps as it runs, and completing that session now would end it twice."""
    from footfall.recording.writer import being_recorded

    if not being_recorded(path):
        return
    ids = [str(s.id) for s in store.unfinished_live_sessions(runner, path.name)]
    which = f" (session {' or '.join(ids)}, in progress)" if ids else ""
    raise InputError(f"{path} is still being recorded{which}", hint=STILL_RECORDING)


def _may_complete(session: Session, path: Path, digest: str) -> bool:
    """Whether `path` may complete `session`, judged by the session's own recording where it was made: refused
    while that is still being written (a copy made meanwhile would end the session twice); False when it is still
    there and holds something else (an unrelated run of the same file name: added as a session of its own)."""
    from footfall.recording.writer import being_recorded
    from footfall.store.db import file_sha256
    from footfall.store.matching import recorded_path, same_path

    own = Path(recorded_path(session))
    if not own.is_file():  # moved or gone: the steps it stored decided
        return True
    if being_recorded(own):
        raise InputError(f"{path} is a copy of {own}, still being recorded (session {session.id}, in progress)",
                         hint=STILL_RECORDING)
    return same_path(str(own), path) or file_sha256(own) == digest


def _refuse_twice(store: Store, path: Path, digest: str, loaded: Loaded) -> None:
    """The same file (by content, under any name) is imported once, and so are the steps of a stored run (a step
    file of a recording added, or of a live session): twice would double the shoe's distance and count the run
    twice in the load check."""
    before = store.imported_as(digest)
    said = "is already"
    if before is None:  # a step file of a stored run, or a recording of one added as its step file first
        found = store.session_with_steps(loaded.steps, loaded.start)
        if found is not None and (found.finished or loaded.end_s is None):  # (a stuck one is completed instead)
            before, said = found, "holds the steps of"
    if before is not None:
        who = store.runner_by_id(before.runner_id).name
        raise InputError(f"{path} {said} session {before.id}, {who}'s run of {before.start_utc:%Y-%m-%d %H:%M}",
                         hint="add --force to add it again")


def _mark_phases(store: Store, session_id: int, loaded: Loaded) -> None:
    for label, start_s, end_s in loaded.phases:  # marked as the live session marked them
        try:
            store.add_segment(session_id, label, start_s, end_s, until_s=loaded.end_s)
            print(f"{marks.whose(store, session_id)}: {label} {start_s:g}-{end_s:g} s (a phase of the live session)")
        except InputError as e:
            print(f"phase {label} not marked: {e}", file=sys.stderr)


def _show(store: Store, args: argparse.Namespace) -> int:
    from footfall.analysis.summary import counts_text, summarise
    from footfall.coaching.checkin import describe_checkin
    from footfall.report.change import segment_changes
    from footfall.report.console import figure_text, show_changes, show_segments, show_sides
    from footfall.report.html_parts import PER_SIDE
    from footfall.report.segments import segment_figures, stored_segments

    if args.compare is not None or args.json:
        return _show_compare(store, args)
    s = store.session(_session_number(args.session))
    print(f"session {s.id}  {s.start_utc:%Y-%m-%d %H:%M} UTC  {store.runner_by_id(s.runner_id).name}  "
          f"{shown(s.source)}")
    if s.finished:
        print(f"  {'basis':20s} {s.basis:>10s}")  # which steps the figures describe
    else:
        print(f"  {_unfinished(store, s)}")
    for key, value in s.summary.items():
        if key not in PER_SIDE:  # each foot's own figures instead (show_sides), as the report shows them
            print(f"  {key:20s} {figure_text(key, value):>10s}")
    steps = _readable_steps(store, s.id)
    if steps:
        print(f"  {counts_text(summarise(steps))}")  # as `footfall analyse` ends: how many steps each figure has
        show_sides(steps)
    segments = stored_segments(store, s.id)
    if segments:
        steps = store.steps(s.id) if steps is None else steps  # (raises: the segments need them)
        show_segments(segment_figures(steps, segments))
        show_changes(segment_changes(steps, segments))
    print(f"  cues given: {len(store.cues(s.id))}")
    checkin = store.checkin_for(s.id)
    if checkin is not None:
        print(f"  check-in: {shown(describe_checkin(checkin), keep=NOTE_CONTROLS)}")
    for note in store.clinician_notes(s.id):  # as `footfall advice` prints them
        print(f"  clinician note (not in the client's report): {shown(note, keep=NOTE_CONTROLS)}")
    return 0


def _session_number(part: Part) -> int:
    """A plain session number; a segment (N:LABEL) is for --compare."""
    if part.label is not None:
        raise InputError(f"{part.session_id}:{part.label}: a segment is shown with the whole session",
                         hint=f"`footfall history show {part.session_id}`, or compare it: `footfall history show "
                              f"{part.session_id}:{part.label} --compare OTHER`")
    return part.session_id


def _readable_steps(store: Store, session_id: int) -> list[Step] | None:
    """The session's steps for each foot's figures, or None (said) when a damaged table hides them: the stored
    figures above are shown all the same."""
    try:
        return store.steps(session_id)
    except StoreError as exc:
        print(f"  each foot's figures: not shown ({exc})")
        return None


def _show_compare(store: Store, args: argparse.Namespace) -> int:
    """Two sessions or segments, before → after: conditions, figures side by side, Δ (text or JSON)."""
    import json

    from footfall.report.compare import compare
    from footfall.report.console import show_comparison

    if args.compare is None:
        raise InputError("--json is for --compare", hint="`footfall history export N -o run.json` writes a session")
    c = compare(store, args.session, args.compare)
    if args.json:
        print(json.dumps(c.to_dict(), indent=2, ensure_ascii=False))
    else:
        show_comparison(c)
    return 0


def _export(store: Store, args: argparse.Namespace) -> int:
    """Per-step export, with each step's segment label (CSV, JSON) or a lap per segment (FIT)."""
    from footfall.analysis.segments import with_segment_activity
    from footfall.report.export import write_csv, write_json
    from footfall.report.segments import stored_segments

    s = store.session(args.session)
    steps, segments = with_segment_activity(store.steps(s.id)), stored_segments(store, s.id)  # the summary's labels
    output_file(args.output, args.force)
    if args.output.suffix.lower() == ".csv":
        write_csv(steps, args.output, segments, overwrite=True)  # output_file decided (--force)
    elif args.output.suffix.lower() == ".json":
        write_json(steps, args.output, _export_meta(store, s), segments, overwrite=True)
    elif args.output.suffix.lower() == ".fit":
        from footfall.report.fit import write_fit

        with atomic_output(args.output) as tmp:  # whole or not at all, as the CSV and JSON exports
            write_fit(steps, tmp, s.start_utc, segments)
    else:
        raise InputError(f"unknown export type {args.output.suffix!r}", hint="use .csv, .json or .fit")
    print(f"{len(steps)} steps -> {args.output}")
    return 0


def _export_meta(store: Store, s: Session) -> dict[str, object]:
    """The JSON export's meta, with its provenance as far as the history knows it (qa18b science N3): `software`,
    the footfall writing the export (its segment labels are this version's); `start_utc_source` as `analyse
    --json` names it: "recording" for a live session (the host clock at its time 0), else null: the history
    does not keep where a stored file's start came from (the file's own `analyse --json` says it)."""
    from footfall import __version__
    from footfall.recording.start import RECORDING
    from footfall.store.matching import without_folders
    from footfall.utc import iso_utc

    live = s.source == "live" or s.source.startswith("live:")
    return {"session": s.id, "runner": store.runner_by_id(s.runner_id).name, "start_utc": iso_utc(s.start_utc),
            "start_utc_source": RECORDING if live else None, "source": without_folders(s.source), "software": f"footfall {__version__}"}


def _delete(store: Store, args: argparse.Namespace) -> int:
    whose_run = marks.whose(store, args.session)
    if not confirmed(f"{whose_run}: {_what_goes(store, args.session)}", args.yes):
        print("nothing deleted")
        return 0
    store.delete_session(args.session)
    print(f"{whose_run} deleted")
    say_compacted(store.path, store.compact())  # its steps and notes: gone from the file, not only unlisted
    return 0


def _what_goes(store: Store, session_id: int) -> str:
    """"its 316 steps, 4 cues and 2 marked segments go with it; its check-in stays ...": what a delete removes."""
    counts = ((len(store.steps(session_id)), "step"), (len(store.cues(session_id)), "cue"),
              (len(store.segments(session_id)), "marked segment"))
    items = [f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts]
    kept = ("; its check-in stays in the runner's history, no longer attached to a run"
            if store.checkin_for(session_id) is not None else "")
    return f"its {', '.join(items[:-1])} and {items[-1]} go with it{kept}"
