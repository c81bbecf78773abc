"""`footfall history mark` and `footfall history unmark`: a physiotherapist's segments of a session (baseline, cue,
retest). Unmarking asks nothing, unlike a delete: a mark is cheap to set again, and the line printed says what it
was, so `history mark` can put it back."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from footfall.store import Store


def whose(store: Store, session_id: int) -> str:
    """"session 5 (P001 Anna K, 2026-11-24 14:52)": a write on a global session number names whose run it was."""
    s = store.session(session_id)
    return f"session {s.id} ({store.runner_by_id(s.runner_id).name}, {s.start_utc:%Y-%m-%d %H:%M})"


def mark(store: Store, args: argparse.Namespace) -> int:
    before = [g for g in store.segments(args.session) if g.label == args.label]
    store.add_segment(args.session, args.label, args.start_s, args.end_s)
    moved = f" (was {before[0].start_s:g}-{before[0].end_s:g} s)" if before else ""
    print(f"{whose(store, args.session)}: {args.label} {args.start_s:g}-{args.end_s:g} s{moved}")
    return 0


def unmark(store: Store, args: argparse.Namespace) -> int:
    gone = store.remove_segment(args.session, args.label)
    print(f"{whose(store, args.session)}: {gone.label} {gone.start_s:g}-{gone.end_s:g} s unmarked")
    return 0
