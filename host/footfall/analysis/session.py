"""All sensors of one session: one streaming Analyser per sensor, and left/right pairing.

With two sensors each step gets the flight time (both feet off the ground before this IC: this IC minus the
other foot's toe-off, when that toe-off came first; 0 with double support) and the two-foot cadence
(60 / step time). A step is held back until every step of the other foot with an earlier IC is known
(Analyser.settled_until_s has passed this IC: the other foot is in the air or standing on a later contact), so
pairing adds a delay only when the other foot's contact is still open; per-foot steps are final before that.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from footfall.analysis.cadence import step_cadence_spm
from footfall.analysis.landing import Landing
from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import Analyser, AnalyserReport
from footfall.analysis.step import Step
from footfall.analysis.stride import StrideParams
from footfall.protocol.clock import check_clock, clock_warning
from footfall.errors import AnalysisError
from footfall.protocol.decode import StreamDecoder
from footfall.samples import SampleBlock
from footfall.recording.time_base import TimeBase
from footfall.utc import iso_utc_s

if TYPE_CHECKING:
    from footfall.recording.file import RecordingReport


class Session:
    """Feed blocks of any sensor in any interleaving; get the (paired) steps.

    The blocks must share one time base (a recording's: `footfall.recording.iter_blocks` gives them so), and
    `sensors` should name every sensor to come (a recording's `sensors`): a step is paired with the other foot
    only while that foot is expected, so without it the first sensor's steps go out unpaired, without flight
    time, when its blocks come first."""

    def __init__(
        self, params: AnalysisParams | None = None, stride_params: StrideParams | None = None, sensors: Iterable[str] = (),
        landings: bool = False, max_wait_s: float | None = None,
    ) -> None:
        """`sensors`: the ids expected in this session when known (a recording's sensor list), so the first
        steps of one foot wait for the other foot instead of going out unpaired. `landings`: keep provisional
        landings for `pop_landings` (live sessions). `max_wait_s`: the most stream time (of the step's own
        sensor, from when the step is final) it waits for the other foot before it goes out unpaired; longer
        than a block. None waits until that foot's samples pass it, `stop_waiting_for` or `finish` (a
        recording's resent frames may come late)."""
        if max_wait_s is not None and not max_wait_s >= 0:
            raise AnalysisError(f"max_wait_s={max_wait_s} must be 0 or more seconds, or None")
        self.max_wait_s = max_wait_s
        self.params = params or AnalysisParams()
        self.landings = landings
        self.expected = list(sensors)
        self.stride_params = stride_params
        self.analysers: dict[str, Analyser] = {}
        self._held: dict[str, list[tuple[Step, float]]] = {}  # per sensor: (step, its sensor's time when it came)
        self._done: dict[str, list[Step]] = {}  # released or not, every step so far, for the other foot
        self._settled_s: dict[str, float] = {}  # per sensor: Analyser.settled_until_s
        self._offset_s: dict[str, float] = {}  # per sensor: the sub-sample part of its time base (SampleBlock)
        self._first_s: dict[str, float] = {}  # per sensor: when its first sample was taken, on the time base
        self._finished: set[str] = set()
        self._closed = False  # finish() was called: the streams have ended

    def feed(self, block: SampleBlock) -> list[Step]:
        """One block of one sensor -> the steps (of any sensor) now final and paired, by IC time per sensor.
        AnalysisError after finish(): a session is one pass (make a new Session for more streams)."""
        if self._closed:
            raise AnalysisError("this Session has finished: feed() after finish() would stitch a new stream onto "
                                "the old one's steps", hint="make a new Session for the next streams")
        a = self.analysers.get(block.sensor)
        if a is None:
            a = Analyser(self.params, block.sensor, block.side, block.rate_hz, self.stride_params, self.landings)
            self.analysers[block.sensor] = a
            self._held[block.sensor], self._done[block.sensor] = [], []
            self._offset_s[block.sensor] = block.time_offset_s
            self._first_s[block.sensor] = block.first_index / block.rate_hz + block.time_offset_s
        new = a.feed(block)
        self._settled_s[block.sensor] = a.settled_until_s + self._offset_s[block.sensor]
        return self._accept(block.sensor, new)

    def finish(self) -> list[Step]:
        """End of every stream: the steps still held (the last contacts, those waiting for the other foot). The
        reports get a warning when the steps could not be paired: an expected sensor sent nothing, or more than
        two sensors took part. Called again, it returns nothing."""
        if self._closed:
            return []
        self._closed = True
        for warning in self._pairing_warnings():
            for report in self.reports.values():
                report.warnings.append(warning)
        out: list[Step] = []
        for sensor, a in self.analysers.items():
            out.extend(self._accept(sensor, a.finish()))
            self._finished.add(sensor)
        out.extend(self._release(final=True))
        return sorted(out, key=lambda s: (s.ic_time_s, s.sensor))

    def pop_landings(self) -> list[Landing]:
        """The provisional landings of every sensor since the last call, by IC time, each ~120 ms after it
        happened: for live cues that cannot wait for the Step (see Analyser.pop_landings)."""
        landings = [dataclasses.replace(x, ic_time_s=x.ic_time_s + self._offset_s[sensor])
                    for sensor, a in self.analysers.items() for x in a.pop_landings()]
        return sorted(landings, key=lambda x: x.ic_time_s)

    def stop_waiting_for(self, sensor: str) -> list[Step]:
        """A sensor has gone quiet (link lost for good, never started): the other foot's steps stop waiting
        for it and go out unpaired; returns the steps this releases."""
        self._finished.add(sensor)
        return self._release(final=False)

    @property
    def start_s(self) -> float:
        """When the first sample of any sensor was taken (the session's time base; 0.0 before any): a CSV's
        time may start at 100 s, and its activity segments start there, not at 0 (analysis/segments.py)."""
        return min(self._first_s.values(), default=0.0)

    @property
    def reports(self) -> dict[str, AnalyserReport]:
        return {sensor: a.report for sensor, a in self.analysers.items()}

    def _accept(self, sensor: str, steps: list[Step]) -> list[Step]:
        steps = [_later(step, self._offset_s[sensor]) for step in steps]
        self._held[sensor].extend((step, self._settled_s[sensor]) for step in steps)
        self._done[sensor].extend(steps)
        return self._release(final=False)

    def _pairing_warnings(self) -> list[str]:
        """Why no step was paired (see _partner): said at finish(), when it is known."""
        missing = [s for s in dict.fromkeys(self.expected) if s not in self.analysers]
        known = self._known()
        said = []
        if missing and self.analysers:
            said.append(f"expected sensor {', '.join(missing)} sent no samples (seen: {', '.join(self.analysers)})")
        if len(known) > 2:
            said.append(f"{len(known)} sensors in this session ({', '.join(known)}) where pairing takes exactly two")
        return [f"{'; '.join(said)}: no step is paired with the other foot (no flight time, each foot's cadence "
                "from its own strides)"] if said else []

    def _known(self) -> list[str]:
        """The sensors named or seen, in order: pairing takes exactly two."""
        return list(dict.fromkeys(self.expected + list(self.analysers)))

    def _partner(self, sensor: str) -> str | None:
        known = self._known()
        others = [s for s in known if s != sensor]
        return others[0] if len(known) == 2 else None

    def _ready(self, step: Step, other: str | None, came_s: float) -> bool:
        if other is None or other in self._finished:
            return True
        if self.max_wait_s is not None and self._settled_s[step.sensor] - came_s > self.max_wait_s:
            return True
        theirs = self._done.get(other, [])
        return bool(theirs and theirs[-1].ic_time_s > step.ic_time_s) or (
            self._settled_s.get(other, -math.inf) > step.ic_time_s
        )

    def _release(self, final: bool) -> list[Step]:
        out: list[Step] = []
        for sensor, held in self._held.items():
            other = self._partner(sensor)
            keep = []
            for step, came_s in held:
                if final or self._ready(step, other, came_s):
                    out.append(self._pair(step, other))
                else:
                    keep.append((step, came_s))
            self._held[sensor] = keep
        if not final:
            self._forget_old()
        return sorted(out, key=_ic_time)  # both feet's steps in time order: the coach reads them as a sequence

    def _pair(self, step: Step, other: str | None) -> Step:
        if other is None:
            return step
        theirs = self._done.get(other, [])
        k = bisect.bisect_left(theirs, step.ic_time_s, key=_ic_time)  # no list of keys per step
        if k == 0:
            return step
        last = theirs[k - 1]
        if math.isnan(last.to_time_s) or step.ic_time_s - last.ic_time_s > step.stride_time_s:
            return step  # the other foot did not land within this stride: a pause, or clocks not lined up
        flight_ms = max(0.0, (step.ic_time_s - last.to_time_s) * 1000.0)
        cadence = step_cadence_spm(step.ic_time_s - last.ic_time_s, step.stride_time_s)
        flags = step.flags + ("two_feet",)
        if math.isnan(cadence):
            return dataclasses.replace(step, flight_time_ms=flight_ms, flags=flags)
        return dataclasses.replace(step, flight_time_ms=flight_ms, cadence_spm=cadence, flags=flags)

    def _forget_old(self) -> None:
        """Keep memory flat: steps older than every held step (minus a margin) are not needed for pairing."""
        held = [s.ic_time_s for steps in self._held.values() for s, _ in steps]
        oldest = min(held, default=min(self._settled_s.values(), default=0.0)) - 10.0
        for sensor, done in self._done.items():
            if len(done) > 64 and done[32].ic_time_s < oldest:
                self._done[sensor] = [s for s in done if s.ic_time_s >= oldest]


def _ic_time(step: Step) -> float:
    return step.ic_time_s


def _later(step: Step, offset_s: float) -> Step:
    """A step timed on its sensor's session time base (SampleBlock.time_offset_s)."""
    if not offset_s:
        return step
    return dataclasses.replace(step, ic_time_s=step.ic_time_s + offset_s, to_time_s=step.to_time_s + offset_s)


def run_session(session: Session, streams: dict[str, Iterable[SampleBlock]],
                on_steps: Callable[[list[Step]], None]) -> int:  # fmt: skip
    """Feed whole streams (sensor -> blocks) through `session`, interleaved by time as they would arrive live
    (so pairing holds only a few steps back), handing each batch of released steps to `on_steps` (in
    release order, not sorted) instead of keeping them; returns the number of steps."""
    count = 0
    iters = {sensor: iter(blocks) for sensor, blocks in streams.items()}
    clock = {sensor: 0.0 for sensor in iters}
    while iters:
        sensor = min(iters, key=lambda k: clock[k])
        block = next(iters[sensor], None)
        if block is None:
            del iters[sensor]
            continue
        clock[sensor] = block.end_index / block.rate_hz
        new = session.feed(block)
        count += len(new)
        on_steps(new)
    last = session.finish()
    on_steps(last)
    return count + len(last)


def analyse_session(
    streams: dict[str, Iterable[SampleBlock]], params: AnalysisParams | None = None, stride_params: StrideParams | None = None
) -> tuple[list[Step], dict[str, AnalyserReport]]:
    """Analyse whole streams (sensor -> blocks), interleaved by time as they would arrive live (so pairing
    holds only a few steps back); steps sorted by IC time."""
    steps, session = _run(streams, params, stride_params)
    return steps, session.reports


def _run(streams: dict[str, Iterable[SampleBlock]], params: AnalysisParams | None,
         stride_params: StrideParams | None) -> tuple[list[Step], Session]:  # fmt: skip
    """analyse_session's steps, and the Session that made them (its start_s)."""
    session = Session(params, stride_params, streams)
    steps: list[Step] = []
    run_session(session, streams, steps.extend)
    return sorted(steps, key=lambda s: (s.ic_time_s, s.sensor)), session


def keep_freed_buffers() -> None:
    """Let glibc keep freed numpy temporaries (up to 32 MB each) in the heap instead of returning them to the
    system: by default every array over 128 kB is a fresh mmap whose pages fault in on first touch, which
    cost ~40 % of the per-stride integration time on 65536-sample blocks. Process-wide, so it is only
    called for one-shot offline analysis (analyse_recording, the bench); a no-op off glibc."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def analyse_recording(
    path: str | Path, params: AnalysisParams | None = None, stride_params: StrideParams | None = None
) -> tuple[list[Step], dict[str, AnalyserReport]]:
    """Analyse every sensor of a .ffr recording (footfall.recording.file), read in one bounded-memory pass."""
    result = analyse_file(path, params, stride_params)
    return result.steps, result.reports


ORIGIN_BEFORE_FILE_S = 5.0  # a live session's time 0 is 1 s before its first sample, after the file is created


class FileAnalysis(NamedTuple):
    steps: list[Step]
    reports: dict[str, AnalyserReport]
    health: RecordingReport  # the file's own: corrupt records, a damaged tail, an interrupted recording
    meta: dict[str, object]  # the recording's metadata (created_utc, a live session's phases, ...)
    time_base: TimeBase = TimeBase()  # the sensors' shared clock; its time 0 is the steps' time 0
    start_s: float = 0.0  # when the first sample was taken, on that time base (Session.start_s)

    @property
    def start_utc(self) -> str | None:
        """The wall-clock time of the steps' time 0 (ISO 8601, ms) when it belongs to this recording (from just
        before the file was created to an hour after: a live session's); else when the file was created (a
        replay re-recorded keeps the original's clock, a sensor's counter may start long before the file)."""
        created = self.meta.get("created_utc")
        created = created if isinstance(created, str) else None
        origin_s, created_s = self.time_base.origin_utc_s, _unix_s(created)
        if origin_s is None or created_s is None or not -ORIGIN_BEFORE_FILE_S <= origin_s - created_s <= 3600.0:
            return created
        return iso_utc_s(origin_s)


def _unix_s(iso: str | None) -> float | None:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() if iso else None
    except ValueError:
        return None


def analyse_file(
    path: str | Path, params: AnalysisParams | None = None, stride_params: StrideParams | None = None
) -> FileAnalysis:
    """analyse_recording, with the file's health (`RecordingReport.damage` says it in one line) and metadata."""
    from footfall.recording.file import open_recording, read_time_base
    from footfall.recording.stream import Demux, on_time_base, stream_recording

    keep_freed_buffers()
    time_base = read_time_base(path)  # a live recording: its sensors on the session's time base, as live
    offsets = time_base.offsets_samples
    stream = stream_recording(path)
    sensors = list(stream.sensors)
    demux = Demux(on_time_base(stream.blocks(), offsets))
    steps, session = _run({sensor: demux.sensor(sensor) for sensor in sensors}, params, stride_params)
    reports = session.reports
    if time_base.note and reports:
        next(iter(reports.values())).warnings.append(time_base.note)
    if not demux.unclaimed:
        note_clocks(stream.decoders, reports)
        return FileAnalysis(steps, reports, stream.report, stream.meta, time_base, session.start_s)
    rec = open_recording(path)  # a sensor first seen after the first frames: analyse with the full list
    steps, session = _run({s: on_time_base(rec.blocks(s), offsets) for s in rec.sensors}, params, stride_params)
    return FileAnalysis(steps, session.reports, rec.report, rec.meta, time_base, session.start_s)


def note_clocks(decoders: dict[str, StreamDecoder], reports: dict[str, AnalyserReport]) -> None:
    """Warn where a sensor's samples are timed at a rate its chip did not run at (footfall.protocol.clock)."""
    for sensor, decoder in decoders.items():
        if decoder.status is not None and sensor in reports:
            rate_hz = decoder.status.sample_rate_hz
            warning = clock_warning(check_clock(decoder.clock_pairs, rate_hz), rate_hz)
            if warning:
                reports[sensor].warnings.append(warning)
