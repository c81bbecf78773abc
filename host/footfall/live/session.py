"""A live session: one or two sources streaming into a lossless recording and the streaming analyser.

Per arrival: record it as it came (before anything can fail), decode, align onto the session's time base,
analyse, update the view's state. Link events drive resilience: after a reconnect the device is asked to
resend everything after the last frame received; what it can no longer resend stays a gap, counted and
shown. A sensor that is gone for good does not stop the other. The session ends at `duration_s`, when every
source is gone, or when `stop()` is called (Ctrl-C / SIGTERM); the recording is closed either way. A recording
that cannot be written on (disk full) stops with one note; the session, its analysis and summary go on.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from footfall.analysis.landing import Landing
from footfall.analysis.params import AnalysisParams
from footfall.analysis.pipeline import AnalyserReport
from footfall.analysis.session import Session, note_clocks
from footfall.analysis.step import Step
from footfall.analysis.stride import StrideParams
from footfall.errors import ProtocolError, RecordingError, SourceError
from footfall.protocol.frames import (
    CMD_RESEND,
    CMD_SET_PACE,
    CMD_START,
    CMD_STOP,
    CMD_TIME_SYNC,
    RESULT_HELD,
    TYPE_STATUS,
    StatusFrame,
    encode_command,
    frame_seq,
    frame_type,
)
from footfall.live.align import Aligner
from footfall.live.link_mtu import LinkMtu
from footfall.live.pace import MIN_STRIDES, pace_permille
from footfall.live.state import LaneState, LiveState
from footfall.protocol.decode import StreamDecoder, StreamReport
from footfall.recording.file import RecordingWriter
from footfall.sources.base import Arrival, LinkEvent, Source

StepHook = Callable[[Sequence[Step], LiveState], None]


@dataclass(frozen=True)
class LiveParams:
    duration_s: float | None = None  # None: until stopped or every source is gone
    time_sync_every_s: float = 5.0
    silence_s: float = 3.0  # a connected sensor silent this long is asked to start again
    refresh_hz: float = 4.0
    analysis: AnalysisParams = AnalysisParams()
    stride: StrideParams | None = None  # e.g. the runner's leg length
    footpod_pace: bool = True  # at the end, write each sensor's pace factor for a watch (live/pace.py)


@dataclass
class Lane:
    """One sensor's plumbing: its source, decoder and the last sequence number received."""

    source: Source
    sensor: str
    decoder: StreamDecoder
    view: LaneState
    last_seq: int | None = None
    lost: bool = False
    restarted: bool = False  # asked to start again after a silence (once per silence)
    handled_s: float = 0.0  # wall time the session last handled a frame of it (a replay queues far ahead)
    held_since_s: float | None = None  # wall time another host was found holding the sensor (result 'held')
    mtu: LinkMtu = field(default_factory=LinkMtu)  # what its BLE link's ATT MTU means, and what was said of it


@dataclass
class LiveResult:
    steps: list[Step]
    latencies_s: list[float]
    landing_latencies_s: list[float]
    state: LiveState
    recording: Path | None
    reports: dict[str, StreamReport] = field(default_factory=dict)  # per sensor: the decoder's
    session_id: int | None = None  # in the runner's history, when stored
    analysis: dict[str, AnalyserReport] = field(default_factory=dict)  # per sensor: the analyser's
    recording_error: str | None = None  # the recording stopped early (disk full): it holds the session up to there
    warnings: list[str] = field(default_factory=list)  # for the end of the session: recording stopped, damaged source

    @property
    def recording_complete(self) -> bool:
        return self.recording is not None and self.recording_error is None


