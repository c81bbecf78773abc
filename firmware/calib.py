# `calibrate` (docs/protocol.md): the mean of config.CAL_SAMPLES samples (gravity direction and gyro bias, in
# counts), taken only when the sensor was held still over that same window; otherwise nothing is saved.
#
# Still means all of (over the window, in the units the status frame's scales give):
# - accelerometer: SD of the reading (the three axes' variances summed) <= _ACC_SD_G. A sensor at rest reads a
#   few mg rms (noise densities of roughly 0.1-0.3 mg/sqrt(Hz) over the ~200 Hz band at 416 Hz, three axes);
#   0.03 g is the gravity vector tilting by about 2 degrees (0.03 rad), or a tap, and below the 0.05 g by which
#   rsc.py calls a foot "standing". A foot walking or running reads several tenths of a g up to many g.
# - gyroscope, its spread: SD (three axes) <= _GYR_SD_DPS. At rest ~0.1-0.3 dps rms (noise plus one count of
#   0.06-0.07 dps at 2000 dps); 2 dps is ten times that, and turning at it for the window (0.5 s at 416 Hz) is a
#   degree: the bias the window's mean would store is off by about as much.
# - gyroscope, its magnitude: |mean| <= _GYR_DPS. That mean is what would be saved as the bias; the parts' own
#   zero-rate offsets are a few dps at most, so a steady 10 dps is the sensor turning (a yaw the accelerometer
#   does not see), not a bias.
# Deviations are taken from the window's first sample, so a still sensor's sums stay small integers (no heap).

import math
import struct

_ACC_SD_G = 0.03
_GYR_SD_DPS = 2.0
_GYR_DPS = 10.0
_G = 9.80665


class CalWindow:
    def __init__(self, n, acc_mps2_per_count, gyr_radps_per_count):
        self.left = n
        self._n = n
        self._g = acc_mps2_per_count / _G  # g per count
        self._dps = math.degrees(gyr_radps_per_count)  # dps per count
        self._ref = ()  # the window's first sample
        self._sum = [0] * 6  # of deviations from _ref
        self._sq = [0] * 6

    def feed(self, buf, n):
        """Samples 0..n-1 of a drained batch (12 bytes each: ax, ay, az, gx, gy, gz); True once the window is full."""
        k = min(n, self.left)
        s_, q_ = self._sum, self._sq
        for i in range(k):
            s = struct.unpack_from("<hhhhhh", buf, 12 * i)
            if not self._ref:
                self._ref = s
            for j in range(6):
                d = s[j] - self._ref[j]
                s_[j] += d
                q_[j] += d * d
        self.left -= k
        return self.left == 0

    def mean(self):
        """[ax, ay, az, gx, gy, gz] mean counts (floored), as Settings.cal holds them."""
        return [self._ref[j] + self._sum[j] // self._n for j in range(6)]

    def _spread(self, axes):
        n = self._n
        return math.sqrt(sum(max(0.0, self._sq[j] / n - (self._sum[j] / n) ** 2) for j in axes))

    def still(self):
        """True when the window was held still (the thresholds at the top)."""
        bias = math.sqrt(sum(v * v for v in self.mean()[3:]))
        return (self._spread((0, 1, 2)) * self._g <= _ACC_SD_G and self._spread((3, 4, 5)) * self._dps <= _GYR_SD_DPS
                and bias * self._dps <= _GYR_DPS)
