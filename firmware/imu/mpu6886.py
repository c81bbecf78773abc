# MPU6886 6-axis IMU (TDK InvenSense), FIFO of 1 KiB with 14-byte packets (accel, temperature, gyro; big
# endian). The FIFO is in "stop when full" mode so packets stay aligned; an overflow sets FIFO_OFLOW_INT.
# Register map: TDK DS-000193 (MPU-6886 datasheet).

from imu.regs import RegisterDevice

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


_SMPLRT_DIV = const(0x19)
_CONFIG = const(0x1A)
_GYRO_CONFIG = const(0x1B)
_ACCEL_CONFIG = const(0x1C)
_ACCEL_CONFIG2 = const(0x1D)
_FIFO_EN = const(0x23)
_INT_ENABLE = const(0x38)
_INT_STATUS = const(0x3A)
_FIFO_WM_TH1 = const(0x60)
_USER_CTRL = const(0x6A)
_PWR_MGMT_1 = const(0x6B)
_PWR_MGMT_2 = const(0x6C)
_FIFO_COUNTH = const(0x72)
_FIFO_R_W = const(0x74)
_WHO_AM_I = const(0x75)
_WHO_AM_I_VALUE = const(0x19)

_CONFIG_FIFO_STOP_DLPF = const(0x41)  # FIFO_MODE=1 (no overwrite), DLPF_CFG=1 (1 kHz internal rate)
_FIFO_EN_ACC_GYRO = const(0x18)
_USER_FIFO_EN = const(0x40)
_USER_FIFO_RST = const(0x04)
_INT_FIFO_OFLOW = const(0x10)
_PWR_AWAKE_PLL = const(0x01)  # SLEEP 0, CLKSEL 1 (the PLL when ready)
_PWR_SLEEP = const(0x40)  # SLEEP 1: the gyro and accelerometer off (~10 uA instead of ~3 mA); registers kept
_PACKET = const(14)
_SWAP = b"\x01\x00\x03\x02\x05\x04\x09\x08\x0b\x0a\x0d\x0c"  # out byte j <- packet byte _SWAP[j]
_MAX_PACKETS = const(64)

_FS = {2: 0, 4: 1, 8: 2, 16: 3}
_FS_G = {250: 0, 500: 1, 1000: 2, 2000: 3}
_G = 9.80665
_DEG = 0.017453292519943295


