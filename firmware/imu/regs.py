# What every register-mapped IMU driver shares: the bus it was given, one-byte register access with a
# buffer allocated once, and the WHO_AM_I check. Two ways a check fails, told apart because they need different
# fixes (docs/protocol.md, event 7):
#   - nothing acknowledges the address: the bus's own OSError (19 ENODEV on the ESP32 port): a wire, or no chip;
#   - a chip acknowledges but its WHO_AM_I is not the expected one (a cheaper LSM6DS3 breakout, the wrong board
#     profile): OSError(wrong_chip(...)), errno WRONG_CHIP in the low byte with the value read, the address and
#     the expected chip's IMU_ID in the bytes above, so the one number an event carries says all of it.

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


WRONG_CHIP = const(6)  # ENXIO: "no such device *at this address*": a device answers, not the one expected


def wrong_chip(who_am_i, addr, imu_id):
    """The u32 of a WHO_AM_I mismatch: errno WRONG_CHIP | WHO_AM_I read << 8 | I2C address << 16 | IMU_ID << 24."""
    return WRONG_CHIP | (who_am_i << 8) | (addr << 16) | (imu_id << 24)


def errno_of(exc):
    """The number an OSError carries (a wrong_chip() value included); 5 (EIO) when it carries none."""
    code = exc.args[0] if exc.args else 0
    return code if isinstance(code, int) and code else 5


def is_wrong_chip(code):
    return code & 0xFF == WRONG_CHIP


class RegisterDevice:
    IMU_ID = 0  # each driver's status-frame `imu` code

    def __init__(self, i2c, addr):
        self._i2c = i2c
        self._addr = addr
        self.addr = addr  # where the chip answers (imu.find_imu may have found it at the alternate address)
        self._b1 = bytearray(1)

    def _read(self, reg):
        self._i2c.readfrom_mem_into(self._addr, reg, self._b1)
        return self._b1[0]

    def _write(self, reg, value):
        self._b1[0] = value
        self._i2c.writeto_mem(self._addr, reg, self._b1)

    def _expect(self, reg, value, name, check=True):
        """Name the chip's WHO_AM_I; `check`: ask it now (else the first probe() will)."""
        self._who = (reg, value, name)
        self.name = name
        if check:
            self.probe()

    def probe(self):
        """Check the chip still answers as itself: the bus's OSError when nothing acknowledges, OSError(wrong_chip())
        when another chip does. The sampler's retry after a fault, and the check at power-up."""
        reg, value, name = self._who
        got = self._read(reg)
        if got != value:
            text = "a chip answers at 0x%02X but says WHO_AM_I 0x%02X: not an %s" % (self._addr, got, name)
            raise OSError(wrong_chip(got, self._addr, self.IMU_ID), text)
