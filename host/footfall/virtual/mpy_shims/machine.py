# Shim `machine` for the virtual shoe (MicroPython unix port). Shadows the built-in because its folder comes
# first on MICROPYPATH. Provides what the firmware uses: Pin (with irq), I2C/SoftI2C backed by the
# register-level IMU model, ADC (battery), Timer, and the power functions.
#
# Configured by environment variables set by footfall.virtual.shoe:
#   FOOTFALL_IMU         lsm6dso32 (default) | lsm6dsox | mpu6886 | none (no chip answers: OSError)
#   FOOTFALL_IMU_ADDR    I2C address of the chip (default: 0x6A for ST, 0x68 for the MPU6886)
#   FOOTFALL_IMU_WHO_AM_I  what its WHO_AM_I register says (default: the chip's own; another value plays a
#                        different chip at that address, e.g. 0x69 for an LSM6DS3 breakout)
#   FOOTFALL_IMU_FREQ_FINE  the ST chip's factory trim (signed 0.15 % steps of its rate; default 0)
#   FOOTFALL_IMU_CLOCK_ERROR  how far the MPU6886's internal clock runs off 1 kHz, as a fraction (default 0)
#   FOOTFALL_IMU_SOURCE  file of int16 LE samples (ax, ay, az, gx, gy, gz) played in a loop
#   FOOTFALL_INT_PIN     pin number wired to the chip's INT1 (watermark interrupt)
#   FOOTFALL_VBAT_MV     battery voltage the ADC divider sees (default 3900)
#   FOOTFALL_VBAT_MV_LATER  the voltage from the second battery measurement on (a cell on charge, or still flat)
#   FOOTFALL_TRACE       file the shim appends "produced lost" counts to at exit (for tests)
#   FOOTFALL_POWER_LOG   file the shim (and the `esp32` shim) append a line to for each power call: deepsleep,
#                        esp32.wake_on_ext0, the hold pin released (for tests)
#   FOOTFALL_HOLD_PIN    pin number of a power-hold line (the M5StickC Plus2's G4): driven low on battery power,
#                        the board switches off (the process exits); FOOTFALL_USB_POWER=1: on USB it stays on
#
# Interrupts: a thread wakes every few ms and micropython.schedule()s a poll that runs in the main thread
# between bytecodes, the way real ports deliver Pin and Timer callbacks. Such a poll may land in the middle of
# an I2C transfer; it then reads the INT pin's last level instead of entering the model, whose FIFO is
# mid-update (a chip updates its state atomically; re-entering the model lost or mixed up samples).

import os
import sys

import _thread
import micropython
import time

_IMU = None
_IRQS = []  # (Pin, handler)
_TIMERS = []
_poll_pending = [False]
_started = [False]
_on_bus = [False]  # an I2C transfer with the model is under way
_int_level = [0]  # the INT pin's level when the model was last asked


def _env(name, default=None):
    value = os.getenv(name)
    return default if value is None or value == "" else value


def imu_model():
    """The one IMU model of this virtual board (created on first use, never at import)."""
    global _IMU
    if _IMU is None:
        kind = _env("FOOTFALL_IMU", "lsm6dso32")
        if kind == "none":
            return None
        from imu_model import SampleSource

        path = _env("FOOTFALL_IMU_SOURCE")
        source = SampleSource(path=path) if path else SampleSource()
        who = _env("FOOTFALL_IMU_WHO_AM_I")
        if kind == "mpu6886":
            from imu_model_mpu6886 import MPU6886Model

            _IMU = MPU6886Model(source, clock_error_frac=float(_env("FOOTFALL_IMU_CLOCK_ERROR", "0")),
                                who_am_i=int(who or "0x19", 0))
            _IMU.addr = int(_env("FOOTFALL_IMU_ADDR", "0x68"), 0)
        else:
            from imu_model_lsm6dsox import LSM6DSOXModel

            _IMU = LSM6DSOXModel(source, freq_fine=int(_env("FOOTFALL_IMU_FREQ_FINE", "0")),
                                 who_am_i=int(who or "0x6C", 0))
            _IMU.addr = int(_env("FOOTFALL_IMU_ADDR", "0x6A"), 0)
        epoch = _env("FOOTFALL_IMU_EPOCH_NS")  # the rig's shared time of sample 0 (imu_model.ClockedModel)
        _IMU.epoch_ns = int(epoch) if epoch else None
    return _IMU


def _device(addr):
    model = imu_model()
    if model is None or model.addr != addr:
        raise OSError(19)  # ENODEV: no ACK, as the ESP32 port reports it
    return model


class I2C:
    def __init__(self, id=0, scl=None, sda=None, freq=400000, timeout=50000):
        self.id = id
        self.freq = freq

    def scan(self):
        model = imu_model()
        return [model.addr] if model is not None else []

    def readfrom_mem_into(self, addr, memaddr, buf, addrsize=8):
        _on_bus[0] = True
        try:
            _device(addr).read_into(memaddr, buf)
        finally:
            _on_bus[0] = False

    def readfrom_mem(self, addr, memaddr, nbytes, addrsize=8):
        buf = bytearray(nbytes)
        self.readfrom_mem_into(addr, memaddr, buf)
        return bytes(buf)

    def writeto_mem(self, addr, memaddr, buf, addrsize=8):
        _on_bus[0] = True
        try:
            model = _device(addr)
            model.write(memaddr, buf)
            if model.rate_hz == 0:
                _trace(model)  # stopped: record what the chip produced so far (tests compare)
        finally:
            _on_bus[0] = False


