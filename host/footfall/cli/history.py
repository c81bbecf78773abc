"""`footfall history [list|add|show|export|mark|delete]`: the sessions in the history database.

`add FILE` imports a run: a recording (.ffr, analysed here with the streaming analyser) or a per-step export
(.json/.csv from `footfall history export`); a recording of `footfall live --phases` gets its phases marked.
`mark` sets a physiotherapist's segment (baseline, cue, retest).
"""

from __future__ import annotations

import argparse
import math
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from footfall.cli.common import add_db_option, output_file
from footfall.coaching.phases import PhasePlan
from footfall.errors import InputError

if TYPE_CHECKING:
    from footfall.report.segments import SegmentFigures

# The figures `history show` prints for each marked segment (names as in the session summary).
SEGMENT_FIGURES = ("n_steps", "cadence_spm", "contact_time_ms", "strike_angle_deg", "stride_length_m",
                   "overstride_index", "rearfoot_share")


def register(sub: Any) -> None:
    parser = sub.add_parser("history", help="list, import, export and mark sessions in the history")
    parser.set_defaults(func=run)
    hsub = parser.add_subparsers(dest="history_command", metavar="ACTION")
    lst = hsub.add_parser("list", help="list sessions (the default)")
    lst.add_argument("--runner", default=None)
    add = hsub.add_parser("add", help="import a recording (.ffr) or a step file (.json/.csv)")
    add.add_argument("file", type=Path)
    add.add_argument("--runner", required=True)
    add.add_argument("--shoe", default=None, help="name of the pair worn (see `footfall shoes`)")
    add.add_argument("--start", default=None, help="start time, ISO 8601 (default: from the file, else now)")
    show = hsub.add_parser("show", help="summary of one session")
    show.add_argument("session", type=int)
    exp = hsub.add_parser("export", help="per-step export of a session")
    exp.add_argument("session", type=int)
    exp.add_argument("-o", "--output", type=Path, required=True, help="output file: .csv, .json or .fit")
    exp.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    mark = hsub.add_parser("mark", help="mark a segment of a session (physiotherapist mode)")
    mark.add_argument("session", type=int)
    mark.add_argument("label", help="baseline, cue, retest or any short label")
    mark.add_argument("start_s", type=float, help="segment start, seconds since the session start")
    mark.add_argument("end_s", type=float)
    dele = hsub.add_parser("delete", help="delete a session")
    dele.add_argument("session", type=int)
    for p in (lst, add, show, exp, mark, dele):
        p.set_defaults(func=run)
    add_db_option(parser, hsub)


def run(args: argparse.Namespace) -> int:
    from footfall.store import Store

    with Store(args.db) as store:
        action = {"list": _list, "add": _add, "show": _show, "export": _export, "mark": _mark, "delete": _delete}
        return action[args.history_command or "list"](store, args)


def _list(store: Any, args: argparse.Namespace) -> int:
    for s in store.sessions(getattr(args, "runner", None)):
        runner = store.runner_by_id(s.runner_id).name
        km = "-" if s.distance_m != s.distance_m else f"{s.distance_m / 1000:.2f} km"
        cadence = s.summary.get("cadence_spm")
        spm = f"{cadence:.0f} steps/min" if isinstance(cadence, float) and math.isfinite(cadence) else "-"
        print(f"{s.id:4d}  {s.start_utc:%Y-%m-%d %H:%M}  {runner:12s} {s.duration_s / 60:6.1f} min  {km:>9s}  "
              f"cadence {spm}  {s.source}")
    return 0


class Loaded(NamedTuple):
    steps: list[Any]
    start: datetime | None  # the start time the file knows
    phases: list[tuple[str, float, float]]  # a live session's timed phases (`live --phases`), as they ran
    damage: str | None = None  # what is wrong with the recording itself (RecordingReport.damage)


def load_steps(path: Path, leg_length_m: float | None = None) -> Loaded:
    """Steps from a recording (analysed now, as `footfall analyse` and a live session do: on the recording's
    own time base, with the runner's leg length for the overstride index) or a step export."""
    if path.suffix.lower() == ".ffr":
        from footfall.analysis.session import analyse_recording
        from footfall.analysis.stride import StrideParams
        from footfall.recording import open_recording

        rec = open_recording(path)
        steps, reports = analyse_recording(str(path), stride_params=StrideParams(leg_length_m=leg_length_m))
        created, plan = rec.meta.get("created_utc"), rec.meta.get("phases")
        end_s = max((r.end_s for r in reports.values()), default=0.0)
        phases = PhasePlan.parse(str(plan)).spans(end_s) if plan else []
        return Loaded(steps, _parse_time(str(created)) if created else None, phases, rec.report.damage())
    from footfall.report.export import read_steps

    steps, meta = read_steps(path)
    return Loaded(steps, _parse_time(str(meta["start_utc"])) if meta.get("start_utc") else None, [])


