# Shim `esp32` for the virtual shoe (MicroPython unix port): what the firmware uses to sleep until the IMU's
# interrupt line rises. Each call is recorded in FOOTFALL_POWER_LOG (machine.record) and kept in `calls`.

from machine import record

WAKEUP_ALL_LOW = False  # the values MicroPython's ESP32 port gives them (ports/esp32/modesp32.c)
WAKEUP_ANY_HIGH = True

calls = []  # (name, pin id, level, the pin's level at the call)


def wake_on_ext0(pin=None, level=WAKEUP_ALL_LOW):
    """Wake from deep sleep when `pin` (an RTC GPIO on the chip) is at `level`. The pin's level now is recorded
    too: at the wake level already, the board would wake at once."""
    pin_id = None if pin is None else pin.id
    now = None if pin is None else pin.value()
    calls.append(("wake_on_ext0", pin_id, level, now))
    record("esp32.wake_on_ext0 pin=%s level=%s now=%s" % (pin_id, "high" if level else "low", now))