class LiveSession:
    def __init__(self, sources: Sequence[Source], record_to: Path | None = None,
                 params: LiveParams = LiveParams(), meta: dict[str, Any] | None = None,
                 on_steps: StepHook | None = None, state: LiveState | None = None) -> None:
        self.params = params
        self.state = state or LiveState()
        self.sources = list(sources)
        self.lanes: list[Lane] = []  # made once the sources are open and know their side
        self.record_to = record_to
        self.meta = meta or {}
        self.on_steps = on_steps
        self.steps: list[Step] = []
        self.latencies_s: list[float] = []  # host time of each step's emission minus the host time of its IC
        self.landing_latencies_s: list[float] = []  # the same for the provisional landing events
        self._writer: RecordingWriter | None = None
        self.recording_error: str | None = None  # a write failed: the session goes on unrecorded
        self.warnings: list[str] = []
        self._source_damage: dict[str, str] = {}
        self._analysis = Session(params.analysis, params.stride, landings=True)
        self._aligner = Aligner()
        self._stop = asyncio.Event()
        self._inbox: asyncio.Queue[tuple[Lane, Arrival | LinkEvent | None]] = asyncio.Queue()
        self._cmd_ids = itertools.cycle(range(1, 256))
        self._started = 0.0
        self._failed: dict[int, str] = {}
        self._stream_s = 0.0  # the latest sample time analysed, on the session's time base
        self._sensor_s: dict[str, float] = {}  # the same per sensor
        self._noted_offsets: dict[str, float] = {}
        self._quiet: set[str] = set()  # sensors the analysis no longer waits for
        self._started_wall = 0.0

    def _lane(self, source: Source, i: int) -> Lane:
        taken = {lane.sensor for lane in self.lanes}
        sensor = source.side if source.side in ("L", "R") and source.side not in taken else f"S{i}"
        view = LaneState(sensor, source.side, source.name)
        self.state.lanes[sensor] = view
        return Lane(source, sensor, StreamDecoder(sensor, source.side if source.side != "?" else None), view)

    def stop(self) -> None:
        """End the session soon (safe to call from a signal handler)."""
        self._stop.set()

    async def run(self) -> LiveResult:
        self._open_recording()
        try:
            await self._open_sources()
            self._make_lanes()
            await self._start_streaming()
            pumps = [asyncio.create_task(self._pump(lane)) for lane in self.lanes]
            helpers = [asyncio.create_task(self._time_sync_loop()), asyncio.create_task(self._watchdog())]
            await self._consume()
            for task in [*pumps, *helpers]:
                task.cancel()
        except BaseException:
            self._discard_empty_recording()
            raise
        finally:
            await self._close_sources()
            self._finish_analysis()
            self._close_recording()
        return LiveResult(self.steps, self.latencies_s, self.landing_latencies_s, self.state, self.record_to,
                          {lane.sensor: lane.decoder.report for lane in self.lanes},
                          analysis=dict(self._analysis.reports), recording_error=self.recording_error,
                          warnings=list(self.warnings))

    # -- setup and teardown --
    def _open_recording(self) -> None:
        if self.record_to is not None:  # created first: a bad path fails before any sensor is touched
            self._writer = RecordingWriter(self.record_to, {**self.meta, "sources": [s.spec for s in self.sources]})

    def _discard_empty_recording(self) -> None:
        """A session that failed before any frame arrived (no sensor found) leaves no empty recording behind,
        so the same command can be run again (a recording is never overwritten)."""
        if self._writer is not None and self._writer.frames_written == 0 and self.record_to is not None:
            self._close_recording()
            self.record_to.unlink(missing_ok=True)
            self._writer = None

    def _close_recording(self) -> None:
        if self._writer is not None:
            self._record(None, RecordingWriter.close)

    def _record(self, lane: Lane | None, write: Callable[[RecordingWriter], object]) -> None:
        """One write to the recording. One that fails (disk full, a pulled USB stick) stops the recording with one
        note, not the session: the analysis and coaching go on, and the result says the recording is incomplete."""
        if self._writer is None or self.recording_error is not None:
            return
        try:
            write(self._writer)
        except RecordingError as exc:
            self.recording_error = str(exc.args[0])  # without the hint: "disk full: recording stopped at ..."
            self.warnings.append(f"{self.recording_error}; the session went on unrecorded (the file is readable up "
                                 "to there)")
            self._note(lane, f"{self.recording_error}; the session goes on unrecorded")

    async def _open_sources(self) -> None:
        results = await asyncio.gather(*(source.open() for source in self.sources), return_exceptions=True)
        failed = [(s, r) for s, r in zip(self.sources, results) if isinstance(r, BaseException)]
        if not self.sources:  # nothing to open (every source given turned out empty)
            raise SourceError("no sensor to stream from", hint="give a source with at least one sensor")
        if len(failed) == len(self.sources):
            error = failed[0][1]
            raise error if isinstance(error, SourceError) else SourceError(f"no sensor could be reached: {error}")
        self._started, self._started_wall = time.monotonic(), time.time()
        self._failed = {id(source): str(result) for source, result in failed}

    def _make_lanes(self) -> None:
        for i, source in enumerate(self.sources):
            lane = self._lane(source, i)
            self.lanes.append(lane)
            self._record(lane, lambda w: w.add_sensor(lane.sensor, source.side, name=source.name,  # noqa: B023
                                                      spec=source.spec))
            if id(source) in self._failed:
                lane.view.gone = True
                self._note(lane, f"could not connect: {self._failed[id(source)]}")
        self._analysis.expected = [lane.sensor for lane in self.lanes]

    async def _start_streaming(self) -> None:
        for lane in self.lanes:
            if not lane.view.gone:
                await self._command(lane, CMD_START)

    async def _close_sources(self) -> None:
        for lane in self.lanes:
            if not lane.view.gone:
                await self._write_pace(lane)
                await self._command(lane, CMD_STOP)
        for source in self.sources:
            await source.close()

    async def _write_pace(self, lane: Lane) -> None:
        """The runner's footpod pace factor from this session's strides, for a watch paired alone (pace.py)."""
        if not (self.params.footpod_pace and lane.source.device):
            return
        permille = pace_permille([s for s in self.steps if s.sensor == lane.sensor])
        if permille is None:
            self._note(lane, f"footpod pace factor left as it was: under {MIN_STRIDES} running strides measured")
            return
        await self._command(lane, CMD_SET_PACE, permille)
        self._note(lane, f"footpod pace factor {permille / 1000:.3f} written: a watch paired alone reads this "
                         "runner's pace")

    # -- the loop --
    async def _pump(self, lane: Lane) -> None:
        async for item in lane.source.items():
            await self._inbox.put((lane, item))
        await self._inbox.put((lane, None))

    async def _consume(self) -> None:
        while not self._stop.is_set() and not self._over_time():
            self.state.elapsed_s = self._elapsed_s()
            try:
                lane, item = await asyncio.wait_for(self._inbox.get(), timeout=0.1)
            except asyncio.TimeoutError:
                continue
            await self._handle(lane, item)
            if all(lane.view.gone for lane in self.lanes):
                break
        self.state.elapsed_s = self._elapsed_s()

    def _elapsed_s(self) -> float:
        """Session time: the wall clock live, the recording's own time when a replay runs faster."""
        return max(self._wall_s(), self._stream_s)

    def _over_time(self) -> bool:
        """`duration_s` of session time. Live (and a replay at its own pace) that is the wall clock; a replay
        played faster waits until every sensor still streaming has reached it, as one file is read ahead of the
        other (ending when the first got there cut the other foot short by up to 1.4 s)."""
        end_s = self.params.duration_s
        if end_s is None:
            return False
        return self._wall_s() >= end_s or all(lane.view.gone or self._done(lane.sensor) for lane in self.lanes)

    def _done(self, sensor: str) -> bool:
        """This sensor's samples have reached the session's `duration_s`."""
        end_s = self.params.duration_s
        return end_s is not None and self._sensor_s.get(sensor, 0.0) >= end_s

    def _ahead_of_the_clock(self) -> bool:
        """The samples run ahead of the wall clock by more than the time base's lead: a replay played fast."""
        return self._stream_s > self._wall_s() + 2 * self._aligner.params.lead_s

    def _wall_s(self) -> float:
        return time.monotonic() - self._started

    async def _handle(self, lane: Lane, item: Arrival | LinkEvent | None) -> None:
        if item is None:
            lane.view.gone = True
        elif isinstance(item, Arrival):
            if not (self._done(lane.sensor) and self._ahead_of_the_clock()):  # a fast replay's frames past the
                self._arrival(lane, item)  # end, read while the other file catches up; live, nothing is left out
        else:
            await self._link_event(lane, item)

    def _arrival(self, lane: Lane, item: Arrival) -> None:
        if _is_held(item.frame):
            self._held(lane)
            return
        if lane.held_since_s is not None:
            lane.held_since_s, lane.view.held = None, False
            self._note(lane, "the other host let go: streaming")
        if self._writer is not None and self.recording_error is None:
            self._record(lane, lambda w: w.write_frame(lane.sensor, item.frame, item.arrival_time_s))
        lane.restarted, lane.handled_s = False, time.time()
        seq = frame_seq(item.frame)
        lane.last_seq = lane.last_seq if seq is None else seq
        blocks = lane.decoder.feed(item.frame, item.arrival_time_s)
        steps: list[Step] = []
        for block in blocks:
            for aligned in self._aligner.observe(block, item.arrival_time_s):
                steps += self._analysis.feed(aligned)
                end_s = aligned.end_index / aligned.rate_hz
                self._stream_s = max(self._stream_s, end_s)
                self._sensor_s[aligned.sensor] = max(self._sensor_s.get(aligned.sensor, 0.0), end_s)
        self._note_time_base()
        self._update_lane(lane)
        self._landings(self._analysis.pop_landings())
        self._take(steps)

    def _note_time_base(self) -> None:
        """Record each sensor's offset once it is fixed, so offline analysis uses the same time base."""
        settled = {sensor: offset for sensor, offset in self._aligner.offsets.items() if offset is not None}
        if settled != self._noted_offsets and self._writer is not None:
            origin_s = self._aligner.origin_host_s
            self._record(None, lambda w: w.note({"time_base": {"offsets_samples": settled, "origin_host_s": origin_s}}))
        self._noted_offsets = settled

    async def _link_event(self, lane: Lane, event: LinkEvent) -> None:
        if event.kind == "note" and lane.mtu.from_source(lane.source.health.extra, event.detail):
            self._say_mtu(lane)  # said for the firmware once a status frame names it; damage only on older firmware
            return
        self._note(lane, event.detail or event.kind)
        if event.kind == "note":  # what the source says about itself (a damaged replay): kept in the recording
            self._source_said(lane, event.detail)
            return
        lane.view.connected = event.kind == "restored"
        lane.view.reconnects = lane.source.health.reconnects
        if event.kind == "lost":
            lane.lost = True
        elif event.kind == "restored" and lane.lost:
            # the device holds its stream after a (re)connect until a command arrives (docs/protocol.md)
            lane.lost = False
            if lane.last_seq is not None:
                lane.view.resends += 1
            await self._claim(lane)
        elif event.kind == "gone":
            lane.view.gone = True

    async def _claim(self, lane: Lane) -> None:
        """Ask for the stream: everything after the last frame received, then `start` (nothing when it runs; after
        another host stopped it, or a reboot, it streams again)."""
        if lane.last_seq is not None:
            await self._command(lane, CMD_RESEND, (lane.last_seq + 1) & 0xFFFF)
        await self._command(lane, CMD_START)

    def _say_mtu(self, lane: Lane) -> None:
        said = lane.mtu.note(lane.decoder)
        if said is not None:
            self._note(lane, said[0])
            if said[1]:
                self._source_said(lane, said[0])

    def _source_said(self, lane: Lane, text: str) -> None:
        self.warnings.append(f"{lane.sensor}: {text}")
        self._source_damage[lane.sensor] = text
        damage = dict(self._source_damage)
        self._record(lane, lambda w: w.note({"source_damage": damage}))

    def _held(self, lane: Lane) -> None:
        """Another footfall host holds this sensor (a group run, a clinic with two kits): its session goes on
        undisturbed; the watchdog asks again every second. The refusal is no data: not recorded, not decoded."""
        if lane.held_since_s is None:
            lane.held_since_s, lane.view.held = time.time(), True
            self._note(lane, f"{lane.source.name} is streaming to another footfall host, or keeps itself for the one "
                             "it streamed to before a dropout (up to 90 s): waiting for it to let go (is it yours? "
                             "`footfall scan` lists sensors by address: use ble:ADDRESS)")

    async def _command(self, lane: Lane, opcode: int, *args: int) -> None:
        command = encode_command(opcode, next(self._cmd_ids), *args)
        try:
            await lane.source.send(command)
        except SourceError as exc:  # a link that is down must not end the session (sources wrap transport errors)
            self._note(lane, f"command {opcode:#x} not sent: {exc}")

    async def _time_sync_loop(self) -> None:
        while True:
            for lane in self.lanes:
                # not to a link too small to stream: the sensor would refuse every one (its MTU note said why)
                if lane.view.connected and not lane.view.gone and not lane.mtu.too_small(lane.decoder):
                    await self._command(lane, CMD_TIME_SYNC, int(time.time() * 1000) & 0xFFFFFFFF)
            await asyncio.sleep(self.params.time_sync_every_s)

    async def _watchdog(self) -> None:
        """A connected sensor that sends nothing is asked to start again; one silent for longer no longer
        holds back the other foot's steps (they go out unpaired until it is back)."""
        while True:
            await asyncio.sleep(1.0)
            now = time.time()
            for lane in self.lanes:
                # silent: nothing arrived and nothing waited to be handled (a replay at full speed queues the
                # whole file at once; judged by arrivals alone, it fell "silent" while its frames were handled)
                silent_s = now - (lane.held_since_s or max(lane.source.health.last_arrival_s, lane.handled_s)
                                  or self._started_wall)
                if lane.held_since_s is not None and lane.view.connected:
                    await self._claim(lane)
                elif lane.view.connected and silent_s > self.params.silence_s and not lane.restarted \
                        and lane.mtu.may_ask(lane.decoder, now):  # seldom on a link too small to stream
                    lane.restarted = True
                    if not lane.mtu.too_small(lane.decoder):  # else its note said so once
                        self._note(lane, f"no data for {silent_s:.0f} s: asking it to start again")
                    await self._claim(lane)  # what it missed first: a refused resend is asked again (qa18c F2)
                if (lane.view.gone or silent_s > 2 * self.params.silence_s) and lane.sensor not in self._quiet:
                    self._quiet.add(lane.sensor)
                    self._take(self._analysis.stop_waiting_for(lane.sensor))

    # -- results --
    def _take(self, steps: Sequence[Step], live: bool = True) -> None:
        if not steps:
            return
        self.steps.extend(steps)
        if live:
            now = time.time()
            self.latencies_s += [now - (self._aligner.origin_host_s + step.ic_time_s) for step in steps]
        for step in steps:
            self.state.lanes[step.sensor].add(step)
        if self.on_steps is not None:
            self.on_steps(steps, self.state)

    def _landings(self, landings: Sequence[Landing]) -> None:
        """Provisional landings, ~0.1 s after each IC (the full Step needs the toe-off): live cadence, the
        latest strike."""
        now = time.time()
        for landing in landings:
            self.state.lanes[landing.sensor].land(landing)
            self.landing_latencies_s.append(now - (self._aligner.origin_host_s + landing.ic_time_s))

    def _finish_analysis(self) -> None:
        steps: list[Step] = []
        for block in self._aligner.flush():
            steps += self._analysis.feed(block)
        self._take(steps + self._analysis.finish(), live=False)
        note_clocks({lane.sensor: lane.decoder for lane in self.lanes}, self._analysis.reports)
        for lane in self.lanes:
            self._update_lane(lane)

    def _update_lane(self, lane: Lane) -> None:
        report, view, status = lane.decoder.report, lane.view, lane.decoder.status
        if report.missing_samples > view.missing_samples:
            lost_ms = 1000 * (report.missing_samples - view.missing_samples) / (status.rate_hz if status else math.nan)
            self._note(lane, f"gap of {lost_ms:.0f} ms could not be recovered; analysis goes on")
        self._note_cut_frames(lane)
        self._say_mtu(lane)
        view.frames, view.samples, view.corrupt = report.frames, report.samples, report.corrupt + report.truncated
        view.gaps, view.missing_samples = report.gaps, report.missing_samples
        view.rssi_dbm = lane.source.health.rssi_dbm
        if status is not None:
            view.battery_pct = status.battery_pct if status.battery_pct <= 100 else view.battery_pct
            view.side = status.side if view.side == "?" else view.side

    def _note_cut_frames(self, lane: Lane) -> None:
        """Frames all cut to one length: name the BLE link's MTU that did it, once (not just "corrupt")."""
        note = lane.mtu.cut_note(lane.decoder)
        if note is not None:
            self._note(lane, note)

    def _note(self, lane: Lane | None, text: str) -> None:
        elapsed = time.monotonic() - self._started if self._started else 0.0
        self.state.notes.append(f"{elapsed:6.1f}s {lane.sensor + ': ' if lane else ''}{text}")


def _is_held(frame: bytes) -> bool:
    """A status frame answering 'held': the firmware sends it to the asking central alone (firmware/ble.py)."""
    if frame_type(frame) != TYPE_STATUS:
        return False
    try:
        return StatusFrame.from_bytes(frame).cmd_result == RESULT_HELD
    except ProtocolError:
        return False
