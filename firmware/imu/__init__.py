# IMU drivers. Each driver takes its bus (a machine.I2C or anything with readfrom_mem_into/writeto_mem),
# checks WHO_AM_I (OSError when the chip is absent), raises ValueError for unsupported settings, and drains
# its FIFO in batches into 12-byte little-endian samples (ax, ay, az, gx, gy, gz int16 counts).
#
# Common interface: RATES_HZ, ACC_RANGES_G, GYR_RANGES_DPS, DEFAULT_RATE_HZ, DEFAULT_ACC_RANGE_G, IMU_ID,
# configure(rate_hz, acc_range_g, gyr_range_dps), start(watermark_samples), stop(), drain(out) -> (n, overrun),
# fifo_samples() (samples waiting), probe() (WHO_AM_I again: OSError when the chip does not answer),
# time_clock(ticks_us, ticks_diff, sleep_ms) (at boot: learn the chip's own rate where no register says it),
# acc_mps2_per_count / gyr_radps_per_count, rate_mhz (the chip's own trimmed rate, 0 when it cannot say),
# has_gyro, max_batch; optionally wake_on_motion(sleep_ms) (arm a motion interrupt on INT1 before deep sleep:
# the ST driver; power.switch_off_for uses it where the board wires INT1).


def make_imu(kind, i2c, addr, check=True):
    """The driver for chip `kind` ("lsm6dsox", "lsm6dso32" or "mpu6886") on bus `i2c` at `addr`; `check`:
    OSError when the chip does not answer (else it has not been asked yet: its first probe() does)."""
    if kind in ("lsm6dsox", "lsm6dso32"):
        from imu.lsm6dsox import LSM6DSOX

        return LSM6DSOX(i2c, addr, dso32=(kind == "lsm6dso32"), check=check)
    if kind == "mpu6886":
        from imu.mpu6886 import MPU6886

        return MPU6886(i2c, addr, check=check)
    raise ValueError("unknown IMU " + str(kind))


def alternate_addr(addr):
    """The chip's other I2C address: on the LSM6DSO family (SA0/SDO) and the MPU6886 (AD0) one pin sets the
    address's low bit, 0x6A/0x6B and 0x68/0x69; breakouts differ in how they strap it."""
    return addr ^ 1


def find_imu(kind, i2c, addr):
    """(driver, errno) at power-up: the chip at `addr`, else at its alternate address (the driver's `addr` says
    which answered), errno 0. Else (a loose wire, a chip not yet powered, another chip) the driver at `addr` has
    not met it and the sampler probes for it (Device's `imu_errno`); errno is the most telling failure: a chip
    that answered as another chip (regs.wrong_chip) before no answer at all."""
    from imu.regs import errno_of, is_wrong_chip

    first = 0
    for at in (addr, alternate_addr(addr)):
        try:
            return make_imu(kind, i2c, at), 0
        except OSError as exc:
            code = errno_of(exc)
            if not first or (is_wrong_chip(code) and not is_wrong_chip(first)):
                first = code
    return make_imu(kind, i2c, addr, check=False), first
