# Power: battery voltage through the ADC divider, LED blinking, and the idle rule (no connection and no
# command for N minutes -> stop streaming, advertise slowly).

import asyncio

from clock import asleep_ms

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
