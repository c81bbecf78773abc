# On-device cadence and speed for the Running Speed and Cadence service (0x1814), so a watch can use the
# shoe as a footpod. Deliberately simple: the host's analysis is the accurate one.
#
# Step detector: a shoe-mounted IMU sees one large acceleration peak per foot strike of its own foot
# (Mayagoitia et al. 2002; Bichler et al. 2012 use the same idea). Strikes are peaks of |a| above a
# threshold with a refractory period; cadence counts both feet, so steps/min = 2 * 60 / stride period.
# Speed is a cadence-based guess (step length rising with cadence), flagged as such in docs.

import struct

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


_THRESHOLD_G = 2.5  # a foot strike exceeds this |a| (walking 2-4 g, running 5-15 g on the shoe)
_REFRACTORY_S = 0.35  # one foot's strikes are >= 0.6 s apart even at 200 steps/min
_TIMEOUT_S = 2.5  # no strike for this long -> standing (cadence 0)
_DETECT_HZ = const(104)  # |a| is checked at about this rate (decimated) to save CPU
RSC_FEATURE = const(0x0004)  # walking/running status supported
SENSOR_LOCATION_TOP_OF_SHOE = const(6)
_FLAG_RUNNING = const(0x04)


class StepDetector:
    def __init__(self, rate_hz, acc_range_g):
        self.reset(rate_hz, acc_range_g)

    def reset(self, rate_hz, acc_range_g):
        self.rate_hz = rate_hz
        self._step = max(1, rate_hz // _DETECT_HZ)
        counts_per_g = 32768 // acc_range_g
        self._thr2 = int(_THRESHOLD_G * counts_per_g) ** 2
        self._refractory = int(_REFRACTORY_S * rate_hz)
        self._timeout = int(_TIMEOUT_S * rate_hz)
        self._t = 0  # samples seen
        self._skip = 0
        self._last = -(1 << 30)  # sample time of the last strike
        self._above = False
        self.stride_samples = 0  # smoothed stride period in samples (0 unknown)
        self.strikes = 0

    def feed(self, buf, n):
        """Look at samples 0..n-1 of a drained batch (12 bytes each, accelerometer first)."""
        i = self._skip
        while i < n:
            ax, ay, az = struct.unpack_from("<hhh", buf, i * 12)
            m2 = ax * ax + ay * ay + az * az
            t = self._t + i
            if m2 > self._thr2:
                if not self._above and t - self._last >= self._refractory:
                    self._strike(t)
                self._above = True
            else:
                self._above = False
            i += self._step
        self._skip = i - n
        self._t += n

    def _strike(self, t):
        period = t - self._last
        self._last = t
        self.strikes += 1
        if period < self._timeout:
            # exponential smoothing over ~4 strides
            self.stride_samples = period if not self.stride_samples else (3 * self.stride_samples + period) // 4

    def cadence_spm(self):
        """Steps per minute (both feet), 0 when standing or unknown."""
        if not self.stride_samples or self._t - self._last > self._timeout:
            return 0
        return (120 * self.rate_hz + self.stride_samples // 2) // self.stride_samples

    def speed_mps(self):
        cadence = self.cadence_spm()
        if cadence == 0:
            return 0.0
        step_m = max(0.3, 0.0065 * cadence - 0.1)  # ~0.7 m walking at 120, ~1.0 m running at 170
        return cadence / 60 * step_m

    def measurement(self):
        """RSC Measurement (0x2A53): flags, speed (1/256 m/s), cadence (1/min)."""
        cadence = self.cadence_spm()
        flags = _FLAG_RUNNING if cadence >= 140 else 0
        speed = min(0xFFFF, int(self.speed_mps() * 256))
        return struct.pack("<BHB", flags, speed, min(255, cadence))


def feature():
    return struct.pack("<H", RSC_FEATURE)
