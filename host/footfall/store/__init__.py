"""Runner history in SQLite: `Store` (runners, shoes, sessions, steps, cues, check-ins, segments)."""

from footfall.store.db import SEGMENT_LABELS, Store, default_path
from footfall.store.live import LiveSessionWriter
from footfall.store.rows import Runner, Segment, Session, Shoe

__all__ = ["SEGMENT_LABELS", "LiveSessionWriter", "Runner", "Segment", "Session", "Shoe", "Store", "default_path"]
