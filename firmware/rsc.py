# On-device cadence and speed for the Running Speed and Cadence service (0x1814), so a watch can use the
# shoe as a footpod. The host's analysis is the accurate one; this must only be right and cheap.
#
# One foot's signals repeat once per stride, but |a| and |gyro| both show two similar bursts per stride
# (impact and push-off), so peak counting double counts. Instead the stride period is the first strong
# peak of the autocorrelation of the (peak-decimated, ~26 Hz, 4 s) |a| and |gyro| envelopes, the classic
# periodicity estimate used for gait (Moe-Nilssen & Helbostad 2004, J Biomech 37:121) with first-peak
# selection as in pitch detection (de Cheveigne & Kawahara 2002, YIN). Cadence counts both feet:
# steps/min = 120 / stride period (s). Speed is a cadence-based guess (step length rising with cadence), times
# the runner's own factor, which the host learns from a footfall session's measured strides (CMD_SET_PACE).

import math
import struct
from array import array

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


_DETECT_HZ = const(26)  # envelope rate after peak decimation
_WINDOW_S = 4  # autocorrelation window
_MIN_STRIDE_S = 0.5  # 240 steps/min
_MAX_STRIDE_S = 1.6  # 75 steps/min
_FIRST_PEAK = 0.6  # the first autocorrelation peak within 60 % of the highest is the stride
_MIN_QUALITY = 0.4  # weaker periodicity than this: not walking or running
_STILL_G = 0.05  # |a| and |gyro| this steady: standing
_STILL_DPS = 5.0
# Integers throughout the once-a-second update: the envelopes in counts, their mean and spread from integer sums, and
# the work buffer in 1/_X_SCALE of a standard deviation, so the autocorrelation (31 lags x ~80 products) is small-int
# arithmetic. In floats each product and sum was a new heap object on MicroPython: ~290 kB of garbage per second of
# sampling at 416 Hz on the unix port (0.7.2), which filled a heap between the sampler's timed collections. 1/128 of
# a standard deviation is far finer than the peak picking needs (the cadence moved by <= 0.001 steps/min on the
# virtual runner); |x| stays below ~20 sd, so a lag's sum stays a small int (< 2**30) on the ESP32.
_X_SCALE = const(128)
RSC_FEATURE = const(0x0004)  # walking/running status supported
SENSOR_LOCATION_TOP_OF_SHOE = const(1)  # Sensor Location (0x2A5D): 0 other, 1 top of shoe, 2 in shoe, 3 hip
_FLAG_RUNNING = const(0x04)
_RUNNING_FROM_SPM = const(145)  # walking/running status with hysteresis: running from here up,
_WALKING_BELOW_SPM = const(135)  # walking again below this (a 135-145 jog does not flicker each second)


