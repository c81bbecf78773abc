# LSM6DSOX / LSM6DSO32 6-axis IMU (ST), FIFO in continuous mode, watermark on INT1; before the board's deep
# sleep, the wake-up (motion) interrupt on INT1 instead. Register map and sensitivities: ST DS12814 (LSM6DSOX)
# and DS12946 (LSM6DSO32); the wake-up sequence: ST AN5272, "Wake-up interrupt".

import struct

from imu.regs import RegisterDevice

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


_WHO_AM_I = const(0x0F)
_WHO_AM_I_VALUE = const(0x6C)  # both chips answer 0x6C
_FIFO_CTRL1 = const(0x07)  # WTM[7:0] (in FIFO words)
_FIFO_CTRL3 = const(0x09)  # BDR_GY[7:4] | BDR_XL[3:0]
_FIFO_CTRL4 = const(0x0A)  # FIFO_MODE[2:0]
_INT1_CTRL = const(0x0D)
_CTRL1_XL = const(0x10)  # ODR_XL[7:4] | FS_XL[3:2]
_CTRL3_C = const(0x12)
_FIFO_STATUS1 = const(0x3A)
_FIFO_DATA_OUT_TAG = const(0x78)
_INTERNAL_FREQ_FINE = const(0x63)  # factory trim: the oscillator's deviation in signed steps of 0.15 %
_CTRL6_C = const(0x15)
_WAKE_UP_SRC = const(0x1B)  # WU_IA (bit 3) and X/Y/Z_WU; reading it clears a latched event
_TAP_CFG0 = const(0x56)
_TAP_CFG2 = const(0x58)
_WAKE_UP_THS = const(0x5B)  # WK_THS[5:0], 1 LSB = FS_XL / 2^6 (WAKE_UP_DUR WAKE_THS_W = 0)
_WAKE_UP_DUR = const(0x5C)  # WAKE_DUR[6:5] (samples over the threshold before the event), WAKE_THS_W (bit 4)
_MD1_CFG = const(0x5E)

_CTRL3_BDU_IF_INC = const(0x44)
_CTRL3_SW_RESET = const(0x01)
_INT1_FIFO_TH = const(0x08)
_MODE_BYPASS = const(0)
_MODE_CONTINUOUS = const(6)
# FIFO_STATUS2 (DS12814 9.33): FIFO_OVR_IA (bit 6) is high while the full FIFO overwrites, until a word is read;
# FIFO_OVR_LATCHED (bit 3) is latched and reset when FIFO_STATUS2 is read, so any read of it must keep it
_STATUS2_OVR = const(0x48)
# wake-up: the accelerometer alone at 26 Hz in low-power mode (CTRL6_C XL_HM_MODE turns high performance off, so
# 12.5..52 Hz are low-power), gyro and FIFO left off by the reset; the slope filter (TAP_CFG0 SLOPE_FDS = 0),
# latched with clear-on-read (LIR | INT_CLR_ON_READ), the basic interrupts on (TAP_CFG2 INTERRUPTS_ENABLE) and
# the event routed to INT1 (MD1_CFG INT1_WU)
_XL_HM_MODE = const(0x10)
_ODR_26HZ = const(2)
_LIR_CLEAR_ON_READ = const(0x41)
_INTERRUPTS_ENABLE = const(0x80)
_INT1_WU = const(0x20)
_WAKE_SETTLE_MS = const(120)  # three samples at 26 Hz: the slope filter starts from 0 and may flag the first
_TAG_GYRO = const(0x01)
_TAG_ACC = const(0x02)
_WORD = const(7)  # tag + 6 data bytes
_MAX_WORDS = const(128)  # words read per burst (64 samples, 896 bytes)

_ODR = {104: 4, 208: 5, 416: 6, 833: 7, 1666: 8}
_FS_G = {250: 0, 500: 1, 1000: 2, 2000: 3}
_FS_XL_DSOX = {2: 0, 16: 1, 4: 2, 8: 3}
_FS_XL_DSO32 = {4: 0, 32: 1, 8: 2, 16: 3}
_G = 9.80665
_DEG = 0.017453292519943295


