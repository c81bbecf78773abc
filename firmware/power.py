# Power: battery voltage through the ADC divider, LED blinking, the idle rule (no connection and no command
# for N minutes -> stop streaming, advertise slowly) and the power-off rule (OFF_AFTER_MIN of the same -> the
# board switches itself off: MicroPython keeps the CPU awake while BLE is on, so idle alone empties a cell in
# hours).

import asyncio

import config
from clock import asleep_ms, sleep_ms

_LAST_WORDS_MS = 200  # before powering off: time for the pump to send the status frame to a host still listening
_HOLD_RELEASE_MS = 500  # M5StickC Plus2: on battery the supply is gone well before this
# A flat cell: below the board's regulator (the XIAO's drops out near 3.3 V, hardware/README.md) the board browns
# out and boots again and again with its radio on, and a cell left at that draw is over-discharged before its
# protection cuts at 2.5-3.0 V. So the sensor switches itself off below CUTOFF_MV (~0 % on the curve below), read
# _FLAT_READS times in a row (30 s: not one dip under a radio burst), or once when the timer wakes a flat board
# (resting, no load; after a power-on or reset the three decide: a board on USB whose BAT pad reads low stays
# reachable for `footfall firmware install`).
CUTOFF_MV = 3300
_FLAT_READS = 3
# a deep sleep the IMU cannot end (a flat cell; an IMU that does not answer) ends on the timer, hourly: a cell on
# charge then reads above the cut-off, a chip back on its wire can wake the board again
_TIMER_SLEEP_MS = 3_600_000

# A single LiPo cell's resting voltage (mV) against its charge (%), the usual 0.2 C discharge curve: flat
# around 3.7-3.9 V, steep at both ends. A straight line from 3.30 to 4.15 V read a half-full 3.80 V cell as 58 %
# and a 3.70 V one (10 % left) as 47 %. Streaming draws ~0.16 C from a 250 mAh cell, which sags it by a few
# tens of mV: the figure reads a little low while streaming, which errs on the safe side.
_LIPO_CURVE = ((3270, 0), (3610, 5), (3690, 10), (3710, 15), (3730, 20), (3750, 25), (3770, 30), (3790, 35),
               (3800, 40), (3820, 45), (3840, 50), (3850, 55), (3870, 60), (3910, 65), (3950, 70), (3980, 75),
               (4020, 80), (4080, 85), (4110, 90), (4150, 95), (4200, 100))


def lipo_pct(mv):
    """Single-cell LiPo state of charge (%) from its voltage (the curve above); 255 when the ADC read nothing."""
    if mv <= 0:
        return 255
    lo_mv, lo_pct = _LIPO_CURVE[0]
    if mv <= lo_mv:
        return 0
    for hi_mv, hi_pct in _LIPO_CURVE[1:]:
        if mv <= hi_mv:
            return lo_pct + (mv - lo_mv) * (hi_pct - lo_pct) // (hi_mv - lo_mv)
        lo_mv, lo_pct = hi_mv, hi_pct
    return 100