class StepDetector:
    def __init__(self, rate_hz, acc_range_g, gyr_range_dps=2000):
        self.pace_permille = 1000  # the runner's speed factor (Settings.pace_permille)
        self.reset(rate_hz, acc_range_g, gyr_range_dps)

    def reset(self, rate_hz, acc_range_g, gyr_range_dps=2000):
        self.rate_hz = rate_hz
        self._k = max(1, int(rate_hz) // _DETECT_HZ)
        self.fs = rate_hz / self._k
        self._w = int(_WINDOW_S * self.fs)
        self._acc = array("i", [0] * self._w)  # |a| envelope in counts (integers: see _X_SCALE)
        self._gyr = array("i", [0] * self._w)  # |gyro| envelope in counts
        self._x = array("i", [0] * self._w)  # work buffer in 1/_X_SCALE, allocated once
        self._still_acc = _STILL_G * 32768 / acc_range_g  # the standing thresholds in counts
        self._still_gyr = _STILL_DPS * 32768 / gyr_range_dps
        self._filled = 0
        self._head = 0
        self._i = 0  # samples into the current decimation block
        self._amax = 0
        self._gmax = 0
        self._since = 0
        self.cadence = 0.0
        self.running = False  # the RSC status: walking until the cadence reaches _RUNNING_FROM_SPM

    def feed(self, buf, n):
        """Samples 0..n-1 of a drained batch (12 bytes each: ax, ay, az, gx, gy, gz)."""
        amax, gmax, i, k = self._amax, self._gmax, self._i, self._k
        for s in range(n):
            ax, ay, az, gx, gy, gz = struct.unpack_from("<hhhhhh", buf, 12 * s)
            a2 = ax * ax + ay * ay + az * az
            g2 = gx * gx + gy * gy + gz * gz
            if a2 > amax:
                amax = a2
            if g2 > gmax:
                gmax = g2
            i += 1
            if i == k:
                self._push(amax, gmax)
                amax = gmax = i = 0
        self._amax, self._gmax, self._i = amax, gmax, i

    def _push(self, a2, g2):
        h = self._head
        self._acc[h] = int(math.sqrt(a2))
        self._gyr[h] = int(math.sqrt(g2))
        self._head = (h + 1) % self._w
        self._filled = min(self._w, self._filled + 1)
        self._since += 1
        if self._since >= self.fs and self._filled == self._w:  # once a second with a full window
            self._since = 0
            self._update()

    def _update(self):
        c = self._new_cadence()
        self.cadence = c if c == 0 or self.cadence == 0 else 0.5 * (self.cadence + c)
        spm = self.cadence_spm()
        if spm >= _RUNNING_FROM_SPM:
            self.running = True
        elif spm < _WALKING_BELOW_SPM:
            self.running = False

    def _new_cadence(self):
        """The window's cadence (steps/min), 0 when standing or without a clear stride."""
        if not self._envelope():
            return 0.0
        stride_s, quality = self._stride()
        return 120.0 / stride_s if quality >= _MIN_QUALITY else 0.0

    def _envelope(self):
        """x = standardised |a| + standardised |gyro| in time order; False when standing still."""
        w, h, x = self._w, self._head, self._x
        acc, gyr = self._acc, self._gyr
        ma, sa = _mean_sd(acc)
        mg, sg = _mean_sd(gyr)
        if sa < self._still_acc and sg < self._still_gyr:
            return False
        # x = (v - mean) * _X_SCALE / sd in integers, the sd in 1/16 counts; a steady signal weighs 0
        ka, da = (16 * _X_SCALE, int(16 * sa)) if sa >= self._still_acc else (0, 1)
        kg, dg = (16 * _X_SCALE, int(16 * sg)) if sg >= self._still_gyr else (0, 1)
        for j in range(w):
            i = (h + j) % w
            x[j] = (acc[i] - ma) * ka // da + (gyr[i] - mg) * kg // dg
        return True

    def _stride(self):
        """(stride period s, normalised autocorrelation there) from the work buffer."""
        x, w = self._x, self._w
        lo = int(_MIN_STRIDE_S * self.fs) - 1
        hi = min(w - 2, int(_MAX_STRIDE_S * self.fs) + 1)
        r0 = _corr(x, w, 0)
        r = [_corr(x, w, lag) for lag in range(lo, hi + 1)]
        peaks = [j for j in range(1, len(r) - 1) if r[j] > r[j - 1] and r[j] >= r[j + 1]]
        if not peaks or r0 <= 0:
            return _MAX_STRIDE_S, 0.0
        top = max(r[j] for j in peaks)
        j = peaks[0]
        for j in peaks:
            if r[j] >= _FIRST_PEAK * top:
                break
        a, b, c = r[j - 1], r[j], r[j + 1]
        den = a - 2 * b + c
        frac = 0.5 * (a - c) / den if den < 0 else 0.0  # parabolic interpolation of the peak
        return (lo + j + frac) / self.fs, b / r0

    def cadence_spm(self):
        """Steps per minute (both feet), 0 when standing or unknown."""
        return int(self.cadence + 0.5)

    def speed_mps(self):
        """The cadence-based estimate times the runner's own factor (`pace_permille`, learnt by the host)."""
        return cadence_speed_mps(self.cadence_spm()) * self.pace_permille / 1000

    def measurement(self):
        """RSC Measurement (0x2A53): flags, speed (1/256 m/s), cadence (1/min)."""
        cadence = self.cadence_spm()
        flags = _FLAG_RUNNING if self.running else 0
        speed = min(0xFFFF, int(self.speed_mps() * 256))
        return struct.pack("<BHB", flags, speed, min(255, cadence))


def cadence_speed_mps(cadence_spm):
    """Speed from cadence alone, for a runner of no known stride: the step lengthens with cadence (~0.6 m walking
    at 112 steps/min, ~1.0 m running at 170). The host's copy (footfall.live.pace) learns each runner's factor."""
    if cadence_spm == 0:
        return 0.0
    return cadence_spm / 60 * max(0.3, 0.0065 * cadence_spm - 0.1)


def _mean_sd(values):
    """(mean rounded down, standard deviation) of an integer array: integer sums (a sum of squares beyond a small int
    costs a few objects), one float for the root."""
    n = len(values)
    s = 0
    for v in values:
        s += v
    m = s // n
    q = 0
    for v in values:
        q += (v - m) * (v - m)
    return m, math.sqrt(q / n)


def _corr(x, w, lag):
    s = 0  # integers: no heap object per product (see _X_SCALE)
    for i in range(w - lag):
        s += x[i] * x[i + lag]
    return s / (w - lag)


def feature():
    return struct.pack("<H", RSC_FEATURE)