class MPU6886(RegisterDevice):
    RATES_HZ = (100, 125, 200, 250, 500, 1000)  # 1 kHz / (1 + SMPLRT_DIV)
    ACC_RANGES_G = (2, 4, 8, 16)
    GYR_RANGES_DPS = (250, 500, 1000, 2000)
    DEFAULT_RATE_HZ = 500
    DEFAULT_ACC_RANGE_G = 16
    IMU_ID = 3
    has_gyro = True
    max_batch = _MAX_PACKETS
    FIFO_SAMPLES = 73  # 1024 bytes / 14
    LOSES_OLDEST = False  # "stop when full" mode drops the newest

    def __init__(self, i2c, addr=0x68, check=True):
        super().__init__(i2c, addr)
        self._b2 = bytearray(2)
        self._fifo = bytearray(_MAX_PACKETS * _PACKET)
        self._fifo_mv = memoryview(self._fifo)
        self._clock = 0.0  # the internal clock's rate over its nominal 1 kHz, once timed (time_clock); 0: not timed
        self.configure(self.DEFAULT_RATE_HZ, self.DEFAULT_ACC_RANGE_G, 2000)
        self._expect(_WHO_AM_I, _WHO_AM_I_VALUE, "MPU6886", check)

    def configure(self, rate_hz, acc_range_g, gyr_range_dps):
        if rate_hz not in self.RATES_HZ or acc_range_g not in _FS or gyr_range_dps not in _FS_G:
            raise ValueError("unsupported rate or range")
        self.rate_hz = rate_hz
        # no register says how far the internal clock is off: time_clock measures it against the board's crystal
        self.rate_mhz = int(self.rate_hz * self._clock * 1000 + 0.5)
        self.acc_range_g = acc_range_g
        self.gyr_range_dps = gyr_range_dps
        self.acc_mps2_per_count = acc_range_g * _G / 32768  # 16384 LSB/g at 2 g
        self.gyr_radps_per_count = gyr_range_dps * _DEG / 32768  # 131 LSB/dps at 250 dps (as footfall.protocol.encode)

    def start(self, watermark_samples):
        self._write(_PWR_MGMT_1, _PWR_AWAKE_PLL)  # out of sleep (stop() put it there)
        self._write(_PWR_MGMT_2, 0x00)  # all axes on
        self._write(_CONFIG, _CONFIG_FIFO_STOP_DLPF)
        self._write(_SMPLRT_DIV, 1000 // self.rate_hz - 1)
        self._write(_ACCEL_CONFIG, _FS[self.acc_range_g] << 3)
        self._write(_ACCEL_CONFIG2, 0x00)
        self._write(_GYRO_CONFIG, _FS_G[self.gyr_range_dps] << 3)
        wm = min(watermark_samples * _PACKET, 1008)
        self._write(_FIFO_WM_TH1, wm >> 8)
        self._write(_FIFO_WM_TH1 + 1, wm & 0xFF)
        self._write(_USER_CTRL, _USER_FIFO_RST)
        self._read(_INT_STATUS)  # clear-on-read: forget an overflow of the FIFO just reset (e.g. after a bus fault)
        self._write(_INT_ENABLE, _INT_FIFO_OFLOW)
        self._write(_USER_CTRL, _USER_FIFO_EN)
        self._write(_FIFO_EN, _FIFO_EN_ACC_GYRO)

    def stop(self):
        """No more packets, then sleep: what the FIFO holds stays readable over I2C (start() wakes it)."""
        self._write(_FIFO_EN, 0)
        self._write(_PWR_MGMT_1, _PWR_SLEEP)

    def reset_fifo(self):
        self._write(_USER_CTRL, _USER_FIFO_RST)

    def time_clock(self, ticks_us, ticks_diff, sleep_ms, span_ms=2000):
        """Run the chip for span_ms and count its samples against the board's clock (at boot, before any
        streaming): every later rate_mhz follows, as every rate is the same clock divided. Left untimed
        (rate_mhz 0, the host takes the nominal rate) when the FIFO overflowed, the count was disturbed or the
        result is implausible."""
        self.start(self.FIFO_SAMPLES // 3)
        out = bytearray(self.max_batch * 12)
        sleep_ms(20)
        t0, before = self._fifo_at(ticks_us)
        start, drained, overrun = ticks_us(), 0, False
        while ticks_diff(ticks_us(), start) < span_ms * 1000:
            sleep_ms(10)
            n, ovr = self.drain(out)
            drained, overrun = drained + n, overrun or ovr
        t1, after = self._fifo_at(ticks_us)
        self.stop()
        self.reset_fifo()
        if overrun or t0 is None or t1 is None:
            return
        clock = (drained + after - before) * 1e6 / ticks_diff(t1, t0) / self.rate_hz
        if 0.8 < clock < 1.25:  # beyond that the count, not the chip, is wrong
            self._clock = clock
            self.configure(self.rate_hz, self.acc_range_g, self.gyr_range_dps)

    def _fifo_at(self, ticks_us):
        """(ticks_us, samples in the FIFO then), the time read between two counts that agree; (None, 0) if
        they never do (the board was interrupted)."""
        for _ in range(5):
            first = self.fifo_samples()
            t = ticks_us()
            if self.fifo_samples() == first:
                return t, first
        return None, 0

    def fifo_samples(self):
        """Samples waiting in the FIFO (whole 14-byte packets)."""
        self._i2c.readfrom_mem_into(self._addr, _FIFO_COUNTH, self._b2)
        return (((self._b2[0] & 0x1F) << 8) | self._b2[1]) // _PACKET

    def drain(self, out):
        overrun = bool(self._read(_INT_STATUS) & _INT_FIFO_OFLOW)
        self._i2c.readfrom_mem_into(self._addr, _FIFO_COUNTH, self._b2)
        count = ((self._b2[0] & 0x1F) << 8) | self._b2[1]
        packets = min(count // _PACKET, _MAX_PACKETS, len(out) // 12)
        if packets == 0:
            return 0, overrun
        buf = self._fifo_mv[: packets * _PACKET]
        self._i2c.readfrom_mem_into(self._addr, _FIFO_R_W, buf)
        # big to little endian, the temperature left out, byte by byte: struct's unpack_from/pack_into made ~100
        # bytes of garbage a sample (100 kB/s at 1000 Hz, a collection every few seconds); this makes none, and
        # is no slower under MicroPython's unix port
        swap = _SWAP
        for i in range(packets):
            p = i * _PACKET
            o = i * 12
            for j in range(12):
                out[o + j] = buf[p + swap[j]]
        return packets, overrun