class Battery:
    READS = 16  # ADC reads averaged per measurement: one ESP32 read is noisy by tens of mV

    def __init__(self, adc, divider):
        self._adc = adc  # machine.ADC with read_uv()
        self._divider = divider
        self.mv = 0
        self.pct = 255  # 255: the ADC read nothing (the status frame's "unknown"; ble.py keeps the last valid)
        self.low_reads = 0  # measurements in a row below CUTOFF_MV

    def update(self):
        """Measure: the mean of READS reads (those that fail are left out; none left: 0 mV, unknown)."""
        total = n = 0
        for _ in range(self.READS):
            try:
                total += self._adc.read_uv()
                n += 1
            except (OSError, AttributeError):
                pass
        self.mv = min(0xFFFF, int(total * self._divider // (1000 * n))) if n else 0
        self.pct = lipo_pct(self.mv)
        self.low_reads = self.low_reads + 1 if 0 < self.mv < CUTOFF_MV else 0
        return self.pct

    def flat(self, reads=_FLAT_READS):
        """The cell read below CUTOFF_MV the last `reads` times (an ADC that reads nothing never counts)."""
        return self.low_reads >= reads


class Led:
    def __init__(self, pin, active_low):
        self._pin = pin
        self._on = 0 if active_low else 1
        self._pin.value(1 - self._on)
        self._task = None

    def identify(self):
        if self._task is None:
            self._task = asyncio.create_task(self._blink(10))

    async def _blink(self, times):
        for _ in range(times):
            self._pin.value(self._on)
            await asleep_ms(100)
            self._pin.value(1 - self._on)
            await asleep_ms(150)
        self._task = None


def check_idle(device, connected):
    """Go idle (stop streaming, slow advertising) after `idle_after_min` without connection or command; end a
    footpod's reconnect grace that is over (Device.check_grace)."""
    if connected:
        device.activity()
    device.check_grace()
    now = device.device_ms()
    quiet_ms = now - device.last_activity_device_ms()
    if not device.idle and quiet_ms > device.settings.idle_after_min * 60000:
        device.sleep()
        device.status()
        return True
    return False


class PowerOff:
    """Switch the board off (`switch_off()`, from switch_off_for) after `off_after_min` without a connection or a
    command, once idle. Never during a session (a calibration runs only within one) or a connection: both keep
    the device from idling. `switch_off()` returns only where the board could not switch off (an M5StickC Plus2
    on USB power): the device stays idle and tries again after another `off_after_min` of quiet."""

    def __init__(self, device, switch_off, off_after_min=config.OFF_AFTER_MIN, woken=False):
        """`woken`: a move woke the board from deep sleep (machine.reset_cause()): a shoe picked up or walked in,
        not a runner about to connect, so until a connection or a command it sleeps again after
        OFF_AFTER_WAKE_MIN, idle or not (each wake costs ~2 mAh then, not ~17)."""
        self._device = device
        self._switch_off = switch_off
        self._off_after_ms = off_after_min * 60000
        self._tried = None  # (activity time, device_ms) of the last attempt
        self._woken_at = device.last_activity_device_ms() if woken else None

    def due(self, connected):
        dev = self._device
        if self._switch_off is None or connected or dev.streaming:
            return False
        if self._woken_at is not None and dev.last_activity_device_ms() == self._woken_at:
            return dev.device_ms() - self._woken_at > config.OFF_AFTER_WAKE_MIN * 60000
        if not dev.idle:
            return False
        since = dev.last_activity_device_ms()
        if self._tried is not None and self._tried[0] == since:
            since = self._tried[1]  # no activity since the last attempt: count from it
        return dev.device_ms() - since > self._off_after_ms

    async def check(self, connected):
        """Power off when due, after a status frame (the state, for a host that still listens); True if tried.
        `connected()`: a BLE central is connected, asked again after the status frame's wait (one may have come)."""
        if not self.due(connected()):
            return False
        dev = self._device
        dev.status()
        await asleep_ms(_LAST_WORDS_MS)
        if not self.due(connected()):
            return False  # a connection or a command came meanwhile
        self._tried = (dev.last_activity_device_ms(), dev.device_ms())
        self._switch_off()
        return True


def switch_off_for(board, imu):
    """How a board (a boards.BOARDS profile) switches itself off, None where it cannot (it stays idle): deep sleep
    woken by the IMU's INT1 line, else the power-hold pin released."""
    if board.get("int1") is not None and hasattr(imu, "wake_on_motion"):
        return lambda: sleep_until_moved(imu, board["int1"])
    if board.get("hold") is not None:
        return lambda: release_hold(board["hold"])
    return None


def flat_off_for(board):
    """How a board switches off on a flat cell: the hold pin released (M5StickC Plus2: its power button brings it
    back), else deep sleep woken by the timer alone (XIAO: a move must not boot it, each boot costs charge)."""
    if board.get("hold") is not None:
        return lambda: release_hold(board["hold"])
    return lambda: deep_sleep_for(_TIMER_SLEEP_MS)


def deep_sleep_for(time_ms):
    from machine import deepsleep

    deepsleep(time_ms)


async def switch_off_flat(device, flat_off):
    """A flat cell: stop the IMU, tell a host still listening (the status frame's battery), then switch off.
    Returns where the board could not (an M5StickC Plus2 on USB power)."""
    device.stop()
    device.sampler.stop()  # the footpod's sampling too: the chip stays powered through the deep sleep
    device.status()
    await asleep_ms(_LAST_WORDS_MS)
    flat_off()


def sleep_until_moved(imu, int1):
    """XIAO ESP32-S3: arm the IMU's wake-up interrupt and deep-sleep until INT1 (GPIO3, an RTC GPIO) goes high; a
    move then boots the board afresh (main.py). An IMU that cannot be armed (it does not answer, or the pin is no
    wake-up source) leaves the timer: hourly, then the woken board sleeps again after OFF_AFTER_WAKE_MIN unused
    (0.7.2 stayed idle, radio on, until the cell was flat: ~7 h on 250 mAh by the power model). A port without ext0
    stays idle."""
    from machine import Pin, deepsleep

    try:
        import esp32
    except ImportError:
        return
    try:
        imu.wake_on_motion(sleep_ms)
        esp32.wake_on_ext0(Pin(int1, Pin.IN), esp32.WAKEUP_ANY_HIGH)
    except (OSError, ValueError):
        deepsleep(_TIMER_SLEEP_MS)
        return
    deepsleep()


def release_hold(hold):
    """M5StickC Plus2: drive the power-hold pin low, which cuts the supply on battery (the power button switches
    it on again). Still running after a moment: USB powers it; hold again, so that pulling the cable later does not
    switch off a sensor in use, and stay idle. Pin(hold) without a mode keeps the pin as main.build set it."""
    from machine import Pin

    pin = Pin(hold)
    pin.value(0)
    sleep_ms(_HOLD_RELEASE_MS)
    pin.value(1)


async def watch(device, battery, connected, power_off=None, period_ms=10000, flat_off=None):
    """Every period: read the battery (a flat cell: `flat_off`, from flat_off_for), apply the idle rule
    (`connected()`: a BLE central is connected), then the power-off rule (`power_off`: a PowerOff, None for none)."""
    tried = False  # switched off for this flat spell and still on (an M5StickC Plus2 on USB power): not again
    while True:
        if battery is not None:
            battery.update()
            flat = flat_off is not None and battery.flat()
            if flat and not tried:
                await switch_off_flat(device, flat_off)
            tried = flat  # a session started on USB power is not stopped every period; a recovered cell re-arms
        check_idle(device, connected())
        if power_off is not None:
            await power_off.check(connected)
        await asleep_ms(period_ms)