SoftI2C = I2C


class Pin:
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    PULL_UP = 2
    PULL_DOWN = 1
    IRQ_RISING = 1
    IRQ_FALLING = 2
    log = []  # (pin id, value) of every output change, most recent 256

    def __init__(self, id, mode=-1, pull=-1, value=None):
        self.id = id
        self._value = 0
        self._last_level = False
        if value is not None:
            self.value(value)

    def init(self, mode=-1, pull=-1, value=None):
        if value is not None:
            self.value(value)

    def value(self, v=None):
        if v is None:
            if self._is_int_pin():
                if not _on_bus[0]:
                    model = imu_model()
                    _int_level[0] = int(bool(model and model.int1()))
                return _int_level[0]
            return self._value
        self._value = 1 if v else 0
        Pin.log.append((self.id, self._value))
        if len(Pin.log) > 256:
            Pin.log.pop(0)
        if not self._value and str(self.id) == _env("FOOTFALL_HOLD_PIN", "-1"):
            self._released()
        return None

    def _released(self):
        """The power-hold line went low: on battery the supply goes, on USB power nothing happens."""
        on_usb = _env("FOOTFALL_USB_POWER", "0") == "1"
        record("hold %s released %s" % (self.id, "usb: stays on" if on_usb else "battery: off"))
        if not on_usb:
            _exit(0)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def _is_int_pin(self):
        return str(self.id) == _env("FOOTFALL_INT_PIN", "-1")

    def irq(self, handler=None, trigger=IRQ_RISING, hard=False):
        for entry in _IRQS:
            if entry[0] is self:
                _IRQS.remove(entry)
                break
        if handler is not None:
            _IRQS.append((self, handler))
            _start_thread()


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    WIDTH_12BIT = 3

    def __init__(self, pin, atten=3):
        self.pin = pin

    def atten(self, value):
        pass

    reads = 0

    def read_uv(self):
        # the board's 2:1 divider halves the battery voltage; FOOTFALL_VBAT_MV_LATER after the first measurement
        # (power.Battery.READS, 16 reads)
        ADC.reads += 1
        later = _env("FOOTFALL_VBAT_MV_LATER", "")
        mv = later if later and ADC.reads > 16 else _env("FOOTFALL_VBAT_MV", "3900")
        return int(mv) * 1000 // 2

    def read_u16(self):
        return min(65535, self.read_uv() * 65535 // 3100000)


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, **kwargs):
        self._cb = None
        if kwargs:
            self.init(**kwargs)

    def init(self, mode=PERIODIC, period=1000, callback=None, freq=None):
        self._mode = mode
        self._period_ms = int(1000 / freq) if freq else period
        self._due = time.ticks_add(time.ticks_ms(), self._period_ms)
        self._cb = callback
        if self not in _TIMERS:
            _TIMERS.append(self)
        _start_thread()

    def deinit(self):
        if self in _TIMERS:
            _TIMERS.remove(self)


def _poll(_arg):
    _poll_pending[0] = False
    for pin, handler in list(_IRQS):
        level = bool(pin.value()) if pin._is_int_pin() else False
        if level and not pin._last_level:
            handler(pin)
        pin._last_level = level
    now = time.ticks_ms()
    for timer in list(_TIMERS):
        if time.ticks_diff(now, timer._due) >= 0:
            if timer._mode == Timer.PERIODIC:
                timer._due = time.ticks_add(timer._due, timer._period_ms)
            else:
                timer.deinit()
            if timer._cb:
                timer._cb(timer)


def _ticker():
    while True:
        time.sleep_ms(3)
        if not _poll_pending[0]:
            _poll_pending[0] = True  # before scheduling: _poll may run (and clear it) at once
            try:
                micropython.schedule(_poll, None)
            except RuntimeError:  # schedule queue full: try again next tick
                _poll_pending[0] = False


def _start_thread():
    if not _started[0]:
        _started[0] = True
        _thread.start_new_thread(_ticker, ())


def _trace(model):
    trace = _env("FOOTFALL_TRACE")
    if trace and model is not None:
        with open(trace, "w") as f:
            f.write("%d %d\n" % (model.produced, model.lost))


def record(line):
    """Append one line to FOOTFALL_POWER_LOG (when set): how the firmware asked to power down."""
    path = _env("FOOTFALL_POWER_LOG")
    if path:
        with open(path, "a") as f:
            f.write(line + "\n")


def _exit(code=0):
    _trace(_IMU)
    sys.exit(code)


def reset():
    _exit(0)


def soft_reset():
    _exit(0)


def deepsleep(time_ms=0):
    """The board stops here; the shim records the call and ends the process (SystemExit: a test script may catch
    it and look at the IMU model that would keep watching during the sleep)."""
    record("deepsleep %d" % time_ms)
    _exit(0)


def lightsleep(time_ms=0):
    time.sleep_ms(time_ms)


def idle():
    time.sleep_ms(1)


def freq(hz=None):
    return 240000000


def unique_id():
    return b"\xf0\x0f\x00\x00\x00\x01"


def reset_cause():
    """PWRON_RESET, or FOOTFALL_RESET_CAUSE (e.g. 4, DEEPSLEEP_RESET: a board woken by a move)."""
    return int(_env("FOOTFALL_RESET_CAUSE", "1"))


PWRON_RESET = 1
DEEPSLEEP_RESET = 4  # as the ESP32 port numbers it
