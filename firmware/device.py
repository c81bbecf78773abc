# Device: the state every task shares (settings, IMU, sampler, ring, counters) and what the commands do.
# Frames of every type go through the ring; the selected link's pump sends them in order.

import asyncio

import config
import frame
from calib import CalWindow
from clock import asleep_ms, ticks_diff, ticks_ms
from ring import Cursor
from rsc import StepDetector
from sampler import Sampler

SENT = 0  # link.try_send results
BUSY = 1  # controller out of buffers (ENOMEM) or serial not writable: retry the same frame later
DOWN = 2  # no peer: wait for a change
TOO_BIG = 3  # the frame does not fit the link (a data frame made for a host with a larger BLE MTU): skipped, counted

_BACKOFF_MIN_MS = 2
_BACKOFF_MAX_MS = 64
_LOST_EVENT_MS = 1000  # at most one frames-dropped event a second


def _sampling(settings):
    return settings.rate_hz, settings.acc_range_g, settings.gyr_range_dps


class Device:
    def __init__(self, settings, imu, ring, boards=None, save=config.save, battery=None, ticks=ticks_ms, imu_errno=0):
        """`imu_errno`: the IMU did not answer at power-up (imu.find_imu): reported, and probed for until it does."""
        self.settings = settings
        self.imu = imu
        self.ring = ring
        self.cursor = Cursor(ring)
        self.boards = boards
        self._save = save
        self.battery = battery  # object with .pct and .mv, or None
        self.wake = asyncio.Event()  # a frame to send or a link change
        self.streaming = False
        self._footpod = False  # sample for the RSC service while not streaming (see footpod)
        self._grace_ms = None  # device_ms when a watch's grace began (footpod), None for none
        self.idle = False
        self.fifo_overruns = 0
        self.cmd_id = 0
        self.cmd_result = 0
        self._ticks = ticks
        self._t_last = ticks()
        self._ms = 0
        self._activity_ms = 0  # device_ms of the last command or connection
        self.listeners = []  # objects with on_settings(device) / on_idle(device, idle): BLE, LED
        self._resend_until = -1
        self._resent_from = 0
        self._lost = 0  # frames lost since the last frames-dropped event
        self._lost_at_ms = -_LOST_EVENT_MS  # device_ms of that event
        self.steps = StepDetector(settings.rate_hz, settings.acc_range_g, settings.gyr_range_dps)
        self.steps.pace_permille = settings.pace_permille
        self._cal = None  # the CalWindow of a calibration under way
        self._cal_done = None  # its answer: callable(result)
        imu.configure(settings.rate_hz, settings.acc_range_g, settings.gyr_range_dps)
        # a small FIFO (MPU6886: 73 samples) gets a lower watermark so a late wake-up still fits in it
        watermark = min(config.WATERMARK_SAMPLES, imu.FIFO_SAMPLES // 3)
        self.sampler = Sampler(imu, self._data_frame, watermark, self._on_samples, self._on_overrun,
                              ticks, self._on_imu_fault)
        if imu_errno:
            self.sampler.failed(OSError(imu_errno))

    def device_ms(self):
        """u32 milliseconds since power-on (ticks_ms wraps at 2**30 on MicroPython; this wraps at 2**32)."""
        now = self._ticks()
        self._ms += ticks_diff(now, self._t_last)
        self._t_last = now
        return self._ms & 0xFFFFFFFF

    # --- frames --------------------------------------------------------------------------------------
    def _data_frame(self, payload, first_index, flags):
        ring = self.ring
        n = frame.encode_data_into(ring.slot(), ring.next_seq, first_index, payload, flags)
        ring.commit(n)
        self.wake.set()

    def push(self, data):
        self.ring.append(data)
        self.wake.set()

    def event(self, code, value=0):
        self.push(frame.encode_event(self.ring.next_seq, code, self.sampler.sample_count, value & 0xFFFFFFFF))

    def state_bits(self):
        bits = frame.STATE_STREAMING if self.streaming else 0
        if self.settings.link == config.LINK_USB:
            bits |= frame.STATE_USB
        if self.idle:
            bits |= frame.STATE_IDLE
        if self.settings.cal is not None:
            bits |= frame.STATE_CALIBRATED
        return bits

    def status_frame(self, cmd_id=None, cmd_result=None):
        """The status frame now; `cmd_id`/`cmd_result` given: an answer to that command alone (not the last one's).
        Rate, ranges, scales and the chip's rate all come from the IMU's one configuration, so they always agree
        (the host drops a frame whose rate_mhz is not within a factor 2 of its rate_hz as corrupt)."""
        s = self.settings
        imu = self.imu
        bat = self.battery
        return frame.encode_status(
            self.ring.next_seq, imu.rate_hz, imu.acc_range_g, imu.gyr_range_dps,
            imu.acc_mps2_per_count, imu.gyr_radps_per_count,
            0 if self.sampler.fault else imu.IMU_ID, s.side, config.FW_VERSION,
            bat.pct if bat else 255, bat.mv if bat else 0,
            self.device_ms(), self.samples_taken(), self.state_bits(),
            self.fifo_overruns & 0xFFFF, self.cursor.dropped & 0xFFFF, self.cursor.fill_pct(),
            self.cmd_id if cmd_id is None else cmd_id, self.cmd_result if cmd_result is None else cmd_result,
            imu.rate_mhz,
        )

    def samples_taken(self):
        """The chip's sample counter now: read so far plus still in its FIFO, so that the status frame's
        (device_time_ms, sample_index) pairs time the chip's clock against the board's to a sample."""
        waiting = 0
        if self.streaming and not self.sampler.fault:
            try:
                waiting = self.imu.fifo_samples()
            except OSError:
                pass  # a bus error here is the sampler's to find and report at its next drain
        return (self.sampler.sample_count + waiting) & 0xFFFFFFFF

    def status(self):
        self.push(self.status_frame())

    def answer(self, cmd_id, result):
        self.cmd_id = cmd_id
        self.cmd_result = result
        self.status()

    # --- sampler hooks ----------------------------------------------------------------------------------
    def _on_samples(self, buf, n):
        self.steps.feed(buf, n)
        cal = self._cal
        if cal is not None and cal.feed(buf, n):
            self._calibrated(cal)

    def _on_overrun(self, index, lost):
        self.fifo_overruns += 1
        self.event(frame.EVENT_FIFO_OVERRUN, lost)

    def _on_imu_fault(self, errno):
        # errno: the IMU stopped answering on I2C (the status frame's imu reads 0 until it is back); 0: it is back
        if errno:
            self._reset_steps()  # a watch reads 0, not the last cadence, while no sample comes
        self.event(frame.EVENT_IMU_ERROR, errno)
        self.status()

    # --- the link pump ----------------------------------------------------------------------------------
    async def pump(self, link):
        """Send frames from the cursor over `link` while it is the selected one and has a peer."""
        backoff = _BACKOFF_MIN_MS
        while True:
            data = None
            if self.settings.link == link.LINK and link.ready():
                self._report_lost()
                data = self.cursor.peek()
            if data is None:
                self.wake.clear()
                await self.wake.wait()
                continue
            result = link.try_send(data)
            if result == SENT:
                self.cursor.advance()
                self._after_send()
                backoff = _BACKOFF_MIN_MS
                await asleep_ms(0)  # let the sampler run between frames of a long backlog
            elif result == BUSY:
                await asleep_ms(backoff)
                backoff = min(2 * backoff, _BACKOFF_MAX_MS)
            elif result == TOO_BIG:
                self._skip_unfit()
                await asleep_ms(0)  # a resend over a backlog of frames too big for the link: the sampler runs too
            else:
                self.wake.clear()
                await self.wake.wait()

    def _report_lost(self):
        """Skip the frames that left the ring unsent and report them in a frames-dropped event, at most one a
        second: while a link cannot keep up, an event per frame sent would displace a data frame each."""
        self._lost += self.cursor.skip_lost()
        now = self.device_ms()
        if self._lost and (now - self._lost_at_ms) & 0xFFFFFFFF >= _LOST_EVENT_MS:
            full = self.ring.head - self.cursor.pos >= self.ring.nslots  # the event displaces an unsent frame
            self.event(frame.EVENT_FRAMES_DROPPED, self._lost + full)
            self._lost, self._lost_at_ms = 0, now
            self.cursor.skip_lost()

    def _skip_unfit(self):
        """A frame the link cannot carry whole is reported lost (frames-dropped event), never sent cut short."""
        self.cursor.advance()
        self.cursor.dropped += 1
        self._lost += 1
        self._after_send()

    def _after_send(self):
        if 0 <= self._resend_until <= self.cursor.pos:
            self.event(frame.EVENT_RESEND_DONE, self._resend_until - self._resent_from)
            self._resend_until = -1

    # --- commands (validated by control.py; these assume valid arguments) --------------------------------
    def last_activity_device_ms(self):
        return self._activity_ms

    def activity(self):
        self._activity_ms = self.device_ms()
        if self.idle:
            self.set_idle(False)

    def set_idle(self, idle):
        self.idle = idle
        for listener in self.listeners:
            listener.on_idle(self, idle)

    def _stop_sampling(self):
        """Stop the IMU; the RSC measurement reads 0 from now on (the detector forgets the last cadence)."""
        self.sampler.stop()
        self._reset_steps()

    def _reset_steps(self):
        # the chip's own rate, so the cadence watches read is not off by the oscillator's error
        rate_hz = self.imu.rate_mhz / 1000 if self.imu.rate_mhz else self.settings.rate_hz
        self.steps.reset(rate_hz, self.settings.acc_range_g, self.settings.gyr_range_dps)

    def start(self):
        if not self.streaming:
            self.streaming = True
            self.event(frame.EVENT_STARTED)
            running = self.sampler.running  # sampling for a watch already: the session takes it over
            self.sampler.quiet = False
            if not running:
                self._reset_steps()
                self.sampler.start()  # an IMU that does not answer: an event now, streaming once it does

    def stop(self):
        if self.streaming:
            if self._footpod_wanted():
                self.sampler.hush()  # a watch still reads cadence
            else:
                self._stop_sampling()
            self.streaming = False
            self.event(frame.EVENT_STOPPED)
            # the drain above may have filled the window (answered 0 then, settings unchanged meanwhile); else it
            # stopped before the window was full: nothing saved
            self._cal_over(frame.RESULT_BUSY)

    def footpod(self, wanted, grace=False):
        """Sample for the RSC service alone (no frames) while `wanted`: a BLE central is connected, so a watch
        paired as a footpod gets cadence without a footfall session. A session's start takes it over.
        `grace` with the last central gone (a watch, not the host): sample on, the detector's state kept, for
        config.RECONNECT_GRACE_S, so a watch back after a dropout reads the cadence at once (check_grace)."""
        if wanted or not self._footpod_wanted():
            self._grace_ms = None
        elif grace and self._grace_ms is None:
            self._grace_ms = self.device_ms()
        self._footpod = wanted
        self._follow_footpod()

    def check_grace(self):
        """End a footpod's reconnect grace once config.RECONNECT_GRACE_S have passed (power.check_idle)."""
        start = self._grace_ms
        if start is not None and (self.device_ms() - start) & 0xFFFFFFFF >= config.RECONNECT_GRACE_S * 1000:
            self._end_grace()

    def _end_grace(self):
        self._grace_ms = None
        self._follow_footpod()

    def _footpod_wanted(self):
        return self._footpod or self._grace_ms is not None

    def _follow_footpod(self):
        """Start or stop the footpod's sampling as wanted; a session's sampling is left alone."""
        if self.streaming:
            return
        wanted = self._footpod_wanted()
        if wanted and not self.sampler.running:
            self._reset_steps()
            self.sampler.quiet = True
            self.sampler.start()
        elif not wanted and self.sampler.running:
            self._stop_sampling()

    def apply(self, new):
        """Switch to the validated Settings `new` and persist them; a new rate or range restarts the sampling.
        ValueError (a rate or range this IMU does not support) leaves the old settings in force."""
        old = self.settings
        resample = _sampling(new) != _sampling(old)
        was = self.streaming
        if resample:
            self._end_sampling_for(new)
            if _sampling(new)[1:] != _sampling(old)[1:]:
                new.cal = None  # counts at the old ranges
        self.settings = new
        self.steps.pace_permille = new.pace_permille
        if resample and was:
            self.start()
        elif resample:
            self._follow_footpod()
        self._settings_changed(new, new.as_dict() != old.as_dict())

    def _end_sampling_for(self, new):
        """End the sampling at the old rate and ranges whole, then configure the IMU for `new`: every frame up to
        the stopped event, answers included, describes the old ones, and the next start the new. A calibration
        under way is answered 4 first: else the drain below could complete it from the old samples inside this
        change, and its answer and save would carry a mix of old and new settings."""
        for key in ("rate_hz", "acc_range_g", "gyr_range_dps"):
            config.check_value(key, getattr(new, key), self.imu)  # ValueError: nothing changed yet
        self._cal_over(frame.RESULT_BUSY)
        self.stop()
        self._stop_sampling()  # footpod sampling too: the chip restarts at the new rate and ranges
        self.imu.configure(new.rate_hz, new.acc_range_g, new.gyr_range_dps)

    def _settings_changed(self, new, save):
        self.wake.set()
        for listener in self.listeners:
            listener.on_settings(self)
        if not save:
            return  # the same values again (a host that sets its pace or side each session): no flash write
        try:
            self._save(new)
        except OSError:
            pass  # flash full or read-only: keep running with the settings in RAM

    def resend(self, seq):
        """Rewind the cursor; returns frames no longer buffered (reported with a frames-dropped event).
        A seq this device has not sent (ahead of every frame sent, or before power-on: a host's last seq + 1
        from before a reboot) raises ValueError(RESULT_BAD_VALUE) and changes nothing."""
        n = self.ring.absolute(seq)
        if n < 0 or n > max(self.cursor.pos, self._resend_until):
            raise ValueError(frame.RESULT_BAD_VALUE, "seq not sent yet")
        gone = self.ring.oldest - n
        if gone > 0:
            # the ring is full: the event displaces the oldest buffered frame, which is gone too
            gone += 1
            self.cursor.dropped += gone
            self.event(frame.EVENT_FRAMES_DROPPED, gone)
        sent_up_to = self.cursor.pos
        self.cursor.rewind(seq)
        self._resent_from = self.cursor.pos
        self._resend_until = sent_up_to  # frames before it go out a second time
        if sent_up_to == self.cursor.pos:
            self._after_send()  # nothing to resend: report it done at once
        self.wake.set()
        return max(0, gone)

    def time_sync(self):
        self.event(frame.EVENT_TIME_SYNC, self.device_ms())

    def calibrate(self, done):
        """Average the next CAL_SAMPLES samples into `cal`, if the sensor is held still meanwhile (calib.py);
        `done(result)` then answers: RESULT_OK saved, RESULT_BUSY it moved or the stream stopped first (the previous
        calibration stays). False (nothing started): not streaming, or a calibration already under way."""
        if not self.streaming or self._cal is not None:
            return False
        self._cal = CalWindow(config.CAL_SAMPLES, self.imu.acc_mps2_per_count, self.imu.gyr_radps_per_count)
        self._cal_done = done
        return True

    def _calibrated(self, cal):
        if not cal.still():
            self._cal_over(frame.RESULT_BUSY)
            return
        new = self.settings.copy()
        new.cal = cal.mean()
        self.apply(new)
        self._cal_over(frame.RESULT_OK)

    def _cal_over(self, result):
        done = self._cal_done
        self._cal = self._cal_done = None
        if done is not None:
            done(result)

    def sleep(self):
        """Stop the session and advertise slowly. A BLE central still connected keeps the footpod sampling (a
        watch paired beside the host goes on reading cadence; a connected central counts as activity anyway, so
        the idle state ends at the next check); with none connected the IMU stops, a reconnect grace or not."""
        self.stop()
        self._end_grace()
        self.set_idle(True)
