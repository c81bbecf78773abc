# Power: battery voltage through the ADC divider, LED blinking, and the idle rule (no connection and no
# command for N minutes -> stop streaming, advertise slowly).

import asyncio

from clock import asleep_ms

_LIPO_EMPTY_MV = 3300
_LIPO_FULL_MV = 4150


def lipo_pct(mv):
    """Rough single-cell LiPo state of charge from the resting voltage (linear between empty and full)."""
    if mv <= 0:
        return 255
    pct = (mv - _LIPO_EMPTY_MV) * 100 // (_LIPO_FULL_MV - _LIPO_EMPTY_MV)
    return max(0, min(100, pct))


class Battery:
    def __init__(self, adc, divider):
        self._adc = adc  # machine.ADC with read_uv()
        self._divider = divider
        self.mv = 0
        self.pct = 255

    def update(self):
        try:
            self.mv = min(0xFFFF, int(self._adc.read_uv() * self._divider // 1000))
        except (OSError, AttributeError):
            self.mv = 0
        self.pct = lipo_pct(self.mv)
        return self.pct


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
    """Go idle (stop streaming, slow advertising) after `idle_after_min` without connection or command."""
    if connected:
        device.activity()
    now = device.device_ms()
    quiet_ms = now - device.last_activity_device_ms()
    if not device.idle and quiet_ms > device.settings.idle_after_min * 60000:
        device.sleep()
        device.status()
        return True
    return False


async def watch(device, battery, connected, period_ms=10000):
    """Every period: read the battery, apply the idle rule (`connected()`: a BLE central is connected)."""
    while True:
        if battery is not None:
            battery.update()
        check_idle(device, connected())
        await asleep_ms(period_ms)