def _parse_time(text: str) -> datetime:
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"not an ISO 8601 time: {text!r}") from exc
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _add(store: Any, args: argparse.Namespace) -> int:
    steps, start, phases, damage = load_steps(args.file, store.runner(args.runner).leg_length_m)
    if damage:
        print(f"note: {args.file}: {damage}", file=sys.stderr)
    if not steps:
        raise InputError(f"{args.file}: no steps found", hint="is it a running recording?")
    shoe_id = store.shoe_named(args.runner, args.shoe).id if args.shoe else None
    when = _parse_time(args.start) if args.start else start
    s = store.add_session(args.runner, steps, when, shoe_id, source=str(args.file))
    counted = int(s.summary.get("n_steps") or 0)
    within = f" ({counted} of them in the figures: the main activity's)" if counted != len(steps) else ""
    print(f"session {s.id}: {len(steps)} steps{within}, {s.duration_s / 60:.1f} min")
    for label, start_s, end_s in phases:  # marked as the live session marked them
        try:
            store.add_segment(s.id, label, start_s, end_s)
            print(f"session {s.id}: {label} {start_s:g}-{end_s:g} s (a phase of the live session)")
        except InputError as e:
            print(f"phase {label} not marked: {e}", file=sys.stderr)
    return 0


def _show(store: Any, args: argparse.Namespace) -> int:
    from footfall.report.segments import segment_figures, stored_segments

    s = store.session(args.session)
    print(f"session {s.id}  {s.start_utc:%Y-%m-%d %H:%M} UTC  {store.runner_by_id(s.runner_id).name}  {s.source}")
    for key, value in s.summary.items():
        print(f"  {key:20s} {_figure(key, value):>10s}")
    segments = stored_segments(store, s.id)
    if segments:
        show_segments(segment_figures(store.steps(s.id), segments))
    print(f"  cues given: {len(store.cues(s.id))}")
    return 0


def show_segments(figures: list[SegmentFigures]) -> None:
    """The marked segments side by side, one column each, figured as the report's segment table."""
    widths = [max(10, len(g.label)) for g in figures]
    _row("segment", [g.label for g in figures], widths)
    _row("seconds", [f"{g.start_s:.0f}-{g.end_s:.0f}" for g in figures], widths)
    for key in SEGMENT_FIGURES:
        _row(key, [_figure(key, g.figures()[key]) for g in figures], widths)


def _row(name: str, cells: list[str], widths: list[int]) -> None:
    print(f"  {name:20s} " + " ".join(f"{cell:>{width}s}" for cell, width in zip(cells, widths)))


def _figure(key: str, value: object) -> str:
    """A stored summary figure as `history show` prints it: counts whole, shares in %, "-" when not measured."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return "-"
    if key.endswith("_share"):
        return f"{value * 100:.1f} %"
    return f"{value:.0f}" if key.startswith("n_") else f"{value:.3f}"


def _export(store: Any, args: argparse.Namespace) -> int:
    """Per-step export, with each step's segment label (CSV, JSON) or a lap per segment (FIT)."""
    from footfall.report.export import write_csv, write_json
    from footfall.report.segments import stored_segments

    s = store.session(args.session)
    steps, segments = store.steps(s.id), stored_segments(store, s.id)
    output_file(args.output, args.force)
    if args.output.suffix.lower() == ".csv":
        write_csv(steps, args.output, segments)
    elif args.output.suffix.lower() == ".json":
        meta = {"session": s.id, "start_utc": s.start_utc.isoformat(), "source": s.source}
        write_json(steps, args.output, meta, segments)
    elif args.output.suffix.lower() == ".fit":
        from footfall.report.fit import write_fit

        write_fit(steps, args.output, s.start_utc, segments)
    else:
        raise InputError(f"unknown export type {args.output.suffix!r}", hint="use .csv, .json or .fit")
    print(f"{len(steps)} steps -> {args.output}")
    return 0


def _mark(store: Any, args: argparse.Namespace) -> int:
    before = [g for g in store.segments(args.session) if g.label == args.label]
    store.add_segment(args.session, args.label, args.start_s, args.end_s)
    moved = f" (was {before[0].start_s:.0f}-{before[0].end_s:.0f} s)" if before else ""
    print(f"session {args.session}: {args.label} {args.start_s:.0f}-{args.end_s:.0f} s{moved}")
    return 0


def _delete(store: Any, args: argparse.Namespace) -> int:
    store.session(args.session)
    store.delete_session(args.session)
    print(f"session {args.session} deleted")
    return 0