class LSM6DSOX(RegisterDevice):
    RATES_HZ = (104, 208, 416, 833, 1666)
    GYR_RANGES_DPS = (250, 500, 1000, 2000)
    DEFAULT_RATE_HZ = 416
    has_gyro = True
    max_batch = _MAX_WORDS // 2
    # 512 words of accel + gyro: "up to 3 KB of data, or 512 words of 7 bytes each (1 tag byte plus 6 data
    # bytes)", ST's STEVAL-BCN002V1B user manual, 2.3.1.4 "LSM6DSO smart FIFO buffer" (the DSOX and DSO32
    # datasheets give the LSM6DSO's "smart FIFO up to 9 kbyte", a figure with compression); the model uses the same
    FIFO_SAMPLES = 256
    LOSES_OLDEST = True  # continuous mode overwrites the oldest words

    def __init__(self, i2c, addr=0x6A, dso32=False, check=True):
        super().__init__(i2c, addr)
        self.dso32 = dso32
        self._fs_xl = _FS_XL_DSO32 if dso32 else _FS_XL_DSOX
        self.ACC_RANGES_G = (4, 8, 16, 32) if dso32 else (2, 4, 8, 16)
        self.DEFAULT_ACC_RANGE_G = 32 if dso32 else 16
        self.IMU_ID = 2 if dso32 else 1
        self._b2 = bytearray(2)
        self._fifo = bytearray(_MAX_WORDS * _WORD)
        self._fifo_mv = memoryview(self._fifo)
        self._acc = bytearray(6)
        self._gyr = bytearray(6)
        self._acc_cnt = -1  # TAG_CNT of the pending half-sample, -1 when none
        self._gyr_cnt = -1
        self._ovr = False  # an overrun bit fifo_samples() read, for the next drain()
        self.freq_fine = 0
        self.configure(self.DEFAULT_RATE_HZ, self.DEFAULT_ACC_RANGE_G, 2000)
        self._expect(_WHO_AM_I, _WHO_AM_I_VALUE, "LSM6DSO32" if dso32 else "LSM6DSOX", check)

    def probe(self):
        """WHO_AM_I, then the factory trim (a chip first found here, after boot, has it read now)."""
        super().probe()
        trim = self._read(_INTERNAL_FREQ_FINE)
        self.freq_fine = trim - 256 if trim > 127 else trim
        self.configure(self.rate_hz, self.acc_range_g, self.gyr_range_dps)  # rate_mhz from the trim

    def configure(self, rate_hz, acc_range_g, gyr_range_dps):
        """Select rate and ranges (applied by start); ValueError when the chip does not support them."""
        if rate_hz not in _ODR or acc_range_g not in self._fs_xl or gyr_range_dps not in _FS_G:
            raise ValueError("unsupported rate or range")
        self.rate_hz = rate_hz
        # the rate the chip really samples at (ST AN5272, "ODR_actual"): 6667 Hz x (1 + 0.15 % x trim) divided
        # by 2^(10 - ODR code): 416 Hz is 416.7 Hz typical, and a part may be several per cent off that
        self.rate_mhz = 6667 * (10000 + 15 * self.freq_fine) // (10 << (10 - _ODR[rate_hz]))
        self.acc_range_g = acc_range_g
        self.gyr_range_dps = gyr_range_dps
        # datasheet sensitivities: 0.061 mg/LSB per 2 g of range (0.488 at 16 g, i.e. range/32768, as the host's
        # footfall.protocol.encode.scales has it), 8.75 mdps/LSB per 250 dps (70 at 2000 dps; a little above
        # range/32768, as the gyro's full scale has headroom)
        self.acc_mps2_per_count = acc_range_g * _G / 32768
        self.gyr_radps_per_count = gyr_range_dps * 0.035e-3 * _DEG

    def _reset(self):
        """Software reset (every register to its default: sensors, FIFO and interrupts off), then BDU + IF_INC."""
        self._write(_CTRL3_C, _CTRL3_SW_RESET)
        for _ in range(10):  # the bit clears itself when the reset is done; ST's own driver polls it too
            if not self._read(_CTRL3_C) & _CTRL3_SW_RESET:
                break
        self._write(_CTRL3_C, _CTRL3_BDU_IF_INC)

    def start(self, watermark_samples):
        """Reset, program rate/ranges/FIFO and start sampling into the FIFO (watermark on INT1)."""
        self._reset()
        words = min(2 * watermark_samples, 511)
        self._write(_FIFO_CTRL1, words & 0xFF)
        self._write(_FIFO_CTRL1 + 1, words >> 8)
        odr = _ODR[self.rate_hz]
        self._write(_FIFO_CTRL3, (odr << 4) | odr)
        self._write(_INT1_CTRL, _INT1_FIFO_TH)
        self._write(_FIFO_CTRL4, _MODE_CONTINUOUS)
        self._acc_cnt = self._gyr_cnt = -1
        self._ovr = False
        self._write(_CTRL1_XL, (odr << 4) | (self._fs_xl[self.acc_range_g] << 2))
        self._write(_CTRL1_XL + 1, (odr << 4) | (_FS_G[self.gyr_range_dps] << 2))

    def stop(self):
        """Stop sampling; the FIFO keeps what it holds until drained (then reset_fifo empties it)."""
        self._write(_CTRL1_XL, 0)
        self._write(_CTRL1_XL + 1, 0)

    def wake_on_motion(self, sleep_ms):
        """Stop sampling and raise INT1 (latched until WAKE_UP_SRC is read) when the sensor moves: the board's
        deep sleep wakes on it. The threshold is ST's example, 62.5 mg of slope (a change of 125 mg from one
        sample to the next): 2 LSB at the DSOX's +-2 g, 1 at the DSO32's +-4 g. `sleep_ms` waits for the filter
        to settle; the event its start may have latched is then cleared, so INT1 is low unless the sensor moves."""
        self._reset()
        fs_g = self.ACC_RANGES_G[0]  # the smallest range: the finest threshold step
        self._write(_CTRL6_C, _XL_HM_MODE)
        self._write(_WAKE_UP_DUR, 0)
        self._write(_WAKE_UP_THS, 4 // fs_g)  # WK_THS x fs_g / 64 = 62.5 mg
        self._write(_TAP_CFG0, _LIR_CLEAR_ON_READ)
        self._write(_TAP_CFG2, _INTERRUPTS_ENABLE)
        self._write(_MD1_CFG, _INT1_WU)
        self._write(_CTRL1_XL, (_ODR_26HZ << 4) | (self._fs_xl[fs_g] << 2))
        sleep_ms(_WAKE_SETTLE_MS)
        self._read(_WAKE_UP_SRC)

    def reset_fifo(self):
        self._write(_FIFO_CTRL4, _MODE_BYPASS)

    def time_clock(self, ticks_us, ticks_diff, sleep_ms, span_ms=2000):
        """Nothing to time: the factory trim says the rate (configure)."""

    def fifo_samples(self):
        """Samples waiting in the FIFO (whole accelerometer + gyroscope pairs). An overrun bit read here (the
        latched one is reset by this very read) is kept for the next drain, which reports it."""
        self._i2c.readfrom_mem_into(self._addr, _FIFO_STATUS1, self._b2)
        if self._b2[1] & _STATUS2_OVR:
            self._ovr = True
        return (self._b2[0] | ((self._b2[1] & 0x03) << 8)) // 2

    def drain(self, out):
        """Read one burst of the FIFO into `out` (12 bytes a sample): returns (samples, overrun flag)."""
        self._i2c.readfrom_mem_into(self._addr, _FIFO_STATUS1, self._b2)
        words = self._b2[0] | ((self._b2[1] & 0x03) << 8)
        overrun = bool(self._b2[1] & _STATUS2_OVR) or self._ovr
        self._ovr = False
        words = min(words, _MAX_WORDS, (len(out) // 12) * 2)
        if words == 0:
            return 0, overrun
        buf = self._fifo_mv[: words * _WORD]
        self._i2c.readfrom_mem_into(self._addr, _FIFO_DATA_OUT_TAG, buf)
        return self._pair(buf, words, out), overrun

    def _pair(self, buf, words, out):
        # Accelerometer and gyroscope words of one time slot share TAG_CNT; a half whose partner was
        # overwritten (overrun) is replaced by the next word of its kind.
        n = 0
        for w in range(0, words * _WORD, _WORD):
            tag = buf[w] >> 3
            cnt = (buf[w] >> 1) & 3
            if tag == _TAG_ACC:
                self._acc[:] = buf[w + 1 : w + 7]
                self._acc_cnt = cnt
            elif tag == _TAG_GYRO:
                self._gyr[:] = buf[w + 1 : w + 7]
                self._gyr_cnt = cnt
            else:
                continue
            if self._acc_cnt == self._gyr_cnt and self._acc_cnt >= 0:
                o = n * 12
                out[o : o + 6] = self._acc
                out[o + 6 : o + 12] = self._gyr
                n += 1
                self._acc_cnt = self._gyr_cnt = -1
        return n


def unpack_sample(out, i):
    """(ax, ay, az, gx, gy, gz) of sample i in a drained buffer (used by calibration and tests)."""
    return struct.unpack_from("<hhhhhh", out, i * 12)
