"""A client's data as a whole: `footfall runner delete|rename|export|import` and `footfall checkin list|delete`.

A delete asks on a terminal and is refused elsewhere without --yes (a mistyped name must not erase a client), and
says what goes. `runner delete` then compacts the history file (VACUUM), so the client's data is gone from the file
itself, not only from the listings. Recordings and exports saved elsewhere are files of their own: they stay.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.cli.common import confirmed, say_compacted
from footfall.coaching.checkin import describe_checkin
from footfall.errors import InputError

if TYPE_CHECKING:
    from footfall.store.client_records import CheckinRecord
    from footfall.store.clients import ClientData

ELSEWHERE = "recordings (.ffr) and exports saved as files are not part of the history: delete those yourself"


def register_runner_actions(rsub: Any) -> None:
    """The whole-client actions of `footfall runner`."""
    p = rsub.add_parser("delete", help="delete a runner and all their data (sessions, check-ins, shoes, ...)")
    p.add_argument("name")
    p.add_argument("--yes", action="store_true", help="do not ask (needed when not run in a terminal)")
    p = rsub.add_parser("rename", help="give a runner another name")
    p.add_argument("name")
    p.add_argument("new_name")
    p = rsub.add_parser("export", help="write all of a runner's data to one JSON file (to move or hand it over)")
    p.add_argument("name")
    p.add_argument("-o", "--output", type=Path, required=True, help="the file to write, e.g. client.json")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--for-client", action="store_true",
                   help="leave out the clinician's notes: a copy handed to the client (their own data)")
    p = rsub.add_parser("import", help="add a runner and all their data from a `runner export` file")
    p.add_argument("file", type=Path)
    p.add_argument("--as", dest="as_name", metavar="NEW_NAME", help="store the runner under this name")


def run_runner_action(args: argparse.Namespace) -> int:
    from footfall.store import Store
    from footfall.store.clients import ClientData

    action = args.runner_command
    if action == "import":
        return _import(args)
    with Store(args.db, create=False, readonly=action == "export") as store:
        return {"delete": _delete, "rename": _rename, "export": _export}[action](ClientData(store), args)


def _delete(clients: ClientData, args: argparse.Namespace) -> int:
    name = clients.store.runner(args.name).name
    what = f"runner {name!r} and all their data: {clients.runner_contents(name).said()}"
    if not confirmed(what, args.yes):
        print("nothing deleted")
        return 0
    gone, clean = clients.delete_runner(name)
    print(f"runner {name!r} deleted with {gone.said()}")
    say_compacted(clients.path, clean)
    print(f"note: {ELSEWHERE}")
    return 0


def _rename(clients: ClientData, args: argparse.Namespace) -> int:
    old = clients.store.runner(args.name).name
    new = clients.rename_runner(old, args.new_name).name
    print(f"runner {old!r} is now {new!r}")
    return 0


def _export(clients: ClientData, args: argparse.Namespace) -> int:
    from footfall.cli.common import output_file
    from footfall.report.client_file import write_client_file
    from footfall.store.checks import utc_now

    output_file(args.output, args.force)
    name = clients.store.runner(args.name).name
    record = clients.client_record(name)
    noted = any(c.clinician_note for c in record.checkins)
    if args.for_client:
        record = replace(record, checkins=tuple(replace(c, clinician_note="") for c in record.checkins))
    write_client_file(record, args.output, utc_now())
    print(f"{name}: {clients.runner_contents(name).said()} -> {args.output}")
    print("note: the file holds health data (pain scores, notes): keep it safe and delete it once it has been moved")
    if noted:  # the clinician's notes are never in the client's report: say where they are, or that they are not
        print("note: the clinician's notes are left out (--for-client)" if args.for_client else
              "note: it includes the clinician's notes; `--for-client` leaves them out of a copy for the client")
    return 0


def _import(args: argparse.Namespace) -> int:
    from footfall.report.client_file import read_client_file
    from footfall.store import Store
    from footfall.store.clients import ClientData

    client = read_client_file(args.file)
    with Store(args.db) as store:
        clients = ClientData(store)
        runner = clients.restore_client(client, args.as_name)
        numbers = [s.id for s in store.sessions(runner.name)]
        said = clients.runner_contents(runner.name).said()
    now = "" if not numbers else f" (now session {numbers[0]})" if len(numbers) == 1 else \
        f" (now sessions {numbers[0]}-{numbers[-1]})"
    print(f"imported {runner.name} from {args.file}: {said}{now}")
    return 0


# --- footfall checkin list | delete -----------------------------------------------------------------------------
def run_checkin_action(args: argparse.Namespace, checkin_id: int | None) -> int:
    from footfall.store import Store
    from footfall.store.clients import ClientData

    if args.action == "list":
        with Store(args.db, create=False, readonly=True) as store:
            records = ClientData(store).checkin_records(args.runner)
        _print_records(records, args.runner)
        return 0
    if checkin_id is None:
        raise InputError("which check-in?", hint="give its number: `footfall checkin delete ID` (`checkin list`)")
    return _delete_checkin(args, checkin_id)


def _delete_checkin(args: argparse.Namespace, checkin_id: int) -> int:
    from footfall.store import Store
    from footfall.store.clients import ClientData

    with Store(args.db, create=False) as store:
        clients = ClientData(store)
        record = clients.checkin_record(checkin_id)
        if not confirmed(f"check-in {record.id} of {record.runner} ({_said(record)})", args.yes):
            print("nothing deleted")
            return 0
        clients.delete_checkin(checkin_id)
        print(f"check-in {checkin_id} deleted")
        say_compacted(store.path, store.compact())  # pain scores and notes: gone from the file, not only unlisted
    return 0


def _print_records(records: list[CheckinRecord], runner: str | None) -> None:
    if not records:
        print(f"no check-ins{f' for {runner}' if runner else ''}")
    for r in records:
        print(describe_record(r))
        if r.clinician_note:
            print(f"    clinician note (not in the client's report): {r.clinician_note}")


def describe_record(r: CheckinRecord) -> str:
    """"3  Anna Berg  2026-11-17 10:00, session 3: pain 3 -> 6, red flags: swelling, note: ..."."""
    return f"{r.id:>4}  {r.runner}  {_said(r)}"


def _said(r: CheckinRecord) -> str:
    """"2026-11-17 10:00 UTC, session 3: pain 3 -> 6, ...": the day it belongs to, its run, its answers and the
    client's note (the clinician's note is printed on its own line)."""
    if r.session_id is not None:
        what = f"session {r.session_id}"
    else:
        what = "its run's session was deleted" if r.run_utc is not None else "not attached to a run"
    return f"{r.dated:%Y-%m-%d %H:%M} UTC, {what}: {describe_checkin(r.checkin)}"
